import { startTestServer, type TestServer } from '../support/server';
import { as, call } from './http';

let server: TestServer;
let admin: ReturnType<typeof as>;

/** Creates a secret test key of `mid` with `scopes` and returns {id, value}. */
async function key(mid: string, scopes: string[], extra: Record<string, unknown> = {}): Promise<{ id: string; value: string }> {
  const res = await admin.post('/v1/api-keys', { mid, name: 'access test', type: 'secret', scopes, ...extra });
  expect(res.status).toBe(201);
  return res.body;
}

beforeAll(async () => {
  server = await startTestServer({ args: ['--token-ttl', '1'] });
});
afterAll(async () => {
  await server.stop();
});
// Tokens of this server live 1 s: every test starts with a fresh admin token.
beforeEach(async () => {
  const res = await call(server.url, 'POST', '/oauth2/token', {
    body: { grant_type: 'client_credentials', client_id: server.adminClientId, client_secret: server.adminClientSecret },
  });
  admin = as(server.url, res.body.access_token);
});

describe('POST /oauth2/token', () => {
  it('accepts form-encoded, JSON and HTTP Basic client credentials', async () => {
    const form = await call(server.url, 'POST', '/oauth2/token', {
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: server.adminClientId, client_secret: server.adminClientSecret }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(200);
    expect(form.body).toEqual({ access_token: expect.stringMatching(/^kfat_/), token_type: 'Bearer', expires_in: 1 });
    const json = await call(server.url, 'POST', '/oauth2/token', {
      body: { grant_type: 'client_credentials', client_id: server.adminClientId, client_secret: server.adminClientSecret },
    });
    expect(json.status).toBe(200);
    const basic = await call(server.url, 'POST', '/oauth2/token', {
      body: 'grant_type=client_credentials',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${server.adminClientId}:${server.adminClientSecret}`).toString('base64')}`,
      },
    });
    expect(basic.status).toBe(200);
  });

  it.each([
    { body: { grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'x' }, status: 401, reason: 'unknown client' },
    { body: { grant_type: 'password', client_id: 'a', client_secret: 'b' }, status: 400, reason: 'unsupported grant type' },
    { body: { grant_type: 'client_credentials' }, status: 400, reason: 'missing client credentials' },
  ])('refuses a token request: $reason', async ({ body, status }) => {
    const res = await call(server.url, 'POST', '/oauth2/token', { body });
    expect(res.status).toBe(status);
    expect(res.body.errors.length).toBeGreaterThan(0);
  });

  it('refuses a wrong secret for the admin client', async () => {
    const res = await call(server.url, 'POST', '/oauth2/token', {
      body: { grant_type: 'client_credentials', client_id: server.adminClientId, client_secret: 'wrong' },
    });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ errors: ['Authentication failed. Invalid client_id or client_secret.'] });
  });

  it('issues short-lived tokens that stop working after expires_in', async () => {
    const res = await call(server.url, 'POST', '/oauth2/token', {
      body: { grant_type: 'client_credentials', client_id: server.adminClientId, client_secret: server.adminClientSecret },
    });
    const token = res.body.access_token as string;
    expect((await call(server.url, 'GET', '/v1/scopes', { token })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    const late = await call(server.url, 'GET', '/v1/scopes', { token });
    expect(late.status).toBe(401);
    expect(late.body).toEqual({ errors: ['Authentication failed. Invalid bearer token.'] });
  });
});

describe('bearer authentication', () => {
  it.each([
    { header: undefined, reason: 'no Authorization header' },
    { header: 'Basic abc', reason: 'not a bearer' },
    { header: 'Bearer fsk_test_doesnotexist00000000000000000000', reason: 'an unknown key' },
    { header: 'Bearer kfat_notissued', reason: 'a token that was never issued' },
  ])('answers 401 for $reason', async ({ header }) => {
    const res = await call(server.url, 'GET', '/v1/api-keys', { headers: header ? { authorization: header } : {} });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ errors: ['Authentication failed. Invalid bearer token.'] });
  });
});

