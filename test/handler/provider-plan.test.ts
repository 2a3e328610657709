/**
 * keyform's provider definition without Terraform: settings resolution, and the api key plan
 * (defaults, forced replacement, due rotation, live guard). Pure: no API call is made.
 */
import { CallContext, DiagnosticError, TfObject, UNKNOWN } from '../../src/provider/framework';
import { planResourceChange } from '../../src/provider/plugin/plan-pipeline';
import { KeyformContext, planApiKey, resolveSettings } from '../../src/provider/keyform';
import { keyformProvider } from '../../src/provider/keyform/provider';

const ctx = (settings: Partial<KeyformContext['settings']> = {}): KeyformContext =>
  ({ settings: { endpoint: 'http://127.0.0.1:1', token: 't', mid: 'mid_123456', allowLive: false, ...settings } }) as KeyformContext;

const nullConfig: TfObject = {
  id: null, mid: null, name: 'svc', type: 'secret', mode: null, scopes: ['customers:read'], description: null, expires_at: null,
  value: null, prefix: null, fingerprint: null, created_at: null, rotated_at: null, version: null, rotation: null, secret_delivery: null,
};
const prior: TfObject = {
  ...nullConfig, id: 'key_1', mid: 'mid_123456', mode: 'test', value: 'fsk_test_secretvalue', prefix: 'fsk_test_', fingerprint: 'sha256:1',
  created_at: '2026-01-01T00:00:00Z', rotated_at: null, version: 1,
};
const now = new Date('2026-01-10T00:00:00Z');

async function diagnosticsOf(p: Promise<unknown>) {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(DiagnosticError);
  return (err as DiagnosticError).diagnostics;
}

describe('resolveSettings', () => {
  it.each([
    { reason: 'everything from the environment', config: {}, env: { KEYFORM_ENDPOINT: 'http://h', KEYFORM_TOKEN: 't', KEYFORM_MID: 'mid_1' }, out: { endpoint: 'http://h', token: 't', mid: 'mid_1', allowLive: false } },
    { reason: 'the block wins over the environment', config: { endpoint: 'http://block', mid: 'mid_b' }, env: { KEYFORM_ENDPOINT: 'http://env', KEYFORM_TOKEN: 't', KEYFORM_MID: 'mid_e' }, out: { endpoint: 'http://block', token: 't', mid: 'mid_b', allowLive: false } },
    { reason: 'client credentials from the environment', config: {}, env: { KEYFORM_ENDPOINT: 'http://h', KEYFORM_CLIENT_ID: 'id', KEYFORM_CLIENT_SECRET: 's' }, out: { endpoint: 'http://h', clientId: 'id', clientSecret: 's', mid: null, allowLive: false } },
    { reason: 'a token in the block wins over client credentials in the environment', config: { token: 'blk' }, env: { KEYFORM_ENDPOINT: 'http://h', KEYFORM_CLIENT_ID: 'id', KEYFORM_CLIENT_SECRET: 's' }, out: { endpoint: 'http://h', token: 'blk', mid: null, allowLive: false } },
    { reason: 'KEYFORM_ALLOW_LIVE=true allows live keys', config: {}, env: { KEYFORM_ENDPOINT: 'http://h', KEYFORM_TOKEN: 't', KEYFORM_ALLOW_LIVE: 'true' }, out: { endpoint: 'http://h', token: 't', mid: null, allowLive: true } },
    { reason: 'allow_live = false in the block wins over the environment', config: { allow_live: false }, env: { KEYFORM_ENDPOINT: 'http://h', KEYFORM_TOKEN: 't', KEYFORM_ALLOW_LIVE: 'true' }, out: { endpoint: 'http://h', token: 't', mid: null, allowLive: false } },
  ])('$reason', ({ config, env, out }) => {
    expect(resolveSettings(config as TfObject, env)).toEqual(out);
  });

  it.each([
    { reason: 'no endpoint names the attribute and the variable', config: {}, env: { KEYFORM_TOKEN: 't' }, summary: 'Missing keyform endpoint', attribute: ['endpoint'], mentions: 'KEYFORM_ENDPOINT' },
    { reason: 'no credentials names both ways to authenticate', config: {}, env: { KEYFORM_ENDPOINT: 'http://h' }, summary: 'Missing keyform credentials', attribute: ['token'], mentions: 'KEYFORM_CLIENT_SECRET' },
    { reason: 'a client id without its secret', config: { client_id: 'id' }, env: { KEYFORM_ENDPOINT: 'http://h' }, summary: 'Missing keyform client_secret', attribute: ['client_secret'], mentions: 'KEYFORM_CLIENT_SECRET' },
    { reason: 'a malformed KEYFORM_ALLOW_LIVE', config: {}, env: { KEYFORM_ENDPOINT: 'http://h', KEYFORM_TOKEN: 't', KEYFORM_ALLOW_LIVE: 'yes please' }, summary: 'Invalid KEYFORM_ALLOW_LIVE value', attribute: ['allow_live'], mentions: 'true' },
    { reason: 'an endpoint that is not a URL', config: { endpoint: 'localhost:8080' }, env: { KEYFORM_TOKEN: 't' }, summary: 'Invalid keyform endpoint', attribute: ['endpoint'], mentions: 'http://' },
  ])('$reason', ({ config, env, summary, attribute, mentions }) => {
    let err: unknown;
    try {
      resolveSettings(config as TfObject, env);
    } catch (e) {
      err = e;
    }
    const [d] = (err as DiagnosticError).diagnostics;
    expect(d.summary).toBe(summary);
    expect(d.attribute).toEqual(attribute);
    expect(d.detail).toContain(mentions);
  });

  it('never puts a credential into a diagnostic', () => {
    let err: unknown;
    try {
      resolveSettings({ client_id: 'kfc_visible' }, { KEYFORM_ENDPOINT: 'http://h', KEYFORM_TOKEN: 'kft_super_secret_token' });
    } catch (e) {
      err = e;
    }
    expect(JSON.stringify((err as DiagnosticError).diagnostics)).not.toContain('kft_super_secret_token');
  });
});

