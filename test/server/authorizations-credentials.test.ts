/**
 * Authorizations as real credentials (issue 9 item 3): tokens from `POST /oauth2/token`, key-shaped
 * `api_key` secrets, `POST /oauth2/introspect` answering what a token may reach *now* (the grants
 * intersected with the owner's current permissions), mode on every token, and the attacks on each.
 * Real server on loopback over a real SQLite file.
 */
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../support/server';
import { as, call, type Res } from './http';

let server: TestServer;
let admin: ReturnType<typeof as>;

beforeAll(async () => {
  server = await startTestServer();
  admin = as(server.url, await server.adminToken());
  // A user of mid_123456 whose permissions the tests change: the owner of most authorizations below.
  const dave = await admin.post('/v1/admin/users', DAVE);
  expect(dave.status).toBe(201);
});
afterAll(async () => {
  await server.stop();
});

const DAVE = {
  id: 'usr_dave',
  mid: 'mid_123456',
  name: 'Dave',
  roles: [
    { project_id: 'proj_payments', role: 'editor' },
    { project_id: 'proj_support', role: 'viewer' },
  ],
  capabilities: ['mcp', 'api', 'apps:view'],
};

const ASSISTANT = {
  kind: 'oauth2',
  owner_id: 'usr_dave',
  capabilities: ['mcp'],
  project_access: [
    { project_id: 'proj_payments', role: 'viewer' },
    { project_id: 'proj_support', role: 'viewer' },
  ],
  mcp_servers: ['billing-flow', 'support-kb'],
};

let seq = 0;
/** Creates an authorization through the admin client; returns the 201 body (with its secret). */
async function createAuthorization(body: Record<string, unknown>, via = admin): Promise<Res['body']> {
  const res = await via.post('/v1/authorizations', { name: `authz-${++seq}`, ...body });
  expect(res.status).toBe(201);
  return res.body;
}