describe('API key bearers', () => {
  it('lets a read-only key read but not write, naming the missing scope', async () => {
    const ro = await key('mid_123456', ['api_keys:read']);
    const k = as(server.url, ro.value);
    expect((await k.get('/v1/api-keys')).status).toBe(200);
    const res = await k.post('/v1/api-keys', { mid: 'mid_123456', name: 'x', type: 'secret', scopes: ['api_keys:read'] });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ errors: ['Missing required scope: api_keys:write.'] });
    const audit = await k.get('/v1/audit-log');
    expect(audit.status).toBe(403);
    expect(audit.body).toEqual({ errors: ['Missing required scope: audit_log:read.'] });
  });

  it('treats write as implying read', async () => {
    const rw = await key('mid_123456', ['api_keys:write']);
    expect((await as(server.url, rw.value).get('/v1/api-keys')).status).toBe(200);
  });

  it('gives a key without scopes full access to its own merchant (seed 000)', async () => {
    const full = await key('mid_123456', []);
    const k = as(server.url, full.value);
    expect((await k.get('/v1/audit-log')).status).toBe(200);
    const created = await k.post('/v1/api-keys', { mid: 'mid_123456', name: 'child', type: 'secret', scopes: ['charges:read'] });
    expect(created.status).toBe(201);
  });

  it('never lets a key see or touch another merchant', async () => {
    const other = await key('mid_654321', []);
    const mine = await key('mid_123456', []);
    const k = as(server.url, mine.value);
    const list = await k.get('/v1/api-keys?limit=1000');
    expect(list.body.data.length).toBeGreaterThan(0);
    for (const item of list.body.data) expect(item.mid).toBe('mid_123456');
    const filtered = await k.get('/v1/api-keys?mid=mid_654321');
    expect(filtered.body.data).toEqual([]);
    for (const [method, path] of [
      ['GET', `/v1/api-keys/${other.id}`],
      ['PATCH', `/v1/api-keys/${other.id}`],
      ['DELETE', `/v1/api-keys/${other.id}`],
      ['POST', `/v1/api-keys/${other.id}/rotate`],
      ['GET', `/v1/api-keys/${other.id}/logs`],
    ]) {
      const res = await call(server.url, method, path, { token: mine.value, body: method === 'PATCH' || method === 'POST' ? {} : undefined });
      expect({ method, path, status: res.status, body: res.body }).toEqual({ method, path, status: 404, body: { errors: [`No such API key: ${other.id}.`] } });
    }
    const create = await k.post('/v1/api-keys', { mid: 'mid_654321', name: 'x', type: 'secret' });
    expect(create.status).toBe(403);
    expect(create.body).toEqual({ errors: ['This key belongs to merchant mid_123456 and cannot manage credentials of merchant mid_654321.'] });
    // The other merchant's key is untouched.
    expect((await admin.get(`/v1/api-keys/${other.id}`)).body.status).toBe('active');
  });

  it('refuses to let a scoped key mint broader keys', async () => {
    const narrow = await key('mid_123456', ['api_keys:write', 'charges:read']);
    const k = as(server.url, narrow.value);
    const broader = await k.post('/v1/api-keys', { mid: 'mid_123456', name: 'x', type: 'secret', scopes: ['refunds:write', 'charges:read'] });
    expect(broader.status).toBe(403);
    expect(broader.body).toEqual({ errors: ['Scope refunds:write exceeds the scopes of the calling key: a key cannot grant more than it holds.'] });
    const full = await k.post('/v1/api-keys', { mid: 'mid_123456', name: 'x', type: 'secret' });
    expect(full.status).toBe(403);
    const within = await k.post('/v1/api-keys', { mid: 'mid_123456', name: 'x', type: 'secret', scopes: ['charges:read'] });
    expect(within.status).toBe(201);
  });

  it('refuses live keys from a test-mode key', async () => {
    const t = await key('mid_123456', []);
    const res = await as(server.url, t.value).post('/v1/api-keys', { mid: 'mid_123456', name: 'x', type: 'secret', mode: 'live' });
    expect(res.status).toBe(403);
    expect(res.body.errors[0]).toContain('test-mode credential cannot create live-mode keys');
  });

  it('does not let public or tokenization keys call the API', async () => {
    for (const type of ['public', 'tokenization']) {
      const pk = (await admin.post('/v1/api-keys', { mid: 'mid_123456', name: 'pk', type })).body;
      const res = await call(server.url, 'GET', '/v1/api-keys', { token: pk.value });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ errors: [`A ${type} key cannot call the key-management API: use a secret key or an OAuth token.`] });
    }
  });

  it('keeps admin routes for the admin client only', async () => {
    const full = await key('mid_123456', []);
    const res = await as(server.url, full.value).post('/v1/admin/merchants', { mid: 'mid_x', name: 'X' });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ errors: ['This route is for the platform admin client only: use a token of the admin OAuth client.'] });
    expect((await as(server.url, full.value).get('/v1/admin/users')).status).toBe(403);
  });

  it('records every request made with a key in its request log, with the first error', async () => {
    const ro = await key('mid_123456', ['api_keys:read', 'request_logs:read']);
    const k = as(server.url, ro.value);
    await k.get('/v1/api-keys?limit=1');
    await k.post('/v1/api-keys', { mid: 'mid_123456', name: 'x', type: 'secret' });
    const logs = await k.get(`/v1/api-keys/${ro.id}/logs`);
    expect(logs.status).toBe(200);
    // Newest first: the log request itself is recorded after it answers.
    expect(logs.body.data.map((e: { method: string; path: string; status: number; error: string | null }) => [e.method, e.path, e.status, e.error])).toEqual([
      ['POST', '/v1/api-keys', 403, 'Missing required scope: api_keys:write.'],
      ['GET', '/v1/api-keys', 200, null],
    ]);
    await admin.del(`/v1/api-keys/${ro.id}`);
    await call(server.url, 'GET', '/v1/scopes', { token: ro.value });
    const after = await admin.get(`/v1/api-keys/${ro.id}/logs?limit=1`);
    expect(after.body.data[0]).toMatchObject({ path: '/v1/scopes', status: 401, error: 'Authentication failed. Invalid bearer token.' });
    expect(after.body.has_more).toBe(true);
  });
});
