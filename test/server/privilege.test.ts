/**
 * The privilege model (issue 9, items 1 and 2), against the real server:
 * - every key route × caller (admin client, full-access key, narrow key, test vs live, other
 *   merchant) as one table with a `reason` per row; refused calls change nothing;
 * - the escalation chain of the issue, replayed: its first step fails;
 * - expiry never outlives the caller; cascade revoke with lineage in the audit log;
 * - an authorization's powers are handed out only by a caller holding them.
 */
import { ROUTES as MODEL_ROUTES } from '../../src/model';
import { startTestServer, type TestServer } from '../support/server';
import { as, call, type Res } from './http';

jest.setTimeout(120_000);

const MID = 'mid_123456';
const OTHER = 'mid_654321';

let server: TestServer;
let admin: ReturnType<typeof as>;

beforeAll(async () => {
  server = await startTestServer({ args: ['--quiet'] });
  admin = as(server.url, await server.adminToken());
});
afterAll(async () => {
  await server.stop();
});

async function key(mid: string, scopes: string[], extra: Record<string, unknown> = {}): Promise<{ id: string; value: string }> {
  const res = await admin.post('/v1/api-keys', { mid, name: 'privilege test', type: 'secret', scopes, ...extra });
  if (res.status !== 201) throw new Error(`fixture key: ${res.status} ${res.text}`);
  return res.body;
}

async function audited(res: Res): Promise<boolean> {
  const page = await admin.get('/v1/audit-log?limit=1000');
  return (page.body.data as { request_id: string }[]).some((e) => e.request_id === res.headers.get('x-request-id'));
}

type Caller = 'admin' | 'full test key' | 'full live key' | 'narrow test key' | 'narrow live key' | 'other merchant full test key';
type Route = 'get' | 'list' | 'patch' | 'widen' | 'narrow' | 'rotate' | 'revoke' | 'logs' | 'usage' | 'create';

// request_logs:read for the logs and usage routes.
const NARROW = ['api_keys:write', 'request_logs:read', 'charges:read'];

async function bearer(caller: Caller): Promise<string> {
  switch (caller) {
    case 'admin':
      return server.adminToken();
    case 'full test key':
      return (await key(MID, [])).value;
    case 'full live key':
      return (await key(MID, [], { mode: 'live' })).value;
    case 'narrow test key':
      return (await key(MID, NARROW)).value;
    case 'narrow live key':
      return (await key(MID, NARROW, { mode: 'live' })).value;
    case 'other merchant full test key':
      return (await key(OTHER, [])).value;
  }
}

/** The request of a route against `target` (the key it acts on; create makes one like it). */
function request(route: Route, target: { id: string; mode: string; scopes: string[] }): { method: string; path: string; body?: unknown } {
  switch (route) {
    case 'get':
      return { method: 'GET', path: `/v1/api-keys/${target.id}` };
    case 'list':
      return { method: 'GET', path: '/v1/api-keys?limit=1000' };
    case 'patch':
      return { method: 'PATCH', path: `/v1/api-keys/${target.id}`, body: { name: 'renamed by a table row' } };
    case 'widen':
      return { method: 'PATCH', path: `/v1/api-keys/${target.id}`, body: { scopes: [...target.scopes, 'api_keys:write'] } };
    case 'narrow':
      return { method: 'PATCH', path: `/v1/api-keys/${target.id}`, body: { scopes: ['charges:read'] } };
    case 'rotate':
      return { method: 'POST', path: `/v1/api-keys/${target.id}/rotate`, body: { grace_period_seconds: 60 } };
    case 'revoke':
      return { method: 'DELETE', path: `/v1/api-keys/${target.id}` };
    case 'logs':
      return { method: 'GET', path: `/v1/api-keys/${target.id}/logs` };
    case 'usage':
      return { method: 'GET', path: `/v1/api-keys/${target.id}/usage` };
    case 'create':
      return { method: 'POST', path: '/v1/api-keys', body: { mid: MID, name: 'minted by a table row', type: 'secret', mode: target.mode, scopes: target.scopes } };
  }
}

