/**
 * Delivery destinations of keyform_api_key with the real Terraform CLI and server (TF_LOG=trace):
 * - a changed destination is a re-delivery: the plan shows a rotation and names old and new
 *   destination; the new one receives a working secret, the old one keeps working through the grace;
 * - the delivery command runs with a minimal environment (never the provider's credentials), a
 *   timeout, and its error output reaches diagnostics only redacted; a failed or timed-out delivery
 *   revokes the key it created, and the next apply creates one and delivers it (one active key);
 * - keyform_oauth_authorization takes the same block: its client secret is delivered, never in state.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { clientToken, send } from '../security/support/api';
import { fingerprintOf } from '../../src/server/secrets';
import { header, acceptanceSuite } from './workspace';

jest.setTimeout(240_000);

const { server, workspace } = acceptanceSuite();

/** Whether `secret` authenticates against the server (any valid bearer may read the scope catalog). */
async function authenticates(secret: string): Promise<boolean> {
  const res = await fetch(`${server.url}/v1/scopes`, { headers: { authorization: `Bearer ${secret}` } });
  return res.status === 200;
}

/** The active keys on the server with this name. */
async function activeKeysNamed(name: string): Promise<Array<{ id: string; version: number }>> {
  const token = await clientToken(server.url, server.adminClientId, server.adminClientSecret);
  const res = await send(server.url, 'GET', `/v1/api-keys?mid=mid_123456&status=active&limit=100`, { token });
  return (res.body.data as Array<{ id: string; name: string; version: number }>).filter((k) => k.name === name);
}

/** Every 8-character window of `secret` that holds some of its random part: no output may hold any. */
function fragments(secret: string): string[] {
  const out: string[] = [];
  const prefix = secret.lastIndexOf('_') + 1; // the type prefix (fsk_test_) is public and shown in plans
  for (let i = Math.max(0, prefix - 7); i + 8 <= secret.length; i++) out.push(secret.slice(i, i + 8));
  return out;
}

const keyWith = (delivery: string) => `${header()}
resource "keyform_api_key" "svc" {
  name   = "checkout backend"
  type   = "secret"
  scopes = ["customers:read"]
  rotation {
    every        = "90d"
    grace_period = "1h"
  }
  ${delivery}
}
`;

