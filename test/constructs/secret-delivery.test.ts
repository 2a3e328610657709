/**
 * `secretDelivery` in a CDKTF app: a relative `file` resolves against the app's directory (where the
 * synth runs), never inside cdktf.out; the command's env, inherited names and timeout synthesize to
 * the provider's block; OAuth authorizations take the same block; KF108 flags a live key delivered to
 * a file. The relative path is proven with the real Terraform CLI running in the stack's folder.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, existsSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { App, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { ApiKey, ApiKeySecretDelivery, CredentialPolicy, Duration, KeyformProvider, KeyMode, KeyType, OAuthAuthorization, Capability, Scope } from '../../src';
import { RULES } from '../../src/constructs/policy-rules';
import { startTestServer, TestServer } from '../support/server';
import { installTestProvider, TestProvider } from '../support/terraform';
import { newStack, synthJson, validationErrors } from './support/harness';

jest.setTimeout(180_000);

const ROOT = resolve(__dirname, '..', '..');

/** Synthesizes a one-key app from `appDir` (as `cdktf synth` would run it) and returns the key's block. */
function synthInApp(appDir: string, outdir: string, file: string): { delivery: Record<string, unknown>; stackDir: string } {
  const cwd = process.cwd();
  process.chdir(appDir);
  try {
    // cdktf creates the output folder itself, but not its parents.
    mkdirSync(dirname(resolve(appDir, outdir)), { recursive: true });
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'credentials');
    new KeyformProvider(stack, 'keyform', { mid: 'mid_123456' });
    new ApiKey(stack, 'ci', { name: 'ci deploy', type: KeyType.SECRET, scopes: [Scope.read('customers')], secretDelivery: { file } });
    app.synth();
    const stackDir = resolve(appDir, outdir, 'stacks', 'credentials');
    const tf = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8'));
    return { delivery: tf.resource.keyform_api_key.ci.secret_delivery, stackDir };
  } finally {
    process.chdir(cwd);
  }
}

/** Where Terraform, running in `stackDir`, resolves a `${path.module}/…` path. */
const resolvedFrom = (stackDir: string, value: string) => resolve(stackDir, value.replace('${path.module}', '.'));

