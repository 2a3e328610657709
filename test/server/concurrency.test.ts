/**
 * Optimistic concurrency and merge semantics (issue 9 item 4), against the real server: every object
 * read carries an ETag; If-Match on PATCH, DELETE and rotate answers 412 when stale and changes
 * nothing; metadata PATCH is a JSON merge patch, so concurrent patches of different keys all land; a
 * PATCH that changes nothing writes no audit entry (item 6).
 */
import { startTestServer, type TestServer } from '../support/server';
import { as, call } from './http';

jest.setTimeout(60_000);

let server: TestServer;
let admin: ReturnType<typeof as>;
let token: string;

beforeAll(async () => {
  server = await startTestServer({ args: ['--quiet'] });
  token = await server.adminToken();
  admin = as(server.url, token);
});
afterAll(async () => {
  await server.stop();
});

const newKey = async (extra: Record<string, unknown> = {}) =>
  (await admin.post('/v1/api-keys', { mid: 'mid_123456', name: 'etag', type: 'secret', scopes: ['charges:read'], ...extra })).body as { id: string; value: string };

describe('ETag', () => {
  it('is on every object read and write, equal for the same version, and changes with every change', async () => {
    const created = await admin.post('/v1/api-keys', { mid: 'mid_123456', name: 'etag', type: 'secret' });
    const etag = created.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    const read = await admin.get(`/v1/api-keys/${created.body.id}`);
    expect(read.headers.get('etag')).toBe(etag);
    // Using the key changes last_used_at but not the version a writer based its change on.
    await call(server.url, 'GET', '/v1/scopes', { token: created.body.value });
    expect((await admin.get(`/v1/api-keys/${created.body.id}`)).headers.get('etag')).toBe(etag);
    const patched = await admin.patch(`/v1/api-keys/${created.body.id}`, { description: 'changed' });
    expect(patched.headers.get('etag')).not.toBe(etag);
    expect((await admin.get(`/v1/api-keys/${created.body.id}`)).headers.get('etag')).toBe(patched.headers.get('etag'));
    const auth = await admin.post('/v1/authorizations', { name: 'etag', kind: 'api_key', owner_id: 'usr_alice', capabilities: ['api'] });
    expect(auth.headers.get('etag')).toMatch(/^".+"$/);
    expect((await admin.get(`/v1/authorizations/${auth.body.id}`)).headers.get('etag')).toBe(auth.headers.get('etag'));
    // Lists carry none: they are not one object.
    expect((await admin.get('/v1/api-keys')).headers.get('etag')).toBeNull();
  });
});

describe('If-Match', () => {
  it.each([
    { method: 'PATCH', sub: '', body: { name: 'lost update' }, reason: 'a PATCH based on an old read' },
    { method: 'DELETE', sub: '', body: undefined, reason: 'a revoke based on an old read' },
    { method: 'POST', sub: '/rotate', body: { grace_period_seconds: 60 }, reason: 'a rotation based on an old read' },
  ])('answers 412 to $reason and changes nothing', async ({ method, sub, body }) => {
    const k = await newKey();
    const stale = (await admin.get(`/v1/api-keys/${k.id}`)).headers.get('etag')!;
    await admin.patch(`/v1/api-keys/${k.id}`, { description: 'someone else was first' });
    const before = await admin.get(`/v1/api-keys/${k.id}`);
    const res = await call(server.url, method, `/v1/api-keys/${k.id}${sub}`, { token, body, headers: { 'if-match': stale } });
    expect({ status: res.status, body: res.body }).toEqual({
      status: 412,
      body: { errors: [`Precondition failed: ${k.id} changed since the ETag you sent in If-Match. Read it again (GET), reapply your change and retry with the new ETag.`] },
    });
    expect((await admin.get(`/v1/api-keys/${k.id}`)).body).toEqual(before.body);
    // With the current ETag the same call goes through.
    const ok = await call(server.url, method, `/v1/api-keys/${k.id}${sub}`, { token, body, headers: { 'if-match': before.headers.get('etag')! } });
    expect(ok.status).toBe(200);
  });

  it('guards authorizations the same way, and accepts * for any current version', async () => {
    const a = (await admin.post('/v1/authorizations', { name: 'im', kind: 'api_key', owner_id: 'usr_alice', capabilities: ['api'] })).body;
    const stale = (await admin.get(`/v1/authorizations/${a.id}`)).headers.get('etag')!;
    await admin.patch(`/v1/authorizations/${a.id}`, { name: 'first' });
    const res = await call(server.url, 'PATCH', `/v1/authorizations/${a.id}`, { token, body: { name: 'second' }, headers: { 'if-match': stale } });
    expect(res.status).toBe(412);
    expect((await admin.get(`/v1/authorizations/${a.id}`)).body.name).toBe('first');
    const star = await call(server.url, 'PATCH', `/v1/authorizations/${a.id}`, { token, body: { name: 'third' }, headers: { 'if-match': '*' } });
    expect(star.status).toBe(200);
  });

  it('answers 404, not 412, for a key out of the caller’s reach, so a stale ETag reveals nothing', async () => {
    const live = await newKey({ mode: 'live' });
    const testKey = await newKey({ scopes: [] });
    const res = await call(server.url, 'PATCH', `/v1/api-keys/${live.id}`, { token: testKey.value, body: { name: 'x' }, headers: { 'if-match': '"stale"' } });
    expect(res.status).toBe(404);
  });
});

describe('metadata PATCH is a JSON merge patch', () => {
  it('sets given keys, removes keys set to null, keeps the others; null as a whole removes all', async () => {
    const k = await newKey({ metadata: { team: 'payments', tier: 'gold' } });
    const res = await admin.patch(`/v1/api-keys/${k.id}`, { metadata: { tier: null, owner: 'alice' } });
    expect(res.body.metadata).toEqual({ team: 'payments', owner: 'alice' });
    expect((await admin.patch(`/v1/api-keys/${k.id}`, { metadata: null })).body.metadata).toEqual({});
  });

  it('keeps all 50 of 50 concurrent patches of different metadata keys', async () => {
    const k = await newKey();
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => admin.patch(`/v1/api-keys/${k.id}`, { metadata: { [`k${i}`]: `v${i}` } })));
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    const metadata = (await admin.get(`/v1/api-keys/${k.id}`)).body.metadata as Record<string, string>;
    expect(Object.keys(metadata).length).toBe(50);
    for (let i = 0; i < 50; i++) expect(metadata[`k${i}`]).toBe(`v${i}`);
  });

  it('refuses a patch that would leave more than 50 metadata keys, changing nothing', async () => {
    const full = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    const k = await newKey({ metadata: full });
    const res = await admin.patch(`/v1/api-keys/${k.id}`, { metadata: { extra: 'v' } });
    expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: { errors: ['Invalid metadata: at most 50 keys.'] } });
    expect(Object.keys((await admin.get(`/v1/api-keys/${k.id}`)).body.metadata).length).toBe(50);
  });
});

describe('a PATCH that changes nothing', () => {
  it('writes no audit entry and keeps the ETag and updated_at', async () => {
    const k = await newKey({ description: 'same', metadata: { a: '1' } });
    const before = await admin.get(`/v1/api-keys/${k.id}`);
    const res = await admin.patch(`/v1/api-keys/${k.id}`, { name: 'etag', description: 'same', scopes: ['charges:read'], metadata: { a: '1', b: null } });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe(before.headers.get('etag'));
    expect(res.body.updated_at).toBe(before.body.updated_at);
    const audit = await admin.get(`/v1/audit-log?target_id=${k.id}`);
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(['api_key.create']);
  });
});
