/**
 * `keyform demo`: the whole product end to end on an embedded reference server in a temporary
 * directory — apply, an empty plan, a risky change reviewed, drift reverted, a rotation with grace,
 * destroy — narrated from messages.ts, with a scan for leaked secrets at the end.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyformClient } from '../client';
import { installProvider } from '../provider/install';
import { runReview } from '../review';
import { startServer } from '../server';
import { VERSION } from '../version';
import { DEMO } from './messages';
import { TerraformRunner, summarizeTerraform } from './terraform-runner';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** The bundled provider to install. */
  readonly bundle: string;
  /** Where narration goes; default stdout. */
  readonly print?: (line: string) => void;
  /** Keep the temporary working directory instead of deleting it. */
  readonly keep?: boolean;
}

type TfJson = { resource: Record<string, Record<string, Record<string, unknown>>> };

const STEPS = 8;

/**
 * keyform's main job on the embedded default: start the reference server, install the provider,
 * synthesize the quickstart, apply it, review a risky change, detect and revert drift, rotate a key
 * under a live consumer, destroy — checking each outcome and failing loudly when one is wrong.
 */
export async function runDemo(opts: DemoOptions): Promise<void> {
  const print = opts.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const started = Date.now();
  const work = mkdtempSync(join(tmpdir(), 'keyform-demo-'));
  const adminId = 'demo-admin';
  const adminSecret = randomBytes(24).toString('base64url');
  const issuedSecrets: string[] = [adminSecret];
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  let client: KeyformClient | undefined;
  const tfOutputs: string[] = [];
  try {
    print(DEMO.title);

    print(DEMO.step(1, STEPS, 'Start the reference Key Management API'));
    server = await startServer({
      dataDir: join(work, 'server'),
      quiet: true,
      env: { KEYFORM_ADMIN_CLIENT_ID: adminId, KEYFORM_ADMIN_CLIENT_SECRET: adminSecret },
    });
    print(DEMO.serverUp(server.url));
    client = new KeyformClient({ endpoint: server.url, clientId: adminId, clientSecret: adminSecret });

    print(DEMO.step(2, STEPS, 'Install the keyform Terraform provider (no registry needed)'));
    const install = installProvider({ dir: join(work, 'terraform'), bundle: opts.bundle, version: VERSION });
    print(DEMO.installed(install.configPath));

    print(DEMO.step(3, STEPS, 'Synthesize examples/quickstart and apply it'));
    // The quickstart delivers the live payment secret to a secret store through a command; offline,
    // a local stand-in plays the store (a command that writes stdin to a file the demo reads back).
    const store = join(work, 'secret-store');
    const stackDir = await synthesizeQuickstart(join(work, 'app'), { command: `umask 077 && mkdir -p ${shellQuote(store)} && cat > ${shellQuote(join(store, 'payment-service'))}` });
    const tfFile = join(stackDir, 'cdk.tf.json');
    const reviewed = readFileSync(tfFile, 'utf8');
    const tfJson = JSON.parse(reviewed) as TfJson;
    const resourceCount = Object.values(tfJson.resource).reduce((n, r) => n + Object.keys(r).length, 0);
    print(DEMO.synthesized(tfFile, resourceCount));
    const tf = new TerraformRunner(stackDir, {
      ...process.env,
      TF_CLI_CONFIG_FILE: install.configPath,
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
      KEYFORM_ENDPOINT: server.url,
      KEYFORM_CLIENT_ID: adminId,
      KEYFORM_CLIENT_SECRET: adminSecret,
    });
    await tf.must(['init', '-input=false', '-no-color']);
    const applied = await tf.must(['apply', '-auto-approve', '-input=false', '-no-color']);
    for (const l of summarizeTerraform(applied.stdout)) print(`    ${l}`);
    const keys = await activeKeys(client);
    const auths = await client.listAllAuthorizations({});
    print(DEMO.onServer(keys.length, auths.length));
    const paymentFile = join(store, 'payment-service');
    issuedSecrets.push(readFileSync(paymentFile, 'utf8').trim(), ...(await secretsInState(tf)));
    const emptyPlan = await tf.run(['plan', '-detailed-exitcode', '-input=false', '-no-color']);
    if (emptyPlan.code !== 0) throw new Error(`expected an empty plan after apply, got exit ${emptyPlan.code}:\n${emptyPlan.stdout}${emptyPlan.stderr}`);
    print(DEMO.emptyPlan);

    print(DEMO.step(4, STEPS, 'Review a risky change before it is merged'));
    print(DEMO.riskyChange);
    const risky = JSON.parse(reviewed) as TfJson;
    const support = findByName(risky, 'keyform_api_key', 'support-assistant');
    (support.scopes as string[]).push('refunds:write');
    const assistant = findByName(risky, 'keyform_oauth_authorization', 'claude-code');
    (assistant.capabilities as string[]).push('secrets:edit');
    writeFileSync(tfFile, JSON.stringify(risky, null, 2));
    await tf.must(['plan', '-out=risky.tfplan', '-input=false', '-no-color']);
    const planJson = await tf.must(['show', '-json', 'risky.tfplan'], [0], { holdsSecrets: true });
    const planFile = join(work, 'risky-plan.json');
    writeFileSync(planFile, planJson.stdout);
    const review = await runReview(planFile, { format: 'text' });
    tfOutputs.push(review.report);
    print(DEMO.reviewHeader);
    for (const l of review.report.trimEnd().split('\n')) print(`    ${l}`);
    if (!/refunds:write/.test(review.report) || !/secrets:edit/.test(review.report)) {
      throw new Error('the review did not name the escalations refunds:write and secrets:edit');
    }
    writeFileSync(tfFile, reviewed);
    rmSync(join(stackDir, 'risky.tfplan'), { force: true });
    print(DEMO.reverted);

    print(DEMO.step(5, STEPS, 'Detect and revert a change made by hand'));
    const payment = keys.find((k) => k.name === 'payment-service');
    if (!payment) throw new Error('payment-service key not found on the server');
    await client.updateApiKey(payment.id, { name: 'payment-service (edited by hand)', scopes: [...payment.scopes, 'customers:write'] });
    print(DEMO.handEdit(payment.id));
    const drift = await tf.run(['plan', '-detailed-exitcode', '-input=false', '-no-color']);
    if (drift.code !== 2) throw new Error(`expected plan to show drift (exit 2), got ${drift.code}:\n${drift.stderr}`);
    print(DEMO.driftSeen);
    for (const l of summarizeTerraform(drift.stdout)) print(`    ${l}`);
    await tf.must(['apply', '-auto-approve', '-input=false', '-no-color']);
    const restored = await client.getApiKey(payment.id);
    if (restored.name !== 'payment-service' || restored.scopes.includes('customers:write')) {
      throw new Error(`apply did not revert the drift: ${restored.name} ${restored.scopes.join(',')}`);
    }
    print(DEMO.driftReverted(restored.name, restored.scopes.join(', ')));

    print(DEMO.step(6, STEPS, 'Rotate the payment key without downtime'));
    const fast = JSON.parse(reviewed) as TfJson;
    const paymentDecl = findByName(fast, 'keyform_api_key', 'payment-service');
    paymentDecl.rotation = { every: '5s', grace_period: '4s' };
    writeFileSync(tfFile, JSON.stringify(fast, null, 2));
    await tf.must(['apply', '-auto-approve', '-input=false', '-no-color']);
    print(DEMO.rotationDeclared);
    const before = await client.getApiKey(payment.id);
    const oldSecret = readFileSync(paymentFile, 'utf8').trim();
    print(DEMO.consumer);
    const consumer = startConsumer(server.url, oldSecret);
    await sleep(Math.max(0, Date.parse(before.rotated_at ?? before.created_at) + 5500 - Date.now()));
    const due = await tf.run(['plan', '-detailed-exitcode', '-input=false', '-no-color']);
    if (due.code !== 2) throw new Error(`expected the plan to show the due rotation (exit 2), got ${due.code}:\n${due.stderr}`);
    print(DEMO.rotationPlanned);
    for (const l of summarizeTerraform(due.stdout + due.stderr)) print(`    ${l}`);
    await tf.must(['apply', '-auto-approve', '-input=false', '-no-color']);
    const after = await client.getApiKey(payment.id);
    const newSecret = readFileSync(paymentFile, 'utf8').trim();
    issuedSecrets.push(newSecret);
    if (after.version !== before.version + 1 || newSecret === oldSecret) throw new Error('apply did not rotate the payment key');
    print(DEMO.rotated(before.version, after.version, after.fingerprint));
    const calls = await consumer.stop();
    print(DEMO.graceHeld(calls.ok, calls.failed));
    if (calls.failed > 0 || calls.ok === 0) throw new Error('the consumer saw failures during the rotation');
    await sleep(Math.max(0, Date.parse(after.previous_expires_at ?? new Date().toISOString()) + 300 - Date.now()));
    const oldStatus = await probe(server.url, oldSecret);
    const newStatus = await probe(server.url, newSecret);
    if (oldStatus !== 401 || newStatus !== 200) throw new Error(`after the grace period: old secret ${oldStatus}, new secret ${newStatus}`);
    print(DEMO.oldRejected);
    writeFileSync(tfFile, reviewed);

    print(DEMO.step(7, STEPS, 'Destroy: revoke everything'));
    const destroyed = await tf.must(['destroy', '-auto-approve', '-input=false', '-no-color']);
    for (const l of summarizeTerraform(destroyed.stdout).filter((x) => /will be destroyed|^(Plan|Destroy)/.test(x))) print(`    ${l}`);
    const left = await activeKeys(client);
    const leftAuths = await client.listAllAuthorizations({});
    if (left.length || leftAuths.length) throw new Error(`destroy left ${left.length} keys and ${leftAuths.length} authorizations`);
    print(DEMO.destroyed);

    print(DEMO.step(8, STEPS, 'Check that no secret leaked'));
    const haystack = [...tf.transcript, ...tfOutputs].join('\n');
    const hits = issuedSecrets.filter((s) => s && haystack.includes(s));
    if (hits.length) throw new Error(`${hits.length} secret(s) appeared in Terraform or review output`);
    print(DEMO.secretScan(issuedSecrets.length));
  } finally {
    await client?.close();
    await server?.close();
    if (opts.keep) print(DEMO.kept(work));
    else rmSync(work, { recursive: true, force: true });
  }
  print(DEMO.done(((Date.now() - started) / 1000).toFixed(1)));
}