const ROUTES: Route[] = ['get', 'list', 'patch', 'widen', 'narrow', 'rotate', 'revoke', 'logs', 'usage', 'create'];
const TARGETS = [
  { name: 'test charges:read key', mode: 'test', scopes: ['charges:read'] },
  { name: 'live charges:read key', mode: 'live', scopes: ['charges:read'] },
  { name: 'test refunds:write key', mode: 'test', scopes: ['charges:read', 'refunds:write'] },
  { name: 'test full-access key', mode: 'test', scopes: [] as string[] },
];

/** The expected status of one cell, with the reason. */
function expected(caller: Caller, route: Route, target: (typeof TARGETS)[number]): { status: number; reason: string } {
  const callerMode = caller.includes('live') ? 'live' : caller === 'admin' ? 'both' : 'test';
  const narrow = caller.startsWith('narrow');
  const otherMerchant = caller.startsWith('other');
  if (caller === 'admin') return { status: route === 'create' ? 201 : 200, reason: 'the admin client manages both modes of every merchant' };
  if (route === 'list') return { status: 200, reason: 'lists answer 200, filtered to the caller’s merchant and mode (checked below)' };
  if (route === 'create') {
    if (otherMerchant) return { status: 403, reason: 'no minting for another merchant' };
    if (target.mode !== callerMode) return { status: 403, reason: `a ${callerMode} credential cannot create ${target.mode} keys` };
    if (narrow && (target.scopes.length === 0 || target.scopes.some((s) => !NARROW.includes(s)))) return { status: 403, reason: 'no minting beyond the caller’s scopes' };
    return { status: 201, reason: 'minting within the caller’s merchant, mode and scopes' };
  }
  if (otherMerchant) return { status: 404, reason: 'another merchant’s key does not exist for the caller' };
  if (target.mode !== callerMode) return { status: 404, reason: `a ${target.mode} key does not exist for a ${callerMode} credential` };
  const within = !narrow || (target.scopes.length > 0 && target.scopes.every((s) => NARROW.includes(s)));
  if (route === 'get' || route === 'logs' || route === 'usage') return { status: 200, reason: 'reading a key of the caller’s merchant and mode' };
  if (!within) return { status: 403, reason: 'changing, rotating or revoking a key holding scopes the caller lacks' };
  if (route === 'widen' && narrow) return { status: 200, reason: 'widening to api_keys:write, which the narrow caller holds' };
  return { status: 200, reason: 'a key within the caller’s merchant, mode and scopes' };
}

const CALLERS: Caller[] = ['admin', 'full test key', 'full live key', 'narrow test key', 'narrow live key', 'other merchant full test key'];
const TABLE = CALLERS.flatMap((caller) => ROUTES.flatMap((route) => TARGETS.map((target) => ({ caller, route, target: target.name, ...expected(caller, route, target) }))));

