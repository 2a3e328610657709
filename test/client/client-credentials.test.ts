/**
 * Client-credentials authentication against the real server: one token for concurrent callers,
 * refresh before expiry, one transparent re-authentication on a 401, and clear failures.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { AuthenticationError, KeyformClient, RequestEvent } from '../../src/client';
import { ClientTestServer, startClientTestServer } from './server-fixture';

let server: ClientTestServer;
let shortTtlServer: ClientTestServer;

beforeAll(async () => {
  server = await startClientTestServer();
  // Tokens live 1 s there, so refresh is observable without long waits.
  shortTtlServer = await startClientTestServer({ tokenTtlSeconds: 1 });
});
afterAll(async () => {
  await server?.stop();
  await shortTtlServer?.stop();
});

/** Runs `fn` on the server's SQLite store, as an out-of-band change (like an operator revoking tokens). */
function withStore(fn: (db: Database.Database) => void): void {
  const db = new Database(join(server.dataDir, 'keyform.db'));
  db.pragma('busy_timeout = 2000');
  try {
    fn(db);
  } finally {
    db.close();
  }
}

function recorder(): { events: RequestEvent[]; onRequest: (e: RequestEvent) => void } {
  const events: RequestEvent[] = [];
  return { events, onRequest: (e) => events.push(e) };
}

const tokenRequests = (events: RequestEvent[]) => events.filter((e) => e.routeId === 'createToken');

describe('client credentials', () => {
  it('GIVEN 20 concurrent calls on a new client THEN one token request serves them all (single flight)', async () => {
    const r = recorder();
    const c = server.adminClient({ onRequest: r.onRequest });
    const pages = await Promise.all(Array.from({ length: 20 }, () => c.listProjects()));
    await c.close();
    expect(pages.every((p) => p.data.length >= 3)).toBe(true);
    expect(tokenRequests(r.events)).toHaveLength(1);
  });

  it('GIVEN a token near its expiry WHEN calling again THEN the client refreshes first, without a 401', async () => {
    const r = recorder();
    const c = shortTtlServer.adminClient({ onRequest: r.onRequest });
    await c.listScopes();
    await sleep(1_100); // past the 1 s lifetime
    await c.listScopes();
    await c.close();
    expect(tokenRequests(r.events)).toHaveLength(2);
    expect(r.events.filter((e) => e.status === 401)).toEqual([]);
  });

  it('GIVEN the server forgot every token WHEN concurrent calls get 401 THEN one re-authentication and the calls succeed', async () => {
    const r = recorder();
    const c = server.adminClient({ onRequest: r.onRequest, maxRetries: 0 });
    await c.listScopes();
    withStore((db) => db.prepare('DELETE FROM access_tokens').run());
    const results = await Promise.all(Array.from({ length: 10 }, () => c.listScopes()));
    await c.close();
    expect(results.every((x) => x.data.length > 0)).toBe(true);
    expect(r.events.filter((e) => e.routeId === 'listScopes' && e.status === 401)).toHaveLength(10);
    expect(tokenRequests(r.events)).toHaveLength(2);
  });

  it('GIVEN every new token is refused WHEN calling THEN re-authenticates once only and fails with AuthenticationError', async () => {
    const r = recorder();
    const c = server.adminClient({ onRequest: r.onRequest });
    withStore((db) => db.exec('CREATE TRIGGER kf_test_refuse AFTER INSERT ON access_tokens BEGIN DELETE FROM access_tokens; END;'));
    try {
      const err = await c.listScopes().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AuthenticationError);
      expect(r.events.map((e) => `${e.routeId} ${e.status}`)).toEqual(['createToken 200', 'listScopes 401', 'createToken 200', 'listScopes 401']);
      expect((err as Error).message).toContain('KEYFORM_CLIENT_ID');
    } finally {
      withStore((db) => db.exec('DROP TRIGGER kf_test_refuse'));
      await c.close();
    }
  });

  it('GIVEN a wrong client secret THEN AuthenticationError naming client_id/client_secret, not retried, secret not shown', async () => {
    const r = recorder();
    const secret = 'kfcs_wrongwrongwrongwrong';
    const c = new KeyformClient({ endpoint: server.url, clientId: server.adminClientId, clientSecret: secret, onRequest: r.onRequest });
    const err = await c.listScopes().catch((e: unknown) => e);
    await c.close();
    expect(err).toBeInstanceOf(AuthenticationError);
    const a = err as AuthenticationError;
    expect(a.code).toBe('KF-CLIENT-001');
    expect(a.status).toBe(401);
    expect(a.path).toBe('/oauth2/token');
    expect(a.messages).toEqual(['Authentication failed. Invalid client_id or client_secret.']);
    expect(a.hint).toContain('KEYFORM_CLIENT_ID / KEYFORM_CLIENT_SECRET');
    expect(r.events).toHaveLength(1);
    expect(inspect(err, { depth: 10 })).not.toContain(secret);
  });
});

describe('static bearer', () => {
  it('GIVEN an API key as token THEN calls carry it directly and no token request is made', async () => {
    const admin = server.adminClient();
    const key = await admin.createApiKey({ mid: 'mid_123456', name: 'static', type: 'secret', scopes: ['api_keys:read'] });
    await admin.close();
    const r = recorder();
    const c = new KeyformClient({ endpoint: server.url, token: key.value, onRequest: r.onRequest });
    const got = await c.getApiKey(key.id);
    await c.close();
    expect(got.id).toBe(key.id);
    expect(tokenRequests(r.events)).toEqual([]);
  });

  it('GIVEN no credentials at all THEN AuthenticationError says how to configure them', async () => {
    const c = new KeyformClient({ endpoint: server.url });
    const err = await c.listScopes().catch((e: unknown) => e);
    await c.close();
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as AuthenticationError).hint).toContain('KEYFORM_TOKEN');
  });
});
