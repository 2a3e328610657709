/**
 * Secret hygiene scanner (issue 6, item 5).
 *
 * A representative Terraform scenario runs with TF_LOG=trace against the real server, with the
 * provider talking to it through a recording proxy (the "tap"): apply of test and live API keys,
 * secret delivery to a file and to a command, an OAuth authorization with project access and an
 * MCP grant, an in-place update, a rotation (`every = "2s"`), import, drift, refused changes (error
 * messages), `keyform review` of saved plans and `keyform rotation-report`, and destroy.
 *
 * Where the secrets come from (each source is cross-checked against the tap):
 * - the tap: every `value`, `secret`, `access_token` and `client_secret` in any response or request
 *   body, and every bearer, that passed between the provider and the server (creations, rotations,
 *   OAuth tokens, the client secret the provider authenticates with);
 * - the state: `value` of keys kept in state and `client_secret` of authorizations, after each step;
 * - the delivery file and the delivery command's output, after each apply (every rotated value);
 * - the admin API responses of the test itself (the key created outside Terraform and imported).
 *
 * Where they must not appear: every Terraform output (plans, applies, imports, errors, trace logs),
 * every `keyform review` and `keyform rotation-report` output (stdout and stderr), the server's log
 * lines, and — for delivered secrets, which never belong in state — the state files and backups.
 * The scanner is proven able to fail by planting a secret in a copy of a captured output.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestServer, type TestServer } from '../support/server';
import { Workspace, header, removeProvider } from '../acceptance/workspace';
import { clientToken, send } from './support/api';
import { mask, scanForSecrets, type ScanSource } from './support/secret-scanner';
import { startSecretTap, type SecretTap } from './support/secret-tap';

jest.setTimeout(600_000);

const BIN = resolve(__dirname, '../../bin/keyform');

let server: TestServer;
let tap: SecretTap;
let ws: Workspace;

/** Every secret known to the test, by where it was learned. */
const secrets = { state: new Set<string>(), delivered: new Set<string>(), admin: new Set<string>() };
/** Outputs of keyform's own commands. */
const cliOutputs: ScanSource[] = [];
/** State file texts seen after each step (only delivered secrets are searched there). */
const stateTexts: ScanSource[] = [];

