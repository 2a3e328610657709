import { startTestServer, type TestServer } from '../support/server';
import { as } from './http';

let server: TestServer;
let admin: ReturnType<typeof as>;

beforeAll(async () => {
  server = await startTestServer();
  admin = as(server.url, await server.adminToken());
});
afterAll(async () => {
  await server.stop();
});

const claudeCode = {
  name: 'claude-code',
  kind: 'oauth2',
  owner_id: 'usr_alice',
  capabilities: ['mcp', 'api'],
  project_access: [{ project_id: 'proj_payments', role: 'viewer' }],
  mcp_servers: ['billing-flow', 'refunds-flow'],
};

describe('POST /v1/authorizations (seed 002)', () => {
  it('creates an oauth2 authorization with a client id and a secret shown only once', async () => {
    const res = await admin.post('/v1/authorizations', claudeCode);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ...claudeCode, object: 'authorization', client_id: expect.stringMatching(/^fci_/) });
    expect(res.body.secret).toMatch(/^fcs_[0-9A-Za-z]{32}$/);
    expect(res.body.fingerprint).toMatch(/^sha256:[0-9a-f]{16}$/);
    const got = await admin.get(`/v1/authorizations/${res.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body.secret).toBeUndefined();
    expect(got.text).not.toContain(res.body.secret);
  });

  it('creates an api_key authorization with a token secret and no client id', async () => {
    const res = await admin.post('/v1/authorizations', { name: 'ci', kind: 'api_key', owner_id: 'usr_bob', capabilities: ['api'] });
    expect(res.status).toBe(201);
    expect(res.body.secret).toMatch(/^fat_test_[0-9A-Za-z]{32}$/);
    expect(res.body.client_id).toBeNull();
  });

  it.each([
    {
      body: { name: 'a', kind: 'api_key', owner_id: 'usr_bob', capabilities: ['secrets:edit'] },
      status: 403,
      errors: ['Authorization exceeds its owner usr_bob: capability secrets:edit is not held by the owner.'],
      reason: 'a capability the owner lacks',
    },
    {
      body: { name: 'a', kind: 'api_key', owner_id: 'usr_bob', project_access: [{ project_id: 'proj_support', role: 'editor' }] },
      status: 403,
      errors: ["Authorization exceeds its owner usr_bob: role editor on project proj_support is above the owner's role viewer."],
      reason: 'a role above the owner',
    },
    {
      body: { name: 'a', kind: 'api_key', owner_id: 'usr_bob', project_access: [{ project_id: 'proj_payments', role: 'viewer' }] },
      status: 403,
      errors: ['Authorization exceeds its owner usr_bob: the owner has no access to project proj_payments.'],
      reason: 'a project the owner cannot access',
    },
    {
      body: { name: 'a', kind: 'api_key', owner_id: 'usr_alice', capabilities: ['apps:admin'] },
      status: 400,
      errors: ['Capability apps:admin requires apps:view: add apps:view to capabilities.'],
      reason: 'a capability without its prerequisite',
    },
    {
      body: { name: 'a', kind: 'api_key', owner_id: 'usr_alice', capabilities: ['api'], project_access: [{ project_id: 'proj_payments', role: 'viewer' }], mcp_servers: ['billing-flow'] },
      status: 400,
      errors: ['MCP server billing-flow needs the mcp capability: add mcp to capabilities.'],
      reason: 'an MCP server without the mcp capability',
    },
    {
      body: { name: 'a', kind: 'api_key', owner_id: 'usr_alice', capabilities: ['mcp'], mcp_servers: ['support-kb'] },
      status: 400,
      errors: ['MCP server support-kb is in project proj_support, which this authorization has no access to: grant access to proj_support first.'],
      reason: "an MCP server without access to its project",
    },
    {
      body: { name: 'a', kind: 'api_key', owner_id: 'usr_nobody' },
      status: 400,
      errors: ['Unknown owner_id: usr_nobody. Create the user first (POST /v1/admin/users).'],
      reason: 'an unknown owner',
    },
    {
      body: { name: 'a', kind: 'api_key', owner_id: 'usr_alice', capabilities: ['mcp'], project_access: [{ project_id: 'proj_x', role: 'viewer' }], mcp_servers: ['nope'] },
      status: 400,
      errors: ['Unknown project_id: proj_x. List projects with GET /v1/projects.', 'Unknown MCP server: nope. List MCP servers with GET /v1/mcp-servers.'],
      reason: 'unknown project and server ids',
    },
    {
      body: { name: 'a', kind: 'bot', owner_id: 'usr_alice', capabilities: ['fly'] },
      status: 400,
      errors: ['Invalid kind value. Use one of: api_key, oauth2.', 'Invalid capability value. Use one of: mcp, api, apps:view, apps:admin, flows:edit, secrets:edit, endpoints:access.'],
      reason: 'invalid enum values',
    },
  ])('refuses $reason with $status and changes nothing', async ({ body, status, errors }) => {
    const before = (await admin.get('/v1/authorizations?limit=1000')).body.data.length;
    const res = await admin.post('/v1/authorizations', body);
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ errors });
    expect((await admin.get('/v1/authorizations?limit=1000')).body.data.length).toBe(before);
  });
});

describe('authorization sub-resources', () => {
  it('grants and removes project access and MCP servers idempotently, refusing to orphan a grant', async () => {
    const a = (await admin.post('/v1/authorizations', { name: 'assistant', kind: 'api_key', owner_id: 'usr_alice', capabilities: ['mcp'] })).body;
    const p1 = await admin.put(`/v1/authorizations/${a.id}/projects/proj_payments`, { role: 'editor' });
    expect(p1.status).toBe(200);
    expect(p1.body.project_access).toEqual([{ project_id: 'proj_payments', role: 'editor' }]);
    const p2 = await admin.put(`/v1/authorizations/${a.id}/projects/proj_payments`, { role: 'editor' });
    expect(p2.body.updated_at).toBe(p1.body.updated_at);
    const lower = await admin.put(`/v1/authorizations/${a.id}/projects/proj_payments`, { role: 'viewer' });
    expect(lower.body.project_access).toEqual([{ project_id: 'proj_payments', role: 'viewer' }]);
    const g1 = await admin.put(`/v1/authorizations/${a.id}/mcp-servers/billing-flow`);
    expect(g1.status).toBe(200);
    expect(g1.body.mcp_servers).toEqual(['billing-flow']);
    expect((await admin.put(`/v1/authorizations/${a.id}/mcp-servers/billing-flow`)).body.mcp_servers).toEqual(['billing-flow']);
    const orphan = await admin.del(`/v1/authorizations/${a.id}/projects/proj_payments`);
    expect(orphan.status).toBe(409);
    expect(orphan.body).toEqual({
      errors: ['Cannot remove access to project proj_payments while MCP server billing-flow of it is granted: remove the MCP server grant first.'],
    });
    const noProject = await admin.put(`/v1/authorizations/${a.id}/mcp-servers/deploy-flow`);
    expect(noProject.status).toBe(400);
    expect(noProject.body.errors[0]).toContain('grant access to proj_platform first');
    const unknown = await admin.put(`/v1/authorizations/${a.id}/mcp-servers/ghost`);
    expect(unknown.status).toBe(400);
    const badProject = await admin.put(`/v1/authorizations/${a.id}/projects/proj_ghost`, { role: 'viewer' });
    expect(badProject.status).toBe(400);
    expect(badProject.body).toEqual({ errors: ['Unknown project_id: proj_ghost. List projects with GET /v1/projects.'] });
    expect((await admin.del(`/v1/authorizations/${a.id}/mcp-servers/billing-flow`)).body.mcp_servers).toEqual([]);
    expect((await admin.del(`/v1/authorizations/${a.id}/mcp-servers/billing-flow`)).status).toBe(200);
    expect((await admin.del(`/v1/authorizations/${a.id}/projects/proj_payments`)).body.project_access).toEqual([]);
    expect((await admin.del(`/v1/authorizations/${a.id}/projects/proj_payments`)).status).toBe(200);
    const bad = await admin.put(`/v1/authorizations/${a.id}/projects/proj_support`, { role: 'owner' });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ errors: ['Invalid role value. Use one of: viewer, editor, admin.'] });
  });

  it('keeps a PATCH within the owner and applies it atomically', async () => {
    const a = (await admin.post('/v1/authorizations', { name: 'b', kind: 'oauth2', owner_id: 'usr_bob', capabilities: ['api'] })).body;
    const over = await admin.patch(`/v1/authorizations/${a.id}`, { name: 'renamed', capabilities: ['api', 'flows:edit'] });
    expect(over.status).toBe(403);
    expect(over.body.errors).toEqual(['Authorization exceeds its owner usr_bob: capability flows:edit is not held by the owner.']);
    expect((await admin.get(`/v1/authorizations/${a.id}`)).body.name).toBe('b');
    const ok = await admin.patch(`/v1/authorizations/${a.id}`, {
      name: 'renamed',
      capabilities: ['api', 'mcp'],
      project_access: [{ project_id: 'proj_support', role: 'viewer' }],
      mcp_servers: ['support-kb'],
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ name: 'renamed', capabilities: ['api', 'mcp'], mcp_servers: ['support-kb'] });
    const imm = await admin.patch(`/v1/authorizations/${a.id}`, { kind: 'api_key' });
    expect(imm.status).toBe(400);
  });

  it('deletes idempotently with 204 and then hides the authorization', async () => {
    const a = (await admin.post('/v1/authorizations', { name: 'gone', kind: 'api_key', owner_id: 'usr_alice' })).body;
    const d1 = await admin.del(`/v1/authorizations/${a.id}`);
    expect(d1.status).toBe(204);
    expect(d1.text).toBe('');
    expect((await admin.del(`/v1/authorizations/${a.id}`)).status).toBe(204);
    expect((await admin.get(`/v1/authorizations/${a.id}`)).status).toBe(404);
    expect((await admin.put(`/v1/authorizations/${a.id}/projects/proj_support`, { role: 'viewer' })).status).toBe(404);
    expect((await admin.del('/v1/authorizations/auth_never')).status).toBe(404);
  });

  it('lists authorizations filtered by owner, in created order', async () => {
    const res = await admin.get('/v1/authorizations?owner_id=usr_bob');
    expect(res.status).toBe(200);
    expect(res.body.data.length).toBeGreaterThan(0);
    for (const a of res.body.data) expect(a.owner_id).toBe('usr_bob');
  });
});

describe('owner bounds over time (seed 002)', () => {
  it("narrows an authorization when its owner loses access, as the owner's own permissions bound it", async () => {
    await admin.post('/v1/admin/users', {
      id: 'usr_dave',
      mid: 'mid_123456',
      roles: [{ project_id: 'proj_payments', role: 'editor' }, { project_id: 'proj_support', role: 'editor' }],
      capabilities: ['mcp', 'api', 'apps:view', 'apps:admin'],
    });
    const a = (
      await admin.post('/v1/authorizations', {
        name: 'dave-tool',
        kind: 'oauth2',
        owner_id: 'usr_dave',
        capabilities: ['mcp', 'apps:view', 'apps:admin'],
        project_access: [{ project_id: 'proj_payments', role: 'editor' }, { project_id: 'proj_support', role: 'editor' }],
        mcp_servers: ['billing-flow', 'support-kb'],
      })
    ).body;
    // WHEN dave loses proj_payments, drops to viewer on proj_support and loses apps:view
    const u = await admin.post('/v1/admin/users', { id: 'usr_dave', mid: 'mid_123456', roles: [{ project_id: 'proj_support', role: 'viewer' }], capabilities: ['mcp', 'api', 'apps:admin'] });
    expect(u.status).toBe(200);
    // THEN the authorization follows: no payments access or its MCP server, viewer on support, no apps capabilities.
    const got = await admin.get(`/v1/authorizations/${a.id}`);
    expect(got.body).toMatchObject({ capabilities: ['mcp'], project_access: [{ project_id: 'proj_support', role: 'viewer' }], mcp_servers: ['support-kb'] });
    const audit = await admin.get(`/v1/audit-log?target_id=${a.id}`);
    expect(audit.body.data[0]).toMatchObject({ action: 'authorization.clamp', mid: 'mid_123456' });
  });
});

describe('catalogs and admin routes', () => {
  it('serves the scope, project and MCP-server catalogs of the default seed', async () => {
    const scopes = await admin.get('/v1/scopes');
    expect(scopes.body.data).toContainEqual(expect.objectContaining({ scope: 'customers:read', resource: 'customers', access: 'read' }));
    const projects = await admin.get('/v1/projects');
    expect(projects.body.data.map((p: { id: string }) => p.id)).toEqual(['proj_payments', 'proj_support', 'proj_platform']);
    const servers = await admin.get('/v1/mcp-servers?project_id=proj_payments');
    expect(servers.body.data.map((s: { id: string }) => s.id)).toEqual(['billing-flow', 'refunds-flow']);
    const page = await admin.get('/v1/mcp-servers?limit=3');
    expect(page.body.has_more).toBe(true);
  });

  it('upserts merchants, projects, MCP servers and users idempotently', async () => {
    const m1 = await admin.post('/v1/admin/merchants', { mid: 'mid_777', name: 'Seven' });
    expect(m1.status).toBe(201);
    const m2 = await admin.post('/v1/admin/merchants', { mid: 'mid_777', name: 'Seven Renamed' });
    expect(m2.status).toBe(200);
    expect(m2.body).toMatchObject({ id: 'mid_777', mid: 'mid_777', name: 'Seven Renamed', created_at: m1.body.created_at });
    expect((await admin.post('/v1/admin/projects', { id: 'proj_new', name: 'New' })).status).toBe(201);
    expect((await admin.post('/v1/admin/projects', { id: 'proj_new', name: 'New' })).status).toBe(200);
    expect((await admin.post('/v1/admin/mcp-servers', { id: 'new-flow', project_id: 'proj_new', name: 'new-flow' })).status).toBe(201);
    const badServer = await admin.post('/v1/admin/mcp-servers', { id: 'x', project_id: 'proj_ghost', name: 'x' });
    expect(badServer.status).toBe(400);
    const u = await admin.post('/v1/admin/users', { id: 'usr_erin', mid: 'mid_777', roles: [{ project_id: 'proj_new', role: 'editor' }], capabilities: ['mcp'] });
    expect(u.status).toBe(201);
    expect(u.body).toMatchObject({ id: 'usr_erin', mid: 'mid_777', roles: [{ project_id: 'proj_new', role: 'editor' }], capabilities: ['mcp'] });
    expect((await admin.post('/v1/admin/users', { id: 'usr_erin', mid: 'mid_777', capabilities: ['mcp', 'api'] })).status).toBe(200);
    const merchants = await admin.get('/v1/admin/merchants');
    expect(merchants.body.data.map((m: { mid: string }) => m.mid)).toEqual(['mid_123456', 'mid_654321', 'mid_777']);
    const users = await admin.get('/v1/admin/users');
    expect(users.body.data.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining(['usr_alice', 'usr_bob', 'usr_carol', 'usr_erin']));
    // The new merchant can hold keys at once.
    expect((await admin.post('/v1/api-keys', { mid: 'mid_777', name: 'k', type: 'secret' })).status).toBe(201);
  });
});

describe('merchant boundary: users belong to a merchant, authorizations to their owner’s', () => {
  const keyOf = async (mid: string, scopes: string[]) => as(server.url, (await admin.post('/v1/api-keys', { mid, name: 'merchant boundary', type: 'secret', scopes })).body.value);
  const carolTool = { name: 'carol-tool', kind: 'api_key', owner_id: 'usr_carol', capabilities: ['mcp', 'api'], project_access: [{ project_id: 'proj_payments', role: 'editor' }], mcp_servers: ['billing-flow'] };

  it('seeds usr_alice and usr_bob in mid_123456 and usr_carol in mid_654321', async () => {
    const users = (await admin.get('/v1/admin/users?limit=1000')).body.data as { id: string; mid: string }[];
    expect(Object.fromEntries(users.filter((u) => ['usr_alice', 'usr_bob', 'usr_carol'].includes(u.id)).map((u) => [u.id, u.mid]))).toEqual({
      usr_alice: 'mid_123456',
      usr_bob: 'mid_123456',
      usr_carol: 'mid_654321',
    });
  });

  it("gives an authorization its owner's mid and audits it under that merchant", async () => {
    const other = await keyOf('mid_654321', ['authorizations:write', 'audit_log:read']);
    // Created by the admin: a key holds none of carol's powers, so it may not hand them out (issue 9);
    // it may narrow and delete.
    const created = await admin.post('/v1/authorizations', carolTool);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ owner_id: 'usr_carol', mid: 'mid_654321' });
    expect((await admin.get(`/v1/authorizations/${created.body.id}`)).body.mid).toBe('mid_654321');
    expect((await other.del(`/v1/authorizations/${created.body.id}/mcp-servers/billing-flow`)).status).toBe(200);
    await other.del(`/v1/authorizations/${created.body.id}`);
    // THEN the merchant's own auditor sees every change, and the other merchant's auditor none.
    const seen = await other.get(`/v1/audit-log?target_id=${created.body.id}`);
    expect(seen.body.data.map((e: { action: string; mid: string }) => [e.action, e.mid])).toEqual([
      ['authorization.delete', 'mid_654321'],
      ['authorization.mcp_server.delete', 'mid_654321'],
      ['authorization.create', 'mid_654321'],
    ]);
    const outsider = await keyOf('mid_123456', ['audit_log:read']);
    expect((await outsider.get(`/v1/audit-log?target_id=${created.body.id}`)).body.data).toEqual([]);
  });

  it.each([
    { scopes: [] as string[], reason: 'a full-access key' },
    { scopes: ['authorizations:write'], reason: 'a key holding authorizations:write' },
  ])("keeps $reason of mid_123456 out of mid_654321's authorizations (404, and on create the unknown-owner 400), changing nothing", async ({ scopes }) => {
    const victim = (await admin.post('/v1/authorizations', carolTool)).body;
    const before = (await admin.get(`/v1/authorizations/${victim.id}`)).body;
    const k = await keyOf('mid_123456', scopes);
    const notFound = { errors: [`No such authorization: ${victim.id}.`] };
    const calls = [
      await k.get(`/v1/authorizations/${victim.id}`),
      await k.patch(`/v1/authorizations/${victim.id}`, { name: 'hijacked' }),
      await k.put(`/v1/authorizations/${victim.id}/projects/proj_platform`, { role: 'viewer' }),
      await k.del(`/v1/authorizations/${victim.id}/projects/proj_payments`),
      await k.put(`/v1/authorizations/${victim.id}/mcp-servers/refunds-flow`),
      await k.del(`/v1/authorizations/${victim.id}/mcp-servers/billing-flow`),
      await k.del(`/v1/authorizations/${victim.id}`),
    ];
    for (const res of calls) expect({ status: res.status, body: res.body }).toEqual({ status: 404, body: notFound });
    const create = await k.post('/v1/authorizations', { ...carolTool, name: 'planted' });
    // Another merchant's user does not exist for this key: exactly the answer for an unknown user.
    expect({ status: create.status, body: create.body }).toEqual({
      status: 400,
      body: { errors: ['Unknown owner_id: usr_carol. Create the user first (POST /v1/admin/users).'] },
    });
    const listed = await k.get('/v1/authorizations?limit=1000');
    expect(listed.body.data.every((a: { mid: string }) => a.mid === 'mid_123456')).toBe(true);
    expect(listed.text).not.toContain(victim.id);
    expect((await k.get('/v1/authorizations?owner_id=usr_carol')).body.data).toEqual([]);
    expect((await admin.get(`/v1/authorizations/${victim.id}`)).body).toEqual(before);
    expect((await admin.get(`/v1/audit-log?target_id=${victim.id}`)).body.data.map((e: { action: string }) => e.action)).toEqual(['authorization.create']);
  });

  it('answers a create for another merchant’s user exactly like one for an unknown user, so nothing of that user leaks', async () => {
    const k = await keyOf('mid_123456', []);
    // Beyond carol's permissions too: the answer must still be the unknown-owner answer, not carol's limits.
    const probe = { name: 'probe', kind: 'api_key', capabilities: ['secrets:edit'] };
    const res = await k.post('/v1/authorizations', { ...probe, owner_id: 'usr_carol' });
    const unknown = await k.post('/v1/authorizations', { ...probe, owner_id: 'usr_nobody' });
    expect(res.status).toBe(400);
    expect({ status: res.status, text: res.text.replace('usr_carol', 'ID') }).toEqual({ status: unknown.status, text: unknown.text.replace('usr_nobody', 'ID') });
    expect(res.text).not.toContain('secrets:edit');
    expect(res.text).not.toContain('mid_654321');
  });

  it('lets the admin client see and manage every merchant’s authorizations', async () => {
    const res = await admin.get('/v1/authorizations?limit=1000');
    const mids = new Set(res.body.data.map((a: { mid: string }) => a.mid));
    expect(mids).toEqual(new Set(['mid_123456', 'mid_654321']));
  });

  it.each([
    { body: { id: 'usr_nomid', roles: [] }, status: 400, errors: ['Missing required field: mid.'], reason: 'a user without a merchant' },
    { body: { id: 'usr_nomid', mid: 'mid_ghost' }, status: 400, errors: ['Unknown mid: mid_ghost. Create the merchant first (POST /v1/admin/merchants).'], reason: 'a user of an unknown merchant' },
    {
      body: { id: 'usr_carol', mid: 'mid_123456', roles: [{ project_id: 'proj_payments', role: 'editor' }], capabilities: ['mcp', 'api'] },
      status: 409,
      errors: ["User usr_carol belongs to merchant mid_654321: a user's merchant cannot change. Create a new user for the other merchant instead."],
      reason: 'moving a user (and with it their authorizations) to another merchant',
    },
  ])('refuses $reason with $status and changes nothing', async ({ body, status, errors }) => {
    const before = (await admin.get('/v1/admin/users?limit=1000')).body;
    const res = await admin.post('/v1/admin/users', body);
    expect({ status: res.status, body: res.body }).toEqual({ status, body: { errors } });
    expect((await admin.get('/v1/admin/users?limit=1000')).body).toEqual(before);
  });
});
