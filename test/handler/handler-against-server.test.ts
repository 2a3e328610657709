/**
 * The handler against the real reference server and client: crash-safe adoption, the read cache's
 * request count, idempotent deletes, grant ordering explanations and error wrapping.
 */
import { KeyformClient, RequestEvent } from '../../src/client';
import { ApiKeyHandler, AuthorizationHandler, GrantHandler, HandlerError, KEY_METADATA, KeyformApi, Limiter } from '../../src/handler';
import { startTestServer, TestServer } from '../support/server';
import { desired } from './desired-key';

jest.setTimeout(60_000);

let server: TestServer;
let client: KeyformClient;
let events: RequestEvent[] = [];

beforeAll(async () => {
  server = await startTestServer();
  client = new KeyformClient({
    endpoint: server.url,
    clientId: server.adminClientId,
    clientSecret: server.adminClientSecret,
    onRequest: (e) => events.push(e),
  });
});

afterAll(async () => {
  await client?.close();
  await server?.stop();
});

const api = () => client as unknown as KeyformApi;
/** A handler as a fresh provider process has it: empty cache, nothing claimed. */
const freshKeys = () => new ApiKeyHandler(api(), new Limiter(4));

async function authenticates(secret: string): Promise<boolean> {
  const res = await fetch(`${server.url}/v1/scopes`, { headers: { authorization: `Bearer ${secret}` } });
  return res.status === 200;
}

describe('crash-safe creation', () => {
  it('GIVEN a create whose result never reached the state WHEN the key is created again THEN the orphan is adopted with a fresh secret', async () => {
    const first = await freshKeys().create(desired('orphan test'), 'test');
    expect(first.adopted).toBe(false);
    expect((await client.getApiKey(first.observed.id)).metadata[KEY_METADATA.claim]).toBe('pending');

    // Terraform died before saving the state: the next apply, in a new process, creates again.
    const again = await freshKeys().create({ ...desired('orphan test'), scopes: ['customers:read', 'charges:read'] }, 'test');
    expect(again.adopted).toBe(true);
    expect(again.observed.id).toBe(first.observed.id);
    expect(again.value).not.toBe(first.value);
    expect(again.observed.version).toBe(2);
    expect(again.observed.scopes).toEqual(['charges:read', 'customers:read']);
    expect(await authenticates(again.value)).toBe(true);
    expect(await authenticates(first.value)).toBe(false);
    const all = await client.listAllApiKeys({ mid: 'mid_123456', name: 'orphan test', status: 'active' });
    expect(all).toHaveLength(1);
  });

  it('GIVEN a key that a refresh found in state WHEN an identical key is declared THEN a second key is created', async () => {
    const keys = freshKeys();
    const first = await keys.create(desired('twin'), 'test');
    await freshKeys().observe(first.observed.id, 'mid_123456', 'test');
    expect((await client.getApiKey(first.observed.id)).metadata[KEY_METADATA.claim]).toBeUndefined();
    const second = await freshKeys().create(desired('twin'), 'test');
    expect(second.adopted).toBe(false);
    expect(second.observed.id).not.toBe(first.observed.id);
  });

  it('GIVEN two identical keys declared in one apply THEN each gets its own key', async () => {
    const keys = freshKeys();
    const [a, b] = await Promise.all([keys.create(desired('count twin'), 'a'), keys.create(desired('count twin'), 'b')]);
    const c = await keys.create(desired('count twin'), 'c');
    expect(new Set([a.observed.id, b.observed.id, c.observed.id]).size).toBe(3);
  });
});