/** The client-credentials grant, form-encoded as OAuth clients send it. */
function tokenRequest(clientId: string, clientSecret: string, base = server.url): Promise<Res> {
  return call(base, 'POST', '/oauth2/token', {
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

async function tokenOf(auth: { client_id: string; secret: string }, base = server.url): Promise<string> {
  const res = await tokenRequest(auth.client_id, auth.secret, base);
  expect(res.status).toBe(200);
  return res.body.access_token as string;
}

/** RFC 7662 introspection, form-encoded, by `caller`. */
function introspect(caller: string, token: string, base = server.url): Promise<Res> {
  return call(base, 'POST', '/oauth2/introspect', {
    token: caller,
    body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

async function adminToken(base = server.url, id = server.adminClientId, secret = server.adminClientSecret): Promise<string> {
  return tokenOf({ client_id: id, secret }, base);
}

async function apiKey(body: Record<string, unknown>): Promise<string> {
  const res = await admin.post('/v1/api-keys', { mid: 'mid_123456', name: `key-${++seq}`, type: 'secret', ...body });
  expect(res.status).toBe(201);
  return res.body.value as string;
}

describe('tokens of an oauth2 authorization', () => {
  it('issues a short-lived token for the client id and secret that introspects to the owner-bounded grants', async () => {
    const auth = await createAuthorization(ASSISTANT);
    expect(auth.mode).toBe('test');
    const res = await tokenRequest(auth.client_id, auth.secret);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: expect.stringMatching(/^kfat_[0-9A-Za-z]{32}$/), token_type: 'Bearer', expires_in: 3600 });
    const info = await introspect(await server.adminToken(), res.body.access_token);
    expect(info.status).toBe(200);
    expect(info.body).toEqual({
      active: true,
      client_id: auth.client_id,
      token_type: 'Bearer',
      exp: expect.any(Number),
      iat: expect.any(Number),
      scope: 'mcp',
      sub: 'usr_dave',
      authorization_id: auth.id,
      mid: 'mid_123456',
      mode: 'test',
      capabilities: ['mcp'],
      project_access: ASSISTANT.project_access,
      mcp_servers: ['billing-flow', 'support-kb'],
    });
    expect(info.body.exp - info.body.iat).toBe(3600);
    // The answer never carries a secret.
    expect(info.text).not.toContain(auth.secret);
    expect(info.text).not.toContain(res.body.access_token);
  });

  it('accepts the client credentials as HTTP Basic too, and refuses a wrong secret with 401', async () => {
    const auth = await createAuthorization(ASSISTANT);
    const basic = Buffer.from(`${auth.client_id}:${auth.secret}`).toString('base64');
    const ok = await call(server.url, 'POST', '/oauth2/token', {
      body: 'grant_type=client_credentials',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
    });
    expect(ok.status).toBe(200);
    const bad = await tokenRequest(auth.client_id, `${auth.secret.slice(0, -1)}x`);
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({ errors: ['Authentication failed. Invalid client_id or client_secret.'] });
  });

  it('does not take the client secret itself as a bearer, nor introspect it as active', async () => {
    const auth = await createAuthorization({ ...ASSISTANT, capabilities: ['mcp', 'api'] });
    expect((await as(server.url, auth.secret).get('/v1/authorizations')).status).toBe(401);
    expect((await introspect(await server.adminToken(), auth.secret)).body).toEqual({ active: false });
  });

  it('gives every token the mode of its authorization; a live authorization must say so', async () => {
    const live = await createAuthorization({ ...ASSISTANT, mode: 'live' });
    expect(live.mode).toBe('live');
    const info = await introspect(await server.adminToken(), await tokenOf(live));
    expect(info.body).toMatchObject({ active: true, mode: 'live' });
    const got = await admin.get(`/v1/authorizations/${live.id}`);
    expect(got.body.mode).toBe('live');
  });

  it('keeps mode immutable: a PATCH naming it is 400 and changes nothing', async () => {
    const auth = await createAuthorization(ASSISTANT);
    const res = await admin.patch(`/v1/authorizations/${auth.id}`, { mode: 'live', name: 'renamed' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(['The mode of an authorization is immutable: create a new authorization instead.']);
    const got = await admin.get(`/v1/authorizations/${auth.id}`);
    expect(got.body).toMatchObject({ mode: 'test', name: auth.name });
  });
});

describe('the key-shaped secret of an api_key authorization', () => {
  it('encodes the mode in its prefix and introspects like a token, without an expiry', async () => {
    const test = await createAuthorization({ kind: 'api_key', owner_id: 'usr_dave', capabilities: ['mcp'], project_access: [{ project_id: 'proj_support', role: 'viewer' }], mcp_servers: ['support-kb'] });
    const live = await createAuthorization({ kind: 'api_key', owner_id: 'usr_dave', mode: 'live', capabilities: ['mcp'] });
    expect(test.secret).toMatch(/^fat_test_[0-9A-Za-z]{32}$/);
    expect(live.secret).toMatch(/^fat_[0-9A-Za-z]{32}$/);
    const info = await introspect(await server.adminToken(), test.secret);
    expect(info.body).toEqual({
      active: true,
      token_type: 'api_key',
      scope: 'mcp',
      sub: 'usr_dave',
      authorization_id: test.id,
      mid: 'mid_123456',
      mode: 'test',
      capabilities: ['mcp'],
      project_access: [{ project_id: 'proj_support', role: 'viewer' }],
      mcp_servers: ['support-kb'],
    });
    expect((await introspect(await server.adminToken(), live.secret)).body).toMatchObject({ active: true, mode: 'live' });
    // It is not an OAuth client: there is nothing to exchange at the token endpoint.
    expect((await tokenRequest(test.id, test.secret)).status).toBe(401);
  });
});

/** Runs a statement on the server's store directly (SQLite file or PostgreSQL database), as a directory sync would. */
async function outsideTheApi(sql: string): Promise<void> {
  if (server.databaseUrl) {
    const client = new Client({ connectionString: server.databaseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
    return;
  }
  const db = new Database(join(server.dataDir, 'keyform.db'));
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare(sql).run();
  } finally {
    db.close();
  }
}

describe('what a token may reach now: grants intersected with the owner (seed 002)', () => {
  it("drops a project (and its MCP servers) the moment the owner loses its role, with no rewrite of the authorization", async () => {
    await admin.post('/v1/admin/users', { ...DAVE, id: 'usr_erin', name: 'Erin' });
    const auth = await createAuthorization({ ...ASSISTANT, owner_id: 'usr_erin' });
    const token = await tokenOf(auth);
    const before = await introspect(await server.adminToken(), token);
    expect(before.body.project_access).toEqual(ASSISTANT.project_access);
    expect(before.body.mcp_servers).toEqual(['billing-flow', 'support-kb']);
    // The owner loses proj_payments outside the API (e.g. a directory sync): nothing touches the authorization.
    await outsideTheApi("DELETE FROM user_roles WHERE user_id = 'usr_erin' AND project_id = 'proj_payments'");
    const after = await introspect(await server.adminToken(), token);
    expect(after.body).toMatchObject({ active: true, project_access: [{ project_id: 'proj_support', role: 'viewer' }], mcp_servers: ['support-kb'] });
    // The stored authorization still lists them: the answer is computed, not rewritten.
    const stored = await admin.get(`/v1/authorizations/${auth.id}`);
    expect(stored.body.project_access).toEqual(ASSISTANT.project_access);
    expect(stored.body.mcp_servers).toEqual(['billing-flow', 'support-kb']);
  });

  it("narrows at once when the admin removes the owner's project role or capability", async () => {
    await admin.post('/v1/admin/users', { ...DAVE, id: 'usr_frank', name: 'Frank' });
    const auth = await createAuthorization({ ...ASSISTANT, owner_id: 'usr_frank' });
    const token = await tokenOf(auth);
    const res = await admin.post('/v1/admin/users', { ...DAVE, id: 'usr_frank', name: 'Frank', roles: [{ project_id: 'proj_payments', role: 'editor' }] });
    expect(res.status).toBe(200);
    const after = await introspect(await server.adminToken(), token);
    expect(after.body).toMatchObject({ active: true, project_access: [{ project_id: 'proj_payments', role: 'viewer' }], mcp_servers: ['billing-flow'] });
    await admin.post('/v1/admin/users', { ...DAVE, id: 'usr_frank', name: 'Frank', capabilities: ['api'] });
    const noMcp = await introspect(await server.adminToken(), token);
    expect(noMcp.body).toMatchObject({ active: true, scope: '', capabilities: [], mcp_servers: [] });
  });

  it('makes every token and secret inactive at once when the owner is removed', async () => {
    await admin.post('/v1/admin/users', { ...DAVE, id: 'usr_gina', name: 'Gina' });
    const oauth = await createAuthorization({ ...ASSISTANT, owner_id: 'usr_gina', capabilities: ['mcp', 'api'] });
    const key = await createAuthorization({ kind: 'api_key', owner_id: 'usr_gina', capabilities: ['api'] });
    const token = await tokenOf(oauth);
    expect((await as(server.url, token).get('/v1/authorizations')).status).toBe(200);
    expect((await admin.del('/v1/admin/users/usr_gina')).status).toBe(204);
    for (const t of [token, key.secret]) {
      expect((await introspect(await server.adminToken(), t)).body).toEqual({ active: false });
      expect((await as(server.url, t).get('/v1/authorizations')).status).toBe(401);
    }
    expect((await tokenRequest(oauth.client_id, oauth.secret)).status).toBe(401);
    // The authorizations stay visible (and deletable); the user id can never come back to revive them.
    expect((await admin.get(`/v1/authorizations/${oauth.id}`)).status).toBe(200);
    expect((await admin.del('/v1/admin/users/usr_gina')).status).toBe(204);
    const again = await admin.post('/v1/admin/users', { ...DAVE, id: 'usr_gina', name: 'Gina' });
    expect(again.status).toBe(409);
    expect(again.body.errors[0]).toMatch(/^User usr_gina was removed/);
    expect((await introspect(await server.adminToken(), token)).body).toEqual({ active: false });
    expect((await admin.del('/v1/admin/users/usr_nobody')).status).toBe(404);
    const users = await admin.get('/v1/admin/users?limit=1000');
    expect(users.body.data.map((u: { id: string }) => u.id)).not.toContain('usr_gina');
  });
});

describe('revoking an authorization', () => {
  it('kills its cached tokens and its secret at once', async () => {
    const oauth = await createAuthorization({ ...ASSISTANT, capabilities: ['mcp', 'api'] });
    const key = await createAuthorization({ kind: 'api_key', owner_id: 'usr_dave', capabilities: ['api'] });
    const cached = await tokenOf(oauth);
    expect((await introspect(await server.adminToken(), cached)).body.active).toBe(true);
    expect((await admin.del(`/v1/authorizations/${oauth.id}`)).status).toBe(204);
    expect((await admin.del(`/v1/authorizations/${key.id}`)).status).toBe(204);
    for (const t of [cached, key.secret]) {
      expect((await introspect(await server.adminToken(), t)).body).toEqual({ active: false });
      const used = await as(server.url, t).get('/v1/authorizations');
      expect(used.status).toBe(401);
      expect(used.body).toEqual({ errors: ['Authentication failed. Invalid bearer token.'] });
    }
    expect((await tokenRequest(oauth.client_id, oauth.secret)).status).toBe(401);
  });
});

describe('who may introspect, and what it learns', () => {
  it('refuses an unauthenticated caller with 401 and a token of an authorization with 403', async () => {
    const auth = await createAuthorization({ ...ASSISTANT, capabilities: ['mcp', 'api'] });
    const token = await tokenOf(auth);
    const anon = await call(server.url, 'POST', '/oauth2/introspect', { body: { token } });
    expect(anon.status).toBe(401);
    const self = await introspect(token, token);
    expect(self.status).toBe(403);
    expect(self.body.errors[0]).toMatch(/cannot introspect tokens/);
  });

  it('needs authorizations:read on an API key (403 naming it)', async () => {
    const narrow = await apiKey({ scopes: ['api_keys:read'] });
    const res = await introspect(narrow, 'kfat_whatever');
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ errors: ['Missing required scope: authorizations:read.'] });
  });

  it("answers another merchant's token exactly as an unknown one: {\"active\": false}", async () => {
    const auth = await createAuthorization(ASSISTANT);
    const token = await tokenOf(auth);
    const other = await admin.post('/v1/api-keys', { mid: 'mid_654321', name: 'other', type: 'secret', scopes: ['authorizations:read'] });
    const theirs = await introspect(other.body.value, token);
    const unknown = await introspect(other.body.value, 'kfat_00000000000000000000000000000000');
    expect(theirs.status).toBe(200);
    expect(theirs.text).toBe('{"active":false}');
    expect(unknown.text).toBe(theirs.text);
    // The own merchant's key of the same mode sees it.
    const own = await apiKey({ scopes: ['authorizations:read'] });
    expect((await introspect(own, token)).body).toMatchObject({ active: true, authorization_id: auth.id });
  });

  it("answers a token of the other mode as inactive: a test key learns nothing of live authorizations", async () => {
    const live = await createAuthorization({ ...ASSISTANT, mode: 'live' });
    const test = await createAuthorization(ASSISTANT);
    const testKey = await apiKey({ scopes: ['authorizations:read'] });
    const liveKey = await apiKey({ scopes: ['authorizations:read'], mode: 'live' });
    expect((await introspect(testKey, await tokenOf(live))).body).toEqual({ active: false });
    expect((await introspect(liveKey, await tokenOf(test))).body).toEqual({ active: false });
    expect((await introspect(liveKey, await tokenOf(live))).body).toMatchObject({ active: true, mode: 'live' });
  });

  it('answers 400 naming the field when no token is sent', async () => {
    const res = await call(server.url, 'POST', '/oauth2/introspect', { token: await server.adminToken(), body: {} });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: ['Missing required field: token.'] });
  });
});

describe("an authorization's token on the key-management API", () => {
  it('is refused everywhere without the api capability: it is for resource servers', async () => {
    const auth = await createAuthorization(ASSISTANT);
    const t = as(server.url, await tokenOf(auth));
    for (const res of [await t.get('/v1/authorizations'), await t.get('/v1/scopes'), await t.get('/v1/api-keys')]) {
      expect(res.status).toBe(403);
      expect(res.body.errors[0]).toMatch(/without the api capability/);
    }
  });

  it('with api, never reaches API keys, logs, the audit log or admin routes (it holds no API scopes)', async () => {
    const auth = await createAuthorization({ ...ASSISTANT, capabilities: ['mcp', 'api'] });
    const t = as(server.url, await tokenOf(auth));
    const key = await apiKey({ mode: 'live' });
    const keyId = (await admin.get('/v1/api-keys?limit=1000')).body.data.find((k: { name: string; mode: string }) => k.mode === 'live').id;
    expect(key).toMatch(/^fsk_/);
    const attempts = [
      await t.get('/v1/api-keys'),
      await t.get(`/v1/api-keys/${keyId}`),
      await t.post('/v1/api-keys', { mid: 'mid_123456', name: 'x', type: 'secret', mode: 'live' }),
      await t.del(`/v1/api-keys/${keyId}`),
      await t.post(`/v1/api-keys/${keyId}/rotate`, {}),
      await t.get('/v1/audit-log'),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(403);
      expect(res.body.errors[0]).toMatch(/^An authorization's token cannot use routes that need (api_keys|audit_log):/);
    }
    const adminRoute = await t.post('/v1/admin/users', { ...DAVE, capabilities: [...DAVE.capabilities, 'secrets:edit'] });
    expect(adminRoute.status).toBe(403);
    expect((await admin.get(`/v1/api-keys/${keyId}`)).body.status).toBe('active');
  });

  it("with api, acts for its owner only, within its own grants: it cannot mint a stronger authorization", async () => {
    const auth = await createAuthorization({ kind: 'oauth2', owner_id: 'usr_dave', capabilities: ['mcp', 'api'], project_access: [{ project_id: 'proj_support', role: 'viewer' }], mcp_servers: ['support-kb'] });
    const t = as(server.url, await tokenOf(auth));
    // Dave holds apps:view and editor on proj_payments, but this token does not: no escalation through it.
    const wider = await t.post('/v1/authorizations', { name: 'wider', kind: 'api_key', owner_id: 'usr_dave', capabilities: ['api', 'apps:view'], project_access: [{ project_id: 'proj_payments', role: 'editor' }] });
    expect(wider.status).toBe(403);
    expect(wider.body.errors).toEqual([
      "Authorization exceeds the calling token: capability apps:view is not held by the token's authorization. A token can only manage authorizations within its own grants.",
      "Authorization exceeds the calling token: the token's authorization has no access to project proj_payments. A token can only manage authorizations within its own grants.",
    ]);
    const otherOwner = await t.post('/v1/authorizations', { name: 'x', kind: 'api_key', owner_id: 'usr_alice', capabilities: ['api'] });
    expect(otherOwner.status).toBe(403);
    expect(otherOwner.body.errors[0]).toMatch(/^This token acts for user usr_dave/);
    const within = await t.post('/v1/authorizations', { name: 'within', kind: 'api_key', owner_id: 'usr_dave', capabilities: ['mcp'], project_access: [{ project_id: 'proj_support', role: 'viewer' }] });
    expect(within.status).toBe(201);
    expect(within.body.mode).toBe('test');
    // It cannot revoke or widen a stronger authorization of the same owner either.
    const stronger = await createAuthorization({ kind: 'api_key', owner_id: 'usr_dave', capabilities: ['api', 'apps:view'] });
    expect((await t.del(`/v1/authorizations/${stronger.id}`)).status).toBe(403);
    expect((await t.patch(`/v1/authorizations/${within.body.id}`, { capabilities: ['mcp', 'apps:view'] })).status).toBe(403);
    // It sees only its owner's authorizations.
    const listed = await t.get('/v1/authorizations?limit=1000');
    expect(new Set(listed.body.data.map((a: { owner_id: string }) => a.owner_id))).toEqual(new Set(['usr_dave']));
    const alices = await createAuthorization({ kind: 'api_key', owner_id: 'usr_alice', capabilities: ['api'] });
    expect((await t.get(`/v1/authorizations/${alices.id}`)).status).toBe(404);
    // The audit log names it as the actor.
    const audit = await admin.get(`/v1/audit-log?target_id=${within.body.id}`);
    expect(audit.body.data[0].actor).toEqual({ type: 'authorization', id: auth.id });
  });

  it('a test-mode token never sees, changes or creates live authorizations', async () => {
    const auth = await createAuthorization({ ...ASSISTANT, capabilities: ['mcp', 'api'] });
    const live = await createAuthorization({ kind: 'api_key', owner_id: 'usr_dave', mode: 'live', capabilities: ['mcp'] });
    const t = as(server.url, await tokenOf(auth));
    for (const res of [await t.get(`/v1/authorizations/${live.id}`), await t.patch(`/v1/authorizations/${live.id}`, { name: 'pwned' }), await t.del(`/v1/authorizations/${live.id}`)]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ errors: [`No such authorization: ${live.id}.`] });
    }
    const listed = await t.get('/v1/authorizations?limit=1000');
    expect(listed.body.data.every((a: { mode: string }) => a.mode === 'test')).toBe(true);
    const create = await t.post('/v1/authorizations', { name: 'live', kind: 'api_key', owner_id: 'usr_dave', mode: 'live', capabilities: ['mcp'] });
    expect(create.status).toBe(403);
    expect(create.body.errors[0]).toMatch(/^A test-mode credential cannot create a live-mode authorization/);
    expect((await admin.get(`/v1/authorizations/${live.id}`)).body).toMatchObject({ name: live.name, mode: 'live' });
  });

  it('a test-mode API key cannot create, see or delete a live authorization', async () => {
    const live = await createAuthorization({ kind: 'api_key', owner_id: 'usr_dave', mode: 'live', capabilities: ['mcp'] });
    const testKey = as(server.url, await apiKey({ scopes: ['authorizations:write'] }));
    expect((await testKey.get(`/v1/authorizations/${live.id}`)).status).toBe(404);
    expect((await testKey.del(`/v1/authorizations/${live.id}`)).status).toBe(404);
    const create = await testKey.post('/v1/authorizations', { name: 'l', kind: 'api_key', owner_id: 'usr_dave', mode: 'live', capabilities: ['mcp'] });
    expect(create.status).toBe(403);
    expect(create.body.errors[0]).toMatch(/live-mode authorization/);
    expect((await admin.get(`/v1/authorizations/${live.id}`)).status).toBe(200);
  });
});

describe('expiry of tokens', () => {
  let short: TestServer;
  beforeAll(async () => {
    short = await startTestServer({ args: ['--token-ttl', '1'] });
  });
  afterAll(async () => {
    await short.stop();
  });

  it('makes an expired token inactive and refuses it as a bearer', async () => {
    const adminShort = as(short.url, await adminToken(short.url, short.adminClientId, short.adminClientSecret));
    const created = await adminShort.post('/v1/authorizations', { name: 'short', ...ASSISTANT, owner_id: 'usr_alice', capabilities: ['mcp', 'api'] });
    expect(created.status).toBe(201);
    const token = await tokenOf(created.body, short.url);
    const fresh = await introspect(await adminToken(short.url, short.adminClientId, short.adminClientSecret), token, short.url);
    expect(fresh.body).toMatchObject({ active: true });
    // Wait past the expiry the server itself announced (exp is in whole seconds).
    const waitMs = fresh.body.exp * 1000 + 1100 - Date.now();
    await new Promise((r) => setTimeout(r, Math.max(waitMs, 0)));
    const later = await introspect(await adminToken(short.url, short.adminClientId, short.adminClientSecret), token, short.url);
    expect(later.body).toEqual({ active: false });
    expect((await as(short.url, token).get('/v1/authorizations')).status).toBe(401);
  });
});