describe('a changed delivery destination is a re-delivery (rotation with grace)', () => {
  const ws = workspace({ TF_LOG: 'trace' });
  const issued: string[] = [];
  const read = (file: string) => readFileSync(join(ws.dir, file), 'utf8').trim();

  it('GIVEN a key delivered to a file WHEN the file changes THEN plan shows the rotation and names both files; after apply the new file works and the old secret still works in grace', async () => {
    ws.write(keyWith('secret_delivery {\n    file = "old.key"\n  }'));
    await ws.apply();
    const first = ws.resource('keyform_api_key.svc')!;
    const oldSecret = read('old.key');
    issued.push(oldSecret);
    expect(await authenticates(oldSecret)).toBe(true);

    ws.write(keyWith('secret_delivery {\n    file = "new.key"\n  }'));
    const plan = await ws.plan();
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('keyform_api_key.svc will be updated in-place');
    expect(plan.stdout).toMatch(/~ version\s+= 1 -> \(known after apply\)/);
    expect(plan.output).toMatch(/the secret's delivery changes from file\s+"old\.key" to file "new\.key"/);
    expect(plan.output).toMatch(/keeps working for 1h/);

    await ws.apply();
    const after = ws.resource('keyform_api_key.svc')!;
    expect(after).toMatchObject({ id: first.id, version: 2, value: null });
    const newSecret = read('new.key');
    issued.push(newSecret);
    expect(newSecret).not.toBe(oldSecret);
    expect(await authenticates(newSecret)).toBe(true);
    expect(await authenticates(oldSecret)).toBe(true);
    // The old destination is left as it was: it holds the previous secret, working through the grace.
    expect(read('old.key')).toBe(oldSecret);
    expect((await ws.plan()).code).toBe(0);
  });

  it('GIVEN a key delivered to a file WHEN it is sent to a command instead THEN the command receives a fresh working secret through a planned rotation', async () => {
    ws.write(keyWith('secret_delivery {\n    command = "cat > piped.key"\n  }'));
    const plan = await ws.plan();
    expect(plan.code).toBe(2);
    expect(plan.output).toMatch(/changes from file\s+"new\.key" to command "cat > piped\.key"/);
    await ws.apply();
    expect(ws.resource('keyform_api_key.svc')).toMatchObject({ version: 3, value: null });
    const piped = read('piped.key');
    issued.push(piped);
    expect(await authenticates(piped)).toBe(true);
    expect(await authenticates(read('new.key'))).toBe(true);
  });

  it('GIVEN a delivered key WHEN secret_delivery is removed THEN the rotation puts a fresh secret into state and the delivered one keeps working in grace', async () => {
    ws.write(keyWith(''));
    const plan = await ws.plan();
    expect(plan.code).toBe(2);
    expect(plan.output).toMatch(/changes from command\s+"cat > piped\.key" to\s+Terraform state \(value\)/);
    await ws.apply();
    const after = ws.resource('keyform_api_key.svc')!;
    expect(after.version).toBe(4);
    expect(await authenticates(after.value as string)).toBe(true);
    expect(await authenticates(read('piped.key'))).toBe(true);
    issued.push(after.value as string);
  });

  it('THEN no issued secret appears in any Terraform output (TF_LOG=trace)', async () => {
    await ws.destroy();
    const everything = ws.transcript.join('\n');
    expect(everything.length).toBeGreaterThan(50_000);
    for (const s of issued) expect(everything.includes(s)).toBe(false);
  });
});

describe('delivery command hardening', () => {
  const ws = workspace({ TF_LOG: 'trace', STORE_TOKEN: 'store-token-passed-on-purpose', CLOUD_SECRET: 'cloud-secret-not-passed' });

  it('GIVEN a command that dumps its environment THEN it saw PATH, HOME, inherit_env, env and the key facts, never KEYFORM_CLIENT_SECRET or other provider variables', async () => {
    ws.write(
      keyWith(`secret_delivery {
    command     = "cat > env.key; env > seen.env"
    env         = { STORE_ADDR = "https://store.example" }
    inherit_env = ["STORE_TOKEN"]
  }`),
    );
    await ws.apply();
    const seen = readFileSync(join(ws.dir, 'seen.env'), 'utf8');
    const names = seen.trim().split('\n').map((l) => l.slice(0, l.indexOf('=')));
    expect(names.filter((n) => !['PWD', 'SHLVL', '_', 'OLDPWD'].includes(n)).sort()).toEqual([
      'HOME', 'KEYFORM_KEY_FINGERPRINT', 'KEYFORM_KEY_ID', 'KEYFORM_KEY_PREFIX', 'KEYFORM_KEY_VERSION', 'PATH', 'STORE_ADDR', 'STORE_TOKEN',
    ]);
    expect(seen).toContain('STORE_TOKEN=store-token-passed-on-purpose');
    expect(seen).not.toContain(server.adminClientSecret);
    expect(seen).not.toContain('cloud-secret-not-passed');
    expect(seen).not.toContain('KEYFORM_CLIENT');
    expect(await authenticates(readFileSync(join(ws.dir, 'env.key'), 'utf8').trim())).toBe(true);
    await ws.destroy();
  });

  it('GIVEN inherit_env naming the provider secret THEN plan refuses it and nothing is created', async () => {
    ws.write(keyWith('secret_delivery {\n    command     = "cat > x.key"\n    inherit_env = ["KEYFORM_CLIENT_SECRET"]\n  }'));
    const plan = await ws.plan();
    expect(plan.code).toBe(1);
    expect(plan.output).toContain('Reserved inherit_env variable');
    expect(await activeKeysNamed('checkout backend')).toEqual([]);
  });

  it('GIVEN a command that echoes the secret to stderr and fails THEN the apply fails with the exit status and a redacted first line, no fragment of the secret anywhere in the output or TF_LOG; the next apply delivers a fresh key (the failed one revoked)', async () => {
    ws.write(keyWith('secret_delivery {\n    command = "tee leaked.key | { read s; echo \\"store refused $s\\" >&2; exit 7; }"\n  }'));
    const failed = await ws.run(['apply', '-input=false', '-auto-approve']);
    expect(failed.code).toBe(1);
    expect(failed.output).toContain('Could not deliver the secret to its command');
    expect(failed.output).toContain('exit status 7');
    expect(failed.output).toMatch(/store refused\s+\[redacted\]/);
    const leaked = readFileSync(join(ws.dir, 'leaked.key'), 'utf8').trim();
    expect(leaked).toMatch(/^fsk_test_/);
    // The full redacted output went to the provider's debug log, which TF_LOG=trace shows.
    expect(failed.output).toContain('secret_delivery command error output (redacted)');
    for (const f of fragments(leaked)) expect(failed.output.includes(f)).toBe(false);
    // The secret went to a failing destination: the key created for it is revoked, not left behind.
    expect(await activeKeysNamed('checkout backend')).toEqual([]);
    expect(await authenticates(leaked)).toBe(false);

    ws.write(keyWith('secret_delivery {\n    command = "cat > recovered.key"\n  }'));
    await ws.apply();
    const recovered = readFileSync(join(ws.dir, 'recovered.key'), 'utf8').trim();
    expect(await authenticates(recovered)).toBe(true);
    expect(recovered).not.toBe(leaked);
    const keys = await activeKeysNamed('checkout backend');
    expect(keys).toHaveLength(1);
    expect(ws.resource('keyform_api_key.svc')).toMatchObject({ id: keys[0].id, value: null });
    expect((await ws.plan()).code).toBe(0);
    const everything = ws.transcript.join('\n');
    for (const f of fragments(leaked)) expect(everything.includes(f)).toBe(false);
    expect(everything.includes(recovered)).toBe(false);
    await ws.destroy();
  });

  it('GIVEN a command that hangs WHEN applied THEN the apply fails at the timeout with a clear error, and the next apply delivers a working key (the key of the stopped command revoked, no second key)', async () => {
    ws.write(keyWith('secret_delivery {\n    command = "cat > slow.key; sleep 120"\n    timeout = "2s"\n  }'));
    const failed = await ws.run(['apply', '-input=false', '-auto-approve']);
    expect(failed.code).toBe(1);
    expect(failed.output).toContain('The secret delivery command timed out');
    expect(failed.output).toMatch(/did not finish within 2s/);
    // What the stopped command received never becomes a working secret: its key was revoked.
    const received = readFileSync(join(ws.dir, 'slow.key'), 'utf8').trim();
    expect(await authenticates(received)).toBe(false);
    expect(await activeKeysNamed('checkout backend')).toEqual([]);

    ws.write(keyWith('secret_delivery {\n    command = "cat > slow.key"\n    timeout = "2s"\n  }'));
    await ws.apply();
    const delivered = readFileSync(join(ws.dir, 'slow.key'), 'utf8').trim();
    expect(delivered).not.toBe(received);
    expect(await authenticates(delivered)).toBe(true);
    const keys = await activeKeysNamed('checkout backend');
    expect(keys).toHaveLength(1);
    expect(ws.resource('keyform_api_key.svc')!.id).toBe(keys[0].id);
    expect((await ws.plan()).code).toBe(0);
    await ws.destroy();
    expect(await activeKeysNamed('checkout backend')).toEqual([]);
    expect(existsSync(join(ws.dir, 'terraform.tfstate'))).toBe(true);
  });
});

describe('keyform_oauth_authorization with secret_delivery: the client secret never in state', () => {
  const ws = workspace({ TF_LOG: 'trace' });
  const issued: string[] = [];
  const authorization = (delivery: string, name = 'claude-code') => `${header()}
resource "keyform_oauth_authorization" "tool" {
  name         = "${name}"
  owner_id     = "usr_alice"
  capabilities = ["mcp", "api"]
  ${delivery}
}
`;
  async function getAuthorization(id: string): Promise<number> {
    const token = await clientToken(server.url, server.adminClientId, server.adminClientSecret);
    return (await send(server.url, 'GET', `/v1/authorizations/${id}`, { token })).status;
  }
  async function authorizationsNamed(name: string): Promise<unknown[]> {
    const token = await clientToken(server.url, server.adminClientId, server.adminClientSecret);
    const res = await send(server.url, 'GET', `/v1/authorizations?limit=100`, { token });
    return (res.body.data as Array<{ name: string }>).filter((a) => a.name === name);
  }

  it('GIVEN secret_delivery to a file WHEN applied THEN the file holds the issued secret (its fingerprint is the server\'s), the state holds only the fingerprint, and the next plan is empty', async () => {
    ws.write(authorization('secret_delivery {\n    file = "secrets/claude.secret"\n  }'));
    await ws.apply();
    const tool = ws.resource('keyform_oauth_authorization.tool')!;
    const secret = readFileSync(join(ws.dir, 'secrets', 'claude.secret'), 'utf8').trim();
    issued.push(secret);
    expect(secret.length).toBeGreaterThan(16);
    expect(tool.client_secret).toBeNull();
    expect(typeof tool.client_id).toBe('string');
    expect(tool.fingerprint).toBe(fingerprintOf(secret));
    expect(statSync(join(ws.dir, 'secrets', 'claude.secret')).mode & 0o777).toBe(0o600);
    expect(ws.stateFile()).not.toContain(secret);
    expect((await ws.plan()).code).toBe(0);
  });

  it('GIVEN a delivered authorization WHEN its destination changes THEN the plan says it is replaced and why; the new destination gets the new secret, the old authorization is gone', async () => {
    const before = ws.resource('keyform_oauth_authorization.tool')!;
    ws.write(authorization('secret_delivery {\n    command = "cat > piped.secret"\n  }'));
    const plan = await ws.plan();
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('keyform_oauth_authorization.tool must be replaced');
    expect(plan.output).toMatch(/client secret's delivery changes from file\s+"secrets\/claude\.secret" to command "cat > piped\.secret"/);
    await ws.apply();
    const after = ws.resource('keyform_oauth_authorization.tool')!;
    const secret = readFileSync(join(ws.dir, 'piped.secret'), 'utf8').trim();
    issued.push(secret);
    expect(after.id).not.toBe(before.id);
    expect(after.client_secret).toBeNull();
    expect(after.fingerprint).toBe(fingerprintOf(secret));
    expect(await getAuthorization(before.id as string)).toBe(404);
    expect(ws.stateFile()).not.toContain(secret);
  });

  it('GIVEN a delivery command that fails WHEN an authorization is created THEN the apply fails and the authorization it created is deleted (no live secret left behind)', async () => {
    ws.write(`${authorization('secret_delivery {\n    command = "cat > piped.secret"\n  }')}
resource "keyform_oauth_authorization" "broken" {
  name         = "broken delivery"
  owner_id     = "usr_alice"
  capabilities = ["api"]
  secret_delivery {
    command = "cat > /dev/null; echo no store here >&2; exit 2"
  }
}
`);
    const failed = await ws.run(['apply', '-input=false', '-auto-approve']);
    expect(failed.code).toBe(1);
    expect(failed.output).toContain('exit status 2');
    expect(failed.output).toContain('"no store here"');
    expect(await authorizationsNamed('broken delivery')).toEqual([]);
    expect(ws.resource('keyform_oauth_authorization.broken')).toBeUndefined();
  });

  it('THEN no delivered client secret appears in any Terraform output (TF_LOG=trace) or state', async () => {
    ws.write(authorization('secret_delivery {\n    command = "cat > piped.secret"\n  }'));
    await ws.destroy();
    const everything = ws.transcript.join('\n');
    expect(everything.length).toBeGreaterThan(20_000);
    for (const s of issued) expect(everything.includes(s)).toBe(false);
    expect(existsSync(join(ws.dir, 'terraform.tfstate.backup'))).toBe(true);
    for (const s of issued) expect(readFileSync(join(ws.dir, 'terraform.tfstate.backup'), 'utf8').includes(s)).toBe(false);
  });
});