/** A string as one single-quoted shell word. */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

async function synthesizeQuickstart(appDir: string, paymentSecretDelivery: { command: string }): Promise<string> {
  mkdirSync(appDir, { recursive: true });
  const { synthesize } = await import('../../examples/quickstart/main');
  // cdktf writes the local backend's state path from the working directory at synth time.
  const cwd = process.cwd();
  process.chdir(appDir);
  try {
    synthesize(join(appDir, 'cdktf.out'), { paymentSecretDelivery });
  } finally {
    process.chdir(cwd);
  }
  return join(appDir, 'cdktf.out', 'stacks', 'credentials');
}

/** Every secret Terraform holds in state (key values, client secrets), to search the outputs for. */
async function secretsInState(tf: TerraformRunner): Promise<string[]> {
  const shown = await tf.must(['show', '-json'], [0], { holdsSecrets: true });
  const state = JSON.parse(shown.stdout) as { values?: { root_module?: { resources?: { values: Record<string, unknown> }[] } } };
  const out: string[] = [];
  for (const r of state.values?.root_module?.resources ?? []) {
    for (const attr of ['value', 'client_secret']) {
      const v = r.values[attr];
      if (typeof v === 'string' && v) out.push(v);
    }
  }
  if (out.length === 0) throw new Error('no secret found in state to scan for: the scan would prove nothing');
  return out;
}

function findByName(tf: TfJson, type: string, name: string): Record<string, unknown> {
  const found = Object.values(tf.resource[type] ?? {}).find((r) => r.name === name);
  if (!found) throw new Error(`${type} named ${name} not found in the synthesized stack`);
  return found;
}

async function activeKeys(client: KeyformClient) {
  return client.listAllApiKeys({ status: 'active' });
}

async function probe(url: string, bearer: string): Promise<number> {
  const res = await fetch(`${url}/v1/scopes`, { headers: { authorization: `Bearer ${bearer}` } });
  await res.arrayBuffer();
  return res.status;
}

/** A consumer that keeps calling with the secret it was started with, as a service that has not reloaded yet. */
function startConsumer(url: string, secret: string): { stop(): Promise<{ ok: number; failed: number }> } {
  let running = true;
  const counts = { ok: 0, failed: 0 };
  const loop = (async () => {
    while (running) {
      const status = await probe(url, secret).catch(() => 0);
      if (status === 200) counts.ok++;
      else counts.failed++;
      await sleep(100);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return counts;
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