describe('planApiKey', () => {
  it('plans a create with the provider mid, mode test, a known prefix and unknown computed values', async () => {
    const { planned, requiresReplace } = await planApiKey({ prior: null, proposed: nullConfig, config: nullConfig }, ctx(), now);
    expect(planned).toMatchObject({ mid: 'mid_123456', mode: 'test', prefix: 'fsk_test_', id: UNKNOWN, value: UNKNOWN, fingerprint: UNKNOWN, version: UNKNOWN });
    expect(requiresReplace).toBeUndefined();
  });

  it.each([
    { reason: 'a secret key without scopes warns that it has full access', type: 'secret', scopes: null, warned: true },
    { reason: 'an explicitly empty scope set warns too', type: 'secret', scopes: [], warned: true },
    { reason: 'a scoped secret key does not warn', type: 'secret', scopes: ['customers:read'], warned: false },
    { reason: 'a public key without scopes does not warn', type: 'public', scopes: null, warned: false },
  ])('$reason', async ({ type, scopes, warned }) => {
    const config: TfObject = { ...nullConfig, type, scopes };
    const { diagnostics } = await planApiKey({ prior: null, proposed: config, config }, ctx(), now);
    const found = (diagnostics ?? []).filter((d) => d.summary === 'Secret key without scopes has full access');
    expect(found.map((d) => [d.severity, d.attribute])).toEqual(warned ? [['warning', ['scopes']]] : []);
  });

  it('plans no value in state when the secret is delivered elsewhere', async () => {
    const config = { ...nullConfig, secret_delivery: { file: '/tmp/x', command: null } };
    const { planned } = await planApiKey({ prior: null, proposed: config, config }, ctx(), now);
    expect(planned.value).toBeNull();
  });

  it('keeps every computed value on an in-place update', async () => {
    const config = { ...nullConfig, name: 'renamed' };
    const { planned, requiresReplace, diagnostics } = await planApiKey({ prior, proposed: { ...prior, name: 'renamed' }, config }, ctx(), now);
    expect(planned).toMatchObject({ id: 'key_1', value: 'fsk_test_secretvalue', fingerprint: 'sha256:1', version: 1, name: 'renamed' });
    expect(requiresReplace ?? []).toEqual([]);
    expect(diagnostics).toEqual([]);
  });

  it.each([
    { reason: 'type', change: { type: 'public' }, path: ['type'] },
    { reason: 'mode', change: { mode: 'live' }, path: ['mode'], allowLive: true },
    { reason: 'mid', change: { mid: 'mid_654321' }, path: ['mid'] },
    { reason: 'the provider mid, when the key has none', change: {}, path: ['mid'], providerMid: 'mid_654321' },
  ])('forces replacement when $reason changes', async ({ change, path, allowLive, providerMid }) => {
    const config: TfObject = { ...nullConfig, ...(change as TfObject) };
    const { requiresReplace } = await planApiKey({ prior, proposed: { ...prior, ...(change as TfObject) }, config }, ctx({ allowLive: !!allowLive, ...(providerMid ? { mid: providerMid } : {}) }), now);
    expect(requiresReplace).toEqual([path]);
  });

  const dueAtRefresh = (since: string) => Buffer.from(JSON.stringify({ rotationDueSince: since }));

  it('GIVEN the refresh found the applied rotation due THEN plans a new version and value and warns since when', async () => {
    const rotation = { every: '7d', grace_period: '1h' };
    const config = { ...nullConfig, rotation };
    const privateData = dueAtRefresh('2026-01-08T00:00:00.000Z');
    const { planned, diagnostics } = await planApiKey({ prior: { ...prior, rotation }, proposed: { ...prior, rotation }, config, privateData }, ctx(), now);
    expect(planned).toMatchObject({ id: 'key_1', version: UNKNOWN, value: UNKNOWN, fingerprint: UNKNOWN, rotated_at: UNKNOWN });
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'warning', summary: 'API key key_1: Rotation due since 2026-01-08T00:00:00.000Z' })]);
  });

  it.each([
    { reason: 'the refresh found it not due, although the clock has passed the due time since', every: '7d', privateData: undefined },
    { reason: 'the refresh found it not due and it is not due now', every: '30d', privateData: undefined },
    { reason: 'the private state is empty', every: '7d', privateData: new Uint8Array(0) },
  ])('GIVEN an applied rotation and $reason THEN the plan keeps everything', async ({ every, privateData }) => {
    // The apply-time re-plan sees the same private state as the plan: both must keep the version known.
    const rotation = { every, grace_period: null };
    const config = { ...nullConfig, rotation };
    const { planned, diagnostics } = await planApiKey({ prior: { ...prior, rotation }, proposed: { ...prior, rotation }, config, privateData }, ctx(), now);
    expect(planned.version).toBe(1);
    expect(diagnostics).toEqual([]);
  });

  it('GIVEN a rotation block added to a key older than its period THEN the plan records the schedule without rotating and says the next plan rotates', async () => {
    const rotation = { every: '7d', grace_period: null };
    const config = { ...nullConfig, rotation };
    const { planned, diagnostics } = await planApiKey({ prior, proposed: { ...prior, rotation }, config }, ctx(), now);
    expect(planned).toMatchObject({ version: 1, fingerprint: prior.fingerprint, rotation });
    expect(diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', summary: 'API key key_1: Rotation due since 2026-01-08T00:00:00.000Z under the new schedule', attribute: ['rotation'] }),
    ]);
  });

  it('GIVEN a shortened period whose due time has passed THEN a due finding of the old schedule is not used and nothing rotates yet', async () => {
    const old = { every: '30d', grace_period: null };
    const shorter = { every: '7d', grace_period: null };
    const privateData = dueAtRefresh('2026-01-31T00:00:00.000Z');
    const { planned, diagnostics } = await planApiKey(
      { prior: { ...prior, rotation: old }, proposed: { ...prior, rotation: shorter }, config: { ...nullConfig, rotation: shorter }, privateData },
      ctx(),
      now,
    );
    expect(planned.version).toBe(1);
    expect((diagnostics ?? []).map((d) => d.summary)).toEqual(['API key key_1: Rotation due since 2026-01-08T00:00:00.000Z under the new schedule']);
  });

  it('GIVEN a refresh found the secret changed outside Terraform THEN plans a rotation and says why', async () => {
    const privateData = Buffer.from(JSON.stringify({ staleSecret: { rotatedAt: '2026-01-05T00:00:00Z' } }));
    const { planned, diagnostics } = await planApiKey({ prior, proposed: prior, config: nullConfig, privateData }, ctx(), now);
    expect(planned).toMatchObject({ id: 'key_1', version: UNKNOWN, value: UNKNOWN, fingerprint: UNKNOWN });
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'warning', summary: 'API key key_1: The key was rotated outside Terraform' })]);
    const clean = await planApiKey({ prior, proposed: prior, config: nullConfig, privateData: new Uint8Array(0) }, ctx(), now);
    expect(clean.planned.version).toBe(1);
  });

  it('refuses a live key unless allowed, at the mode attribute', async () => {
    const config = { ...nullConfig, mode: 'live' };
    const [d] = await diagnosticsOf(planApiKey({ prior: null, proposed: config, config }, ctx(), now));
    expect(d).toMatchObject({ severity: 'error', summary: expect.stringContaining('Live credentials need allow_live: refusing to create API key'), attribute: ['mode'] });
    await expect(planApiKey({ prior: null, proposed: config, config }, ctx({ allowLive: true }), now)).resolves.toBeDefined();
  });

  it('asks for a merchant when neither the key nor the provider has one', async () => {
    const [d] = await diagnosticsOf(planApiKey({ prior: null, proposed: nullConfig, config: nullConfig }, ctx({ mid: null }), now));
    expect(d).toMatchObject({ summary: 'Missing merchant id', attribute: ['mid'] });
  });
});

