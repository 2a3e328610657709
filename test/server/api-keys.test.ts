import { startTestServer, type TestServer } from '../support/server';
import { as, call, SEED_004_BODY } from './http';

let server: TestServer;
let admin: ReturnType<typeof as>;

beforeAll(async () => {
  server = await startTestServer();
  admin = as(server.url, await server.adminToken());
});
afterAll(async () => {
  await server.stop();
});

describe('POST /v1/api-keys (seed 004)', () => {
  it('creates the seed 004 key and returns its value once, with the documented fields', async () => {
    const res = await admin.post('/v1/api-keys', SEED_004_BODY);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      type: 'secret',
      mid: 'mid_123456',
      name: 'My API Key',
      scopes: ['customers:read', 'charges:read'],
      mode: 'test',
      prefix: 'fsk_test_',
      version: 1,
      status: 'active',
      object: 'api_key',
    });
    expect(res.body.value).toMatch(/^fsk_test_[0-9A-Za-z]{32}$/);
    expect(res.body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(res.body.last4).toBe(res.body.value.slice(-4));
    expect(res.body.fingerprint).toMatch(/^sha256:[0-9a-f]{16}$/);
    const got = await admin.get(`/v1/api-keys/${res.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body.value).toBeUndefined();
    expect(got.text).not.toContain(res.body.value);
  });

  it('answers the seed 004 error body for a bogus scope and a missing type', async () => {
    const res = await admin.post('/v1/api-keys', { mid: 'mid_123456', name: 'My API Key', scopes: ['bogus'] });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: ['Invalid scope value.', 'Missing required field: type.'] });
  });

  it('rejects a bad bearer with the seed 004 401 body', async () => {
    const res = await call(server.url, 'POST', '/v1/api-keys', { token: 'nope', body: SEED_004_BODY });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ errors: ['Authentication failed. Invalid bearer token.'] });
  });
});

describe('API key lifecycle', () => {
  it('creates a live key only when mode live is explicit, with the live prefix', async () => {
    const test = await admin.post('/v1/api-keys', { mid: 'mid_123456', name: 'default mode', type: 'secret' });
    expect(test.body.mode).toBe('test');
    expect(test.body.value.startsWith('fsk_test_')).toBe(true);
    const live = await admin.post('/v1/api-keys', { mid: 'mid_123456', name: 'live', type: 'secret', mode: 'live' });
    expect(live.status).toBe(201);
    expect(live.body.mode).toBe('live');
    expect(live.body.value).toMatch(/^fsk_[0-9A-Za-z]{32}$/);
  });

  it.each([
    { type: 'public', mode: 'test', prefix: 'fpk_test_', reason: 'public test keys have their own prefix' },
    { type: 'tokenization', mode: 'live', prefix: 'ftk_', reason: 'tokenization live keys have their own prefix' },
  ])('issues $prefix values for $type/$mode keys ($reason)', async ({ type, mode, prefix }) => {
    const res = await admin.post('/v1/api-keys', { mid: 'mid_123456', name: `k ${type}`, type, mode });
    expect(res.status).toBe(201);
    expect(res.body.prefix).toBe(prefix);
    expect(res.body.value.startsWith(prefix)).toBe(true);
  });

  it('rejects an unknown merchant with a message naming it and how to fix it', async () => {
    const res = await admin.post('/v1/api-keys', { ...SEED_004_BODY, mid: 'mid_nope' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: ['Unknown mid: mid_nope. Create the merchant first (POST /v1/admin/merchants).'] });
  });

  it('rejects a name with < or > and an expires_at in the past, changing nothing', async () => {
    const before = await admin.get('/v1/api-keys?limit=1000');
    const bad = await admin.post('/v1/api-keys', { ...SEED_004_BODY, name: '<script>' });
    expect(bad.body).toEqual({ errors: ['Invalid name value: must not contain < or >.'] });
    const past = await admin.post('/v1/api-keys', { ...SEED_004_BODY, expires_at: '2001-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
    expect(past.body).toEqual({ errors: ['Invalid expires_at value: must be in the future.'] });
    const after = await admin.get('/v1/api-keys?limit=1000');
    expect(after.body.data.length).toBe(before.body.data.length);
  });

  it('updates mutable fields and refuses type and mode as immutable', async () => {
    const key = (await admin.post('/v1/api-keys', SEED_004_BODY)).body;
    const upd = await admin.patch(`/v1/api-keys/${key.id}`, {
      name: 'Renamed',
      scopes: ['refunds:write'],
      description: 'for refunds',
      expires_at: '2099-01-01T00:00:00Z',
      metadata: { team: 'payments' },
    });
    expect(upd.status).toBe(200);
    expect(upd.body).toMatchObject({ name: 'Renamed', scopes: ['refunds:write'], description: 'for refunds', expires_at: '2099-01-01T00:00:00Z', metadata: { team: 'payments' } });
    const imm = await admin.patch(`/v1/api-keys/${key.id}`, { type: 'public', mode: 'live', name: 'x' });
    expect(imm.status).toBe(400);
    expect(imm.body).toEqual({ errors: ['type is immutable: create a new key instead.', 'mode is immutable: create a new key instead.'] });
    const past = await admin.patch(`/v1/api-keys/${key.id}`, { expires_at: '2000-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
    expect((await admin.get(`/v1/api-keys/${key.id}`)).body.name).toBe('Renamed');
  });

  it('answers 404 naming the id for an unknown key', async () => {
    const res = await admin.get('/v1/api-keys/key_missing');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ errors: ['No such API key: key_missing.'] });
  });

  it('revokes idempotently and a revoked key stops authenticating at once', async () => {
    const key = (await admin.post('/v1/api-keys', { mid: 'mid_123456', name: 'to revoke', type: 'secret' })).body;
    expect((await call(server.url, 'GET', '/v1/scopes', { token: key.value })).status).toBe(200);
    const first = await admin.del(`/v1/api-keys/${key.id}`);
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('revoked');
    const second = await admin.del(`/v1/api-keys/${key.id}`);
    expect(second.status).toBe(200);
    expect(second.body.revoked_at).toBe(first.body.revoked_at);
    const use = await call(server.url, 'GET', '/v1/scopes', { token: key.value });
    expect(use.status).toBe(401);
    expect(use.body).toEqual({ errors: ['Authentication failed. Invalid bearer token.'] });
    const patch = await admin.patch(`/v1/api-keys/${key.id}`, { name: 'again' });
    expect(patch.status).toBe(409);
    const rot = await admin.post(`/v1/api-keys/${key.id}/rotate`, {});
    expect(rot.status).toBe(409);
    expect(rot.body.errors[0]).toContain('is revoked');
  });

  it('rotates with a grace period: new value and version, the old value works until previous_expires_at, then 401', async () => {
    const key = (await admin.post('/v1/api-keys', { mid: 'mid_123456', name: 'rotating', type: 'secret' })).body;
    const noGrace = (await admin.post('/v1/api-keys', { mid: 'mid_123456', name: 'rotating now', type: 'secret' })).body;
    const expiring = (await admin.post('/v1/api-keys', { mid: 'mid_123456', name: 'expiring', type: 'secret', expires_at: new Date(Date.now() + 1000).toISOString() })).body;
    const rot = await admin.post(`/v1/api-keys/${key.id}/rotate`, { grace_period_seconds: 1 });
    expect(rot.status).toBe(200);
    expect(rot.body.version).toBe(2);
    expect(rot.body.value).not.toBe(key.value);
    expect(rot.body.value.startsWith('fsk_test_')).toBe(true);
    expect(rot.body.fingerprint).not.toBe(key.fingerprint);
    expect(rot.body.previous_expires_at).not.toBeNull();
    const rotNow = await admin.post(`/v1/api-keys/${noGrace.id}/rotate`, {});
    expect(rotNow.body.previous_expires_at).toBeNull();
    // GIVEN the grace period is running THEN both values authenticate, except the one rotated without grace.
    expect((await call(server.url, 'GET', '/v1/scopes', { token: key.value })).status).toBe(200);
    expect((await call(server.url, 'GET', '/v1/scopes', { token: rot.body.value })).status).toBe(200);
    expect((await call(server.url, 'GET', '/v1/scopes', { token: noGrace.value })).status).toBe(401);
    expect((await call(server.url, 'GET', '/v1/scopes', { token: expiring.value })).status).toBe(200);
    // WHEN the grace period (and the expiring key's lifetime) has passed
    await new Promise((r) => setTimeout(r, 1200));
    // THEN the old value and the expired key are refused, the new value still works.
    expect((await call(server.url, 'GET', '/v1/scopes', { token: key.value })).status).toBe(401);
    expect((await call(server.url, 'GET', '/v1/scopes', { token: rot.body.value })).status).toBe(200);
    expect((await call(server.url, 'GET', '/v1/scopes', { token: expiring.value })).status).toBe(401);
    expect((await admin.get(`/v1/api-keys/${key.id}`)).body.previous_expires_at).toBeNull();
    expect((await admin.get(`/v1/api-keys/${expiring.id}`)).body.status).toBe('expired');
    const expiredList = await admin.get('/v1/api-keys?status=expired');
    expect(expiredList.body.data.map((k: { id: string }) => k.id)).toContain(expiring.id);
    const rotExpired = await admin.post(`/v1/api-keys/${expiring.id}/rotate`, {});
    expect(rotExpired.status).toBe(409);
  });

  it('validates the rotation body', async () => {
    const key = (await admin.post('/v1/api-keys', { mid: 'mid_123456', name: 'r', type: 'secret' })).body;
    const res = await admin.post(`/v1/api-keys/${key.id}/rotate`, { grace_period_seconds: -1 });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: ['Invalid grace_period_seconds value: must not be negative.'] });
  });
});

describe('GET /v1/api-keys', () => {
  it('pages in created order with an opaque cursor until has_more is false', async () => {
    const name = `page-${Date.now()}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await admin.post('/v1/api-keys', { mid: 'mid_654321', name, type: 'secret' })).body.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = `/v1/api-keys?name=${name}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await admin.get(q);
      expect(page.status).toBe(200);
      seen.push(...page.body.data.map((k: { id: string }) => k.id));
      cursor = page.body.next_cursor;
      expect(page.body.has_more).toBe(cursor !== null);
      pages++;
    } while (cursor);
    expect(seen).toEqual(ids);
    expect(pages).toBe(3);
  });

  it('filters by mid and mode', async () => {
    const res = await admin.get('/v1/api-keys?mid=mid_123456&mode=live');
    expect(res.body.data.length).toBeGreaterThan(0);
    for (const k of res.body.data) expect(k).toMatchObject({ mid: 'mid_123456', mode: 'live' });
  });

  it.each([
    { q: 'limit=0', reason: 'limit below 1' },
    { q: 'limit=1001', reason: 'limit above the maximum page size' },
    { q: 'cursor=garbage', reason: 'a cursor the server did not issue' },
    { q: 'mode=staging', reason: 'an unknown mode' },
    { q: 'color=red', reason: 'an unknown filter' },
  ])('rejects $q with 400 ($reason)', async ({ q }) => {
    const res = await admin.get(`/v1/api-keys?${q}`);
    expect(res.status).toBe(400);
    expect(res.body.errors.length).toBeGreaterThan(0);
  });
});
