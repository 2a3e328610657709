/**
 * `keyform provider install`: mirror layout for Terraform's and OpenTofu's addresses, launcher, CLI
 * config, idempotence, and the lock-file consequence of re-installing a different build of the same
 * version (checked with real Terraform; no OpenTofu binary is available here, so OpenTofu's address is
 * checked by Terraform installing and running the provider under it).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { installProvider, OPENTOFU_PROVIDER_SOURCE, PROVIDER_SOURCE, terraformPlatform } from '../../../src/provider/install';
import { bundleProvider, installTestProvider, TerraformWorkdir } from '../../support/terraform';

let root: string;
let bundleA: string;
let bundleB: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'keyform-install-test-'));
  bundleA = join(root, 'a.js');
  bundleB = join(root, 'b.js');
  writeFileSync(bundleA, 'process.stderr.write("build A\\n");\n');
  writeFileSync(bundleB, 'process.stderr.write("build B\\n");\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const platform = terraformPlatform();

test('install lays out an unpacked filesystem mirror with an executable launcher and a CLI config', () => {
  const r = installProvider({ dir: join(root, 'tf'), bundle: bundleA, version: '1.2.3' });
  const pkg = join(root, 'tf', 'plugins', 'registry.terraform.io', 'keyform', 'keyform', '1.2.3', platform);
  expect(r.packageDir).toBe(pkg);
  expect(r.executable).toBe(join(pkg, 'terraform-provider-keyform_v1.2.3'));
  expect(statSync(r.executable).mode & 0o111).not.toBe(0);
  // The launcher really runs the copied bundle.
  const run = spawnSync(r.executable, [], { encoding: 'utf8' });
  expect(run.stderr).toBe('build A\n');
  const rc = readFileSync(r.configPath, 'utf8');
  expect(rc).toContain(`path    = ${JSON.stringify(join(root, 'tf', 'plugins'))}`);
  expect(rc).toContain('include = ["registry.terraform.io/keyform/keyform", "registry.opentofu.org/keyform/keyform"]');
  expect(rc).toContain('exclude = ["registry.terraform.io/keyform/keyform", "registry.opentofu.org/keyform/keyform"]');
  expect(r.outcome).toBe('new');
  expect(r.lines[r.lines.length - 1]).toBe(`export TF_CLI_CONFIG_FILE=${r.configPath}`);
});

test('the same package is laid out under OpenTofu\'s address, with its own launcher running its own copy', () => {
  const r = installProvider({ dir: join(root, 'tf'), bundle: bundleA, version: '1.2.3' });
  const tofu = join(root, 'tf', 'plugins', 'registry.opentofu.org', 'keyform', 'keyform', '1.2.3', platform);
  expect(r.packages.map((p) => [p.source, p.packageDir])).toEqual([
    [PROVIDER_SOURCE, r.packageDir],
    [OPENTOFU_PROVIDER_SOURCE, tofu],
  ]);
  expect(readdirSync(tofu).sort()).toEqual(readdirSync(r.packageDir).sort());
  for (const f of readdirSync(tofu)) expect(readFileSync(join(tofu, f))).toEqual(readFileSync(join(r.packageDir, f)));
  // Each launcher runs the copy beside it: breaking Terraform's copy leaves OpenTofu's working.
  writeFileSync(join(r.packageDir, 'a.js'), 'process.stderr.write("broken\\n");\n');
  expect(spawnSync(join(tofu, 'terraform-provider-keyform_v1.2.3'), [], { encoding: 'utf8' }).stderr).toBe('build A\n');
  expect(spawnSync(r.executable, [], { encoding: 'utf8' }).stderr).toBe('broken\n');
  // Only the two addresses exist in the mirror: nothing else gets redirected to this build.
  expect(readdirSync(join(root, 'tf', 'plugins')).sort()).toEqual(['registry.opentofu.org', 'registry.terraform.io']);
});

test('re-installing the same build changes nothing and says so', () => {
  installProvider({ dir: join(root, 'tf'), bundle: bundleA, version: '1.2.3' });
  const again = installProvider({ dir: join(root, 'tf'), bundle: bundleA, version: '1.2.3' });
  expect(again.outcome).toBe('same');
  expect(again.lines.join('\n')).not.toContain('KF-INSTALL-003');
});

test('re-installing a different build of the same version warns that lock files need refreshing, with the command', () => {
  installProvider({ dir: join(root, 'tf'), bundle: bundleA, version: '1.2.3' });
  const again = installProvider({ dir: join(root, 'tf'), bundle: bundleB, version: '1.2.3' });
  expect(again.outcome).toBe('replaced');
  const text = again.lines.join('\n');
  expect(text).toContain('KF-INSTALL-003');
  expect(text).toContain(`terraform providers lock -fs-mirror=${join(root, 'tf', 'plugins')} -platform=${platform} registry.terraform.io/keyform/keyform`);
  expect(text).toContain(`tofu providers lock -fs-mirror=${join(root, 'tf', 'plugins')} -platform=${platform} registry.opentofu.org/keyform/keyform`);
  // Both copies were replaced: neither address keeps the old build.
  for (const p of again.packages) expect(spawnSync(p.executable, [], { encoding: 'utf8' }).stderr).toBe('build B\n');
});

test('a different build under only one address still counts as replaced', () => {
  const first = installProvider({ dir: join(root, 'tf'), bundle: bundleA, version: '1.2.3' });
  writeFileSync(join(first.packages[1].packageDir, 'a.js'), 'tampered\n');
  const again = installProvider({ dir: join(root, 'tf'), bundle: bundleA, version: '1.2.3' });
  expect(again.outcome).toBe('replaced');
  expect(readFileSync(join(first.packages[1].packageDir, 'a.js'), 'utf8')).toBe(readFileSync(bundleA, 'utf8'));
});

test('--dev writes dev_overrides pointing at the launcher directory', () => {
  const r = installProvider({ dir: join(root, 'tf'), bundle: bundleA, version: '1.2.3', dev: true });
  expect(r.executable).toBe(join(root, 'tf', 'dev', 'terraform-provider-keyform'));
  const rc = readFileSync(r.configPath, 'utf8');
  expect(rc).toContain('dev_overrides');
  expect(rc).toContain(`"registry.terraform.io/keyform/keyform" = ${JSON.stringify(join(root, 'tf', 'dev'))}`);
  expect(rc).toContain(`"registry.opentofu.org/keyform/keyform" = ${JSON.stringify(join(root, 'tf', 'dev'))}`);
  expect(readdirSync(join(root, 'tf'))).not.toContain('plugins');
});

test('a missing bundle is a clear error and installs nothing', () => {
  expect(() => installProvider({ dir: join(root, 'tf'), bundle: join(root, 'nope.js'), version: '1.2.3' })).toThrow(/KF-INSTALL-001.*npm run build/);
  expect(existsSync(join(root, 'tf'))).toBe(false);
});

test('the printed lock refresh command really makes terraform init succeed after a different build was installed', () => {
  const dir = join(root, 'tf');
  const work = join(root, 'work');
  execFileSync('mkdir', ['-p', work]);
  writeFileSync(join(work, 'main.tf.json'), JSON.stringify({ terraform: { required_providers: { keyform: { source: 'keyform/keyform' } } } }));
  const first = installProvider({ dir, bundle: bundleA, version: '1.2.3' });
  const env = { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_CLI_CONFIG_FILE: first.configPath };
  const tf = (args: string[]) => spawnSync('terraform', args, { cwd: work, env, encoding: 'utf8' });
  expect(tf(['init', '-no-color']).status).toBe(0);
  const second = installProvider({ dir, bundle: bundleB, version: '1.2.3' });
  const broken = tf(['init', '-no-color']);
  expect(broken.status).toBe(1);
  expect(broken.stderr.replace(/\s+/g, ' ')).toContain("doesn't match any of the checksums");
  expect(tf(['providers', 'lock', '-no-color', `-fs-mirror=${join(dir, 'plugins')}`, `-platform=${platform}`, 'registry.terraform.io/keyform/keyform']).status).toBe(0);
  expect(tf(['init', '-no-color']).status).toBe(0);
  expect(second.outcome).toBe('replaced');
});

test('`keyform provider install` prints only the export line on stdout', () => {
  const cli = resolve(__dirname, '..', '..', '..', 'bin', 'keyform');
  const out = spawnSync(cli, ['provider', 'install', '--dir', join(root, 'tf'), '--bundle', bundleA], { encoding: 'utf8' });
  expect(out.status).toBe(0);
  expect(out.stdout).toBe(`export TF_CLI_CONFIG_FILE=${join(root, 'tf', 'terraformrc')}\n`);
  expect(out.stderr).toContain('installed in');
});

test('with --dev, terraform plans without init using the development build', async () => {
  const bundle = await bundleProvider(join(__dirname, 'fixtures', 'thing-plugin-main.ts'));
  const provider = await installTestProvider({ bundle, dev: true });
  const tf = await TerraformWorkdir.create(provider);
  try {
    tf.writeConfig({
      terraform: { required_providers: { keyform: { source: 'keyform/keyform' } } },
      provider: { keyform: { store_path: join(tf.dir, 'store.json') } },
      resource: { keyform_test_thing: { one: { name: 'one' } } },
    });
    const plan = await tf.plan();
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('keyform_test_thing.one will be created');
    expect(`${plan.stdout}${plan.stderr}`).toContain('Provider development overrides are in effect');
  } finally {
    await tf.remove();
    await provider.remove();
    rmSync(join(bundle, '..'), { recursive: true, force: true });
  }
});

describe('with OpenTofu\'s address, checked by Terraform', () => {
  let bundle: string;

  beforeAll(async () => {
    bundle = await bundleProvider(join(__dirname, 'fixtures', 'thing-plugin-main.ts'));
  });
  afterAll(() => rmSync(join(bundle, '..'), { recursive: true, force: true }));

  const terraform = (cwd: string, configPath: string, args: string[]) =>
    spawnSync('terraform', [...args, '-no-color'], { cwd, env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_CLI_CONFIG_FILE: configPath }, encoding: 'utf8' });

  test('GIVEN the mirror WHEN a configuration requires registry.opentofu.org/keyform/keyform THEN init installs it from the mirror and plan runs it', () => {
    const r = installProvider({ dir: join(root, 'tf'), bundle, version: '1.2.3' });
    const work = join(root, 'work');
    mkdirSync(work);
    writeFileSync(
      join(work, 'main.tf.json'),
      JSON.stringify({
        terraform: { required_providers: { keyform: { source: OPENTOFU_PROVIDER_SOURCE } } },
        provider: { keyform: { store_path: join(work, 'store.json') } },
        resource: { keyform_test_thing: { one: { name: 'one' } } },
      }),
    );
    const init = terraform(work, r.configPath, ['init']);
    expect(init.stderr).toBe('');
    expect(init.stdout).toContain('Installing registry.opentofu.org/keyform/keyform v1.2.3');
    expect(init.stdout).toMatch(/Installed registry\.opentofu\.org\/keyform\/keyform v1\.2\.3 \(unauthenticated\)/);
    const plan = terraform(work, r.configPath, ['plan', '-detailed-exitcode']);
    expect(plan.stderr).toBe('');
    expect(plan.status).toBe(2);
    expect(plan.stdout).toContain('keyform_test_thing.one will be created');
  });

  test('both addresses hold the same build: Terraform records the same checksum for each', () => {
    const r = installProvider({ dir: join(root, 'tf'), bundle, version: '1.2.3' });
    const work = join(root, 'work');
    mkdirSync(work);
    writeFileSync(
      join(work, 'main.tf.json'),
      JSON.stringify({ terraform: { required_providers: { keyform: { source: 'keyform/keyform' }, 'keyform-tofu': { source: OPENTOFU_PROVIDER_SOURCE } } } }),
    );
    expect(terraform(work, r.configPath, ['init']).status).toBe(0);
    const lock = readFileSync(join(work, '.terraform.lock.hcl'), 'utf8');
    const hashes = (source: string) => new RegExp(`provider "${source}" \\{[^}]*?hashes = \\[\\s*"(h1:[^"]+)"`).exec(lock)?.[1];
    expect(hashes(PROVIDER_SOURCE)).toMatch(/^h1:/);
    expect(hashes(OPENTOFU_PROVIDER_SOURCE)).toBe(hashes(PROVIDER_SOURCE));
  });
});
