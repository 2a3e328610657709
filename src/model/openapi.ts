/** Builds the OpenAPI document of the Key Management API from the zod model and the route table. */
import { z } from 'zod';
import { ErrorBody } from './common';
import { ROUTES, type RouteSpec } from './routes';

const SCHEMAS = '#/components/schemas/';

/**
 * Points every `$ref` zod emitted at `components/schemas`: zod writes nested named schemas as
 * `#/$defs/<id>` (or `<uri>#/$defs/<id>` when converting a registry), which no OpenAPI tool resolves.
 */
function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (k === '$ref' && typeof v === 'string') {
      const m = /#\/\$defs\/([^/]+)$/.exec(v);
      out[k] = m ? `${SCHEMAS}${m[1]}` : v;
    } else {
      out[k] = rewriteRefs(v);
    }
  }
  return out;
}

/** A JSON schema as a component: without the dialect and `$id` zod puts on top-level schemas. */
function component(schema: unknown): Record<string, unknown> {
  const { $schema: _s, $id: _i, id: _d, $defs: _defs, ...rest } = schema as Record<string, unknown>;
  return rewriteRefs(rest) as Record<string, unknown>;
}

/** The name a route's body, query or response schema has in `components/schemas`. */
function schemaId(schema: z.ZodType, fallback: string): string {
  return (z.globalRegistry.get(schema) as { id?: string } | undefined)?.id ?? fallback;
}

/**
 * Every schema the routes use, converted together so that each named schema appears once in
 * `components/schemas` and every reference to it resolves there.
 */
function buildSchemas(): { schemas: Record<string, Record<string, unknown>>; idOf: Map<z.ZodType, string> } {
  const registry = z.registry<{ id: string }>();
  const idOf = new Map<z.ZodType, string>();
  const add = (schema: z.ZodType | undefined, fallback: string) => {
    if (!schema || idOf.has(schema)) return;
    const id = schemaId(schema, fallback);
    idOf.set(schema, id);
    registry.add(schema, { id });
  };
  add(ErrorBody, 'ErrorBody');
  for (const r of ROUTES) {
    add(r.body, `${upperFirst(r.id)}Request`);
    add(r.success.body, `${upperFirst(r.id)}Response`);
  }
  const converted = z.toJSONSchema(registry, { io: 'input', unrepresentable: 'any', uri: (id) => `${SCHEMAS}${id}` }) as {
    schemas: Record<string, Record<string, unknown>>;
  };
  const schemas: Record<string, Record<string, unknown>> = {};
  for (const [id, schema] of Object.entries(converted.schemas)) {
    // Named schemas nested in others (ProjectAccess, Actor, …) come back as shared definitions: make them components.
    const defs = (schema.$defs ?? {}) as Record<string, unknown>;
    for (const [defId, def] of Object.entries(defs)) schemas[defId] = component(def);
    if (id !== '__shared') schemas[id] = component(schema);
  }
  return { schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))), idOf };
}

