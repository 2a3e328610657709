/**
 * Every example synthesizes through its real entry point (`tsx examples/<name>/main.ts`), and the
 * quickstart's cdk.tf.json and the split estate's three team stacks are applied by the real Terraform
 * CLI through keyform's provider against the reference server (the estate reviewed and inspected as
 * one). Requires `npm run build` (the provider bundle and the server).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runHygiene } from '../../src/hygiene';
import { runReview } from '../../src/review/run-review';
import { startTestServer, TestServer } from '../support/server';
import { installTestProvider, TerraformWorkdir, TestProvider, resourcesByAddress } from '../support/terraform';

jest.setTimeout(180_000);

const ROOT = resolve(__dirname, '..', '..');
const EXAMPLES = readdirSync(join(ROOT, 'examples')).filter((d) => existsSync(join(ROOT, 'examples', d, 'main.ts')));

/** Runs an example's entry point the way its README says, into a temporary output directory. */
function synthExample(name: string): { outdir: string; stdout: string } {
  const outdir = mkdtempSync(join(tmpdir(), `keyform-example-${name}-`));
  const stdout = execFileSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'examples', name, 'main.ts')], {
    // cdktf bakes the working directory into the local backend's state path: keep it out of the repo.
    cwd: outdir,
    env: { ...process.env, CDKTF_OUTDIR: outdir },
    encoding: 'utf8',
  });
  return { outdir, stdout };
}

/** The quickstart with its secret store replaced by a local command writing to store/ (no Vault here). */
function withLocalStore(tf: any): any {
  const copy = JSON.parse(JSON.stringify(tf));
  copy.resource.keyform_api_key['payment-service'].secret_delivery = { command: 'umask 077 && mkdir -p store && cat > store/payments-checkout' };
  return copy;
}

function stackJson(outdir: string, stack: string): any {
  return JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
}

test('there is at least the quickstart example', () => {
  expect(EXAMPLES).toContain('quickstart');
});