describe('every key route × caller', () => {
  it('covers every key route of the route table', () => {
    const keyRoutes = MODEL_ROUTES.filter((r) => r.path.startsWith('/v1/api-keys')).map((r) => r.id).sort();
    const byRow: Record<Route, string> = { get: 'getApiKey', list: 'listApiKeys', patch: 'updateApiKey', widen: 'updateApiKey', narrow: 'updateApiKey', rotate: 'rotateApiKey', revoke: 'revokeApiKey', logs: 'listApiKeyLogs', usage: 'getApiKeyUsage', create: 'createApiKey' };
    expect([...new Set(ROUTES.map((r) => byRow[r]))].sort()).toEqual(keyRoutes);
  });

  const bearers: Partial<Record<Caller, string>> = {};

  it.each(TABLE)('$caller → $route on a $target: $status ($reason)', async ({ caller, route, target: targetName, status }) => {
    const t = TARGETS.find((x) => x.name === targetName)!;
    bearers[caller] ??= await bearer(caller);
    const target = await key(MID, t.scopes, { mode: t.mode });
    const before = (await admin.get(`/v1/api-keys/${target.id}`)).body;
    const r = request(route, { id: target.id, mode: t.mode, scopes: t.scopes });
    const res = await call(server.url, r.method, r.path, { token: bearers[caller], body: r.body });
    expect({ status: res.status, body: res.status >= 400 ? res.body : 'ok' }).toEqual({ status, body: status >= 400 ? expect.anything() : 'ok' });
    if (status === 404) expect(res.body).toEqual({ errors: [`No such API key: ${target.id}.`] });
    if (status >= 400) {
      // A refusal changes nothing and writes no audit entry.
      expect((await admin.get(`/v1/api-keys/${target.id}`)).body).toEqual(before);
      expect(await audited(res)).toBe(false);
      expect(res.text).not.toContain(target.value);
    }
    if (route === 'list') {
      const items = res.body.data as { id: string; mid: string; mode: string }[];
      if (caller !== 'admin') {
        const mid = caller.startsWith('other') ? OTHER : MID;
        const mode = caller.includes('live') ? 'live' : 'test';
        expect(items.every((k) => k.mid === mid && k.mode === mode)).toBe(true);
        expect(items.some((k) => k.id === target.id)).toBe(mid === MID && mode === t.mode);
      }
    }
  });

  it('names what the caller lacks in every 403', async () => {
    const narrow = await key(MID, NARROW);
    const broad = await key(MID, ['charges:read', 'refunds:write']);
    const res = await call(server.url, 'DELETE', `/v1/api-keys/${broad.id}`, { token: narrow.value });
    expect(res.body).toEqual({
      errors: [`Cannot revoke API key ${broad.id}: it holds scope refunds:write, which the calling credential lacks. A credential may only revoke keys within its own scopes: use one holding refunds:write.`],
    });
  });

  it('keeps the audit log of one mode from the other mode’s credentials', async () => {
    const live = await key(MID, [], { mode: 'live' });
    const testKey = await key(MID, ['audit_log:read']);
    const res = await call(server.url, 'GET', `/v1/audit-log?target_id=${live.id}`, { token: testKey.value });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([]);
    const liveAuditor = await key(MID, ['audit_log:read'], { mode: 'live' });
    const seen = await call(server.url, 'GET', `/v1/audit-log?target_id=${live.id}`, { token: liveAuditor.value });
    expect(seen.body.data.map((e: { action: string; mode: string }) => [e.action, e.mode])).toEqual([['api_key.create', 'live']]);
  });
});

describe('the escalation chain of issue 9, replayed', () => {
  it('fails at its first step: a test key cannot widen a live key, so the chain never starts', async () => {
    const testKey = await key(MID, ['api_keys:write']);
    const liveCharges = await key(MID, ['charges:read'], { mode: 'live' });
    const liveFull = await key(MID, [], { mode: 'live' });
    // Step 1: the test key widens the live charges:read key to api_keys:write.
    const step1 = await call(server.url, 'PATCH', `/v1/api-keys/${liveCharges.id}`, { token: testKey.value, body: { scopes: ['charges:read', 'api_keys:write'] } });
    expect({ status: step1.status, body: step1.body }).toEqual({ status: 404, body: { errors: [`No such API key: ${liveCharges.id}.`] } });
    // Step 2 would have been the live key minting and revoking: it still holds only charges:read.
    const step2 = await call(server.url, 'POST', '/v1/api-keys', { token: liveCharges.value, body: { mid: MID, name: 'x', type: 'secret', mode: 'live', scopes: ['charges:read'] } });
    expect(step2.status).toBe(403);
    const step3 = await call(server.url, 'DELETE', `/v1/api-keys/${liveFull.id}`, { token: liveCharges.value });
    expect(step3.status).toBe(403);
    // The other moves of the issue, each refused.
    expect((await call(server.url, 'DELETE', `/v1/api-keys/${liveFull.id}`, { token: testKey.value })).status).toBe(404);
    const broad = await key(MID, ['api_keys:write', 'refunds:write']);
    const narrowing = await call(server.url, 'PATCH', `/v1/api-keys/${broad.id}`, { token: testKey.value, body: { scopes: ['api_keys:write'] } });
    expect(narrowing.status).toBe(403);
    expect((await call(server.url, 'POST', `/v1/api-keys/${broad.id}/rotate`, { token: testKey.value, body: {} })).status).toBe(403);
    expect((await admin.get(`/v1/api-keys/${liveCharges.id}`)).body.scopes).toEqual(['charges:read']);
    expect((await admin.get(`/v1/api-keys/${liveFull.id}`)).body.status).toBe('active');
    expect((await admin.get(`/v1/api-keys/${broad.id}`)).body).toMatchObject({ scopes: ['api_keys:write', 'refunds:write'], version: 1 });
  });
});