describe('a relative secretDelivery.file resolves against the app directory', () => {
  let appDir: string;
  beforeEach(() => {
    appDir = realpathSync(mkdtempSync(join(tmpdir(), 'keyform-app-')));
  });
  afterEach(() => rmSync(appDir, { recursive: true, force: true }));

  it.each([
    { reason: 'the default output folder', outdir: 'cdktf.out', file: 'secrets/ci.key' },
    { reason: 'a nested output folder', outdir: 'build/cdktf.out', file: 'ci.key' },
    { reason: 'a path that starts with ./', outdir: 'cdktf.out', file: './ci.key' },
    { reason: 'an absolute output folder elsewhere', outdir: '__elsewhere__', file: 'secrets/ci.key' },
  ])('$reason', ({ outdir, file }) => {
    const out = outdir === '__elsewhere__' ? mkdtempSync(join(tmpdir(), 'keyform-out-')) : outdir;
    try {
      const { delivery, stackDir } = synthInApp(appDir, out, file);
      const value = delivery.file as string;
      expect(value.startsWith('${path.module}/')).toBe(true);
      expect(resolvedFrom(stackDir, value)).toBe(join(appDir, file));
      expect(resolvedFrom(stackDir, value).startsWith(resolve(appDir, out))).toBe(false);
      // Relative, so the same synth output works on every checkout.
      expect(value).not.toContain(appDir);
    } finally {
      if (outdir === '__elsewhere__') rmSync(out, { recursive: true, force: true });
    }
  });

  it.each([
    { reason: 'an absolute path', file: '/run/secrets/ci.key' },
    { reason: 'a Terraform expression', file: '${path.root}/ci.key' },
  ])('keeps $reason as written', ({ file }) => {
    expect(synthInApp(appDir, 'cdktf.out', file).delivery.file).toBe(file);
  });

  it('keeps a token as written', () => {
    const { stack } = newStack();
    const v = new TerraformVariable(stack, 'where', { type: 'string' });
    new ApiKey(stack, 'ci', { name: 'ci', type: KeyType.SECRET, scopes: [Scope.read('customers')], secretDelivery: { file: v.stringValue } });
    expect(synthJson(stack).resource.keyform_api_key.ci.secret_delivery.file).toBe('${var.where}');
  });

  describe('applied by the real Terraform CLI in the stack folder', () => {
    let server: TestServer;
    let provider: TestProvider;
    beforeAll(async () => {
      server = await startTestServer();
      provider = await installTestProvider({ bundle: join(ROOT, 'dist', 'provider', 'keyform-plugin.js') });
    });
    afterAll(async () => {
      await provider?.remove();
      await server?.stop();
    });

    /** `terraform <args>` in `cwd`, as `cdktf deploy` runs it (in the stack's folder). */
    const terraform = (cwd: string, args: string[]) =>
      new Promise<{ code: number; stderr: string }>((done) => {
        execFile(
          'terraform',
          [...args, '-no-color', '-input=false'],
          {
            cwd,
            env: {
              ...process.env,
              CHECKPOINT_DISABLE: '1',
              TF_IN_AUTOMATION: '1',
              TF_LOG: '',
              TF_CLI_CONFIG_FILE: provider.configPath,
              KEYFORM_ENDPOINT: server.url,
              KEYFORM_CLIENT_ID: server.adminClientId,
              KEYFORM_CLIENT_SECRET: server.adminClientSecret,
            },
          },
          (err, _stdout, stderr) => done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stderr }),
        );
      });

    it('GIVEN file "secrets/ci.key" in an app WHEN Terraform applies the stack in cdktf.out/stacks/credentials THEN the secret is at <app>/secrets/ci.key, nothing inside cdktf.out', async () => {
      const { stackDir } = synthInApp(appDir, 'cdktf.out', 'secrets/ci.key');
      expect(await terraform(stackDir, ['init'])).toEqual({ code: 0, stderr: '' });
      expect(await terraform(stackDir, ['apply', '-auto-approve'])).toEqual({ code: 0, stderr: '' });
      expect(readFileSync(join(appDir, 'secrets', 'ci.key'), 'utf8')).toMatch(/^fsk_test_/);
      expect(existsSync(join(stackDir, 'secrets'))).toBe(false);
      expect(await terraform(stackDir, ['destroy', '-auto-approve'])).toEqual({ code: 0, stderr: '' });
    });
  });
});

