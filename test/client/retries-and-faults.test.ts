/**
 * Retries against the real server's fault injection: transient failures converge, a create whose
 * response was lost after commit never makes a second key, and what cannot succeed fails clearly.
 */
import { inspect } from 'node:util';
import {
  ClientClosedError,
  ConnectionError,
  KeyformClient,
  RateLimitError,
  RequestEvent,
  ServerError,
  TimeoutError,
} from '../../src/client';
import { ClientTestServer, startClientTestServer } from './server-fixture';

/** Fast retries: the faults are random, the waiting need not be long. */
const FAST = { baseDelayMs: 2, maxDelayMs: 20, maxRetryAfterMs: 10 };

const servers: ClientTestServer[] = [];
async function serverWith(faults: string): Promise<ClientTestServer> {
  const s = await startClientTestServer({ faults });
  servers.push(s);
  return s;
}
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

describe('GIVEN a server failing half of all requests (500, 429, dropped sockets, responses lost after commit)', () => {
  it('creates, rotates, updates and revokes converge: one key per create, one rotation per rotate', async () => {
    const server = await serverWith('500=0.25,429=0.15,drop=0.1,after=0.2,after-drop=0.2');
    const events: RequestEvent[] = [];
    const c = server.adminClient({ maxRetries: 25, retry: FAST, onRequest: (e) => events.push(e) });
    const N = 12;
    const created = await Promise.all(
      Array.from({ length: N }, (_, i) => c.createApiKey({ mid: 'mid_123456', name: `faulty-${i}`, type: 'secret', scopes: ['customers:read'] })),
    );
    expect(new Set(created.map((k) => k.id)).size).toBe(N);

    const rotated = await Promise.all(created.map((k) => c.rotateApiKey(k.id, { grace_period_seconds: 0 })));
    expect(rotated.map((k) => k.version)).toEqual(Array(N).fill(2));
    await Promise.all(created.map((k) => c.updateApiKey(k.id, { description: 'through faults' })));
    await Promise.all(created.slice(0, 4).map((k) => c.revokeApiKey(k.id)));

    // Authorizations too: a create lost after commit is replayed, PUT grants and DELETE are idempotent.
    const auths = await Promise.all(
      Array.from({ length: 4 }, (_, i) => c.createAuthorization({ name: `faulty-auth-${i}`, kind: 'oauth2', owner_id: 'usr_alice', capabilities: ['mcp'] })),
    );
    for (const a of auths) {
      await c.putProjectAccess(a.id, 'proj_payments', { role: 'viewer' });
      await c.putMcpServerGrant(a.id, 'billing-flow');
    }
    await c.deleteAuthorization(auths[0].id);
    const remaining = (await c.listAllAuthorizations({ owner_id: 'usr_alice', limit: 2 })).filter((a) => a.name.startsWith('faulty-auth-'));
    expect(remaining.map((a) => a.name).sort()).toEqual(['faulty-auth-1', 'faulty-auth-2', 'faulty-auth-3']);
    expect(remaining.every((a) => a.mcp_servers.join() === 'billing-flow' && a.project_access.length === 1)).toBe(true);

    const all = (await c.listAllApiKeys({ limit: 5 })).filter((k) => k.name.startsWith('faulty-'));
    await c.close();
    expect(all).toHaveLength(N);
    expect(all.every((k) => k.version === 2 && k.description === 'through faults')).toBe(true);
    expect(all.filter((k) => k.status === 'revoked')).toHaveLength(4);

    // The faults really happened and were retried.
    const creates = events.filter((e) => e.routeId === 'createApiKey');
    expect(creates.length).toBeGreaterThan(N);
    expect(events.some((e) => e.status === 500)).toBe(true);
    expect(events.some((e) => e.status === 429)).toBe(true);
    expect(events.some((e) => e.status === undefined)).toBe(true);
  });
});

