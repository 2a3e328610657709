/**
 * keyform_api_key's read-only `last_used_at` and expired keys, against the real Terraform CLI and
 * reference server: using a key is never a planned change (also between a saved plan and its apply),
 * the data source shows the value, and a key that expired plans as a replacement instead of
 * "No changes". Requires `npm run build`.
 */
import { header, acceptanceSuite } from './workspace';

jest.setTimeout(240_000);

const { server, client, workspace } = acceptanceSuite();

/** One request authenticated by the key's own value (what a consumer does). */
async function useKey(value: string): Promise<void> {
  const res = await fetch(`${server.url}/v1/api-keys?limit=1`, { headers: { authorization: `Bearer ${value}` } });
  expect(res.status).toBe(200);
}

const keyConfig = (name: string) => `${header()}
resource "keyform_api_key" "svc" {
  name   = "${name}"
  type   = "secret"
  scopes = ["api_keys:read"]
}
data "keyform_api_key" "svc" {
  id = keyform_api_key.svc.id
}
`;

describe('last_used_at', () => {
  const ws = workspace();

  it('GIVEN a new key WHEN applied THEN last_used_at is null, known at plan time', async () => {
    ws.write(keyConfig('svc'));
    const plan = await ws.plan();
    // Null is known: Terraform leaves it out of the create, instead of "(known after apply)".
    const created = plan.output.split('# keyform_api_key.svc will be created')[1].split('\n    }')[0];
    expect(created).toContain('+ fingerprint');
    expect(created).not.toContain('last_used_at');
    await ws.apply();
    expect(ws.resource('keyform_api_key.svc')!.last_used_at).toBeNull();
  });

  it('GIVEN the key is used WHEN planned THEN no changes (exit 0); a refresh records when it was used', async () => {
    await useKey(ws.resource('keyform_api_key.svc')!.value as string);
    const onServer = (await client.getApiKey(ws.resource('keyform_api_key.svc')!.id as string)).last_used_at;
    expect(onServer).not.toBeNull();
    const plan = await ws.plan();
    expect(plan.output).toContain('No changes.');
    expect(plan.code).toBe(0);
    const refresh = await ws.run(['apply', '-refresh-only', '-auto-approve', '-input=false']);
    expect(refresh.code).toBe(0);
    expect(ws.resource('keyform_api_key.svc')!.last_used_at).toBe(onServer);
    const state = JSON.parse(ws.stateFile());
    const data = state.resources.find((r: any) => r.mode === 'data' && r.type === 'keyform_api_key');
    expect(data.instances[0].attributes.last_used_at).toBe(onServer);
  });

  it('GIVEN a saved plan renaming the key WHEN the key is used before the apply THEN the plan shows only the rename and applies as reviewed', async () => {
    ws.write(keyConfig('svc-renamed'));
    const plan = await ws.run(['plan', '-input=false', '-out=rename.tfplan']);
    expect(plan.code).toBe(0);
    expect(plan.output).toContain('1 to change');
    expect(plan.output).not.toMatch(/~ last_used_at/);
    await useKey(ws.resource('keyform_api_key.svc')!.value as string);
    const apply = await ws.run(['apply', '-input=false', 'rename.tfplan']);
    expect(apply.output).not.toContain('inconsistent');
    expect(apply.code).toBe(0);
    expect((await client.getApiKey(ws.resource('keyform_api_key.svc')!.id as string)).name).toBe('svc-renamed');
  });
});

describe('an expired key', () => {
  const ws = workspace();

  const config = (expiresAt: string) => `${header()}
resource "keyform_api_key" "short" {
  name       = "short-lived"
  type       = "secret"
  scopes     = ["charges:read"]
  expires_at = "${expiresAt}"
}
`;

  it('GIVEN an applied key WHEN it expires THEN the plan says it must be replaced, and refuses a replacement that would be expired too', async () => {
    const soon = new Date(Date.now() + 25_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    ws.write(config(soon));
    await ws.apply();
    const id = ws.resource('keyform_api_key.short')!.id as string;
    while ((await client.getApiKey(id)).status !== 'expired') await new Promise((r) => setTimeout(r, 500));
    const plan = await ws.plan();
    expect(plan.output).toContain('KF-HANDLER-032');
    expect(plan.output).toContain('KF-HANDLER-033');
    expect(plan.code).toBe(1);
  });

  it('GIVEN a later expiry WHEN planned THEN a replacement (not "No changes"); WHEN applied THEN a new key and an empty plan', async () => {
    const oldId = ws.resource('keyform_api_key.short')!.id as string;
    const later = new Date(Date.now() + 30 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    ws.write(config(later));
    const plan = await ws.plan();
    expect(plan.output).toContain('keyform_api_key.short must be replaced');
    expect(plan.output).toMatch(/~ id\s+= "[^"]+" -> \(known after apply\) # forces replacement/);
    expect(plan.output).toContain('Plan: 1 to add, 0 to change, 1 to destroy.');
    expect(plan.code).toBe(2);
    await ws.apply();
    const newId = ws.resource('keyform_api_key.short')!.id as string;
    expect(newId).not.toBe(oldId);
    expect((await client.getApiKey(newId)).status).toBe('active');
    expect((await client.getApiKey(oldId)).status).toBe('revoked');
    const again = await ws.plan();
    expect(again.code).toBe(0);
  });
});
