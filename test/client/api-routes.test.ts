/**
 * Every client method against the real reference server (loopback, SQLite file): each call
 * round-trips through the route's zod schema; errors map to their classes.
 */
import { inspect } from 'node:util';
import {
  AuthenticationError,
  ConflictError,
  KeyformApiError,
  KeyformClient,
  NotFoundError,
  PermissionError,
  RequestEvent,
  ValidationError,
} from '../../src/client';
import { startClientTestServer, ClientTestServer } from './server-fixture';

let server: ClientTestServer;
let admin: KeyformClient;
const events: RequestEvent[] = [];

beforeAll(async () => {
  server = await startClientTestServer();
  admin = server.adminClient({ onRequest: (e) => events.push(e) });
});
afterAll(async () => {
  await admin?.close();
  await server?.stop();
});

describe('API keys', () => {
  it('GIVEN the seed-004 request WHEN creating THEN a 201 with value, scopes and created_at parses', async () => {
    const key = await admin.createApiKey({ mid: 'mid_123456', name: 'My API Key', scopes: ['customers:read', 'charges:read'], type: 'secret' });
    expect(key).toMatchObject({ object: 'api_key', mid: 'mid_123456', name: 'My API Key', type: 'secret', mode: 'test', scopes: ['customers:read', 'charges:read'], version: 1 });
    expect(key.value.startsWith('fsk_test_')).toBe(true);
    expect(key.prefix).toBe('fsk_test_');
    expect(typeof key.created_at).toBe('string');
  });

  it('GIVEN the seed-004 invalid request WHEN creating THEN a ValidationError carries both messages and changes nothing', async () => {
    const before = (await admin.listAllApiKeys({ name: 'bad-004' })).length;
    const err = await admin
      .createApiKey({ mid: 'mid_123456', name: 'bad-004', scopes: ['nope:read'] } as never)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    const v = err as ValidationError;
    expect(v.code).toBe('KF-CLIENT-004');
    expect(v.status).toBe(400);
    expect(v.messages).toEqual(['Invalid scope value.', 'Missing required field: type.']);
    expect(v.method).toBe('POST');
    expect(v.path).toBe('/v1/api-keys');
    expect(v.message).toContain('Invalid scope value. Missing required field: type.');
    expect(v.attempts).toBe(1);
    expect((await admin.listAllApiKeys({ name: 'bad-004' })).length).toBe(before);
  });

  it('reads, updates, rotates, lists logs of and revokes a key, each response parsed by its schema', async () => {
    const created = await admin.createApiKey({ mid: 'mid_123456', name: 'lifecycle', scopes: ['api_keys:read'], type: 'secret' });
    const got = await admin.getApiKey(created.id);
    expect(got).not.toHaveProperty('value');
    expect(got.fingerprint).toBe(created.fingerprint);

    const updated = await admin.updateApiKey(created.id, { description: 'updated', scopes: ['api_keys:read', 'request_logs:read'] });
    expect(updated.description).toBe('updated');
    expect(updated.scopes).toEqual(['api_keys:read', 'request_logs:read']);

    const rotated = await admin.rotateApiKey(created.id, { grace_period_seconds: 60 });
    expect(rotated.version).toBe(2);
    expect(rotated.value).not.toBe(created.value);
    expect(rotated.previous_expires_at).not.toBeNull();

    // The key calls the API with its new value; those calls show up in its request log.
    const asKey = new KeyformClient({ endpoint: server.url, token: rotated.value });
    await asKey.getApiKey(created.id);
    await asKey.listApiKeyLogs(created.id);
    await asKey.close();
    const logs = await admin.listApiKeyLogs(created.id);
    expect(logs.data.length).toBeGreaterThanOrEqual(1);
    expect(logs.data[0].key_id).toBe(created.id);

    const revoked = await admin.revokeApiKey(created.id);
    expect(revoked.status).toBe('revoked');
    // Revoking again converges.
    expect((await admin.revokeApiKey(created.id)).status).toBe('revoked');
  });

  it('GIVEN an explicit Idempotency-Key WHEN the same create is sent twice THEN one key, the same response', async () => {
    const body = { mid: 'mid_123456', name: 'idem-explicit', type: 'secret' as const, scopes: ['customers:read'] };
    const a = await admin.createApiKey(body, { idempotencyKey: 'idem-explicit-1' });
    const b = await admin.createApiKey(body, { idempotencyKey: 'idem-explicit-1' });
    expect(b.id).toBe(a.id);
    expect(b.value).toBe(a.value);
    expect((await admin.listAllApiKeys({ name: 'idem-explicit' })).length).toBe(1);
  });

  it('GIVEN a reused Idempotency-Key with another body THEN ConflictError, not retried', async () => {
    await admin.createApiKey({ mid: 'mid_123456', name: 'idem-a', type: 'secret' }, { idempotencyKey: 'idem-conflict' });
    const n = events.length;
    const err = await admin.createApiKey({ mid: 'mid_123456', name: 'idem-b', type: 'secret' }, { idempotencyKey: 'idem-conflict' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).code).toBe('KF-CLIENT-005');
    expect((err as ConflictError).status).toBe(409);
    expect(events.slice(n).filter((e) => e.routeId === 'createApiKey')).toHaveLength(1);
  });

  it('GIVEN no Idempotency-Key WHEN creating twice THEN two keys (a fresh key per logical call)', async () => {
    const body = { mid: 'mid_123456', name: 'two-calls', type: 'secret' as const };
    const a = await admin.createApiKey(body);
    const b = await admin.createApiKey(body);
    expect(a.id).not.toBe(b.id);
  });
});