describe('GIVEN every create commits but its response is lost', () => {
  it('after=1: the retries reuse the Idempotency-Key, so exactly one key exists and the call fails with ServerError', async () => {
    const server = await serverWith('after=1');
    const c = server.adminClient({ maxRetries: 3, retry: FAST });
    const err = await c.createApiKey({ mid: 'mid_123456', name: 'lost-500', type: 'secret' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServerError);
    expect((err as ServerError).code).toBe('KF-CLIENT-008');
    expect((err as ServerError).attempts).toBe(4);
    expect(await c.listAllApiKeys({ name: 'lost-500' })).toHaveLength(1);
    await c.close();
  });

  it('after-drop=1: same with the socket destroyed; ConnectionError and exactly one key', async () => {
    const server = await serverWith('after-drop=1');
    const c = server.adminClient({ maxRetries: 3, retry: FAST });
    const err = await c.createApiKey({ mid: 'mid_123456', name: 'lost-drop', type: 'secret' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).attempts).toBe(4);
    expect(await c.listAllApiKeys({ name: 'lost-drop' })).toHaveLength(1);
    await c.close();
  });
});

describe('failures that outlast the retries', () => {
  it('500=1: ServerError after maxRetries + 1 attempts with the server message', async () => {
    const server = await serverWith('500=1');
    const c = server.adminClient({ maxRetries: 2, retry: FAST });
    const err = await c.listProjects().catch((e: unknown) => e);
    await c.close();
    expect(err).toBeInstanceOf(ServerError);
    expect((err as ServerError).status).toBe(500);
    expect((err as ServerError).attempts).toBe(3);
    expect((err as ServerError).messages).toEqual(['Internal server error (injected fault). Retry the request.']);
  });

  it('429=1: RateLimitError carrying the server Retry-After', async () => {
    const server = await serverWith('429=1');
    const c = server.adminClient({ maxRetries: 2, retry: FAST });
    const err = await c.listProjects().catch((e: unknown) => e);
    await c.close();
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).code).toBe('KF-CLIENT-007');
    expect((err as RateLimitError).retryAfterMs).toBe(1000);
    expect((err as RateLimitError).attempts).toBe(3);
  });

  it('429=1 with a total retry budget below Retry-After: gives up at once instead of sleeping past the budget', async () => {
    const s429 = await serverWith('429=1');
    const c = s429.adminClient({ maxRetries: 5, retry: { maxElapsedMs: 500 } });
    const err = await c.listProjects().catch((e: unknown) => e);
    await c.close();
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).attempts).toBe(1);
  });

  it('drop=1: ConnectionError (socket closed) after the retries', async () => {
    const server = await serverWith('drop=1');
    const c = server.adminClient({ maxRetries: 2, retry: FAST });
    const err = await c.listProjects().catch((e: unknown) => e);
    await c.close();
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).code).toBe('KF-CLIENT-010');
    expect((err as ConnectionError).attempts).toBe(3);
    expect((err as Error).message).toContain('UND_ERR_SOCKET');
  });
});

describe('timeouts', () => {
  it('GIVEN a server slower than timeoutMs THEN TimeoutError after the retries, and a retried create still converges to one key', async () => {
    const server = await serverWith('latency=400-400');
    const impatient = server.adminClient({ timeoutMs: 100, maxRetries: 1, retry: FAST });
    const err = await impatient.createApiKey({ mid: 'mid_123456', name: 'slow', type: 'secret' }, { idempotencyKey: 'slow-create' }).catch((e: unknown) => e);
    await impatient.close();
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as TimeoutError).code).toBe('KF-CLIENT-011');
    expect((err as TimeoutError).attempts).toBe(2);
    expect((err as TimeoutError).status).toBeUndefined();
    expect((err as Error).message).toContain('timeoutMs');

    const patient = server.adminClient({ timeoutMs: 5_000, retry: FAST });
    const key = await patient.createApiKey({ mid: 'mid_123456', name: 'slow', type: 'secret' }, { idempotencyKey: 'slow-create' });
    expect(key.name).toBe('slow');
    expect(await patient.listAllApiKeys({ name: 'slow' })).toHaveLength(1);
    await patient.close();
  });
});

describe('unreachable endpoint', () => {
  it('GIVEN nothing listens on the port THEN ConnectionError with the fix hint, after few quick attempts', async () => {
    const gone = await startClientTestServer();
    const url = gone.url;
    await gone.stop();
    const c = new KeyformClient({ endpoint: url, token: 'fsk_test_secretTokenValue', maxRetries: 2, retry: FAST });
    const err = await c.listProjects().catch((e: unknown) => e);
    await c.close();
    expect(err).toBeInstanceOf(ConnectionError);
    const e = err as ConnectionError;
    expect(e.code).toBe('KF-CLIENT-010');
    expect(e.status).toBeUndefined();
    expect(e.attempts).toBe(3);
    expect(e.message).toContain('ECONNREFUSED');
    expect(e.message).toContain('check `endpoint` / KEYFORM_ENDPOINT and that the server is running');
    expect(inspect(err, { depth: 10 })).not.toContain('secretTokenValue');
  });

  it('GIVEN a closed client THEN calls fail with ClientClosedError', async () => {
    const c = new KeyformClient({ endpoint: 'http://127.0.0.1:9', token: 't' });
    await c.close();
    await expect(c.listProjects()).rejects.toBeInstanceOf(ClientClosedError);
  });
});