function upperFirst(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** What each group of routes (the first path segment after `/v1` or `/v1/admin`) is about. */
const TAG_DESCRIPTIONS: Readonly<Record<string, string>> = {
  token: 'OAuth2 client credentials: short-lived bearer tokens.',
  introspect: "RFC 7662 introspection: what an authorization's token may reach now.",
  revoke: 'RFC 7009 token revocation.',
  renew: 'Extending a live access token.',
  scopes: 'The scope catalog.',
  'api-keys': 'API keys: create, list, change, rotate, revoke, request logs.',
  authorizations: 'Authorizations delegated from a user to a tool, with project access and MCP-server grants.',
  projects: 'The project catalog.',
  'mcp-servers': 'The MCP-server catalog.',
  'audit-log': 'Every mutation with the credential that made it.',
  merchants: 'Merchants (admin client only).',
  users: 'Users and their permissions (admin client only).',
};

/** Builds the OpenAPI 3.1 document of the Key Management API v1 from the zod model. */
export function buildOpenApi(version: string): Record<string, unknown> {
  const { schemas, idOf } = buildSchemas();
  const ref = (schema: z.ZodType) => ({ $ref: `${SCHEMAS}${idOf.get(schema)}` });
  const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ref(ErrorBody) } } });

  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTES) {
    const params: unknown[] = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    if (r.query) {
      const q = z.toJSONSchema(r.query, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown> };
      for (const [name, schema] of Object.entries(q.properties ?? {})) params.push({ name, in: 'query', required: false, schema: rewriteRefs(schema) });
    }
    if (r.idempotent) {
      params.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', minLength: 1, maxLength: 255 }, description: 'A retried request with the same key and body returns the first response instead of acting twice.' });
    }
    // Optimistic concurrency (issue 9): object routes answer an ETag; changes of one object take If-Match.
    const objectRoute = r.path.includes('{id}');
    const conditional = objectRoute && r.method !== 'GET';
    if (conditional) {
      params.push({ name: 'If-Match', in: 'header', required: false, schema: { type: 'string' }, description: 'The ETag the change is based on; 412 when the object changed since (`*` matches any version).' });
    }
    const etagHeader = objectRoute || r.success.status === 201 ? { headers: { ETag: { description: 'Version of the object, for If-Match.', schema: { type: 'string' } } } } : {};
    const responses: Record<string, unknown> = {
      [String(r.success.status)]: r.success.body
        ? { description: r.summary, ...etagHeader, content: { 'application/json': { schema: ref(r.success.body) } } }
        : { description: r.summary },
      '400': errorResponse('Invalid request: one message per problem.'),
      '429': errorResponse('Rate limited: retry after the Retry-After header.'),
    };
    if (r.access.kind !== 'public') {
      responses['401'] = errorResponse('Authentication failed. Invalid bearer token.');
      responses['403'] = errorResponse('The bearer lacks the scope (named in the message) or the permission.');
    } else if (r.clientAuth) {
      responses['401'] = errorResponse('Authentication failed. Invalid client_id or client_secret.');
    }
    if (r.path.includes('{')) responses['404'] = errorResponse('No such object.');
    if (r.id === 'getHealth') responses['503'] = errorResponse('The store does not answer: take this instance out of rotation.');
    if (conditional) responses['412'] = errorResponse('Precondition failed: the If-Match ETag is stale; nothing was changed.');
    const op: Record<string, unknown> = {
      operationId: r.id,
      summary: r.summary,
      tags: [r.path.split('/')[r.path.startsWith('/v1/admin') ? 3 : 2] ?? r.path.split('/')[1]],
      parameters: params.length ? params : undefined,
      responses,
    };
    if (r.access.kind === 'scope') op['x-keyform-scope'] = r.access.scope;
    if (r.access.kind === 'admin') op['x-keyform-admin'] = true;
    op.security = r.access.kind === 'public' ? [] : [{ bearer: [] }];
    if (r.body) {
      const contentTypes: Record<string, unknown> = { 'application/json': { schema: ref(r.body) } };
      if (r.form || r.clientAuth) contentTypes['application/x-www-form-urlencoded'] = { schema: ref(r.body) };
      // A body is optional where an empty object is valid (e.g. rotate with the default grace period).
      op.requestBody = { required: !r.body.safeParse({}).success, content: contentTypes };
    }
    const path = (paths[r.path] ??= {});
    path[r.method.toLowerCase()] = JSON.parse(JSON.stringify(op));
  }

  const tags = [...new Set(Object.values(paths).flatMap((p) => Object.values(p).flatMap((op) => (op as { tags: string[] }).tags)))].map((name) => ({
    name,
    description: TAG_DESCRIPTIONS[name] ?? name,
  }));
  return {
    openapi: '3.1.0',
    info: {
      title: 'Key Management API',
      version,
      description: 'API keys, OAuth authorizations, project access and MCP-server grants. Implemented by `keyform serve`.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/', description: 'The server itself: `keyform serve` prints its URL when it starts.' }],
    tags,
    security: [{ bearer: [] }],
    paths,
    components: {
      schemas,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A token from /oauth2/token, or an API key (fsk_…) limited to its scopes.' } },
    },
  };
}
