/**
 * keyform/cdktn as an app on CDK Terrain uses it: the quickstart moved from cdktf to cdktn the way
 * the README says (two import specifiers) is synthesized, applied by the real Terraform CLI through
 * keyform's provider against the reference server, and plans empty; and the package as npm packs it,
 * installed into a fresh app that has cdktn but not cdktf, type-checks and synthesizes.
 * Requires `npm run build` (dist/cdktn, the provider bundle).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startTestServer, TestServer } from '../support/server';
import { installTestProvider, resourcesByAddress, TerraformWorkdir, TestProvider } from '../support/terraform';

jest.setTimeout(300_000);

const ROOT = resolve(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const versionOf = (name: string): string => JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;

/** The quickstart's source as a cdktn app writes it: the framework and keyform's cdktn entry. */
function quickstartOnCdktn(): string {
  const source = readFileSync(join(ROOT, 'examples', 'quickstart', 'main.ts'), 'utf8');
  const moved = source.replace(/from 'cdktf'/g, "from 'cdktn'").replace(/from '\.\.\/\.\.\/src'/g, "from 'keyform/cdktn'");
  // The example must really have changed in both places, or this test proves nothing about cdktn.
  expect(moved).toContain("from 'cdktn'");
  expect(moved).toContain("from 'keyform/cdktn'");
  expect(moved).not.toMatch(/from '(cdktf|\.\.\/\.\.\/src)'/);
  return moved;
}

/** Runs a TypeScript app entry with tsx in `cwd`, writing its cdktf.out to `outdir`. */
function runApp(entry: string, cwd: string, outdir: string): string {
  return execFileSync(process.execPath, [TSX, entry], { cwd, env: { ...process.env, CDKTF_OUTDIR: outdir }, encoding: 'utf8' });
}

/** A stack's cdk.tf.json without the local backend (its path names the working directory). */
function stackJson(outdir: string, stack: string): any {
  const json = JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
  delete json.terraform.backend;
  return json;
}

