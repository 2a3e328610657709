/**
 * `POST /oauth2/revoke` (RFC 7009) and `POST /oauth2/renew` against the real server: only the client
 * a token was issued to can end or extend it, a leaked token alone can do neither, revocation reveals
 * nothing about tokens it does not touch, and renewal never revives an expired or revoked token.
 * Tokens live 3 s here, so the tests wait past an expiry instead of faking the clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestServer, type TestServer } from '../support/server';
import { as, call } from './http';

const OTHER = { client_id: 'kfc_other_client', client_secret: 'kfcs_other_client_secret_0123456789' };
let dataDir: string;
let server: TestServer;
let admin: { client_id: string; client_secret: string };

async function token(client: { client_id: string; client_secret: string }): Promise<string> {
  const res = await call(server.url, 'POST', '/oauth2/token', { body: { grant_type: 'client_credentials', ...client } });
  expect(res.status).toBe(200);
  return res.body.access_token as string;
}
const works = async (t: string) => (await as(server.url, t).get('/v1/scopes')).status;
const form = (fields: Record<string, string>) => ({ body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'keyform-token-lifecycle-'));
  // A second OAuth client: the server bootstraps the one in its environment, then (restarted without
  // it) generates the usual admin client; both stay registered.
  const first = await startTestServer({ dataDir, env: { KEYFORM_ADMIN_CLIENT_ID: OTHER.client_id, KEYFORM_ADMIN_CLIENT_SECRET: OTHER.client_secret } });
  await first.stop();
  server = await startTestServer({ dataDir, args: ['--token-ttl', '3'] });
  admin = { client_id: server.adminClientId, client_secret: server.adminClientSecret };
});
afterAll(async () => {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('POST /oauth2/revoke', () => {
  it('revokes the token at once (form-encoded, as RFC 7009 sends it); revoking it again still answers 200', async () => {
    const t = await token(admin);
    expect(await works(t)).toBe(200);
    const res = await call(server.url, 'POST', '/oauth2/revoke', form({ token: t, token_type_hint: 'access_token', ...admin }));
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(await works(t)).toBe(401);
    expect((await call(server.url, 'POST', '/oauth2/revoke', { body: { token: t, ...admin } })).status).toBe(200);
  });

  it('accepts HTTP Basic client authentication', async () => {
    const t = await token(admin);
    const basic = Buffer.from(`${admin.client_id}:${admin.client_secret}`).toString('base64');
    const res = await call(server.url, 'POST', '/oauth2/revoke', { ...form({ token: t }), headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` } });
    expect(res.status).toBe(200);
    expect(await works(t)).toBe(401);
  });

  it('refuses a wrong client secret with 401 and leaves the token working', async () => {
    const t = await token(admin);
    const res = await call(server.url, 'POST', '/oauth2/revoke', { body: { token: t, client_id: admin.client_id, client_secret: 'kfcs_wrong' } });
    expect(res.status).toBe(401);
    expect(res.body.errors).toEqual(['Authentication failed. Invalid client_id or client_secret.']);
    expect(await works(t)).toBe(200);
  });

  it("another client cannot revoke a token, and learns nothing: the answer is the unknown token's", async () => {
    const t = await token(admin);
    const other = await call(server.url, 'POST', '/oauth2/revoke', { body: { token: t, ...OTHER } });
    const unknown = await call(server.url, 'POST', '/oauth2/revoke', { body: { token: 'kfat_never_issued', ...OTHER } });
    expect([other.status, other.text]).toEqual([unknown.status, unknown.text]);
    expect(await works(t)).toBe(200);
  });

  it('a token alone (no client credentials) cannot revoke: 400 naming the missing fields', async () => {
    const t = await token(admin);
    const res = await call(server.url, 'POST', '/oauth2/revoke', { token: t, body: { token: t } });
    expect(res.status).toBe(400);
    expect(res.body.errors.join(' ')).toMatch(/client_id/);
    const missing = await call(server.url, 'POST', '/oauth2/revoke', { body: { ...admin } });
    expect(missing.body.errors).toContain('Missing required field: token.');
    expect(await works(t)).toBe(200);
  });
});

describe('POST /oauth2/renew', () => {
  it('keeps a token working past its original expiry; without renewal it expires', async () => {
    const renewed = await token(admin);
    const left = await token(admin);
    await sleep(2000);
    const res = await call(server.url, 'POST', '/oauth2/renew', form({ token: renewed, ...admin }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ expires_in: 3 });
    await sleep(1500); // past both tokens' original 3 s lifetime
    expect(await works(renewed)).toBe(200);
    expect(await works(left)).toBe(401);
  });

  it('never revives an expired or revoked token', async () => {
    const expired = await token(admin);
    await sleep(3200);
    const a = await call(server.url, 'POST', '/oauth2/renew', { body: { token: expired, ...admin } });
    expect(a.status).toBe(400);
    expect(a.body.errors[0]).toContain('cannot be renewed');
    const revoked = await token(admin);
    await call(server.url, 'POST', '/oauth2/revoke', { body: { token: revoked, ...admin } });
    expect((await call(server.url, 'POST', '/oauth2/renew', { body: { token: revoked, ...admin } })).status).toBe(400);
    expect(await works(revoked)).toBe(401);
  });

  it("another client cannot extend a token, and a token cannot extend itself", async () => {
    const t = await token(admin);
    const other = await call(server.url, 'POST', '/oauth2/renew', { body: { token: t, ...OTHER } });
    expect(other.status).toBe(400);
    const self = await call(server.url, 'POST', '/oauth2/renew', { token: t, body: { token: t } });
    expect(self.status).toBe(400);
    await sleep(3200);
    expect(await works(t)).toBe(401);
  });

  it('a wrong client secret is 401', async () => {
    const t = await token(admin);
    expect((await call(server.url, 'POST', '/oauth2/renew', { body: { token: t, client_id: admin.client_id, client_secret: 'nope' } })).status).toBe(401);
  });
});

describe("an oauth2 authorization's client", () => {
  async function authorizationClient(name: string): Promise<{ client_id: string; client_secret: string }> {
    const res = await as(server.url, await token(admin)).post('/v1/authorizations', { name, kind: 'oauth2', owner_id: 'usr_alice', capabilities: ['api'] });
    expect(res.status).toBe(201);
    return { client_id: res.body.client_id as string, client_secret: res.body.secret as string };
  }

  it('renews and revokes its own tokens, and another authorization\'s client can do neither', async () => {
    const mine = await authorizationClient('lifecycle mine');
    const other = await authorizationClient('lifecycle other');
    const t = await token(mine);
    expect(await works(t)).toBe(200);
    expect((await call(server.url, 'POST', '/oauth2/renew', { body: { token: t, ...other } })).status).toBe(400);
    expect((await call(server.url, 'POST', '/oauth2/renew', { body: { token: t, ...mine } })).status).toBe(200);
    // Revoking another client's token answers 200 alike and touches nothing.
    expect((await call(server.url, 'POST', '/oauth2/revoke', { body: { token: t, ...other } })).status).toBe(200);
    expect(await works(t)).toBe(200);
    expect((await call(server.url, 'POST', '/oauth2/revoke', { body: { token: t, ...mine } })).status).toBe(200);
    expect(await works(t)).toBe(401);
  });

  it('cannot renew or revoke with a wrong secret (401), and the admin client cannot revoke an authorization\'s token', async () => {
    const mine = await authorizationClient('lifecycle secret');
    const t = await token(mine);
    expect((await call(server.url, 'POST', '/oauth2/revoke', { body: { token: t, client_id: mine.client_id, client_secret: `${mine.client_secret}x` } })).status).toBe(401);
    expect((await call(server.url, 'POST', '/oauth2/revoke', { body: { token: t, ...admin } })).status).toBe(200);
    expect(await works(t)).toBe(200);
  });
});