test.each(EXAMPLES)('example %s synthesizes every stack without policy errors', (name) => {
  const { outdir } = synthExample(name);
  try {
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
    const stacks = Object.values<any>(manifest.stacks);
    expect(stacks.length).toBeGreaterThan(0);
    for (const stack of stacks) {
      expect(stack.annotations.filter((a: any) => a.level === '@cdktf/error')).toEqual([]);
      expect(existsSync(join(outdir, stack.synthesizedStackPath))).toBe(true);
    }
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});

describe('the quickstart', () => {
  let outdir: string;
  let tf: any;

  beforeAll(() => {
    outdir = synthExample('quickstart').outdir;
    tf = stackJson(outdir, 'credentials');
  });

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test('declares a read-only test key, a rotated live key and a coding assistant with two MCP servers', () => {
    const keys = tf.resource.keyform_api_key;
    expect(keys['support-assistant']).toMatchObject({ type: 'secret', mode: 'test', scopes: ['customers:read', 'charges:read', 'payment_intents:read', 'refunds:read'] });
    expect(keys['payment-service']).toMatchObject({
      type: 'secret',
      mode: 'live',
      scopes: ['payment_intents:write', 'refunds:write', 'customers:read'],
      rotation: { every: '90d', grace_period: '24h' },
      // A live key goes to a durable secret store through a command, never to a file (KF108).
      secret_delivery: { command: 'vault kv put -mount=secret payments/checkout value=-', inherit_env: ['VAULT_ADDR', 'VAULT_TOKEN'], timeout: '30s' },
    });
    expect(tf.resource.keyform_oauth_authorization['coding-assistant']).toMatchObject({ owner_id: 'usr_alice', capabilities: ['mcp', 'api'] });
    expect(Object.values<any>(tf.resource.keyform_project_access).map((a) => [a.project_id, a.role])).toEqual([['proj_payments', 'viewer']]);
    expect(Object.values<any>(tf.resource.keyform_mcp_server_grant).map((g) => g.mcp_server_id)).toEqual(['billing-flow', 'refunds-flow']);
    expect(tf.provider.keyform).toEqual([{ allow_live: true, mid: 'mid_123456' }]);
  });

  test('the acknowledged policy finding is recorded with its reason in the manifest', () => {
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
    const notes = manifest.stacks.credentials.annotations.map((a: any) => `${a.level} ${a.constructPath}: ${a.message}`);
    expect(notes).toContain(
      '@cdktf/info credentials/payment-service: KF102 acknowledged at credentials/payment-service: the checkout backend must create payment intents and refunds; scopes reviewed by security',
    );
    expect(notes.filter((n: string) => !n.startsWith('@cdktf/info'))).toEqual([]);
  });

  describe('applied with Terraform against the reference server', () => {
    let server: TestServer;
    let provider: TestProvider;
    let work: TerraformWorkdir;

    beforeAll(async () => {
      server = await startTestServer();
      provider = await installTestProvider({ bundle: join(ROOT, 'dist', 'provider', 'keyform-plugin.js') });
      work = await TerraformWorkdir.create(provider, {
        KEYFORM_ENDPOINT: server.url,
        KEYFORM_CLIENT_ID: server.adminClientId,
        KEYFORM_CLIENT_SECRET: server.adminClientSecret,
      });
      // No Vault here: a local stand-in for the secret store, a command that keeps what it is given.
      work.writeConfig(withLocalStore(tf));
    });

    afterAll(async () => {
      await work?.remove();
      await provider?.remove();
      await server?.stop();
    });

    test('GIVEN the synthesized stack WHEN applied THEN every credential exists, the live secret reaches the (stand-in) store, and the next plan is empty', async () => {
      // cdktf declares a local backend, so `terraform init` is needed even for a local provider.
      const init = await work.init();
      expect(init.stderr).toBe('');
      const applied = await work.apply();
      expect(applied.stderr).toBe('');
      expect(applied.code).toBe(0);

      const resources = resourcesByAddress(await work.show());
      expect(resources['keyform_api_key.support-assistant']).toMatchObject({ mode: 'test', prefix: 'fsk_test_' });
      expect(resources['keyform_api_key.payment-service']).toMatchObject({ mode: 'live', prefix: 'fsk_', value: null });
      const keyFile = join(work.dir, 'store', 'payments-checkout');
      expect(readFileSync(keyFile, 'utf8')).toMatch(/^fsk_(?!test_)/);
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(applied.stdout).not.toContain(readFileSync(keyFile, 'utf8').trim());
      const grants = Object.entries(resources).filter(([address]) => address.startsWith('keyform_mcp_server_grant.'));
      expect(grants.map(([, v]) => v.mcp_server_id).sort()).toEqual(['billing-flow', 'refunds-flow']);

      const plan = await work.plan();
      expect(plan.code).toBe(0);

      expect((await work.destroy()).code).toBe(0);
    });
  });
});

describe('the split estate (one stack per team, one shared provider configuration)', () => {
  let outdir: string;
  const STACKS = ['payments', 'support', 'platform'];

  beforeAll(() => {
    outdir = synthExample('split-estate').outdir;
  });

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test('every team stack has the shared provider configuration, its own allow_live and its own state', () => {
    const provider = Object.fromEntries(STACKS.map((s) => [s, stackJson(outdir, s).provider.keyform]));
    expect(provider).toEqual({
      payments: [{ mid: 'mid_123456', allow_live: true }],
      support: [{ mid: 'mid_123456', allow_live: false }],
      platform: [{ mid: 'mid_123456', allow_live: false }],
    });
    const states = STACKS.map((s) => stackJson(outdir, s).terraform.backend.local.path);
    expect(new Set(states).size).toBe(STACKS.length);
  });

  test("the CI workflow's matrix (the manifest's stack names) is every synthesized stack folder", () => {
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.stacks).sort()).toEqual(readdirSync(join(outdir, 'stacks')).sort());
    expect(readFileSync(join(ROOT, 'examples', 'ci', 'pull-request.yml'), 'utf8')).toContain("jq -c '.stacks | keys' cdktf.out/manifest.json");
  });

  test('no credential is declared in two stacks', () => {
    const names = STACKS.flatMap((s) => {
      const r = stackJson(outdir, s).resource;
      return [...Object.values<any>(r.keyform_api_key ?? {}), ...Object.values<any>(r.keyform_oauth_authorization ?? {})].map((x) => x.name);
    });
    expect(names.sort()).toEqual(['claude-code', 'payments-checkout', 'payments-staging', 'support-assistant']);
  });

  describe('planned and applied with Terraform against the reference server', () => {
    let server: TestServer;
    let provider: TestProvider;
    const work: Record<string, TerraformWorkdir> = {};
    let estate: string;

    beforeAll(async () => {
      server = await startTestServer();
      provider = await installTestProvider({ bundle: join(ROOT, 'dist', 'provider', 'keyform-plugin.js') });
      estate = mkdtempSync(join(tmpdir(), 'keyform-estate-'));
      for (const s of STACKS) {
        work[s] = await TerraformWorkdir.create(provider, { KEYFORM_ENDPOINT: server.url, KEYFORM_CLIENT_ID: server.adminClientId, KEYFORM_CLIENT_SECRET: server.adminClientSecret });
        const tf = stackJson(outdir, s);
        // No Vault here: a local stand-in for the payments team's secret store.
        if (s === 'payments') tf.resource.keyform_api_key.checkout.secret_delivery = { command: 'umask 077 && mkdir -p store && cat > store/payments-checkout' };
        // Each stack's state in its own working directory (the synthesized path is shared by the test's outdir).
        tf.terraform.backend.local.path = join(work[s].dir, 'terraform.tfstate');
        work[s].writeConfig(tf);
        symlinkSync(work[s].dir, join(estate, s));
      }
    });

    afterAll(async () => {
      for (const w of Object.values(work)) {
        await w.destroy().catch(() => undefined);
        await w.remove();
      }
      rmSync(estate, { recursive: true, force: true });
      await provider?.remove();
      await server?.stop();
    });

    test('GIVEN a plan per stack WHEN reviewed together THEN one report covers the estate, the escalating stack first; after apply every plan is empty and hygiene reads the estate as one', async () => {
      for (const s of STACKS) {
        expect((await work[s].init()).code).toBe(0);
        expect((await work[s].plan(['-out=tfplan'])).code).toBe(2);
      }
      const review = await runReview([estate], { format: 'json' });
      const doc = JSON.parse(review.report);
      expect(doc.summary.stacks).toBe(3);
      expect(doc.stacks.map((x: any) => x.name).sort()).toEqual(['payments', 'platform', 'support']);
      // Write scopes on a new live key: the payments stack escalates, so it comes first.
      expect(doc.stacks[0]).toMatchObject({ name: 'payments', highest_risk: 'escalation' });

      for (const s of STACKS) {
        const applied = await work[s].apply();
        expect(applied.code).toBe(0);
        expect((await work[s].plan()).code).toBe(0);
      }
      const hygiene = await runHygiene({ stacks: [estate], endpoint: server.url, clientId: server.adminClientId, clientSecret: server.adminClientSecret, format: 'json' });
      expect(hygiene.data.stacks!.filter((x) => x.source !== null).map((x) => x.name).sort()).toEqual(['payments', 'platform', 'support']);
      expect(hygiene.data.notices.join(' ')).not.toContain('declared in');
      const checkout = hygiene.data.findings.filter((f) => f.subject.name === 'payments-checkout');
      expect(checkout.length).toBeGreaterThan(0);
      expect(checkout.every((f) => f.subject.stack === 'payments')).toBe(true);
    });
  });
});