describe('pagination', () => {
  it('iterateApiKeys follows next_cursor over several pages and yields every key once', async () => {
    for (let i = 0; i < 7; i++) await admin.createApiKey({ mid: 'mid_654321', name: `page-${i}`, type: 'public' });
    const first = await admin.listApiKeys({ mid: 'mid_654321', limit: 3 });
    expect(first.data).toHaveLength(3);
    expect(first.has_more).toBe(true);
    const names: string[] = [];
    for await (const k of admin.iterateApiKeys({ mid: 'mid_654321', limit: 3 })) names.push(k.name);
    expect(names.sort()).toEqual(Array.from({ length: 7 }, (_, i) => `page-${i}`));
    expect((await admin.listAllApiKeys({ mid: 'mid_654321', limit: 2 })).length).toBe(7);
  });

  it('iterateProjects and iterateMcpServers walk the catalogs page by page', async () => {
    for (let i = 0; i < 3; i++) {
      await admin.adminCreateProject({ id: `proj_extra${i}`, name: `Extra ${i}` });
      await admin.adminCreateMcpServer({ id: `extra-flow-${i}`, project_id: 'proj_payments', name: `Extra flow ${i}` });
    }
    const projects: string[] = [];
    for await (const p of admin.iterateProjects({ limit: 2 })) projects.push(p.id);
    expect(projects).toEqual(expect.arrayContaining(['proj_payments', 'proj_support', 'proj_platform', 'proj_extra0', 'proj_extra1', 'proj_extra2']));
    expect(new Set(projects).size).toBe(projects.length);

    const servers = await admin.listAllMcpServers({ project_id: 'proj_payments', limit: 2 });
    expect(servers.map((s) => s.id).sort()).toEqual(['billing-flow', 'extra-flow-0', 'extra-flow-1', 'extra-flow-2', 'refunds-flow']);
  });

  it('iterateAuthorizations, iterateAuditLog and iterateApiKeyLogs follow their cursors', async () => {
    for (let i = 0; i < 5; i++) {
      await admin.createAuthorization({ name: `pager-${i}`, kind: 'api_key', owner_id: 'usr_bob', capabilities: ['api'] });
    }
    const auths: string[] = [];
    for await (const a of admin.iterateAuthorizations({ owner_id: 'usr_bob', limit: 2 })) auths.push(a.name);
    expect(auths.filter((n) => n.startsWith('pager-')).sort()).toEqual(['pager-0', 'pager-1', 'pager-2', 'pager-3', 'pager-4']);

    const audit: string[] = [];
    for await (const e of admin.iterateAuditLog({ limit: 3 })) audit.push(e.id);
    expect(audit.length).toBeGreaterThan(5);
    expect(new Set(audit).size).toBe(audit.length);

    const key = await admin.createApiKey({ mid: 'mid_123456', name: 'logged', type: 'secret', scopes: ['api_keys:read'] });
    const asKey = new KeyformClient({ endpoint: server.url, token: key.value });
    for (let i = 0; i < 5; i++) await asKey.getApiKey(key.id);
    await asKey.close();
    const entries: string[] = [];
    for await (const e of admin.iterateApiKeyLogs(key.id, { limit: 2 })) entries.push(e.id);
    expect(entries).toHaveLength(5);
  });
});

