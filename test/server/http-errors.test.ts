import { request as httpRequest } from 'node:http';
import { startTestServer, type TestServer } from '../support/server';
import { as, call, SEED_004_BODY } from './http';

let server: TestServer;
let admin: ReturnType<typeof as>;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  token = await server.adminToken();
  admin = as(server.url, token);
});
afterAll(async () => {
  await server.stop();
});

describe('error responses are always {errors} with a precise 4xx', () => {
  it.each([
    { method: 'POST', path: '/v1/api-keys', body: '{"mid": ', type: 'application/json', status: 400, pattern: /^Invalid JSON body: .*Send a JSON object\.$/, reason: 'truncated JSON' },
    { method: 'POST', path: '/v1/api-keys', body: '[1,2]', type: 'application/json', status: 400, pattern: /^Invalid request body: expected a JSON object\.$/, reason: 'a JSON array' },
    { method: 'POST', path: '/v1/api-keys', body: 'mid=x', type: 'text/plain', status: 415, pattern: /^Unsupported Content-Type text\/plain/, reason: 'an unsupported media type' },
    { method: 'POST', path: '/v1/api-keys', body: 'mid=x', type: 'application/x-www-form-urlencoded', status: 415, pattern: /^Unsupported Content-Type/, reason: 'a form body outside the token route' },
    { method: 'POST', path: '/v1/api-keys', body: undefined, type: undefined, status: 400, pattern: /^Invalid request body: expected a JSON object\.$/, reason: 'no body at all' },
    { method: 'POST', path: '/v1/api-keys', body: JSON.stringify({ ...SEED_004_BODY, extra: 1 }), type: 'application/json', status: 400, pattern: /^Unknown field: extra\.$/, reason: 'an unknown field' },
    { method: 'GET', path: '/x', body: undefined, type: undefined, status: 404, pattern: /^No such route: GET \/x\.$/, reason: 'an unknown route' },
    { method: 'PUT', path: '/v1/api-keys', body: undefined, type: undefined, status: 405, pattern: /^Method PUT is not allowed on \/v1\/api-keys\. Allowed: POST, GET\.$/, reason: 'a wrong method' },
  ])('$reason → $status', async ({ method, path, body, type, status, pattern }) => {
    const res = await call(server.url, method, path, { token, body, headers: type ? { 'content-type': type } : {} });
    expect(res.status).toBe(status);
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0]).toMatch(pattern);
  });

  it('answers 413 in the {errors} shape for a body above 64 KiB', async () => {
    const res = await admin.post('/v1/api-keys', { ...SEED_004_BODY, description: 'x'.repeat(70 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ errors: ['Request body too large: at most 65536 bytes.'] });
  });

  it('answers 400 for an invalid Idempotency-Key header', async () => {
    const res = await admin.post('/v1/api-keys', SEED_004_BODY, { 'Idempotency-Key': ' '.repeat(3) });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: ['Invalid Idempotency-Key header: use 1 to 255 visible ASCII characters.'] });
  });

  it('sends an X-Request-Id on every response', async () => {
    const res = await admin.get('/v1/scopes');
    expect(res.headers.get('x-request-id')).toMatch(/^req_/);
  });

  it('logs one JSON line per request without secrets or the Authorization header', async () => {
    const created = await admin.post('/v1/api-keys', SEED_004_BODY);
    await call(server.url, 'GET', '/v1/scopes', { token: created.body.value });
    await new Promise((r) => setTimeout(r, 100));
    const lines = server.stderr().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const req = lines.filter((l) => l.msg === 'request');
    expect(req.length).toBeGreaterThan(5);
    expect(req.find((l) => l.credential === `api_key:${created.body.id}`)).toMatchObject({ method: 'GET', route: '/v1/scopes', status: 200 });
    for (const l of req) expect(Object.keys(l).sort()).toEqual(['credential', 'level', 'method', 'ms', 'msg', 'path', 'request_id', 'route', 'status', 'time']);
    const text = server.stderr();
    expect(text).not.toContain(created.body.value);
    expect(text).not.toContain(token);
    expect(text).not.toContain(server.adminClientSecret);
  });

  it('survives a malformed HTTP request line', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${server.url}/v1/api-keys/%E0%A4%A`, { method: 'GET', headers: { authorization: `Bearer ${token}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    expect((await admin.get('/v1/scopes')).status).toBe(200);
  });
});

describe('rate limiting', () => {
  it('answers 429 with Retry-After once a credential exceeds its rate', async () => {
    const limited = await startTestServer({ args: ['--rate-limit', '3', '--quiet'] });
    try {
      const t = await limited.adminToken();
      const results = await Promise.all(Array.from({ length: 10 }, () => call(limited.url, 'GET', '/v1/scopes', { token: t })));
      const throttled = results.filter((r) => r.status === 429);
      expect(throttled.length).toBeGreaterThan(0);
      expect(throttled[0].headers.get('retry-after')).toMatch(/^\d+$/);
      expect(throttled[0].body.errors[0]).toMatch(/^Rate limit exceeded: retry after \d+ seconds?\.$/);
      expect(results.filter((r) => r.status === 200).length).toBeGreaterThan(0);
    } finally {
      await limited.stop();
    }
  });
});
