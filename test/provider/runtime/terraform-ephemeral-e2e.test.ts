/**
 * Ephemeral resources and write-only attributes through the runtime against the real Terraform CLI,
 * with the test-only provider (fixtures/thing-provider.ts): an ephemeral `keyform_test_secret` feeds
 * the write-only `secret_wo` of a `keyform_test_thing`. The value must reach the provider at apply and
 * appear in no state, plan file or trace log; the ephemeral resource is renewed while a slow apply
 * runs and closed after. Steps run in order and share one working directory.
 */
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bundleProvider, installTestProvider, resourcesByAddress, TerraformWorkdir, type TestProvider } from '../../support/terraform';
import { zipEntries } from '../../support/zip';
import { sha256, type ThingStore } from './fixtures/thing-provider';

jest.setTimeout(120_000);

let bundle: string;
let provider: TestProvider;
let tf: TerraformWorkdir;

const store = (): ThingStore => JSON.parse(readFileSync(join(tf.dir, 'store.json'), 'utf8')) as ThingStore;
const opened = (): string[] => (store().ephemeral ?? []).filter((e) => e.startsWith('open:')).map((e) => e.slice('open:'.length));
const callsOf = (value: string): string[] => (store().ephemeral ?? []).filter((e) => e.endsWith(`:${value}`)).map((e) => e.split(':')[0]);

function config(version: number, extra: Record<string, unknown> = {}): object {
  return {
    terraform: { required_providers: { keyform: { source: 'keyform/keyform' } } },
    provider: { keyform: { store_path: join(tf.dir, 'store.json') } },
    ephemeral: { keyform_test_secret: { s: { prefix: 'eph', renew_every_ms: 1000 } } },
    resource: {
      keyform_test_thing: {
        w: { name: 'w', secret_wo: '${ephemeral.keyform_test_secret.s.value}', secret_wo_version: version, delay_ms: 3500, ...extra },
      },
    },
  };
}

/** Every byte Terraform left behind that could hold a value: state, backups, plan file entries. */
function persisted(): string {
  const parts = [tf.read('terraform.tfstate')];
  if (tf.exists('terraform.tfstate.backup')) parts.push(tf.read('terraform.tfstate.backup'));
  if (tf.exists('plan.tfplan')) for (const [, b] of zipEntries(readFileSync(join(tf.dir, 'plan.tfplan')))) parts.push(b.toString('latin1'));
  return parts.join('\n');
}

beforeAll(async () => {
  bundle = await bundleProvider(join(__dirname, 'fixtures', 'thing-plugin-main.ts'));
  provider = await installTestProvider({ bundle });
  tf = await TerraformWorkdir.create(provider);
});

afterAll(async () => {
  await tf?.remove();
  await provider?.remove();
  if (bundle) rmSync(dirname(bundle), { recursive: true, force: true });
});

test('the schema shows the write-only attribute and the ephemeral resource type', async () => {
  tf.writeConfig(config(1));
  expect((await tf.init()).code).toBe(0);
  const r = await tf.run(['providers', 'schema', '-json']);
  expect(r.code).toBe(0);
  const p = JSON.parse(r.stdout).provider_schemas['registry.terraform.io/keyform/keyform'];
  expect(p.resource_schemas.keyform_test_thing.block.attributes.secret_wo).toMatchObject({ write_only: true, sensitive: true });
  expect(p.resource_schemas.keyform_test_thing.block.attributes.secret).not.toHaveProperty('write_only');
  expect(p.ephemeral_resource_schemas.keyform_test_secret.block.attributes.value).toMatchObject({ computed: true, sensitive: true });
});

test('an ephemeral value reaches the provider through a write-only argument at apply, renewed across a slow apply, and is in no state, plan file or trace line', async () => {
  const plan = await tf.plan(['-out', 'plan.tfplan']);
  expect(plan.code).toBe(2);
  expect(plan.stdout).toMatch(/secret_wo\s+= \(write-only attribute\)/);
  const planValue = opened()[0];
  expect(callsOf(planValue)).toEqual(['open', 'close']);

  const apply = await tf.run(['apply', '-input=false', 'plan.tfplan'], { env: { TF_LOG: 'trace' } });
  expect(apply.code).toBe(0);
  const applyValue = opened()[1];
  expect(applyValue).toBeDefined();
  expect(applyValue).not.toBe(planValue);
  // The slow create (3.5 s) outlives several renewal periods (1 s): renewed while open, then closed.
  const calls = callsOf(applyValue);
  expect(calls[0]).toBe('open');
  expect(calls.filter((c) => c === 'renew').length).toBeGreaterThanOrEqual(2);
  expect(calls[calls.length - 1]).toBe('close');

  const w = resourcesByAddress(await tf.show())['keyform_test_thing.w'];
  expect(w.secret_wo).toBeNull();
  expect(store().received?.[String(w.id)]).toEqual([sha256(applyValue)]);

  const everything = `${persisted()}\n${plan.stdout}${plan.stderr}${apply.stdout}${apply.stderr}`;
  expect(apply.stderr).toContain('OpenEphemeralResource');
  for (const v of [planValue, applyValue]) expect(everything).not.toContain(v);
});

test('a new ephemeral value alone plans no change; bumping the version sends the current value', async () => {
  const same = await tf.plan();
  expect(same.code).toBe(0);
  tf.writeConfig(config(2));
  rmSync(join(tf.dir, 'plan.tfplan'), { force: true });
  const bump = await tf.plan(['-out', 'plan.tfplan']);
  expect(bump.code).toBe(2);
  expect(bump.stdout).toMatch(/secret_wo_version\s+= 1 -> 2/);
  const apply = await tf.run(['apply', '-input=false', 'plan.tfplan']);
  expect(apply.code).toBe(0);
  const latest = opened()[opened().length - 1];
  const w = resourcesByAddress(await tf.show())['keyform_test_thing.w'];
  expect(store().received?.[String(w.id)]).toHaveLength(2);
  expect(store().received?.[String(w.id)][1]).toBe(sha256(latest));
  for (const v of opened()) expect(persisted()).not.toContain(v);
  expect((await tf.plan()).code).toBe(0);
});

test('ephemeral config validation names the attribute; an ephemeral value is refused where an argument is not write-only', async () => {
  tf.writeConfig({ ...config(2), ephemeral: { keyform_test_secret: { s: { prefix: 'has space' } } } });
  const bad = await tf.plan();
  expect(bad.code).toBe(1);
  expect(bad.stderr).toContain('Invalid prefix');
  expect(bad.stderr).toMatch(/prefix/);
  // Terraform itself refuses an ephemeral value in a normal (stored) argument: it knows from the
  // schema which arguments are write-only.
  tf.writeConfig(config(2, { secret: '${ephemeral.keyform_test_secret.s.value}' }));
  const stored = await tf.plan();
  expect(stored.code).toBe(1);
  expect(stored.stderr).toContain('because it is not a write-only');
  tf.writeConfig(config(2));
  expect((await tf.destroy()).code).toBe(0);
});
