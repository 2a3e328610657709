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