describe('provider definition', () => {
  it('declares exactly the fixed resource and data source names', () => {
    expect(Object.keys(keyformProvider.resources).sort()).toEqual(['keyform_api_key', 'keyform_mcp_server_grant', 'keyform_oauth_authorization', 'keyform_project_access']);
    expect(Object.keys(keyformProvider.dataSources).sort()).toEqual(['keyform_api_key', 'keyform_mcp_servers', 'keyform_projects', 'keyform_scopes']);
    expect(Object.keys(keyformProvider.schema.attributes).sort()).toEqual(['allow_live', 'client_id', 'client_secret', 'endpoint', 'mid', 'token']);
    const key = keyformProvider.resources.keyform_api_key.schema;
    expect(Object.keys(key.attributes)).toEqual(expect.arrayContaining(['mid', 'name', 'type', 'mode', 'scopes', 'description', 'expires_at', 'id', 'value', 'prefix', 'fingerprint', 'created_at']));
    expect(Object.keys(key.blocks ?? {})).toEqual(['rotation', 'secret_delivery']);
    expect(key.attributes.value.sensitive).toBe(true);
    expect(keyformProvider.schema.attributes.token.sensitive).toBe(true);
    expect(keyformProvider.schema.attributes.client_secret.sensitive).toBe(true);
    expect(keyformProvider.resources.keyform_oauth_authorization.schema.attributes.client_secret.sensitive).toBe(true);
  });

  it('validates config without a configured provider, at the attribute path', async () => {
    const diags = await keyformProvider.resources.keyform_api_key.validate!({ ...nullConfig, scopes: ['customers:read', UNKNOWN, 'charge:read'] }, { provider: undefined, typeName: 'keyform_api_key' });
    expect(diags).toEqual([expect.objectContaining({ severity: 'error', summary: 'Unknown scope "charge:read"', attribute: ['scopes'] })]);
  });

  it('refuses a malformed import id of a grant, saying the expected form', async () => {
    const err = await keyformProvider.resources.keyform_project_access.import!({ id: 'auth_1' }, { provider: undefined, typeName: 'keyform_project_access' }).catch((e: unknown) => e);
    expect((err as DiagnosticError).diagnostics[0].detail).toContain('<authorization_id>/<project_id>');
  });
});

