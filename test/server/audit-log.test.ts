import { startTestServer, type TestServer } from '../support/server';
import { as, SEED_004_BODY } from './http';

let server: TestServer;
let admin: ReturnType<typeof as>;

beforeAll(async () => {
  server = await startTestServer({ args: ['--quiet'] });
  admin = as(server.url, await server.adminToken());
});
afterAll(async () => {
  await server.stop();
});

describe('GET /v1/audit-log', () => {
  it('attributes every mutation to the credential that made it, newest first', async () => {
    const created = await admin.post('/v1/api-keys', { mid: 'mid_123456', name: 'auditor', type: 'secret' });
    const byKey = as(server.url, created.body.value);
    const child = await byKey.post('/v1/api-keys', SEED_004_BODY);
    await byKey.patch(`/v1/api-keys/${child.body.id}`, { name: 'child renamed' });
    await admin.post(`/v1/api-keys/${child.body.id}/rotate`, {});
    const revoke = await byKey.del(`/v1/api-keys/${child.body.id}`);
    const res = await admin.get(`/v1/audit-log?target_id=${child.body.id}`);
    expect(res.status).toBe(200);
    expect(res.body.data.map((e: { action: string; actor: { type: string; id: string } }) => [e.action, e.actor.type, e.actor.id])).toEqual([
      ['api_key.revoke', 'api_key', created.body.id],
      ['api_key.rotate', 'oauth_client', server.adminClientId],
      ['api_key.update', 'api_key', created.body.id],
      ['api_key.create', 'api_key', created.body.id],
    ]);
    expect(res.body.data[0]).toMatchObject({ target_id: child.body.id, mid: 'mid_123456', request_id: revoke.headers.get('x-request-id') });
  });

  it('does not record reads or no-op changes', async () => {
    const key = (await admin.post('/v1/api-keys', SEED_004_BODY)).body;
    await admin.get(`/v1/api-keys/${key.id}`);
    await admin.del(`/v1/api-keys/${key.id}`);
    await admin.del(`/v1/api-keys/${key.id}`);
    const res = await admin.get(`/v1/audit-log?target_id=${key.id}`);
    expect(res.body.data.map((e: { action: string }) => e.action)).toEqual(['api_key.revoke', 'api_key.create']);
  });

  it('records authorization and admin changes', async () => {
    const a = (await admin.post('/v1/authorizations', { name: 'x', kind: 'api_key', owner_id: 'usr_alice', capabilities: ['mcp'] })).body;
    await admin.put(`/v1/authorizations/${a.id}/projects/proj_payments`, { role: 'viewer' });
    await admin.put(`/v1/authorizations/${a.id}/mcp-servers/billing-flow`);
    await admin.del(`/v1/authorizations/${a.id}`);
    const res = await admin.get(`/v1/audit-log?target_id=${a.id}`);
    expect(res.body.data.map((e: { action: string }) => e.action)).toEqual([
      'authorization.delete',
      'authorization.mcp_server.put',
      'authorization.project_access.put',
      'authorization.create',
    ]);
    await admin.post('/v1/admin/projects', { id: 'proj_audit', name: 'Audit' });
    expect((await admin.get('/v1/audit-log?target_id=proj_audit')).body.data[0]).toMatchObject({ action: 'project.create', actor: { type: 'oauth_client' } });
  });

  it("shows an API key only its own merchant's entries", async () => {
    await admin.post('/v1/api-keys', { mid: 'mid_654321', name: 'other merchant', type: 'secret' });
    const mine = (await admin.post('/v1/api-keys', { mid: 'mid_123456', name: 'reader', type: 'secret', scopes: ['audit_log:read'] })).body;
    const res = await as(server.url, mine.value).get('/v1/audit-log?limit=1000');
    expect(res.status).toBe(200);
    expect(res.body.data.length).toBeGreaterThan(0);
    for (const e of res.body.data) expect(e.mid).toBe('mid_123456');
  });

  it('pages newest first with a cursor', async () => {
    const p1 = await admin.get('/v1/audit-log?limit=2');
    const p2 = await admin.get(`/v1/audit-log?limit=2&cursor=${encodeURIComponent(p1.body.next_cursor)}`);
    expect(p1.body.has_more).toBe(true);
    const all = await admin.get('/v1/audit-log?limit=4');
    expect([...p1.body.data, ...p2.body.data]).toEqual(all.body.data);
  });
});
