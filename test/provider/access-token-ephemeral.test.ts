/**
 * keyform_access_token's open / renew / close against the real server (4-second tokens), driven
 * directly through the definition so the test holds the token and can check what it still opens:
 * renewal keeps the same bearer working past its first expiry, close revokes it, credentials come
 * from the resource or the provider (never from a token-only provider), and a close that cannot reach
 * the server is a warning that says when the token expires.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DiagnosticError, type CallContext, type TfObject } from '../../src/provider/framework';
import { accessTokenEphemeral } from '../../src/provider/keyform/access-token-ephemeral';
import { createContext, type KeyformContext } from '../../src/provider/keyform/context';
import { resolveSettings } from '../../src/provider/keyform/provider-config';
import { startTestServer, type TestServer } from '../support/server';

jest.setTimeout(60_000);

let server: TestServer;
const contexts: KeyformContext[] = [];

async function ctxWith(config: TfObject): Promise<CallContext<KeyformContext>> {
  const provider = await createContext(resolveSettings({ endpoint: server.url, token: null, client_id: null, client_secret: null, mid: null, allow_live: null, ...config }, {}), '1.11.4');
  contexts.push(provider);
  return { provider, typeName: 'keyform_access_token' };
}
const adminCtx = () => ctxWith({ client_id: server.adminClientId, client_secret: server.adminClientSecret });
const none: TfObject = { client_id: null, client_secret: null, access_token: null, expires_at: null };
const works = async (token: string) => (await fetch(`${server.url}/v1/scopes`, { headers: { authorization: `Bearer ${token}` } })).status;

beforeAll(async () => {
  server = await startTestServer({ args: ['--token-ttl', '4'] });
});
afterAll(async () => {
  for (const c of contexts) await c.api.close();
  await server?.stop();
});

test('open mints a bearer with the provider credentials, renew keeps that bearer alive past its first expiry, close revokes it', async () => {
  const ctx = await adminCtx();
  const opened = await accessTokenEphemeral.open({ config: none }, ctx);
  const token = String(opened.result.access_token);
  expect(token).toMatch(/^kfat_/);
  expect(opened.result.client_id).toBe(server.adminClientId);
  expect(Date.parse(String(opened.result.expires_at))).toBeGreaterThan(Date.now());
  // The provider's own secret stays out of the private data Terraform holds.
  expect(Buffer.from(opened.privateData!).toString()).not.toContain(server.adminClientSecret);
  expect(opened.renewAt!.getTime()).toBeLessThan(Date.parse(String(opened.result.expires_at)));

  let priv = opened.privateData;
  let renewAt = opened.renewAt!;
  const firstExpiry = Date.parse(String(opened.result.expires_at));
  for (let i = 0; i < 3; i++) {
    await sleep(Math.max(0, renewAt.getTime() - Date.now()));
    const renewed = await accessTokenEphemeral.renew!({ privateData: priv }, ctx);
    renewAt = renewed.renewAt!;
    priv = renewed.privateData;
  }
  // Past the first 4-second lifetime, the same bearer still works.
  expect(Date.now()).toBeGreaterThan(firstExpiry);
  expect(await works(token)).toBe(200);
  await accessTokenEphemeral.close!({ privateData: priv }, ctx);
  expect(await works(token)).toBe(401);
});

test('credentials on the resource win over the provider; a token-only provider has none to lend', async () => {
  const tokenOnly = await ctxWith({ token: 'fsk_test_not_used_here' });
  await expect(accessTokenEphemeral.open({ config: none }, tokenOnly)).rejects.toThrow('keyform_access_token needs client credentials');
  const opened = await accessTokenEphemeral.open({ config: { ...none, client_id: server.adminClientId, client_secret: server.adminClientSecret } }, tokenOnly);
  expect(await works(String(opened.result.access_token))).toBe(200);
  await accessTokenEphemeral.close!({ privateData: opened.privateData }, tokenOnly);
  expect(await works(String(opened.result.access_token))).toBe(401);
});

test('validation names the missing half of a credential pair', async () => {
  const diags = await accessTokenEphemeral.validate!({ ...none, client_id: 'kfc_x' }, await adminCtx());
  expect(diags).toEqual([expect.objectContaining({ severity: 'error', summary: 'Missing client_secret', attribute: ['client_secret'] })]);
});

test('a close that cannot reach the server is a warning saying when the token expires, never showing it', async () => {
  const ctx = await adminCtx();
  const opened = await accessTokenEphemeral.open({ config: none }, ctx);
  const unreachable: CallContext<KeyformContext> = { ...ctx, provider: { ...ctx.provider!, settings: { ...ctx.provider!.settings, endpoint: 'http://127.0.0.1:9' } } };
  const err = await accessTokenEphemeral.close!({ privateData: opened.privateData }, unreachable).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DiagnosticError);
  const d = (err as DiagnosticError).diagnostics;
  expect(d).toHaveLength(1);
  expect(d[0].severity).toBe('warning');
  expect(d[0].summary).toBe('The access token could not be revoked and is left to expire');
  expect(d[0].detail).toContain(String(opened.result.expires_at));
  expect(JSON.stringify(d)).not.toContain(String(opened.result.access_token));
  await accessTokenEphemeral.close!({ privateData: opened.privateData }, ctx);
});