describe('read cache', () => {
  it('GIVEN many keys WHEN each is observed THEN one listing serves them all, and a miss falls back to a GET by id', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push((await client.createApiKey({ mid: 'mid_123456', name: `bulk ${i}`, type: 'secret' })).id);
    const other = await client.createApiKey({ mid: 'mid_654321', name: 'other merchant', type: 'public' });
    const revoked = await client.createApiKey({ mid: 'mid_123456', name: 'revoked', type: 'secret' });
    await client.revokeApiKey(revoked.id);

    const keys = freshKeys();
    await keys.observe(ids[0], 'mid_123456', 'warm-up'); // any token fetch happens here
    events = [];
    const observed = await Promise.all(ids.map((id) => keys.observe(id, 'mid_123456', id)));
    expect(observed.map((o) => o?.id)).toEqual(ids);
    expect(events.filter((e) => e.routeId !== 'createToken')).toHaveLength(0);

    events = [];
    expect((await keys.observe(other.id, 'mid_123456', 'other'))?.mid).toBe('mid_654321');
    expect(await keys.observe(revoked.id, 'mid_123456', 'revoked')).toBeNull();
    expect(await keys.observe('key_doesnotexist', 'mid_123456', 'missing')).toBeNull();
    expect(events.map((e) => e.routeId)).toEqual(['getApiKey', 'getApiKey', 'getApiKey']);
  });

  it('lists each merchant once even when many reads start together', async () => {
    const keys = freshKeys();
    await keys.observe('key_warmup', 'mid_654321', 'warm-up').catch(() => undefined);
    events = [];
    const fresh = freshKeys();
    await Promise.all(Array.from({ length: 10 }, () => fresh.observe('key_none', 'mid_123456', 'x')));
    expect(events.filter((e) => e.routeId === 'listApiKeys')).toHaveLength(1);
  });
});

describe('idempotent deletes', () => {
  it('revoking a key that does not exist, or twice, succeeds', async () => {
    const keys = freshKeys();
    await expect(keys.revoke('key_doesnotexist', 'test')).resolves.toBeUndefined();
    const k = await keys.create(desired('revoke twice'), 'test');
    await keys.revoke(k.observed.id, 'test');
    await expect(keys.revoke(k.observed.id, 'test')).resolves.toBeUndefined();
  });

  it('deleting a missing authorization, project access or MCP grant succeeds', async () => {
    const auths = new AuthorizationHandler(api(), new Limiter(2));
    const grants = new GrantHandler(api(), new Limiter(2), auths, async () => undefined);
    await expect(auths.delete('auth_doesnotexist', 'test')).resolves.toBeUndefined();
    await expect(grants.deleteProjectAccess('auth_doesnotexist', 'proj_payments', 'test')).resolves.toBeUndefined();
    await expect(grants.deleteMcpServerGrant('auth_doesnotexist', 'billing-flow', 'test')).resolves.toBeUndefined();
  });
});

describe('grant ordering', () => {
  const setup = async () => {
    const auths = new AuthorizationHandler(api(), new Limiter(2));
    const sleeps: number[] = [];
    const grants = new GrantHandler(api(), new Limiter(2), auths, async (ms) => {
      sleeps.push(ms);
    });
    const { observed } = await auths.create({ name: 'ordering', kind: 'oauth2', ownerId: 'usr_alice', capabilities: ['mcp'] }, 'test');
    return { auths, grants, id: observed.id, sleeps };
  };

  it('explains an MCP grant without project access after waiting for a parallel grant', async () => {
    const { grants, id, sleeps } = await setup();
    const err = await grants.putMcpServerGrant(id, 'billing-flow', 'grant').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HandlerError);
    expect((err as HandlerError).code).toBe('KF-GRANT-PROJECT');
    expect((err as HandlerError).detail).toContain('proj_payments');
    expect((err as HandlerError).path).toEqual(['mcp_server_id']);
    expect(sleeps.length).toBeGreaterThan(0);
  });

  it('explains why project access cannot go while one of its MCP servers is granted', async () => {
    const { grants, id } = await setup();
    await grants.putProjectAccess({ authorizationId: id, projectId: 'proj_payments', role: 'viewer' }, 'access');
    await grants.putMcpServerGrant(id, 'billing-flow', 'grant');
    const err = await grants.deleteProjectAccess(id, 'proj_payments', 'access').catch((e: unknown) => e);
    expect((err as HandlerError).code).toBe('KF-ACCESS-IN-USE');
    expect((err as HandlerError).detail).toContain('billing-flow');
    await grants.deleteMcpServerGrant(id, 'billing-flow', 'grant');
    await grants.deleteProjectAccess(id, 'proj_payments', 'access');
    expect(await grants.observeProjectAccess(id, 'proj_payments', 'access')).toBeNull();
  });
});

describe('errors', () => {
  it('wrap the API’s messages with the operation, the object and the client’s stable code', async () => {
    const err = await freshKeys()
      .create({ ...desired('bad merchant'), mid: 'mid_nobody' }, 'API key "bad merchant"')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HandlerError);
    const e = err as HandlerError;
    expect(e.summary).toBe('keyform API create failed for API key "bad merchant"');
    expect(e.detail).toMatch(/^\[KF_API_[A-Z_]+\] /);
    expect(e.detail).toContain('mid_nobody');
  });
});