async function keyform(name: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ws.dir, env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_LOG: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      cliOutputs.push({ name: `${name} (stdout)`, text: stdout }, { name: `${name} (stderr)`, text: stderr });
      done({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** Records the secrets now in state and delivered, and the state files' text. */
function harvest(step: string): void {
  for (const file of ['terraform.tfstate', 'terraform.tfstate.backup']) {
    if (existsSync(join(ws.dir, file))) stateTexts.push({ name: `${file} after ${step}`, text: readFileSync(join(ws.dir, file), 'utf8') });
  }
  if (existsSync(join(ws.dir, 'terraform.tfstate'))) {
    const state = JSON.parse(ws.stateFile()) as { resources?: { type: string; instances: { attributes: Record<string, unknown> }[] }[] };
    for (const r of state.resources ?? []) {
      for (const i of r.instances) {
        for (const field of ['value', 'client_secret']) {
          const v = i.attributes[field];
          if (typeof v === 'string' && v) secrets.state.add(v);
        }
      }
    }
  }
  for (const file of ['delivered.key', 'command.key', 'noisy.key', 'refused.key']) {
    if (existsSync(join(ws.dir, file))) secrets.delivered.add(readFileSync(join(ws.dir, file), 'utf8').trim());
  }
}

const config = (o: { storedName?: string; storedScopes?: string; every?: string; extra?: string } = {}) => `${header('  allow_live = true')}
resource "keyform_api_key" "stored" {
  name   = "${o.storedName ?? 'support assistant'}"
  type   = "secret"
  scopes = ${o.storedScopes ?? '["customers:read", "charges:read"]'}
}
resource "keyform_api_key" "live" {
  name   = "payments service"
  type   = "secret"
  mode   = "live"
  scopes = ["payment_intents:write"]
  expires_at = "2031-01-31T00:00:00Z"
}
resource "keyform_api_key" "file" {
  name   = "ci deploy"
  type   = "secret"
  scopes = ["refunds:read"]
  rotation {
    every        = "${o.every ?? '90d'}"
    grace_period = "1h"
  }
  secret_delivery {
    file = "\${path.module}/delivered.key"
  }
}
resource "keyform_api_key" "command" {
  name = "browser checkout"
  type = "public"
  secret_delivery {
    command = "cat > command.key"
  }
}
resource "keyform_api_key" "noisy" {
  name = "noisy delivery"
  type = "secret"
  scopes = ["coupons:read"]
  secret_delivery {
    # Succeeds, but echoes the secret (whole, a fragment, base64) on its error output.
    command = "tee noisy.key | { read s; echo \\"stored $s\\" >&2; echo \\"tail $(printf %s \\"$s\\" | cut -c14-30)\\" >&2; printf %s \\"$s\\" | base64 >&2; }"
  }
}
resource "keyform_oauth_authorization" "assistant" {
  name         = "claude-code"
  owner_id     = "usr_alice"
  capabilities = ["mcp", "api"]
}
resource "keyform_project_access" "payments" {
  authorization_id = keyform_oauth_authorization.assistant.id
  project_id       = "proj_payments"
  role             = "viewer"
}
resource "keyform_mcp_server_grant" "billing" {
  authorization_id = keyform_oauth_authorization.assistant.id
  mcp_server_id    = "billing-flow"
  depends_on       = [keyform_project_access.payments]
}
resource "keyform_oauth_authorization" "ci_token" {
  name         = "ci token"
  kind         = "api_key"
  owner_id     = "usr_bob"
  capabilities = ["api"]
}
${o.extra ?? ''}
`;

/** Saves a plan (and shows it, as a reviewer would); returns its file name and the shown text. */
async function savedPlan(name: string): Promise<{ file: string; shown: string }> {
  const r = await ws.run(['plan', '-input=false', `-out=${name}`]);
  if (r.code !== 0) throw new Error(`terraform plan failed:\n${r.output.slice(-3000)}`);
  const shown = await ws.run(['show', name]);
  return { file: name, shown: shown.stdout };
}

async function review(plan: string): Promise<void> {
  for (const format of ['markdown', 'text', 'json']) {
    const r = await keyform(`keyform review ${plan} --format ${format}`, ['review', plan, '--format', format]);
    expect(r.code === 0 || r.code === 3).toBe(true);
    expect(r.stdout.length).toBeGreaterThan(0);
  }
}

/** Every 12-character window of a secret's random part (after its type prefix). */
function fragmentsOf(secret: string): string[] {
  const random = secret.slice(secret.lastIndexOf('_') + 1);
  const out: string[] = [];
  for (let i = 0; i + 12 <= random.length; i++) out.push(random.slice(i, i + 12));
  return out;
}

beforeAll(async () => {
  server = await startTestServer();
  tap = await startSecretTap(server.url);
  ws = await Workspace.create({ url: tap.url, adminClientId: server.adminClientId, adminClientSecret: server.adminClientSecret }, { TF_LOG: 'trace' });
  secrets.admin.add(server.adminClientSecret);
});

afterAll(async () => {
  await ws?.remove();
  await tap?.close();
  await server?.stop();
  await removeProvider();
});

describe('no secret in any log, plan, review, report, error or server log (TF_LOG=trace)', () => {
  it('GIVEN the scenario: create (test, live, delivered to a file and a command, OAuth with grants), update, rotate, import, drift, refusals, review, rotation report, destroy', async () => {
    // Create everything.
    ws.write(config());
    await ws.apply();
    harvest('create');
    expect(ws.resource('keyform_api_key.file')!.value).toBeNull();
    expect(ws.resource('keyform_api_key.command')!.value).toBeNull();
    expect(String(ws.resource('keyform_api_key.live')!.value)).toMatch(/^fsk_(?!test_)/);

    // In-place update, reviewed from a saved plan.
    ws.write(config({ storedName: 'support bot', storedScopes: '["customers:read", "refunds:read"]' }));
    const update = await savedPlan('update.tfplan');
    expect(update.shown).toContain('keyform_api_key.stored will be updated in-place');
    await review(update.file);
    await ws.run(['apply', '-input=false', 'update.tfplan']);
    harvest('update');

    // Rotation: declare `every = "2s"` (one apply records the schedule: due rotations are decided on
    // refresh against the applied one), wait until it is due, report, review and apply it.
    const created = Date.parse(String(ws.resource('keyform_api_key.file')!.created_at));
    ws.write(config({ storedName: 'support bot', storedScopes: '["customers:read", "refunds:read"]', every: '2s' }));
    await ws.apply();
    harvest('rotation schedule');
    await sleep(Math.max(0, created + 2_100 - Date.now()));
    const before = ws.resource('keyform_api_key.file')!;
    const rotate = await savedPlan('rotate.tfplan');
    expect(rotate.shown).toContain('keyform_api_key.file will be updated in-place');
    await review(rotate.file);
    const applied = await ws.run(['apply', '-input=false', 'rotate.tfplan']);
    expect(applied.code).toBe(0);
    harvest('rotation');
    expect(ws.resource('keyform_api_key.file')!.version).toBe((before.version as number) + 1);
    // The state now declares `every = "2s"`: assessed a day later, the key is overdue.
    const later = new Date(Date.now() + 86_400_000).toISOString();
    for (const format of ['text', 'markdown', 'json']) {
      const r = await keyform(`keyform rotation-report --format ${format}`, ['rotation-report', '--dir', '.', '--now', later, '--format', format]);
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 2, stderr: expect.any(String) });
      expect(r.stdout).toContain('ci deploy');
    }
    // Back to a long period so that later plans do not rotate again.
    ws.write(config({ storedName: 'support bot', storedScopes: '["customers:read", "refunds:read"]' }));
    await ws.apply();
    harvest('rotation policy back to 90d');

    // Import a key created outside Terraform (its value is known only to the admin API's response).
    const admin = await clientToken(server.url, server.adminClientId, server.adminClientSecret);
    secrets.admin.add(admin);
    const outside = await send(server.url, 'POST', '/v1/api-keys', { token: admin, body: { mid: 'mid_123456', name: 'made by hand', type: 'secret', scopes: ['coupons:read'] } });
    expect(outside.status).toBe(201);
    secrets.admin.add(outside.body.value);
    const imported = `resource "keyform_api_key" "imported" {
  name   = "made by hand"
  type   = "secret"
  scopes = ["coupons:read"]
}`;
    ws.write(config({ storedName: 'support bot', storedScopes: '["customers:read", "refunds:read"]', extra: imported }));
    expect((await ws.import('keyform_api_key.imported', outside.body.id)).code).toBe(0);
    harvest('import');
    const afterImport = await ws.plan();
    expect({ code: afterImport.code, plan: afterImport.code === 0 ? '' : afterImport.stdout.slice(-2000) }).toEqual({ code: 0, plan: '' });

    // Drift: a hand edit through the API shows in the plan and its review, and apply reverts it.
    const storedId = String(ws.resource('keyform_api_key.stored')!.id);
    expect((await send(server.url, 'PATCH', `/v1/api-keys/${storedId}`, { token: admin, body: { scopes: ['refunds:write'] } })).status).toBe(200);
    const drift = await savedPlan('drift.tfplan');
    expect(drift.shown).toContain('"refunds:write"');
    await review(drift.file);
    await ws.run(['apply', '-input=false', 'drift.tfplan']);
    harvest('drift');

    // Refusals: an unknown scope and an authorization beyond its owner at plan time; a failing delivery command.
    ws.write(config({ storedName: 'support bot', storedScopes: '["customer:read"]', extra: imported }));
    expect((await ws.plan()).code).toBe(1);
    const tooStrong = `${imported}
resource "keyform_oauth_authorization" "too_strong" {
  name         = "too strong"
  owner_id     = "usr_bob"
  capabilities = ["api", "secrets:edit"]
}`;
    ws.write(config({ storedName: 'support bot', storedScopes: '["customers:read", "refunds:read"]', extra: tooStrong }));
    const beyondOwner = await ws.run(['apply', '-input=false', '-auto-approve']);
    expect(beyondOwner.code).toBe(1);
    // Refused at plan time, before anything is created, naming what the owner lacks.
    expect(beyondOwner.output).toMatch(/owner\s+usr_bob\s+does\s+not\s+hold\s+the\s+secrets:edit\s+capability/);
    harvest('refusal-owner');
    const failingDelivery = `${imported}
resource "keyform_api_key" "refused_delivery" {
  name = "refused delivery"
  type = "secret"
  scopes = ["coupons:read"]
  secret_delivery {
    command = "tee refused.key | { read s; echo \\"store refused $s\\" >&2; exit 9; }"
  }
}`;
    ws.write(config({ storedName: 'support bot', storedScopes: '["customers:read", "refunds:read"]', extra: failingDelivery }));
    const refused = await ws.run(['apply', '-input=false', '-auto-approve']);
    expect(refused.code).toBe(1);
    // The failed delivery says its exit status and a redacted first line; TF_LOG has the redacted rest.
    expect(refused.output).toContain('exit status 9');
    expect(refused.output).toMatch(/store refused\s+\[redacted\]/);
    expect(refused.output).toContain('secret_delivery command error output (redacted)');
    harvest('refusal');

    // Destroy everything.
    ws.write(config({ storedName: 'support bot', storedScopes: '["customers:read", "refunds:read"]', extra: imported }));
    await ws.destroy();
    harvest('destroy');
  });

  it('THEN the tap saw every secret the state and the delivery targets hold (so it is a complete list)', () => {
    expect(secrets.state.size).toBeGreaterThanOrEqual(4);
    // Two delivered keys, the file one rotated once.
    expect(secrets.delivered.size).toBeGreaterThanOrEqual(3);
    for (const s of [...secrets.state, ...secrets.delivered]) expect({ secret: mask(s), seenByTap: tap.secrets.has(s) }).toEqual({ secret: mask(s), seenByTap: true });
    // Access tokens, creations, the rotation and the provider's client secret.
    expect(tap.secrets.size).toBeGreaterThanOrEqual(10);
    expect(tap.secrets.has(server.adminClientSecret)).toBe(true);
  });

  it('THEN no secret appears in any Terraform output, review, rotation report, error or server log line; no delivered secret in any state file', () => {
    const all = new Set([...tap.secrets, ...secrets.state, ...secrets.delivered, ...secrets.admin]);
    const outputs: ScanSource[] = [
      ...ws.transcript.map((text, i) => ({ name: `terraform output #${i}`, text })),
      ...cliOutputs,
      { name: 'server log (stderr)', text: server.stderr() },
    ];
    // The scan is meaningful: trace logging was on, and every kind of output was captured.
    expect(ws.transcript.join('').length).toBeGreaterThan(200_000);
    expect(cliOutputs.length).toBe(2 * (3 * 3 + 3));
    expect(server.stderr()).toContain('"msg":"request"');
    expect(scanForSecrets(all, outputs)).toEqual([]);
    // Delivery commands echoed their secrets (whole, cut, base64) on their error output: not even a
    // 12-character fragment of a delivered secret's random part may reach any output.
    const fragmentHits = [...secrets.delivered].flatMap((secret) =>
      fragmentsOf(secret).flatMap((f) => outputs.filter((o) => o.text.includes(f)).map((o) => ({ secret: mask(secret), source: o.name }))),
    );
    expect(fragmentHits).toEqual([]);
    expect(scanForSecrets(secrets.delivered, stateTexts)).toEqual([]);
    expect(stateTexts.length).toBeGreaterThan(5);
    process.stdout.write(
      `secret hygiene: ${all.size} secrets searched in ${outputs.length} outputs (${(outputs.reduce((n, o) => n + o.text.length, 0) / 1e6).toFixed(1)} MB); ${secrets.delivered.size} delivered secrets in ${stateTexts.length} state files; ${tap.requests()} API requests tapped\n`,
    );
  });

  it('the scanner CAN fail: a secret planted in a copy of a captured output is reported, in each form', () => {
    const secret = [...secrets.delivered][0];
    const random = secret.slice(secret.lastIndexOf('_') + 1);
    const review = cliOutputs.find((o) => o.name.startsWith('keyform review') && o.name.endsWith('(stdout)'))!;
    const mid = Math.floor(review.text.length / 2);
    const planted: ScanSource[] = [
      { name: 'review with a planted value', text: review.text.slice(0, mid) + secret + review.text.slice(mid) },
      { name: 'server log with a planted random part', text: `${server.stderr()}{"msg":"oops","token":"${random}"}` },
      { name: 'trace with a planted Basic header', text: `Authorization: Basic ${Buffer.from(secret).toString('base64')}` },
    ];
    const hits = scanForSecrets([secret], planted);
    expect(hits.map((h) => [h.source, h.form])).toEqual([
      ['review with a planted value', 'value'],
      ['review with a planted value', 'random part'],
      ['server log with a planted random part', 'random part'],
      ['trace with a planted Basic header', 'base64'],
    ]);
    expect(hits[0].offset).toBe(mid);
    // Hits never print the secret.
    expect(JSON.stringify(hits)).not.toContain(random);
  });
});
