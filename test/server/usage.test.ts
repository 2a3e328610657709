/**
 * Per-key usage by scope per day (migration 6, `GET /v1/api-keys/{id}/usage`): every request a key
 * makes past the scope check is counted under the scope its route required; refused requests are not
 * usage; another merchant's key is 404; the window is validated.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startServer, type RunningServer } from '../../src/server';
import { USAGE_RETENTION_DAYS } from '../../src/server/usage';
import { as } from './http';

const ADMIN = { id: 'usage-admin', secret: 'usage-admin-secret-0123456789abcdef' };
let dir: string;
let server: RunningServer;
let admin: ReturnType<typeof as>;
let adminToken = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyform-usage-'));
  server = await startServer({ dataDir: dir, quiet: true, env: { KEYFORM_ADMIN_CLIENT_ID: ADMIN.id, KEYFORM_ADMIN_CLIENT_SECRET: ADMIN.secret } });
  const token = await fetch(`${server.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: ADMIN.id, client_secret: ADMIN.secret }),
  }).then((r) => r.json() as Promise<{ access_token: string }>);
  adminToken = token.access_token;
  admin = as(server.url, adminToken);
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const today = () => new Date().toISOString().slice(0, 10);

describe('GET /v1/api-keys/{id}/usage', () => {
  it('counts requests by the scope each route required, errors apart, and not the refused ones', async () => {
    const k = await admin.post('/v1/api-keys', { mid: 'mid_123456', name: 'reader', type: 'secret', scopes: ['api_keys:write', 'audit_log:read', 'customers:read'] });
    const key = as(server.url, k.body.value);
    expect((await key.get('/v1/api-keys?limit=1')).status).toBe(200);
    expect((await key.get('/v1/api-keys/key_doesnotexist')).status).toBe(404);
    expect((await key.get('/v1/scopes')).status).toBe(200);
    // Refused: the key lacks request_logs:read, so nothing of it was exercised.
    expect((await key.get(`/v1/api-keys/${k.body.id}/logs`)).status).toBe(403);
    const res = await admin.get(`/v1/api-keys/${k.body.id}/usage`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: 'api_key_usage', key_id: k.body.id, until: today() });
    expect(res.body.scopes.map((s: any) => [s.scope, s.requests, s.errors])).toEqual([
      ['api_keys:read', 2, 1],
      [null, 1, 0],
    ]);
    expect(res.body.days).toEqual([
      { day: today(), scope: null, requests: 1, errors: 0 },
      { day: today(), scope: 'api_keys:read', requests: 2, errors: 1 },
    ]);
    expect(res.body.retained_since).toBe(new Date(Date.now() - (USAGE_RETENTION_DAYS - 1) * 86_400_000).toISOString().slice(0, 10));
  });

  it('is empty for a key never used, and for a window before its use', async () => {
    const k = await admin.post('/v1/api-keys', { mid: 'mid_123456', name: 'idle', type: 'secret', scopes: ['api_keys:read'] });
    expect((await admin.get(`/v1/api-keys/${k.body.id}/usage`)).body).toMatchObject({ scopes: [], days: [] });
    await as(server.url, k.body.value).get('/v1/api-keys?limit=1');
    expect((await admin.get(`/v1/api-keys/${k.body.id}/usage?since=2020-01-01&until=2020-12-31`)).body).toMatchObject({ scopes: [], days: [] });
    expect((await admin.get(`/v1/api-keys/${k.body.id}/usage?since=${today()}`)).body.scopes).toHaveLength(1);
  });

  it.each([
    { reason: 'not a day', query: 'since=yesterday', status: 400 },
    { reason: 'not a calendar day', query: 'since=2030-02-30', status: 400 },
    { reason: 'since after until', query: 'since=2030-01-02&until=2030-01-01', status: 400 },
    { reason: 'unknown parameter', query: 'scope=customers:read', status: 400 },
  ])('refuses a bad window: $reason', async ({ query, status }) => {
    const k = await admin.post('/v1/api-keys', { mid: 'mid_123456', name: 'w', type: 'secret', scopes: ['api_keys:read'] });
    const res = await admin.get(`/v1/api-keys/${k.body.id}/usage?${query}`);
    expect(res.status).toBe(status);
    expect(res.body.errors.length).toBeGreaterThan(0);
  });

  it("is 404 for another merchant's key, and needs request_logs:read", async () => {
    const victim = await admin.post('/v1/api-keys', { mid: 'mid_654321', name: 'victim', type: 'secret', scopes: ['api_keys:read'] });
    const spy = await admin.post('/v1/api-keys', { mid: 'mid_123456', name: 'spy', type: 'secret' });
    expect((await as(server.url, spy.body.value).get(`/v1/api-keys/${victim.body.id}/usage`)).status).toBe(404);
    const narrow = await admin.post('/v1/api-keys', { mid: 'mid_123456', name: 'narrow', type: 'secret', scopes: ['api_keys:read'] });
    const res = await as(server.url, narrow.body.value).get(`/v1/api-keys/${narrow.body.id}/usage`);
    expect(res.body).toEqual({ errors: ['Missing required scope: request_logs:read.'] });
  });

  it('prunes days older than the retention when a new day is first recorded', async () => {
    const k = await admin.post('/v1/api-keys', { mid: 'mid_123456', name: 'old', type: 'secret', scopes: ['api_keys:read'] });
    const db = new Database(join(dir, 'keyform.db'));
    const old = new Date(Date.now() - (USAGE_RETENTION_DAYS + 5) * 86_400_000).toISOString().slice(0, 10);
    db.prepare("INSERT INTO api_key_usage (key_id, day, scope, requests, errors, last_used_at) VALUES (?, ?, 'api_keys:read', 3, 0, ?)").run(k.body.id, old, `${old}T00:00:00.000Z`);
    db.close();
    // A fresh server process has not pruned today yet: its first recorded request prunes.
    await server.close();
    server = await startServer({ dataDir: dir, quiet: true, env: { KEYFORM_ADMIN_CLIENT_ID: ADMIN.id, KEYFORM_ADMIN_CLIENT_SECRET: ADMIN.secret } });
    admin = as(server.url, adminToken);
    await as(server.url, k.body.value).get('/v1/api-keys?limit=1');
    const res = await admin.get(`/v1/api-keys/${k.body.id}/usage?since=2000-01-01`);
    expect(res.body.days.map((d: any) => d.day)).toEqual([today()]);
  });
});
