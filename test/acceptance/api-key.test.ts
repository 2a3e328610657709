/**
 * keyform_api_key against the real Terraform CLI, the bundled provider and the reference server:
 * lifecycle (create, no-op plan, in-place update, drift, replacement, import, destroy) and the
 * plan-time refusals.
 */
import { header, acceptanceSuite } from './workspace';

jest.setTimeout(180_000);

const { server, client, workspace } = acceptanceSuite();

/** Whether `secret` authenticates against the server (any valid bearer may read the scope catalog). */
async function authenticates(secret: string): Promise<boolean> {
  const res = await fetch(`${server.url}/v1/scopes`, { headers: { authorization: `Bearer ${secret}` } });
  return res.status === 200;
}

const key = (body: string) => `${header()}
resource "keyform_api_key" "svc" {
${body}
}
data "keyform_api_key" "svc" {
  id = keyform_api_key.svc.id
}
output "fingerprint_from_data" { value = data.keyform_api_key.svc.fingerprint }
`;

describe('keyform_api_key lifecycle', () => {
  const ws = () => lifecycle;
  const lifecycle = workspace();

  let firstId = '';
  let firstFingerprint = '';

  it('GIVEN a declared key WHEN applied THEN the key exists and the next plan is empty', async () => {
    ws().write(key(`  name = "support assistant"
  type = "secret"
  scopes = ["customers:read", "charges:read"]
  description = "read-only helper"
  expires_at = "2030-01-31T00:00:00Z"`));
    await ws().apply();
    const s = (ws().resource('keyform_api_key.svc'))!;
    firstId = s.id as string;
    firstFingerprint = s.fingerprint as string;
    expect(s).toMatchObject({ mid: 'mid_123456', mode: 'test', prefix: 'fsk_test_', version: 1, rotated_at: null });
    expect(String(s.value)).toMatch(/^fsk_test_/);
    const onServer = await client.getApiKey(firstId);
    expect([...onServer.scopes].sort()).toEqual(['charges:read', 'customers:read']);
    const outputs = JSON.parse((await ws().run(['output', '-json'])).stdout);
    expect(outputs.fingerprint_from_data.value).toBe(firstFingerprint);
    expect((await ws().plan()).code).toBe(0);
  });

  it('WHEN name and scopes change THEN the plan updates in place and keeps the id and the secret', async () => {
    ws().write(key(`  name = "support bot"
  type = "secret"
  scopes = ["customers:read", "refunds:read"]
  description = "read-only helper"
  expires_at = "2030-01-31T00:00:00Z"`));
    const plan = await ws().plan();
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('keyform_api_key.svc will be updated in-place');
    expect(plan.stdout).toMatch(/~ name\s+= "support assistant" -> "support bot"/);
    await ws().apply();
    const s = (ws().resource('keyform_api_key.svc'))!;
    expect(s.id).toBe(firstId);
    expect(s.fingerprint).toBe(firstFingerprint);
    expect(s.version).toBe(1);
    expect([...(await client.getApiKey(firstId)).scopes].sort()).toEqual(['customers:read', 'refunds:read']);
    expect((await ws().plan()).code).toBe(0);
  });

  it('GIVEN a change made through the API WHEN planning THEN the drift shows, and apply reverts it', async () => {
    await client.updateApiKey(firstId, { scopes: ['refunds:write'], name: 'hand edited' });
    const plan = await ws().plan();
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('keyform_api_key.svc will be updated in-place');
    expect(plan.stdout).toContain('"hand edited" -> "support bot"');
    expect(plan.stdout).toContain('"refunds:write"');
    await ws().apply();
    const onServer = await client.getApiKey(firstId);
    expect(onServer.name).toBe('support bot');
    expect([...onServer.scopes].sort()).toEqual(['customers:read', 'refunds:read']);
    expect((await ws().plan()).code).toBe(0);
  });

  it('GIVEN the key was rotated outside Terraform WHEN planning THEN the stale secret shows, and apply issues one Terraform knows', async () => {
    await client.rotateApiKey(firstId, { grace_period_seconds: 0 });
    const stale = ws().resource('keyform_api_key.svc')!.value as string;
    expect(await authenticates(stale)).toBe(false);
    const plan = await ws().plan();
    expect(plan.code).toBe(2);
    expect(plan.output).toContain('The key was rotated outside Terraform');
    expect(plan.stdout).toContain('keyform_api_key.svc will be updated in-place');
    await ws().apply();
    const s = ws().resource('keyform_api_key.svc')!;
    expect(s.id).toBe(firstId);
    expect(s.version).toBe(3);
    expect(await authenticates(s.value as string)).toBe(true);
    expect((await ws().plan()).code).toBe(0);
  });

  it('WHEN the type changes THEN the key is replaced (-/+) and the old one revoked', async () => {
    ws().write(key(`  name = "support bot"
  type = "public"
  scopes = ["customers:read", "refunds:read"]
  description = "read-only helper"
  expires_at = "2030-01-31T00:00:00Z"`));
    const plan = await ws().plan();
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('-/+ resource "keyform_api_key" "svc"');
    expect(plan.stdout).toMatch(/type\s+= "secret" -> "public" # forces replacement/);
    await ws().apply();
    const s = (ws().resource('keyform_api_key.svc'))!;
    expect(s.id).not.toBe(firstId);
    expect(s.prefix).toBe('fpk_test_');
    expect((await client.getApiKey(firstId)).status).toBe('revoked');
    firstId = s.id as string;
    expect((await ws().plan()).code).toBe(0);
  });

  it('WHEN imported by id THEN the plan is empty and no secret is in state', async () => {
    expect((await ws().run(['state', 'rm', 'keyform_api_key.svc'])).code).toBe(0);
    const imported = await ws().import('keyform_api_key.svc', firstId);
    expect(imported.code).toBe(0);
    const s = (ws().resource('keyform_api_key.svc'))!;
    expect(s).toMatchObject({ id: firstId, value: null, type: 'public', name: 'support bot', expires_at: '2030-01-31T00:00:00Z' });
    expect((await ws().plan()).code).toBe(0);
  });

  it('WHEN the key is deleted outside Terraform THEN the plan recreates it', async () => {
    await client.revokeApiKey(firstId);
    const plan = await ws().plan();
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('keyform_api_key.svc will be created');
    await ws().apply();
    firstId = (ws().resource('keyform_api_key.svc'))!.id as string;
  });

  it('WHEN destroyed THEN the key is revoked on the server, and destroying again succeeds', async () => {
    await ws().destroy();
    expect((await client.getApiKey(firstId)).status).toBe('revoked');
    await ws().destroy();
  });
});

describe('keyform_api_key plan-time refusals', () => {
  const ws = workspace();

  it('refuses an unknown scope naming the attribute and a close match, before any API call', async () => {
    ws.write(`${header()}
resource "keyform_api_key" "bad" {
  name   = "typo"
  type   = "secret"
  scopes = ["customer:read"]
}
`);
    const r = await ws.plan();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Unknown scope "customer:read"');
    expect(r.stderr).toContain('Did you mean "customers:read"?');
    expect(r.stderr).toContain('with keyform_api_key.bad');
    expect(r.stderr).toMatch(/scopes = \["customer:read"\]/);
  });

  it('refuses a name with < or >', async () => {
    ws.write(`${header()}
resource "keyform_api_key" "bad" {
  name = "<script>"
  type = "secret"
}
`);
    const r = await ws.plan();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Invalid name');
    expect(r.stderr).toMatch(/name = "<script>"/);
  });

  it('refuses a live key unless allow_live is set, and says how to allow it', async () => {
    ws.write(`${header()}
resource "keyform_api_key" "live" {
  name = "payments"
  type = "secret"
  mode = "live"
  scopes = ["payment_intents:write"]
}
`);
    const refused = await ws.plan();
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Live credentials need allow_live: refusing to create API key "payments"');
    expect(refused.stderr).toContain('allow_live = true');
    expect(refused.stderr).toContain('KEYFORM_ALLOW_LIVE=true');
    const allowed = await ws.plan({ KEYFORM_ALLOW_LIVE: 'true' });
    expect(allowed.code).toBe(2);
    expect(allowed.stdout).toContain('+ prefix      = "fsk_"');
  });

  it('says which setting is missing when no merchant is known', async () => {
    ws.write(`${header()}
resource "keyform_api_key" "nomid" {
  name = "x"
  type = "secret"
}
`);
    const r = await ws.run(['plan'], { KEYFORM_MID: '' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Missing merchant id');
    expect(r.stderr).toContain('KEYFORM_MID');
  });
});