describe('authorizations, grants and catalogs', () => {
  it('creates, grants, revokes grants, updates and deletes an authorization', async () => {
    const auth = await admin.createAuthorization({ name: 'claude-code', kind: 'oauth2', owner_id: 'usr_alice', capabilities: ['mcp', 'api'] });
    expect(auth.secret.length).toBeGreaterThan(0);
    expect(auth.client_id).not.toBeNull();

    let a = await admin.putProjectAccess(auth.id, 'proj_payments', { role: 'viewer' });
    expect(a.project_access).toEqual([{ project_id: 'proj_payments', role: 'viewer' }]);
    a = await admin.putMcpServerGrant(auth.id, 'billing-flow');
    expect(a.mcp_servers).toEqual(['billing-flow']);
    // Granting twice converges.
    a = await admin.putMcpServerGrant(auth.id, 'billing-flow');
    expect(a.mcp_servers).toEqual(['billing-flow']);

    const listed = await admin.listAuthorizations({ name: 'claude-code' });
    expect(listed.data.map((x) => x.id)).toContain(auth.id);
    expect((await admin.getAuthorization(auth.id)).mcp_servers).toEqual(['billing-flow']);

    a = await admin.deleteMcpServerGrant(auth.id, 'billing-flow');
    expect(a.mcp_servers).toEqual([]);
    a = await admin.deleteProjectAccess(auth.id, 'proj_payments');
    expect(a.project_access).toEqual([]);
    a = await admin.updateAuthorization(auth.id, { name: 'claude-code-2', capabilities: ['mcp'] });
    expect(a.name).toBe('claude-code-2');

    await expect(admin.deleteAuthorization(auth.id)).resolves.toBeUndefined();
    await expect(admin.deleteAuthorization(auth.id)).resolves.toBeUndefined();
  });

  it('reads the scope, project and MCP-server catalogs and the admin lists', async () => {
    const scopes = await admin.listScopes();
    expect(scopes.data.map((s) => s.scope)).toContain('customers:read');
    expect((await admin.listProjects()).data.map((p) => p.id)).toContain('proj_payments');
    expect((await admin.listMcpServers({ project_id: 'proj_support' })).data.map((s) => s.id)).toEqual(['support-kb']);
    expect((await admin.adminListMerchants()).data.map((m) => m.mid)).toEqual(expect.arrayContaining(['mid_123456', 'mid_654321']));
    expect((await admin.adminListUsers()).data.map((u) => u.id)).toEqual(expect.arrayContaining(['usr_alice', 'usr_bob']));
    expect((await admin.listAuditLog({ limit: 1 })).data).toHaveLength(1);
  });

  it('creates directory objects through the admin routes', async () => {
    expect(await admin.adminCreateMerchant({ mid: 'mid_777', name: 'Seven' })).toMatchObject({ object: 'merchant', mid: 'mid_777' });
    expect(await admin.adminCreateProject({ id: 'proj_new', name: 'New' })).toMatchObject({ object: 'project', id: 'proj_new' });
    expect(await admin.adminCreateMcpServer({ id: 'new-flow', project_id: 'proj_new', name: 'New flow' })).toMatchObject({ object: 'mcp_server', project_id: 'proj_new' });
    expect(await admin.adminCreateUser({ id: 'usr_erin', mid: 'mid_777', roles: [{ project_id: 'proj_new', role: 'editor' }], capabilities: ['mcp'] })).toMatchObject({ object: 'user', id: 'usr_erin', mid: 'mid_777' });
  });

  it('createToken exchanges client credentials for a bearer', async () => {
    const t = await admin.createToken({ grant_type: 'client_credentials', client_id: server.adminClientId, client_secret: server.adminClientSecret });
    expect(t.token_type).toBe('Bearer');
    expect(t.expires_in).toBeGreaterThan(0);
  });
});