describe('the quickstart on cdktn (keyform/cdktn)', () => {
  let dir: string;
  let cdktnOut: string;
  let cdktfOut: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'keyform-cdktn-quickstart-'));
    // An app whose node_modules holds keyform (this repository), cdktn and constructs, and no cdktf.
    // The links resolve to the same files keyform's dist/cdktn loads, so there is one cdktn in the app.
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(ROOT, join(dir, 'node_modules', 'keyform'), 'dir');
    for (const name of ['cdktn', 'constructs']) symlinkSync(join(ROOT, 'node_modules', name), join(dir, 'node_modules', name), 'dir');
    writeFileSync(join(dir, 'main.ts'), quickstartOnCdktn());
    cdktnOut = join(dir, 'cdktf.out');
    cdktfOut = join(dir, 'cdktf-line.out');
    runApp(join(dir, 'main.ts'), dir, cdktnOut);
    runApp(join(ROOT, 'examples', 'quickstart', 'main.ts'), dir, cdktfOut);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the app loads cdktn and keyform/cdktn, never cdktf', () => {
    const loaded = execFileSync(process.execPath, [TSX, '-e', "require('./main.ts'); console.log(JSON.stringify(Object.keys(require.cache)))"], { cwd: dir, encoding: 'utf8', env: { ...process.env, CDKTF_OUTDIR: join(dir, 'probe.out') } });
    const files: string[] = JSON.parse(loaded.trim().split('\n').pop()!);
    expect(files.some((f) => f.includes(`${join('node_modules', 'cdktn')}/`))).toBe(true);
    expect(files.some((f) => f.startsWith(join(ROOT, 'dist', 'cdktn')))).toBe(true);
    expect(files.filter((f) => /node_modules\/cdktf\/|dist\/lib\//.test(f))).toEqual([]);
  });

  test('synthesizes the same Terraform JSON as the cdktf line (but the framework version), with the policy acknowledgement in the manifest', () => {
    const [onCdktn, onCdktf] = [stackJson(cdktnOut, 'credentials'), stackJson(cdktfOut, 'credentials')];
    expect([onCdktn['//'].metadata.version, onCdktf['//'].metadata.version]).toEqual([versionOf('cdktn'), versionOf('cdktf')]);
    delete onCdktn['//'].metadata.version;
    delete onCdktf['//'].metadata.version;
    expect(onCdktn).toEqual(onCdktf);
    const manifest = JSON.parse(readFileSync(join(cdktnOut, 'manifest.json'), 'utf8'));
    const notes = manifest.stacks.credentials.annotations.map((a: any) => `${a.level} ${a.message}`);
    expect(notes).toEqual([expect.stringMatching(/^@cdktf\/info KF102 acknowledged at credentials\/payment-service: /)]);
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
      // No Vault here: the payment secret goes to a local stand-in for the secret store.
      const tf = JSON.parse(readFileSync(join(cdktnOut, 'stacks', 'credentials', 'cdk.tf.json'), 'utf8'));
      tf.resource.keyform_api_key['payment-service'].secret_delivery = { command: 'umask 077 && mkdir -p store && cat > store/payments-checkout' };
      work.writeConfig(tf);
    });

    afterAll(async () => {
      await work?.remove();
      await provider?.remove();
      await server?.stop();
    });

    test('GIVEN the cdktn synth WHEN applied THEN every credential exists, the live secret is only in its (stand-in) store, and the next plan is empty', async () => {
      expect((await work.init()).code).toBe(0);
      const applied = await work.apply();
      expect(applied.stderr).toBe('');
      expect(applied.code).toBe(0);

      const resources = resourcesByAddress(await work.show());
      expect(resources['keyform_api_key.support-assistant']).toMatchObject({ mode: 'test', prefix: 'fsk_test_' });
      expect(resources['keyform_api_key.payment-service']).toMatchObject({ mode: 'live', value: null });
      const secret = readFileSync(join(work.dir, 'store', 'payments-checkout'), 'utf8').trim();
      expect(secret).toMatch(/^fsk_(?!test_)/);
      expect(applied.stdout).not.toContain(secret);
      expect(Object.keys(resources).filter((a) => a.startsWith('keyform_mcp_server_grant.'))).toHaveLength(2);

      const plan = await work.plan();
      expect(plan.code).toBe(0);
      expect((await work.destroy()).code).toBe(0);
    });

    test('GIVEN credentials applied from the cdktf app WHEN the app moves to cdktn THEN the next plan is empty (state carries over)', async () => {
      // A working directory of its own: the first scenario's delivered key file stays behind in its directory.
      const previous = work;
      work = await TerraformWorkdir.create(provider, {
        KEYFORM_ENDPOINT: server.url,
        KEYFORM_CLIENT_ID: server.adminClientId,
        KEYFORM_CLIENT_SECRET: server.adminClientSecret,
      });
      await previous.remove();
      // The same local stand-in for the secret store in both configurations (no Vault here).
      const standIn = (tf: any) => {
        tf.resource.keyform_api_key['payment-service'].secret_delivery = { command: 'umask 077 && mkdir -p store && cat > store/payments-checkout' };
        return tf;
      };
      work.writeConfig(standIn(JSON.parse(readFileSync(join(cdktfOut, 'stacks', 'credentials', 'cdk.tf.json'), 'utf8'))));
      expect((await work.init()).code).toBe(0);
      const applied = await work.apply();
      expect(applied.stderr).toBe('');
      expect(applied.code).toBe(0);
      expect(applied.stdout).toMatch(/Resources: [1-9]\d* added, 0 changed, 0 destroyed/);

      work.writeConfig(standIn(JSON.parse(readFileSync(join(cdktnOut, 'stacks', 'credentials', 'cdk.tf.json'), 'utf8'))));
      const plan = await work.plan();
      expect(plan.stderr).toBe('');
      expect(plan.code).toBe(0);
      expect((await work.destroy()).code).toBe(0);
    });
  });
});

