/**
 * Secrets of keyform_api_key: delivery outside the state, rotation when due (with the previous secret
 * working through the grace period), and no secret anywhere in Terraform's trace output.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KeyformClient } from '../../src/client';
import { header, acceptanceSuite } from './workspace';

jest.setTimeout(180_000);

const { server, workspace } = acceptanceSuite();
const ws = workspace({ TF_LOG: 'trace' });

/** Whether `secret` authenticates against the server (any valid bearer may read the scope catalog). */
async function authenticates(secret: string): Promise<boolean> {
  const res = await fetch(`${server.url}/v1/scopes`, { headers: { authorization: `Bearer ${secret}` } });
  return res.status === 200;
}

describe('secret delivery (file and command), rotation and secrecy (TF_LOG=trace throughout)', () => {
  const issued: string[] = [];
  const secretFile = () => join(ws.dir, 'secrets', 'delivered.key');
  const config = (every: string, storedDelivery = '') => `${header()}
resource "keyform_api_key" "delivered" {
  name   = "ci deploy"
  type   = "secret"
  scopes = ["customers:read"]
  rotation {
    every        = "${every}"
    grace_period = "1h"
  }
  secret_delivery {
    file = "\${path.module}/secrets/delivered.key"
  }
}
resource "keyform_api_key" "piped" {
  name = "piped to a command"
  type = "public"
  secret_delivery {
    command = "cat > piped.key"
  }
}
resource "keyform_api_key" "stored" {
  name   = "stored in state"
  type   = "tokenization"
  scopes = ["customers:read"]
  ${storedDelivery}
}
resource "keyform_oauth_authorization" "tool" {
  name         = "coding assistant"
  owner_id     = "usr_alice"
  capabilities = ["api", "mcp"]
}
`;

  it('GIVEN secret_delivery to a file WHEN applied THEN the file has mode 0600 and the state holds no value', async () => {
    ws.write(config('90d'));
    await ws.apply();
    const st = statSync(secretFile());
    expect(st.mode & 0o777).toBe(0o600);
    const delivered = readFileSync(secretFile(), 'utf8').trim();
    expect(delivered).toMatch(/^fsk_test_/);
    expect(await authenticates(delivered)).toBe(true);
    const d = ws.resource('keyform_api_key.delivered')!;
    expect(d.value).toBeNull();
    expect(d.fingerprint).toMatch(/^sha256:/);
    expect(ws.stateFile()).not.toContain(delivered);
    const piped = readFileSync(join(ws.dir, 'piped.key'), 'utf8').trim();
    expect(piped).toMatch(/^fpk_test_/);
    expect(ws.resource('keyform_api_key.piped')!.value).toBeNull();
    expect(ws.stateFile()).not.toContain(piped);
    issued.push(piped);
    const stored = ws.resource('keyform_api_key.stored')!;
    expect(String(stored.value)).toMatch(/^ftk_test_/);
    const tool = ws.resource('keyform_oauth_authorization.tool')!;
    expect(typeof tool.client_secret).toBe('string');
    issued.push(delivered, stored.value as string, tool.client_secret as string);
    expect((await ws.plan()).code).toBe(0);
  });

  it('GIVEN a shorter schedule applied WHEN its period has passed THEN the next plan shows the rotation and apply rotates within the grace period', async () => {
    const before = ws.resource('keyform_api_key.delivered')!;
    const oldSecret = readFileSync(secretFile(), 'utf8').trim();
    ws.write(config('3s'));
    // Wait until the 3 s period since creation has passed, measured from the server's created_at.
    const dueAt = Date.parse(before.created_at as string) + 3_000;
    await sleep(Math.max(0, dueAt - Date.now()) + 100);
    // A changed schedule is recorded first: rotations are decided on refresh, against the applied one.
    const scheduling = await ws.plan();
    expect(scheduling.code).toBe(2);
    expect(scheduling.output).toContain('under the new schedule');
    expect(scheduling.stdout).not.toContain('(known after apply)');
    await ws.apply();
    expect(ws.resource('keyform_api_key.delivered')).toMatchObject({ version: 1, fingerprint: before.fingerprint });
    const plan = await ws.plan();
    expect(plan.code).toBe(2);
    expect(plan.output).toContain('Rotation due since');
    expect(plan.stdout).toContain('keyform_api_key.delivered will be updated in-place');
    expect(plan.stdout).not.toContain('keyform_api_key.stored will be');
    await ws.apply();
    const after = ws.resource('keyform_api_key.delivered')!;
    expect(after.id).toBe(before.id);
    expect(after.version).toBe(2);
    expect(after.fingerprint).not.toBe(before.fingerprint);
    expect(after.value).toBeNull();
    const newSecret = readFileSync(secretFile(), 'utf8').trim();
    expect(newSecret).not.toBe(oldSecret);
    issued.push(newSecret);
    expect(await authenticates(newSecret)).toBe(true);
    expect(await authenticates(oldSecret)).toBe(true);
    expect(statSync(secretFile()).mode & 0o777).toBe(0o600);
  });

  it('GIVEN a saved plan made before a rotation falls due WHEN it is applied after the due time THEN the apply succeeds as planned and the next plan rotates', async () => {
    const rotated = ws.resource('keyform_api_key.delivered')!;
    // A period that ends about 25 s from now, so the saved plan below is made before it (an apply and a
    // plan take more than 10 s on a loaded machine).
    const period = Math.ceil((Date.now() - Date.parse(rotated.rotated_at as string)) / 1000) + 25;
    ws.write(config(`${period}s`));
    await ws.apply();
    const saved = await ws.run(['plan', '-input=false', '-out=before-due.tfplan']);
    expect(saved.code).toBe(0);
    const dueAt = Date.parse(rotated.rotated_at as string) + period * 1000;
    // The scenario is only real if the plan's refresh came before the due time.
    expect(Date.now()).toBeLessThan(dueAt);
    expect(saved.output).not.toContain('Rotation due since');
    await sleep(Math.max(0, dueAt - Date.now()) + 200);
    // Terraform plans the key again at apply time; that re-plan must agree with the saved one.
    const applied = await ws.run(['apply', '-input=false', 'before-due.tfplan']);
    expect({ code: applied.code, inconsistent: applied.output.includes('inconsistent') }).toEqual({ code: 0, inconsistent: false });
    expect(ws.resource('keyform_api_key.delivered')).toMatchObject({ version: 2, fingerprint: rotated.fingerprint });
    const next = await ws.plan();
    expect(next.code).toBe(2);
    expect(next.output).toContain('Rotation due since');
  });

  it('GIVEN a key whose secret is in state WHEN secret_delivery is added THEN it is a re-delivery: a rotation, the new secret in the file, the old one working through the grace period', async () => {
    const before = ws.resource('keyform_api_key.stored')!;
    ws.write(config('3s', 'secret_delivery {\n    file = "${path.module}/stored.key"\n  }'));
    const plan = await ws.plan();
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('keyform_api_key.stored will be updated in-place');
    expect(plan.output).toMatch(/the secret's delivery changes from\s+Terraform state \(value\) to file "\.\/stored\.key"/);
    // The 3 s rotation of the delivered key is due again by now: its newest secret joins the leak check.
    await ws.apply();
    issued.push(readFileSync(secretFile(), 'utf8').trim());
    const after = ws.resource('keyform_api_key.stored')!;
    expect(after.value).toBeNull();
    expect(after.version).toBe((before.version as number) + 1);
    expect(after.fingerprint).not.toBe(before.fingerprint);
    const delivered = readFileSync(join(ws.dir, 'stored.key'), 'utf8').trim();
    expect(delivered).toMatch(/^ftk_test_/);
    expect(delivered).not.toBe(before.value);
    issued.push(delivered);
    expect(statSync(join(ws.dir, 'stored.key')).mode & 0o777).toBe(0o600);
    expect(ws.stateFile()).not.toContain(delivered);
  });

  it('GIVEN everything above ran with TF_LOG=trace THEN no issued secret appears in any Terraform output or the server log', async () => {
    await ws.destroy();
    expect(issued.length).toBeGreaterThanOrEqual(5);
    const everything = ws.transcript.join('\n');
    expect(everything.length).toBeGreaterThan(100_000); // trace logging really was on
    for (const secret of issued) {
      expect(secret.length).toBeGreaterThan(12);
      expect(everything.includes(secret)).toBe(false);
    }
    expect(server.stderr().length).toBeGreaterThan(0);
    for (const secret of issued) expect(server.stderr().includes(secret)).toBe(false);
  });
});

describe('crash recovery', () => {
  const crash = workspace();

  it('GIVEN a key created by an apply whose state was lost WHEN the same working directory applies again THEN its create is replayed (same id, same secret), not duplicated', async () => {
    crash.write(`${header()}
resource "keyform_api_key" "svc" {
  name   = "crash survivor"
  type   = "secret"
  scopes = ["customers:read"]
}
`);
    await crash.apply();
    const first = crash.resource('keyform_api_key.svc')!;
    // Terraform dying right after the API call looks like this: the key exists, the state does not know it.
    expect((await crash.run(['state', 'rm', 'keyform_api_key.svc'])).code).toBe(0);
    const again = await crash.apply();
    expect(again.stdout).toContain('keyform_api_key.svc will be created');
    const second = crash.resource('keyform_api_key.svc')!;
    expect(second.id).toBe(first.id);
    expect(second.version).toBe(1);
    expect(second.value).toBe(first.value);
    expect(await authenticates(second.value as string)).toBe(true);
    const client = new KeyformClient({ endpoint: server.url, clientId: server.adminClientId, clientSecret: server.adminClientSecret });
    const named = await client.listAllApiKeys({ mid: 'mid_123456', name: 'crash survivor', status: 'active' });
    await client.close();
    expect(named.map((k) => k.id)).toEqual([first.id]);
    expect((await crash.plan()).code).toBe(0);
    await crash.destroy();
  });
});
