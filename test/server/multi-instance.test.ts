/**
 * Several reference-server instances over one PostgreSQL database behave as one service (issue 14):
 * a token or key from one works on the others, an Idempotency-Key replayed on another returns the same
 * object, a revoke on one is refused at once on the others, rotation graces hold across instances,
 * instances starting together migrate once, and one instance dying (kill -9) or restarting never
 * disturbs the others. Attacker tests: the database password never appears in logs or errors, and an
 * instance started with other admin credentials cannot take over the admin client.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { startTestServer, testPostgres, type TestServer } from '../support/server';
import { as, call } from './http';

const ADMIN = { KEYFORM_ADMIN_CLIENT_ID: 'kfc_admin_multi', KEYFORM_ADMIN_CLIENT_SECRET: `kfcs_${randomBytes(16).toString('hex')}` };
const BIN = resolve(__dirname, '../../bin/keyform');

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

async function newDatabase(): Promise<string> {
  return (await testPostgres()).createDatabase();
}

async function tokenOf(server: TestServer, client = { id: ADMIN.KEYFORM_ADMIN_CLIENT_ID, secret: ADMIN.KEYFORM_ADMIN_CLIENT_SECRET }): Promise<string> {
  const res = await call(server.url, 'POST', '/oauth2/token', { body: { grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret } });
  expect(res.status).toBe(200);
  return res.body.access_token as string;
}

describe('two instances over one database', () => {
  let a: TestServer;
  let b: TestServer;
  let url: string;
  beforeAll(async () => {
    url = await newDatabase();
    a = await startTestServer({ databaseUrl: url, env: ADMIN });
    b = await startTestServer({ databaseUrl: url, env: ADMIN });
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('accepts on one instance an access token and an API key issued by the other', async () => {
    const token = await tokenOf(a);
    expect((await as(b.url, token).get('/v1/api-keys?limit=1')).status).toBe(200);
    const key = await as(a.url, token).post('/v1/api-keys', { mid: 'mid_123456', name: 'shared', type: 'secret', scopes: ['api_keys:read'] });
    expect(key.status).toBe(201);
    expect((await as(b.url, key.body.value).get(`/v1/api-keys/${key.body.id}`)).body.id).toBe(key.body.id);
    // The key's request log and usage are one, whichever instance served the request.
    await as(a.url, key.body.value).get(`/v1/api-keys/${key.body.id}`);
    const logs = await as(b.url, token).get(`/v1/api-keys/${key.body.id}/logs`);
    expect(logs.body.data).toHaveLength(2);
  });

  it('replays an Idempotency-Key on the other instance: the same object and value, no second key', async () => {
    const token = await tokenOf(a);
    const headers = { 'Idempotency-Key': `idem-${randomBytes(8).toString('hex')}` };
    const body = { mid: 'mid_123456', name: `idem-${randomBytes(4).toString('hex')}`, type: 'secret' };
    const first = await call(a.url, 'POST', '/v1/api-keys', { token, body, headers });
    const again = await call(b.url, 'POST', '/v1/api-keys', { token, body, headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await as(b.url, token).get(`/v1/api-keys?name=${body.name}`)).body.data).toHaveLength(1);
  });

  it('creates one key when the same Idempotency-Key arrives at both instances at once', async () => {
    const token = await tokenOf(a);
    const name = `race-${randomBytes(4).toString('hex')}`;
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        call(i % 2 ? a.url : b.url, 'POST', '/v1/api-keys', { token, body: { mid: 'mid_123456', name, type: 'secret' }, headers: { 'Idempotency-Key': `race-${name}` } }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(new Set(results.map((r) => r.body.value)).size).toBe(1);
    expect((await as(a.url, token).get(`/v1/api-keys?name=${name}`)).body.data).toHaveLength(1);
  });

  it('refuses a key revoked on one instance at once on the other', async () => {
    const token = await tokenOf(a);
    const key = await as(a.url, token).post('/v1/api-keys', { mid: 'mid_123456', name: 'to-revoke', type: 'secret', scopes: ['api_keys:read'] });
    expect((await as(b.url, key.body.value).get('/v1/api-keys?limit=1')).status).toBe(200);
    expect((await as(a.url, token).del(`/v1/api-keys/${key.body.id}`)).status).toBe(200);
    expect((await as(b.url, key.body.value).get('/v1/api-keys?limit=1')).status).toBe(401);
  });

  it('refuses an access token revoked on one instance at once on the other; a renewal on one counts on both', async () => {
    const token = await tokenOf(b);
    const client = { client_id: ADMIN.KEYFORM_ADMIN_CLIENT_ID, client_secret: ADMIN.KEYFORM_ADMIN_CLIENT_SECRET };
    expect((await call(a.url, 'POST', '/oauth2/renew', { body: { token, ...client } })).status).toBe(200);
    expect((await as(b.url, token).get('/v1/scopes')).status).toBe(200);
    expect((await call(a.url, 'POST', '/oauth2/revoke', { body: { token, ...client } })).status).toBe(200);
    expect((await as(b.url, token).get('/v1/scopes')).status).toBe(401);
    expect((await as(a.url, token).get('/v1/scopes')).status).toBe(401);
  });

  it('keeps a rotated value working on the other instance for its grace period, and only then', async () => {
    const token = await tokenOf(a);
    const key = await as(a.url, token).post('/v1/api-keys', { mid: 'mid_123456', name: 'rotating', type: 'secret', scopes: ['api_keys:read'] });
    const graced = await as(a.url, token).post(`/v1/api-keys/${key.body.id}/rotate`, { grace_period_seconds: 3600 });
    expect(graced.status).toBe(200);
    expect((await as(b.url, key.body.value).get('/v1/api-keys?limit=1')).status).toBe(200);
    expect((await as(b.url, graced.body.value).get('/v1/api-keys?limit=1')).status).toBe(200);
    // A rotation without grace on the other instance ends the second value at once; the first keeps its own grace.
    const cut = await as(b.url, token).post(`/v1/api-keys/${key.body.id}/rotate`, { grace_period_seconds: 0 });
    expect((await as(a.url, graced.body.value).get('/v1/api-keys?limit=1')).status).toBe(401);
    expect((await as(a.url, key.body.value).get('/v1/api-keys?limit=1')).status).toBe(200);
    expect((await as(a.url, cut.body.value).get('/v1/api-keys?limit=1')).status).toBe(200);
  });

  it('keeps all of 40 concurrent merge patches spread over both instances, and If-Match still answers 412 across them', async () => {
    const token = await tokenOf(a);
    const key = await as(a.url, token).post('/v1/api-keys', { mid: 'mid_123456', name: 'patched', type: 'secret' });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => as(i % 2 ? a.url : b.url, token).patch(`/v1/api-keys/${key.body.id}`, { metadata: { [`k${i}`]: `v${i}` } })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(200));
    const now = await as(b.url, token).get(`/v1/api-keys/${key.body.id}`);
    expect(Object.keys(now.body.metadata)).toHaveLength(40);
    const stale = key.headers.get('etag')!;
    const refused = await call(b.url, 'PATCH', `/v1/api-keys/${key.body.id}`, { token, body: { name: 'late' }, headers: { 'If-Match': stale } });
    expect(refused.status).toBe(412);
  });

  it('keeps serving on one instance while the other is killed (kill -9) and restarted, and the restarted one sees everything', async () => {
    const token = await tokenOf(a);
    a.kill('SIGKILL');
    const during = await as(b.url, token).post('/v1/api-keys', { mid: 'mid_123456', name: 'while-a-was-down', type: 'secret' });
    expect(during.status).toBe(201);
    await a.restart();
    expect((await as(a.url, token).get(`/v1/api-keys/${during.body.id}`)).status).toBe(200);
    expect((await as(a.url, during.body.value).get('/v1/scopes')).status).toBe(200);
    await b.restart();
    expect((await as(b.url, token).get('/v1/scopes')).status).toBe(200);
  });
});

describe('instances starting together on a new database', () => {
  it('migrate, seed and create the admin client once', async () => {
    const url = await newDatabase();
    const servers = await Promise.all(Array.from({ length: 4 }, () => startTestServer({ databaseUrl: url, env: ADMIN })));
    try {
      expect(servers.filter((s) => s.stderr().includes('"schema":"created"'))).toHaveLength(1);
      expect(await query(url, 'SELECT version FROM migrations')).toEqual([{ version: 6 }]);
      expect(await query(url, 'SELECT COUNT(*)::int AS n FROM merchants')).toEqual([{ n: 2 }]);
      expect(await query(url, 'SELECT client_id FROM oauth_clients WHERE is_admin = 1')).toEqual([{ client_id: ADMIN.KEYFORM_ADMIN_CLIENT_ID }]);
      expect(await query(url, 'SELECT COUNT(*)::int AS n FROM server_secrets')).toEqual([{ n: 1 }]);
      for (const s of servers) expect((await as(s.url, await tokenOf(s)).get('/v1/admin/merchants')).body.data).toHaveLength(2);
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  });
});

describe('attacks on a shared database', () => {
  it('does not let an instance started with another admin secret take over the admin client', async () => {
    const url = await newDatabase();
    const first = await startTestServer({ databaseUrl: url, env: ADMIN });
    try {
      const otherSecret = `kfcs_${randomBytes(16).toString('hex')}`;
      for (const env of [
        { ...ADMIN, KEYFORM_ADMIN_CLIENT_SECRET: otherSecret },
        { KEYFORM_ADMIN_CLIENT_ID: 'kfc_admin_intruder', KEYFORM_ADMIN_CLIENT_SECRET: otherSecret },
      ]) {
        const err = await startTestServer({ databaseUrl: url, env }).then(
          async (s) => {
            await s.stop();
            return undefined;
          },
          (e: Error) => e.message,
        );
        expect(err).toMatch(/already has a platform admin client \(kfc_admin_multi\)/);
        expect(err).not.toContain(otherSecret);
        expect(err).not.toContain(ADMIN.KEYFORM_ADMIN_CLIENT_SECRET);
      }
      // The intruder's secret opens nothing; the first instance's admin client is untouched.
      const refused = await call(first.url, 'POST', '/oauth2/token', { body: { grant_type: 'client_credentials', client_id: ADMIN.KEYFORM_ADMIN_CLIENT_ID, client_secret: otherSecret } });
      expect(refused.status).toBe(401);
      expect(await query(url, 'SELECT client_id FROM oauth_clients')).toEqual([{ client_id: ADMIN.KEYFORM_ADMIN_CLIENT_ID }]);
      expect((await as(first.url, await tokenOf(first)).get('/v1/scopes')).status).toBe(200);
    } finally {
      await first.stop();
    }
  });

  it('never prints the password of the database URL, in logs or in a connection error', async () => {
    const password = `pw${randomBytes(12).toString('hex')}`;
    const url = new URL(await newDatabase());
    url.password = password;
    // The test cluster trusts loopback connections: the password is sent and ignored, as a real one would be used.
    const server = await startTestServer({ databaseUrl: url.toString(), env: ADMIN });
    try {
      await as(server.url, await tokenOf(server)).get('/v1/nope');
      expect(server.stderr()).not.toContain(password);
      expect(server.stderr()).toContain('"store":"postgres://postgres:[redacted]@');
    } finally {
      await server.stop();
    }
    const unreachable = new URL(url.toString());
    unreachable.port = '1';
    for (const args of [['--database-url', unreachable.toString()], []]) {
      const run = spawnSync(process.execPath, [BIN, 'serve', ...args], {
        env: { ...process.env, ...ADMIN, KEYFORM_DATABASE_URL: unreachable.toString() },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('Cannot connect to the PostgreSQL database postgres://postgres:[redacted]@127.0.0.1:1/');
      expect(run.stderr + run.stdout).not.toContain(password);
    }
  });
});