describe('the packed package in a fresh app with cdktn and without cdktf', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'keyform-cdktn-packed-'));
    const packed = JSON.parse(execFileSync('npm', ['pack', ROOT, '--pack-destination', dir, '--json', '--ignore-scripts'], { cwd: dir, encoding: 'utf8' }));
    const tarball = join(dir, packed[0].filename);
    const app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'credentials-app', private: true, dependencies: { keyform: `file:${tarball}`, cdktn: versionOf('cdktn'), constructs: versionOf('constructs') } }, null, 2),
    );
    // Install scripts stay off: the construct library needs none (the server's native module is not used here).
    execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] });
    writeFileSync(
      join(app, 'main.ts'),
      [
        "import { App, TerraformStack } from 'cdktn';",
        "import { ApiKey, CredentialPolicy, KeyformProvider, Scope } from 'keyform/cdktn';",
        '',
        "const app = new App({ outdir: 'cdktf.out' });",
        "const stack = new TerraformStack(app, 'credentials');",
        "new KeyformProvider(stack, 'keyform', { mid: 'mid_123456' });",
        "const key: ApiKey = ApiKey.readOnly(stack, 'support', { name: 'support-assistant', scopes: [Scope.read('customers')] });",
        'CredentialPolicy.addTo(stack);',
        'app.synth();',
        'console.log(ApiKey.isApiKey(key));',
        '',
      ].join('\n'),
    );
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const app = () => join(dir, 'app');

  test('npm installs neither cdktf nor anything cdktf brings', () => {
    expect(existsSync(join(app(), 'node_modules', 'keyform', 'dist', 'cdktn', 'index.js'))).toBe(true);
    expect(existsSync(join(app(), 'node_modules', 'cdktn'))).toBe(true);
    expect(readdirSync(join(app(), 'node_modules')).filter((n) => n === 'cdktf' || n === '@cdktf')).toEqual([]);
  });

  test.each(['node10', 'node16'])('the app type-checks against keyform/cdktn with moduleResolution %s', (moduleResolution) => {
    const config = {
      compilerOptions: { strict: true, noEmit: true, target: 'ES2022', module: moduleResolution === 'node16' ? 'node16' : 'commonjs', moduleResolution, types: [], skipLibCheck: true },
      files: ['main.ts'],
    };
    writeFileSync(join(app(), `tsconfig.${moduleResolution}.json`), JSON.stringify(config));
    // tsc prints its diagnostics on stdout; a failure throws with them.
    expect(execFileSync(process.execPath, [TSC, '-p', `tsconfig.${moduleResolution}.json`], { cwd: app(), encoding: 'utf8' })).toBe('');
  });

  test('GIVEN the installed package WHEN the app synthesizes THEN the stack declares keyform/keyform and the key', () => {
    const stdout = execFileSync(process.execPath, [TSX, 'main.ts'], { cwd: app(), encoding: 'utf8' });
    expect(stdout.trim()).toBe('true');
    const tf = JSON.parse(readFileSync(join(app(), 'cdktf.out', 'stacks', 'credentials', 'cdk.tf.json'), 'utf8'));
    expect(tf.terraform.required_providers.keyform).toEqual({ source: 'keyform/keyform', version: '~> 0.1' });
    expect(tf.resource.keyform_api_key.support).toMatchObject({ name: 'support-assistant', type: 'secret', mode: 'test', scopes: ['customers:read'] });
  });

  test('the main entry still names cdktf, so an app on cdktn that imports "keyform" gets a clear module error', () => {
    const out = execFileSync(process.execPath, ['-e', "try { require('keyform') } catch (e) { console.log(e.code, /'cdktf'/.test(e.message)) }"], { cwd: app(), encoding: 'utf8' });
    expect(out.trim()).toBe('MODULE_NOT_FOUND true');
  });
});
