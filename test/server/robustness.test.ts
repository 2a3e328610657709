import { ROUTES } from '../../src/model';
import { startTestServer, type TestServer } from '../support/server';
import { call } from './http';

let server: TestServer;
let token: string;

beforeAll(async () => {
  server = await startTestServer({ args: ['--quiet'] });
  token = await server.adminToken();
});
afterAll(async () => {
  await server.stop();
});

const BODIES: { body: string; reason: string }[] = [
  { body: 'null', reason: 'JSON null' },
  { body: '"text"', reason: 'a JSON string' },
  { body: '12', reason: 'a JSON number' },
  { body: '[]', reason: 'a JSON array' },
  { body: '{}', reason: 'an empty object' },
  { body: '{"mid":{"$gt":""},"name":["x"],"type":1,"scopes":"customers:read","capabilities":{},"role":null,"grace_period_seconds":"1"}', reason: 'every field of the wrong type' },
  { body: '{"name":"\\u0000","mid":"mid_123456","type":"secret","expires_at":"not a date","metadata":{"k":{"n":1}}}', reason: 'control characters and bad nested values' },
  { body: '{"grace_period_seconds":1e309,"limit":-1,"project_access":[{"project_id":"","role":"admin"}],"mcp_servers":[null]}', reason: 'out-of-range numbers and empty ids' },
  { body: '{"__proto__":{"admin":true},"constructor":{"prototype":{}}}', reason: 'prototype-pollution keys' },
];

const ODD_IDS = ['%00', 'a'.repeat(3000), "'; DROP TABLE api_keys; --", '..%2F..%2Fetc'];

function fill(path: string, id: string): string {
  return path.replace(/\{[^}]+\}/g, id);
}

describe('no 5xx for bad input', () => {
  it.each(BODIES)('answers 4xx {errors} to $reason on every route', async ({ body }) => {
    for (const r of ROUTES) {
      if (r.method === 'GET') continue;
      const res = await call(server.url, r.method, fill(r.path, 'key_x'), { token, body, headers: { 'content-type': 'application/json' } });
      expect({ route: r.id, status: res.status < 500 }).toEqual({ route: r.id, status: true });
      if (res.status >= 400) expect(Array.isArray(res.body?.errors)).toBe(true);
    }
  });

  it('answers 4xx to odd path ids and query strings on every route', async () => {
    for (const r of ROUTES) {
      for (const id of ODD_IDS) {
        const res = await call(server.url, r.method, `${fill(r.path, encodeURIComponent(id))}?limit=abc&cursor=${'%FF'.repeat(3)}`, { token });
        expect({ route: r.id, id: id.slice(0, 20), ok: res.status < 500 }).toEqual({ route: r.id, id: id.slice(0, 20), ok: true });
      }
    }
    // The store is intact after all that.
    expect((await call(server.url, 'GET', '/v1/api-keys', { token })).status).toBe(200);
  });

  it('rotates with no body at all, using the default grace period', async () => {
    const key = await call(server.url, 'POST', '/v1/api-keys', { token, body: { mid: 'mid_123456', name: 'k', type: 'secret' } });
    const res = await call(server.url, 'POST', `/v1/api-keys/${key.body.id}/rotate`, { token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: 2, previous_expires_at: null });
  });
});