describe('expiry never outlives the caller', () => {
  const soon = () => new Date(Date.now() + 3600_000).toISOString();
  const later = () => new Date(Date.now() + 7200_000).toISOString();

  it.each([
    { body: (e: string) => ({ expires_at: null }), self: true, reason: 'a key removing its own expiry' },
    { body: () => ({ expires_at: later() }), self: true, reason: 'a key extending its own expiry' },
  ])('refuses $reason with 403', async ({ body }) => {
    const expiresAt = soon();
    const k = await key(MID, [], { expires_at: expiresAt });
    const res = await call(server.url, 'PATCH', `/v1/api-keys/${k.id}`, { token: k.value, body: body(expiresAt) });
    expect(res.status).toBe(403);
    expect(res.body.errors[0]).toContain(`The calling key expires at ${new Date(Date.parse(expiresAt)).toISOString()}`);
    expect((await admin.get(`/v1/api-keys/${k.id}`)).body.expires_at).toBe(expiresAt);
  });

  it('refuses minting a key without expiry or expiring later, and allows one expiring sooner', async () => {
    const k = await key(MID, [], { expires_at: soon() });
    const body = { mid: MID, name: 'child', type: 'secret', scopes: ['charges:read'] };
    expect((await call(server.url, 'POST', '/v1/api-keys', { token: k.value, body })).status).toBe(403);
    expect((await call(server.url, 'POST', '/v1/api-keys', { token: k.value, body: { ...body, expires_at: later() } })).status).toBe(403);
    const ok = await call(server.url, 'POST', '/v1/api-keys', { token: k.value, body: { ...body, expires_at: new Date(Date.now() + 60_000).toISOString() } });
    expect(ok.status).toBe(201);
    // Shortening its own expiry is allowed.
    expect((await call(server.url, 'PATCH', `/v1/api-keys/${k.id}`, { token: k.value, body: { expires_at: new Date(Date.now() + 1800_000).toISOString() } })).status).toBe(200);
  });
});

