/**
 * Malformed (and now and then well-formed) requests for every route of the route table: bodies and
 * queries generated from the route's zod schemas and then mutated (missing, extra and wrong-typed
 * fields, hostile strings, oversized strings and arrays, raw JSON oddities, bodies beyond the 64 KiB
 * limit), bad path params, bad query strings, bad content types, wrong methods and a pool of good
 * and bad bearers.
 */
import { ROUTES, PageQuery, type RouteSpec } from '../../../src/model';
import type { Prng } from './prng';
import { hostileString, hostileValue, POLLUTION_KEYS, PRIVILEGED_FIELDS, rawJsonOddity } from './hostile-values';
import { jsonSchemaOf, SchemaValues, type FieldHints, type JsonSchema } from './schema-values';

/** One bearer of the pool: its Authorization header and what it may do. */
export interface BearerSpec {
  /** Label printed in failures, e.g. `scoped key (api_keys:read)`. */
  readonly label: string;
  /** The Authorization header value, or undefined for none. */
  readonly header: string | undefined;
  /**
   * `admin` = the admin OAuth client; `key` = a working secret API key; `authorization` = a working
   * token of an authorization with the `api` capability (acts for its owner on authorization routes);
   * `none` = not a valid credential.
   */
  readonly kind: 'admin' | 'key' | 'authorization' | 'none';
  /** Scopes of a working key (empty = full access to its merchant). */
  readonly scopes?: readonly string[];
  /** Merchant and mode of a working key. */
  readonly mid?: string;
  readonly mode?: 'test' | 'live';
  /** Owner of an authorization token: the only user whose authorizations it may reach. */
  readonly ownerId?: string;
}

/** A generated request. */
export interface FuzzRequest {
  readonly index: number;
  readonly route: RouteSpec;
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  /** Whether the path was built from the route's own template with well-formed params (the route surely matched). */
  readonly routeMatched: boolean;
  readonly headers: Record<string, string>;
  readonly body: string | Buffer | undefined;
  readonly bearer: BearerSpec;
  /** A short description of the mutation, for failure messages. */
  readonly mutation: string;
}

/** Ids the generator puts into path params, per param name. */
export type ParamPools = Readonly<Record<string, readonly string[]>>;

/** Path params that are not well-formed ids: encoded and raw junk. */
const JUNK_PARAMS: readonly { raw: string; encoded: boolean }[] = [
  { raw: "' OR 1=1 --", encoded: true },
  { raw: '../../etc/passwd', encoded: true },
  { raw: '..', encoded: false },
  { raw: '%00', encoded: false },
  { raw: '%', encoded: false },
  { raw: '%E0%A4%A', encoded: false },
  { raw: '%FF%FE', encoded: false },
  { raw: '__proto__', encoded: false },
  { raw: 'constructor', encoded: false },
  { raw: 'a'.repeat(3000), encoded: false },
  { raw: '日本', encoded: true },
  { raw: '<script>', encoded: true },
  { raw: '{"id":1}', encoded: true },
  { raw: 'key_', encoded: false },
  { raw: ' ', encoded: true },
];

const CONTENT_TYPES: readonly (string | undefined)[] = [
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  'application/vnd.api+json',
  'application/json; charset=utf-16',
  'application/jsonx',
  '',
  undefined,
];