describe('error mapping', () => {
  it('404 -> NotFoundError with the server message', async () => {
    const err = await admin.getApiKey('key_doesnotexist').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as NotFoundError).code).toBe('KF-CLIENT-003');
    expect((err as NotFoundError).status).toBe(404);
    expect((err as NotFoundError).messages).toEqual(['No such API key: key_doesnotexist.']);
    expect((err as NotFoundError).path).toBe('/v1/api-keys/key_doesnotexist');
  });

  it('GIVEN an API key without a scope WHEN it calls a route needing it THEN PermissionError naming the scope', async () => {
    const key = await admin.createApiKey({ mid: 'mid_123456', name: 'reader', type: 'secret', scopes: ['customers:read'] });
    const asKey = new KeyformClient({ endpoint: server.url, token: key.value });
    const err = await asKey.listApiKeys().catch((e: unknown) => e);
    await asKey.close();
    expect(err).toBeInstanceOf(PermissionError);
    expect((err as PermissionError).code).toBe('KF-CLIENT-002');
    expect((err as PermissionError).messages).toEqual(['Missing required scope: api_keys:read.']);
    expect(inspect(err, { depth: 10 })).not.toContain(key.value);
  });

  it('GIVEN an invalid static bearer THEN AuthenticationError (seed 004 message) and no secret in the error', async () => {
    const token = 'fsk_test_definitelyNotAValidKey0000';
    const c = new KeyformClient({ endpoint: server.url, token, maxRetries: 3 });
    const err = await c.getApiKey('key_x').catch((e: unknown) => e);
    await c.close();
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as AuthenticationError).code).toBe('KF-CLIENT-001');
    expect((err as AuthenticationError).messages).toEqual(['Authentication failed. Invalid bearer token.']);
    expect((err as AuthenticationError).attempts).toBe(1);
    expect((err as Error).message).toContain('KEYFORM_TOKEN');
    expect(inspect(err, { depth: 10 })).not.toContain(token);
  });

  it('every error is a KeyformApiError with a stable code', async () => {
    const err = await admin.getAuthorization('authz_missing').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyformApiError);
    expect((err as KeyformApiError).code).toMatch(/^KF-CLIENT-\d{3}$/);
  });
});

describe('onRequest hook', () => {
  it('reports every attempt with method, path, status, attempt number and duration, never a header', () => {
    expect(events.length).toBeGreaterThan(10);
    const e = events.find((x) => x.routeId === 'createApiKey');
    expect(e).toMatchObject({ method: 'POST', path: '/v1/api-keys', status: 201, attempt: 1 });
    expect(typeof e?.ms).toBe('number');
    expect(events.filter((x) => x.routeId === 'createToken').length).toBe(2); // the cached token plus the explicit createToken call
    expect(JSON.stringify(events)).not.toContain(server.adminClientSecret);
  });
});