describe('lineage and cascade revoke', () => {
  it('records the creator, and revoking with cascade=true revokes what the key minted, transitively', async () => {
    const root = await key(MID, []);
    const child = (await call(server.url, 'POST', '/v1/api-keys', { token: root.value, body: { mid: MID, name: 'child', type: 'secret', scopes: ['api_keys:write', 'charges:read'] } })).body;
    expect(child.created_by).toEqual({ type: 'api_key', id: root.id });
    const grandchild = (await call(server.url, 'POST', '/v1/api-keys', { token: child.value, body: { mid: MID, name: 'grandchild', type: 'secret', scopes: ['charges:read'] } })).body;
    expect(grandchild.created_by).toEqual({ type: 'api_key', id: child.id });
    const sibling = await key(MID, ['charges:read']);
    expect((await admin.get(`/v1/api-keys/${root.id}`)).body.created_by).toEqual({ type: 'oauth_client', id: server.adminClientId });

    // Without cascade, only the key itself.
    const plainRoot = await key(MID, []);
    const plainChild = (await call(server.url, 'POST', '/v1/api-keys', { token: plainRoot.value, body: { mid: MID, name: 'c', type: 'secret', scopes: ['charges:read'] } })).body;
    await admin.del(`/v1/api-keys/${plainRoot.id}`);
    expect((await admin.get(`/v1/api-keys/${plainChild.id}`)).body.status).toBe('active');

    const res = await call(server.url, 'DELETE', `/v1/api-keys/${root.id}?cascade=true`, { token: await server.adminToken() });
    expect(res.status).toBe(200);
    for (const k of [root, child, grandchild]) {
      expect((await admin.get(`/v1/api-keys/${k.id}`)).body.status).toBe('revoked');
      expect((await call(server.url, 'GET', '/v1/scopes', { token: k.value })).status).toBe(401);
    }
    expect((await admin.get(`/v1/api-keys/${sibling.id}`)).body.status).toBe('active');
    // The audit log shows the lineage: each cascaded revoke names the key it came from.
    const rid = res.headers.get('x-request-id');
    const entries = ((await admin.get('/v1/audit-log?limit=50')).body.data as { request_id: string; action: string; target_id: string; detail: Record<string, string> | null }[]).filter(
      (e) => e.request_id === rid,
    );
    expect(entries.map((e) => [e.action, e.target_id, e.detail]).reverse()).toEqual([
      ['api_key.revoke', child.id, { cascade_from: root.id, created_by: `api_key:${root.id}` }],
      ['api_key.revoke', grandchild.id, { cascade_from: root.id, created_by: `api_key:${child.id}` }],
      ['api_key.revoke', root.id, null],
    ]);
    const created = ((await admin.get(`/v1/audit-log?target_id=${grandchild.id}`)).body.data as { action: string; detail: unknown }[]).find((e) => e.action === 'api_key.create');
    expect(created?.detail).toEqual({ created_by: `api_key:${child.id}` });
  });

  it('refuses a cascade that would revoke a key beyond the caller, and then revokes nothing', async () => {
    const caller = await key(MID, ['api_keys:write', 'charges:read']);
    const parent = (await call(server.url, 'POST', '/v1/api-keys', { token: caller.value, body: { mid: MID, name: 'p', type: 'secret', scopes: ['api_keys:write', 'charges:read'] } })).body;
    const minted = (await call(server.url, 'POST', '/v1/api-keys', { token: parent.value, body: { mid: MID, name: 'm', type: 'secret', scopes: ['charges:read'] } })).body;
    // The admin widens the minted key beyond the caller afterwards.
    await admin.patch(`/v1/api-keys/${minted.id}`, { scopes: ['charges:read', 'refunds:write'] });
    const res = await call(server.url, 'DELETE', `/v1/api-keys/${parent.id}?cascade=true`, { token: caller.value });
    expect(res.status).toBe(403);
    expect(res.body.errors[0]).toContain(`Cannot revoke API key ${minted.id}: it holds scope refunds:write`);
    expect((await admin.get(`/v1/api-keys/${parent.id}`)).body.status).toBe('active');
    expect((await admin.get(`/v1/api-keys/${minted.id}`)).body.status).toBe('active');
  });

  it('refuses an unknown cascade value with 400', async () => {
    const k = await key(MID, []);
    const res = await admin.del(`/v1/api-keys/${k.id}?cascade=yes`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: ['Invalid cascade value: use true or false.'] });
  });
});

describe('an authorization hands out only powers its creator holds', () => {
  const aliceTool = { name: 'tool', kind: 'api_key', owner_id: 'usr_alice' };

  it.each([
    { body: { capabilities: ['apps:view', 'apps:admin', 'secrets:edit'] }, lacks: ['capability apps:view', 'capability apps:admin', 'capability secrets:edit'], reason: 'admin capabilities (the issue’s attack)' },
    { body: { project_access: [{ project_id: 'proj_payments', role: 'viewer' }] }, lacks: ['role viewer on project proj_payments'], reason: 'a project role' },
  ])('refuses a key with authorizations:write creating one with $reason, and hands out no secret', async ({ body, lacks }) => {
    const k = await key(MID, ['authorizations:write']);
    const res = await call(server.url, 'POST', '/v1/authorizations', { token: k.value, body: { ...aliceTool, ...body } });
    expect(res.status).toBe(403);
    expect(res.body.errors).toEqual(lacks.map((l) => expect.stringContaining(`Cannot grant ${l} to an authorization of usr_alice: the calling credential does not hold it`)));
    expect(res.text).not.toMatch(/fat_|fcs_/);
  });

  it('lets the admin client create one with the owner’s powers, and a key narrow it but not widen it back', async () => {
    const created = await admin.post('/v1/authorizations', { ...aliceTool, capabilities: ['api', 'apps:view'] });
    expect(created.status).toBe(201);
    const k = await key(MID, ['authorizations:write']);
    expect((await call(server.url, 'PATCH', `/v1/authorizations/${created.body.id}`, { token: k.value, body: { capabilities: ['api'] } })).status).toBe(200);
    const widen = await call(server.url, 'PATCH', `/v1/authorizations/${created.body.id}`, { token: k.value, body: { capabilities: ['api', 'apps:view'] } });
    expect(widen.status).toBe(403);
    expect((await admin.get(`/v1/authorizations/${created.body.id}`)).body.capabilities).toEqual(['api']);
  });
});