/** Percent-encodes the UTF-8 bytes of `s` (lone surrogates become U+FFFD, as any client would send them). */
function encodeBytes(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) out += /[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** The body schema of a route, as JSON Schema (cached). */
const bodySchemas = new Map<string, JsonSchema | undefined>();
function bodySchema(route: RouteSpec): JsonSchema | undefined {
  if (!bodySchemas.has(route.id)) bodySchemas.set(route.id, route.body ? jsonSchemaOf(route.body) : undefined);
  return bodySchemas.get(route.id);
}
const querySchemas = new Map<string, JsonSchema | undefined>();
function querySchema(route: RouteSpec): JsonSchema | undefined {
  if (!querySchemas.has(route.id)) {
    const q = route.query ?? (route.method === 'GET' ? PageQuery : undefined);
    querySchemas.set(route.id, q ? jsonSchemaOf(q) : undefined);
  }
  return querySchemas.get(route.id);
}

/** Generates the request sequence of one fuzz run; the same seed gives the same sequence. */
export class RequestGenerator {
  private readonly values: SchemaValues;
  private count = 0;

  /**
   * A generator over `routes` (default: every route), with `bearers` to draw from, ids per path
   * param and realistic values per body field.
   */
  constructor(
    private readonly rng: Prng,
    private readonly bearers: readonly BearerSpec[],
    private readonly params: ParamPools,
    hints: FieldHints,
    private readonly routes: readonly RouteSpec[] = ROUTES,
  ) {
    this.values = new SchemaValues(rng, hints);
  }

  /** The next request. Every route is visited in turn so that each gets its share. */
  next(): FuzzRequest {
    const rng = this.rng;
    const index = this.count++;
    const route = this.routes[index % this.routes.length];
    const bearer = rng.pick(this.bearers);
    const headers: Record<string, string> = {};
    if (bearer.header !== undefined) headers.authorization = bearer.header;
    const mutations: string[] = [];

    let method: string = route.method;
    if (rng.chance(0.04)) {
      method = rng.pick(METHODS);
      if (method !== route.method) mutations.push(`method ${method}`);
    }

    // Path params.
    let routeMatched = method === route.method;
    const path = route.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
      if (rng.chance(0.8)) {
        const pool = this.params[name] ?? [];
        const id = pool.length ? rng.pick(pool) : 'x';
        return encodeURIComponent(id);
      }
      const junk = rng.pick(JUNK_PARAMS);
      mutations.push(`param ${name}=${junk.raw.slice(0, 20)}`);
      if (junk.raw === '..' || junk.raw.startsWith('%') || junk.raw.length > 200) routeMatched = false;
      return junk.encoded ? encodeURIComponent(junk.raw) : junk.raw;
    });

    // Query string.
    let query = '';
    const qs = querySchema(route);
    if (qs || rng.chance(0.1)) query = this.query(qs, mutations);

    // Body.
    let body: string | Buffer | undefined;
    const schema = bodySchema(route);
    const wantsBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
    if (wantsBody || rng.chance(0.05)) {
      body = schema ? this.body(schema, mutations) : rng.chance(0.5) ? '{}' : JSON.stringify(hostileValue(rng));
      if (rng.chance(0.03)) {
        // Beyond the 64 KiB body limit.
        body = JSON.stringify({ description: 'x'.repeat(rng.pick([65 * 1024, 200 * 1024])) });
        mutations.push('body > 64 KiB');
      }
      if (rng.chance(0.02)) {
        body = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]), Buffer.from('"}')]);
        mutations.push('invalid UTF-8');
      }
      const ct = rng.chance(0.85) ? 'application/json' : rng.pick(CONTENT_TYPES);
      if (ct !== 'application/json') mutations.push(`content-type ${String(ct)}`);
      if (ct !== undefined) headers['content-type'] = ct;
      if (route.id === 'createToken' && rng.chance(0.3) && typeof body === 'string') {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = this.formBody(body);
        mutations.push('form body');
      }
    }

    if (route.idempotent && rng.chance(0.3)) {
      headers['idempotency-key'] = rng.pick([
        `fuzz-${rng.int(0, 20)}`,
        'x'.repeat(rng.pick([255, 256, 1000])),
        ' ',
        "'; DROP TABLE idempotency; --",
        '__proto__',
      ]);
      mutations.push('idempotency-key');
    }
    if (rng.chance(0.02)) {
      headers['x-forwarded-for'] = '127.0.0.1, 10.0.0.1';
      headers['x-http-method-override'] = 'DELETE';
    }

    return {
      index,
      route,
      method,
      url: path + query,
      routeMatched,
      headers,
      body,
      bearer,
      mutation: mutations.join('; ') || 'none',
    };
  }

  /** A query string from the route's query schema, then mutated. */
  private query(schema: JsonSchema | undefined, mutations: string[]): string {
    const rng = this.rng;
    const pairs: [string, string][] = [];
    if (schema) {
      const v = this.values.value(schema, schema) as Record<string, unknown>;
      for (const [k, val] of Object.entries(v)) pairs.push([k, typeof val === 'string' ? val : JSON.stringify(val)]);
    }
    const r = rng.next();
    if (r < 0.15) {
      pairs.push([rng.pick(['limit', 'cursor', 'mid', 'status']), hostileString(rng)]);
      mutations.push('hostile query value');
    } else if (r < 0.25) {
      pairs.push([rng.pick([...POLLUTION_KEYS, 'constructor[prototype][admin]', '__proto__[admin]', 'unknown']), 'true']);
      mutations.push('unknown/pollution query key');
    } else if (r < 0.35) {
      pairs.push(['limit', rng.pick(['abc', '-1', '0', '1001', '1e3', '0x10', '1.5', '', '99999999999999999999'])]);
      mutations.push('bad limit');
    } else if (r < 0.42) {
      pairs.push(['limit', '1'], ['limit', '2']);
      mutations.push('repeated query key');
    } else if (r < 0.5) {
      pairs.push(['cursor', rng.pick(['%%%', 'eyJzZXEiOi0xfQ', 'eyJzZXEiOiIxIE9SIDE9MSJ9', Buffer.from('{"seq":"1 OR 1=1"}').toString('base64url'), 'a'.repeat(201)])]);
      mutations.push('forged cursor');
    } else if (r < 0.55) {
      mutations.push('raw query');
      return `?${rng.pick(['%FF%FE=%00', '&&&', '=x', 'limit', '%', 'a[b][c][d][e]=1', 'mid=mid_654321&mid=mid_123456'])}`;
    }
    if (!pairs.length) return '';
    return `?${pairs.map(([k, v]) => `${encodeBytes(k)}=${encodeBytes(v)}`).join('&')}`;
  }

  /** A JSON body from the schema, then (mostly) mutated. */
  private body(schema: JsonSchema, mutations: string[]): string {
    const rng = this.rng;
    const root = schema;
    const node = this.values.resolve(schema, root);
    const valid = this.values.value(node, root);
    const obj = valid && typeof valid === 'object' && !Array.isArray(valid) ? (valid as Record<string, unknown>) : {};
    const props = Object.keys((node.properties ?? {}) as object);
    const required = (node.required ?? []) as string[];
    const r = rng.next();
    if (r < 0.15) {
      mutations.push('schema-valid');
    } else if (r < 0.27 && required.length) {
      const f = rng.pick(required);
      delete obj[f];
      mutations.push(`missing ${f}`);
    } else if (r < 0.39) {
      const f = rng.pick([...PRIVILEGED_FIELDS, 'extra', 'mode', 'type', 'owner_id', 'kind']);
      obj[f] = hostileValue(rng);
      mutations.push(`extra ${f}`);
    } else if (r < 0.6 && props.length) {
      const f = rng.pick(props);
      obj[f] = hostileValue(rng);
      mutations.push(`hostile ${f}`);
    } else if (r < 0.7 && props.length) {
      const f = rng.pick(props);
      obj[f] = hostileString(rng);
      mutations.push(`hostile string ${f}`);
    } else if (r < 0.75) {
      const f = rng.pick(props.length ? props : ['scopes']);
      const n = rng.pick([500, 5000, 20000]);
      obj[f] = Array.from({ length: n }, (_, i) => (rng.chance(0.5) ? 'customers:read' : `id_${i}`));
      mutations.push(`array[${n}] ${f}`);
    } else if (r < 0.82) {
      mutations.push('whole body hostile');
      return JSON.stringify(hostileValue(rng)) ?? 'null';
    } else if (r < 0.9) {
      mutations.push('raw JSON oddity');
      return rawJsonOddity(rng, JSON.stringify(obj));
    } else {
      // Pollution keys as real own properties (JSON.parse creates them; a literal would set the prototype).
      const key = rng.pick(POLLUTION_KEYS);
      const text = JSON.stringify(obj);
      mutations.push(`pollution key ${key}`);
      const inner = rng.pick(['{"admin":true,"scopes":[]}', '{"prototype":{"is_admin":1}}', '"x"', 'null']);
      return text === '{}' ? `{"${key}":${inner}}` : text.replace(/^\{/, `{"${key}":${inner},`);
    }
    return JSON.stringify(obj);
  }

  /** A form encoding of a JSON body (the token route accepts forms). */
  private formBody(json: string): string {
    try {
      const v = JSON.parse(json) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        return new URLSearchParams(Object.entries(v as Record<string, unknown>).map(([k, x]): [string, string] => [k, typeof x === 'string' ? x : JSON.stringify(x)])).toString();
      }
    } catch {
      // Not JSON: send it as is, a malformed form.
    }
    return json;
  }
}
