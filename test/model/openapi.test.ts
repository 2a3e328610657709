/**
 * The OpenAPI document is usable by standard tooling: every `$ref` resolves inside the document (no
 * `#/$defs/…` left over from zod), every schema lives in `components/schemas`, and the contract's
 * routes and headers (introspection, Idempotency-Key, If-Match, ETag) are described.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOpenApi, ROUTES } from '../../src/model';
import { VERSION } from '../../src/version';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const committed = JSON.parse(readFileSync(join(__dirname, '../../docs/openapi.json'), 'utf8')) as Json;

/** Every `$ref` in a JSON tree, with where it was found. */
function refs(node: unknown, at = '#', out: { ref: string; at: string }[] = []): { ref: string; at: string }[] {
  if (Array.isArray(node)) node.forEach((v, i) => refs(v, `${at}/${i}`, out));
  else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push({ ref: v, at });
      else refs(v, `${at}/${k}`, out);
    }
  }
  return out;
}

/** Follows a local JSON pointer (`#/a/b`), or undefined when it leads nowhere. */
function resolve(doc: Json, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let cur: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object' || !(part in (cur as Json))) return undefined;
    cur = (cur as Json)[part];
  }
  return cur;
}

describe('OpenAPI references', () => {
  it('resolves every $ref inside the document, each to a schema in components/schemas', () => {
    const all = refs(committed);
    expect(all.length).toBeGreaterThan(100);
    const broken = all.filter(({ ref }) => !ref.startsWith('#/components/schemas/') || resolve(committed, ref) === undefined);
    expect(broken).toEqual([]);
  });

  it('keeps no $defs, $id or $schema of the JSON-schema conversion', () => {
    const text = JSON.stringify(committed);
    expect(text).not.toContain('"$defs"');
    expect(text).not.toContain('"$id"');
    expect(text).not.toContain('"$schema"');
  });

  it('uses every component schema (none is orphaned) and names the nested ones', () => {
    const used = new Set(refs(committed).map((r) => r.ref.split('/').pop()));
    const defined = Object.keys(committed.components.schemas);
    expect(defined.filter((id) => !used.has(id))).toEqual([]);
    for (const id of ['ProjectAccess', 'Actor', 'ScopeInfo', 'RequestLogEntry', 'AuditEntry', 'IntrospectionRequest', 'IntrospectionResponse']) expect(defined).toContain(id);
  });

  it('gives the same document however often it is built (stable for review diffs)', () => {
    expect(JSON.stringify(buildOpenApi(VERSION))).toBe(JSON.stringify(buildOpenApi(VERSION)));
  });
});

describe('OpenAPI contract', () => {
  it('describes introspection as RFC 7662 does: form or JSON body, bearer-authenticated, {active} answer', () => {
    const op = committed.paths['/oauth2/introspect'].post;
    expect(op.operationId).toBe('introspectToken');
    expect(Object.keys(op.requestBody.content).sort()).toEqual(['application/json', 'application/x-www-form-urlencoded']);
    expect(op.security).toEqual([{ bearer: [] }]);
    const answer = resolve(committed, op.responses['200'].content['application/json'].schema.$ref) as Json;
    expect(answer.required).toEqual(['active']);
    for (const field of ['active', 'client_id', 'exp', 'scope', 'mode', 'capabilities', 'project_access', 'mcp_servers']) expect(answer.properties).toHaveProperty(field);
  });

  it('gives authorizations a mode, test by default', () => {
    const s = committed.components.schemas;
    expect(s.Authorization.properties.mode.enum).toEqual(['test', 'live']);
    expect(s.Authorization.required).toContain('mode');
    expect(s.CreateAuthorizationRequest.properties.mode.enum).toEqual(['test', 'live']);
    expect(s.CreateAuthorizationRequest.required).not.toContain('mode');
  });

  it('documents Idempotency-Key on every idempotent route, If-Match and 412 on every change of one object, ETag on object answers', () => {
    for (const r of ROUTES) {
      const op = committed.paths[r.path][r.method.toLowerCase()];
      const headers = (op.parameters ?? []).filter((p: Json) => p.in === 'header').map((p: Json) => p.name);
      expect(headers.includes('Idempotency-Key')).toBe(Boolean(r.idempotent));
      const objectChange = r.path.includes('{id}') && r.method !== 'GET';
      expect({ route: r.id, ifMatch: headers.includes('If-Match'), status412: '412' in op.responses }).toEqual({ route: r.id, ifMatch: objectChange, status412: objectChange });
    }
    for (const id of ['getApiKey', 'updateApiKey', 'rotateApiKey', 'getAuthorization', 'updateAuthorization']) {
      const r = ROUTES.find((x) => x.id === id)!;
      expect(committed.paths[r.path][r.method.toLowerCase()].responses[String(r.success.status)].headers.ETag).toBeDefined();
    }
  });

  it('marks the public token route as needing no bearer', () => {
    expect(committed.paths['/oauth2/token'].post.security).toEqual([]);
  });
});