describe('keyform_oauth_authorization plan: mode', () => {
  const plan = (req: { prior: TfObject | null; proposed: TfObject; config: TfObject }, c: CallContext<KeyformContext>) =>
    planResourceChange(keyformProvider.resources.keyform_oauth_authorization, req, c);
  const authCtx = (allowLive: boolean) =>
    ({ provider: { ...ctx({ allowLive }), authorizations: { confirm: async () => undefined } }, typeName: 'keyform_oauth_authorization' }) as never;
  const config: TfObject = {
    id: null, name: 'assistant', kind: null, owner_id: 'usr_alice', mode: null, capabilities: ['mcp'], client_id: null, client_secret: null,
    fingerprint: null, grants: null, secret_delivery: null, unmanaged_grants: null,
  };
  const stateBeforeModes: TfObject = { ...config, id: 'auth_1', kind: 'oauth2', mode: null, client_id: 'fci_1', fingerprint: 'sha256:1', unmanaged_grants: [] };

  it('defaults an unset mode to test, and a state written before modes existed is not replaced by it', async () => {
    const r = (await plan({ prior: stateBeforeModes, proposed: { ...config }, config } as never, authCtx(false))) as { planned: TfObject; requiresReplace?: unknown[] };
    expect(r.planned.mode).toBe('test');
    expect(r.requiresReplace ?? []).toEqual([]);
  });

  it('refuses a live authorization without allow_live, naming it, and replaces on a mode change', async () => {
    const live = { ...config, mode: 'live' };
    const diags = await diagnosticsOf(Promise.resolve().then(() => plan({ prior: null, proposed: live, config: live } as never, authCtx(false))));
    expect(diags.map((d) => `${d.summary} ${d.detail}`).join(' ')).toMatch(/allow_live/);
    const r = (await plan({ prior: { ...stateBeforeModes, mode: 'test' }, proposed: live, config: live } as never, authCtx(true))) as { requiresReplace?: unknown[] };
    expect(r.requiresReplace).toEqual([['mode']]);
  });
});