describe('secretDelivery arguments', () => {
  it('a command delivery synthesizes env, inherit_env and timeout', () => {
    const { stack } = newStack();
    new ApiKey(stack, 'svc', {
      name: 'svc',
      type: KeyType.SECRET,
      scopes: [Scope.read('customers')],
      secretDelivery: { command: 'vault kv put -mount=secret svc value=-', env: { VAULT_NAMESPACE: 'payments' }, inheritEnv: ['VAULT_ADDR', 'VAULT_TOKEN'], timeout: Duration.minutes(2) },
    });
    expect(synthJson(stack).resource.keyform_api_key.svc.secret_delivery).toEqual({
      command: 'vault kv put -mount=secret svc value=-',
      env: { VAULT_NAMESPACE: 'payments' },
      inherit_env: ['VAULT_ADDR', 'VAULT_TOKEN'],
      timeout: '2m',
    });
  });

  it('an OAuth authorization takes the same block', () => {
    const { stack } = newStack();
    new OAuthAuthorization(stack, 'claude', { name: 'claude-code', ownerId: 'usr_alice', capabilities: [Capability.API], secretDelivery: { command: 'cat > /dev/null' } });
    expect(synthJson(stack).resource.keyform_oauth_authorization.claude.secret_delivery).toEqual({ command: 'cat > /dev/null' });
  });

  it.each<{ reason: string; delivery: ApiKeySecretDelivery; code: string }>([
    { reason: 'env on a file delivery', delivery: { file: 'k', env: { A: '1' } }, code: 'KF-RULE-062' },
    { reason: 'a timeout on a file delivery', delivery: { file: 'k', timeout: Duration.seconds(5) }, code: 'KF-RULE-062' },
    { reason: 'the provider secret inherited', delivery: { command: 'c', inheritEnv: ['KEYFORM_CLIENT_SECRET'] }, code: 'KF-RULE-063' },
    { reason: 'a keyform fact overridden', delivery: { command: 'c', env: { KEYFORM_KEY_ID: 'x' } }, code: 'KF-RULE-063' },
    { reason: 'a bad variable name', delivery: { command: 'c', inheritEnv: ['NOT-A-NAME'] }, code: 'KF-RULE-064' },
    { reason: 'a timeout over an hour', delivery: { command: 'c', timeout: Duration.hours(2) }, code: 'KF-RULE-065' },
    { reason: 'both targets', delivery: { command: 'c', file: 'k' }, code: 'KF-RULE-060' },
  ])('rejects $reason at synth, naming the construct path', ({ delivery, code }) => {
    const { stack } = newStack();
    new ApiKey(stack, 'svc', { name: 'svc', type: KeyType.SECRET, scopes: [Scope.read('customers')], secretDelivery: delivery });
    new OAuthAuthorization(stack, 'claude', { name: 'claude-code', ownerId: 'usr_alice', capabilities: [Capability.API], secretDelivery: delivery });
    const errors = validationErrors(stack);
    expect(errors.filter((e) => e.startsWith(`${code} at test/svc:`))).toHaveLength(1);
    expect(errors.filter((e) => e.startsWith(`${code} at test/claude:`))).toHaveLength(1);
  });
});

describe('KF108: a live key delivered to a file', () => {
  const rule = RULES.find((r) => r.id === 'KF108')!;
  const key = (mode: KeyMode, secretDelivery?: ConstructorParameters<typeof ApiKey>[2]['secretDelivery']) => {
    const { stack } = newStack({ allowLive: true });
    return new ApiKey(stack, 'k', { name: 'payment-service', type: KeyType.SECRET, mode, scopes: [Scope.read('charges')], expiresAt: '2030-01-01T00:00:00Z', secretDelivery });
  };

  it.each([
    { reason: 'a live key delivered to a command (a secret store) is compliant', construct: () => key(KeyMode.LIVE, { command: 'vault kv put -mount=secret p value=-' }), status: 'compliant' },
    { reason: 'a live key kept in state is compliant (no file to lose)', construct: () => key(KeyMode.LIVE), status: 'compliant' },
    { reason: 'a live key delivered to a file is non-compliant', construct: () => key(KeyMode.LIVE, { file: 'payment-service.key' }), status: 'non-compliant' },
    { reason: 'a test key delivered to a file is not applicable', construct: () => key(KeyMode.TEST, { file: 'dev.key' }), status: 'not-applicable' },
    { reason: 'an authorization is not applicable', construct: () => new OAuthAuthorization(newStack().stack, 'a', { name: 'a', ownerId: 'usr_alice' }), status: 'not-applicable' },
  ])('$reason', ({ construct, status }) => {
    expect(rule.check(construct()).status).toBe(status);
  });

  it('is reported as a warning that names the key and the file, with the fix, and can be acknowledged', () => {
    const { stack } = newStack({ allowLive: true });
    const k = new ApiKey(stack, 'k', { name: 'payment-service', type: KeyType.SECRET, mode: KeyMode.LIVE, scopes: [Scope.read('charges')], expiresAt: '2030-01-01T00:00:00Z', secretDelivery: { file: 'payment-service.key' } });
    CredentialPolicy.addTo(stack);
    Testing.synth(stack);
    const warnings = k.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('KF108 [warning] at test/k: Live key delivered to a file: live key "payment-service" is delivered to the file "payment-service.key"');
    expect(warnings[0]).toContain('throw-away CI runner');
    expect(warnings[0]).toContain('secretDelivery.command');
  });
});
