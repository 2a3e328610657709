/**
 * The handler against the real reference server and client: crash-safe adoption, the read cache's
 * request count, idempotent deletes, grant ordering explanations and error wrapping.
 */
import { KeyformClient, RequestEvent } from '../../src/client';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiKeyHandler,
  AuthorizationHandler,
  CrashSafeCreator,
  CreateJournal,
  FileJournal,
  GrantHandler,
  HandlerError,
  KEY_METADATA,
  KeyformApi,
  Limiter,
  MemoryJournal,
  keyIdentity,
} from '../../src/handler';
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
  /** A working directory's journal: what survives a crash of the provider process. */
  const workdir = () => new FileJournal(mkdtempSync(join(tmpdir(), 'keyform-journal-')));
  /** A provider process of that working directory: empty cache, nothing taken yet. */
  const processOf = (journal: CreateJournal, now: () => number = Date.now) => new ApiKeyHandler(api(), new Limiter(4), new CrashSafeCreator(journal, now));
  const activeNamed = (name: string) => client.listAllApiKeys({ mid: 'mid_123456', name, status: 'active' });

  it('GIVEN a create whose result never reached the state WHEN the same working directory creates it again THEN the create is replayed: same key, same secret, declaration applied', async () => {
    const dir = workdir();
    const first = await processOf(dir).create(desired('orphan test'), 'test');
    expect(first.adopted).toBe(false);
    // The server sees a commitment, never the nonce.
    const meta = (await client.getApiKey(first.observed.id)).metadata;
    expect(Object.keys(meta)).toEqual([KEY_METADATA.create]);

    // Terraform died before saving the state: the next apply, in a new process, creates again.
    const again = await processOf(dir).create({ ...desired('orphan test'), scopes: ['customers:read', 'charges:read'] }, 'test');
    expect(again.adopted).toBe(true);
    expect(again.observed.id).toBe(first.observed.id);
    expect(again.value).toBe(first.value);
    expect(again.observed.version).toBe(1);
    expect(again.observed.scopes).toEqual(['charges:read', 'customers:read']);
    expect(await authenticates(again.value)).toBe(true);
    expect(await activeNamed('orphan test')).toHaveLength(1);
  });

  it('GIVEN another working directory created a key of the same name WHEN this one creates it THEN it gets its own key and the other keeps working', async () => {
    const theirs = await processOf(workdir()).create(desired('same name'), 'theirs');
    const mine = await processOf(workdir()).create(desired('same name'), 'mine');
    expect(mine.adopted).toBe(false);
    expect(mine.observed.id).not.toBe(theirs.observed.id);
    expect(await authenticates(theirs.value)).toBe(true);
    expect((await client.getApiKey(theirs.observed.id)).version).toBe(1);
  });

  it('GIVEN a key that a refresh found in state WHEN an identical key is declared THEN a second key is created and the refresh sent no write', async () => {
    const dir = workdir();
    const first = await processOf(dir).create(desired('twin'), 'test');
    events = [];
    await processOf(dir).observe(first.observed.id, 'mid_123456', 'test');
    expect(events.filter((e) => !['GET'].includes(e.method) && e.routeId !== 'createToken')).toEqual([]);
    const second = await processOf(dir).create(desired('twin'), 'test');
    expect(second.adopted).toBe(false);
    expect(second.observed.id).not.toBe(first.observed.id);
    expect(await authenticates(first.value)).toBe(true);
  });

  it('GIVEN two identical keys declared in one apply THEN each gets its own key, also after a crash of both', async () => {
    const dir = workdir();
    const keys = processOf(dir);
    const [a, b] = await Promise.all([keys.create(desired('count twin'), 'a'), keys.create(desired('count twin'), 'b')]);
    const c = await keys.create(desired('count twin'), 'c');
    expect(new Set([a.observed.id, b.observed.id, c.observed.id]).size).toBe(3);
    // None of them reached the state: the next process recovers each once.
    const next = processOf(dir);
    const again = await Promise.all([next.create(desired('count twin'), 'a'), next.create(desired('count twin'), 'b'), next.create(desired('count twin'), 'c')]);
    expect(new Set(again.map((x) => x.observed.id))).toEqual(new Set([a.observed.id, b.observed.id, c.observed.id]));
    expect(await activeNamed('count twin')).toHaveLength(3);
  });

  it('GIVEN an unused orphan past the replay window WHEN created again THEN it is rotated (its secret never reached anyone), not duplicated', async () => {
    const dir = workdir();
    const first = await processOf(dir).create(desired('late orphan'), 'test');
    const later = processOf(dir, () => Date.now() + 25 * 3600 * 1000);
    const again = await later.create(desired('late orphan'), 'test');
    expect(again.adopted).toBe(true);
    expect(again.observed.id).toBe(first.observed.id);
    expect(again.observed.version).toBe(2);
    expect(await authenticates(again.value)).toBe(true);
    expect(await activeNamed('late orphan')).toHaveLength(1);
  });

  it.each([
    { reason: 'within the replay window', offsetMs: 0 },
    { reason: 'past the replay window', offsetMs: 25 * 3600 * 1000 },
  ])('GIVEN an orphan whose secret has been used ($reason) WHEN created again THEN it is not taken over and keeps working', async ({ offsetMs }) => {
    const dir = workdir();
    const name = `used orphan ${offsetMs}`;
    const first = await processOf(dir).create(desired(name), 'test');
    expect(await authenticates(first.value)).toBe(true); // sets last_used_at
    const err = await processOf(dir, () => Date.now() + offsetMs).create(desired(name), 'API key "x"').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HandlerError);
    expect((err as HandlerError).code).toBe('KF-HANDLER-036');
    expect((err as HandlerError).detail).toContain(first.observed.id);
    expect(await authenticates(first.value)).toBe(true);
    expect((await client.getApiKey(first.observed.id)).version).toBe(1);
    expect(await activeNamed(name)).toHaveLength(1);
  });

  it('GIVEN a create the API refused WHEN created again THEN nothing is recovered (the journal forgot it)', async () => {
    const journal = new MemoryJournal();
    await expect(processOf(journal).create({ ...desired('refused'), mid: 'mid_nobody' }, 'x')).rejects.toBeInstanceOf(HandlerError);
    expect(await journal.pending('api_key', keyIdentity({ ...desired('refused'), mid: 'mid_nobody' }))).toEqual([]);
  });

  it('GIVEN an authorization whose create never reached the state WHEN created again THEN the same working directory replays it and another one gets its own', async () => {
    const dir = workdir();
    const auths = (journal: CreateJournal) => new AuthorizationHandler(api(), new Limiter(2), journal);
    const want = { name: 'crashy assistant', kind: 'oauth2', ownerId: 'usr_alice', mode: 'test', capabilities: ['mcp'] };
    const first = await auths(dir).create(want, 'a');
    const again = await auths(dir).create({ ...want, capabilities: ['api', 'mcp'] }, 'a');
    expect(again.adopted).toBe(true);
    expect(again.observed.id).toBe(first.observed.id);
    expect(again.secret).toBe(first.secret);
    expect(again.observed.capabilities).toEqual(['api', 'mcp']);
    const other = await auths(workdir()).create(want, 'b');
    expect(other.adopted).toBe(false);
    expect(other.observed.id).not.toBe(first.observed.id);
    const named = await client.listAllAuthorizations({ name: 'crashy assistant' });
    expect(named.map((a) => a.id).sort()).toEqual([first.observed.id, other.observed.id].sort());
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
    const { observed } = await auths.create({ name: 'ordering', kind: 'oauth2', ownerId: 'usr_alice', mode: 'test', capabilities: ['mcp'] }, 'test');
    return { auths, grants, id: observed.id, sleeps };
  };

  it('explains an MCP grant without project access after waiting for a parallel grant', async () => {
    const { grants, id, sleeps } = await setup();
    const err = await grants.putMcpServerGrant(id, 'billing-flow', 'grant').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HandlerError);
    expect((err as HandlerError).code).toBe('KF-HANDLER-040');
    expect((err as HandlerError).detail).toContain('proj_payments');
    expect((err as HandlerError).path).toEqual(['mcp_server_id']);
    expect(sleeps.length).toBeGreaterThan(0);
  });

  it('explains why project access cannot go while one of its MCP servers is granted', async () => {
    const { grants, id } = await setup();
    await grants.putProjectAccess({ authorizationId: id, projectId: 'proj_payments', role: 'viewer' }, 'access');
    await grants.putMcpServerGrant(id, 'billing-flow', 'grant');
    const err = await grants.deleteProjectAccess(id, 'proj_payments', 'access').catch((e: unknown) => e);
    expect((err as HandlerError).code).toBe('KF-HANDLER-041');
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
    expect(e.detail).toMatch(/^\[KF-CLIENT-\d{3}\] /);
    expect(e.detail).toContain('mid_nobody');
  });
});
