/**
 * The runtime against the real Terraform CLI, with the test-only `keyform_test_thing` provider
 * (fixtures/thing-provider.ts) bundled into a temporary plugin and installed into a temporary
 * filesystem mirror. Steps run in order and share one working directory and its store file.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bundleProvider, installTestProvider, resourcesByAddress, TerraformWorkdir, type TerraformResult, type TestProvider } from '../../support/terraform';
import type { ThingStore } from './fixtures/thing-provider';

jest.setTimeout(90_000);

const SECRET = 'hunter2-do-not-print';

let bundle: string;
let provider: TestProvider;
let tf: TerraformWorkdir;

function storePath(): string {
  return join(tf.dir, 'store.json');
}
function store(): ThingStore {
  return JSON.parse(readFileSync(storePath(), 'utf8')) as ThingStore;
}
function editStore(edit: (s: ThingStore) => void): void {
  const s = store();
  edit(s);
  writeFileSync(storePath(), JSON.stringify(s));
}

/** Process lines still running our plugin bundle. */
function pluginProcesses(): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes(bundle) && !l.includes(' ps '));
}

function output(r: TerraformResult): string {
  return `${r.stdout}\n${r.stderr}`;
}

/** Runs a command and checks no plugin process outlives it. */
async function run(cmd: () => Promise<TerraformResult>): Promise<TerraformResult> {
  const r = await cmd();
  expect(output(r)).not.toContain(SECRET);
  expect(pluginProcesses()).toEqual([]);
  return r;
}

type Things = Record<string, Record<string, unknown>>;
function config(things: Things, extra: object = {}): object {
  return {
    terraform: { required_providers: { keyform: { source: 'keyform/keyform' } } },
    provider: { keyform: { store_path: storePath() } },
    resource: { keyform_test_thing: things },
    ...extra,
  };
}

const alpha = {
  name: 'alpha',
  kind: 'small',
  tags: ['b', 'a'],
  labels: { team: 'payments' },
  size: 3,
  secret: SECRET,
  extra: { any: ['thing', 1] },
  rule: [{ name: 'r1', priority: 1 }, { name: 'r2' }],
  settings: { enabled: true },
};
// `beta` depends on alpha's computed id: unknown during plan.
const beta = { name: '${keyform_test_thing.alpha.id}-child', tags: [] };

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

test('GIVEN the installed plugin WHEN terraform inits and reads the schema THEN the handshake works and the schema is the definition', async () => {
  tf.writeConfig(config({ alpha }));
  const init = await run(() => tf.init());
  expect(init.code).toBe(0);
  const schema = await run(() => tf.run(['providers', 'schema', '-json']));
  expect(schema.code).toBe(0);
  const parsed = JSON.parse(schema.stdout);
  const thing = parsed.provider_schemas['registry.terraform.io/keyform/keyform'].resource_schemas.keyform_test_thing;
  expect(thing.version).toBe(1);
  expect(thing.block.attributes.tags.type).toEqual(['set', 'string']);
  expect(thing.block.attributes.secret.sensitive).toBe(true);
  expect(thing.block.block_types.rule.nesting_mode).toBe('list');
  expect(thing.block.block_types.settings.nesting_mode).toBe('single');
});

test('apply creates objects with sets, maps, nested blocks, dynamic values and unknowns, then the plan is empty', async () => {
  tf.writeConfig(config({ alpha, beta }));
  const plan = await run(() => tf.plan());
  expect(plan.code).toBe(2);
  expect(plan.stdout).toContain('id         = (known after apply)');
  expect(plan.stdout).toContain('secret     = (sensitive value)');
  expect(plan.stdout).toContain('name       = (known after apply)');
  // Provider logs on: they must show the RPCs but never the sensitive value (run() checks).
  const apply = await run(() => tf.apply([], { env: { TF_LOG_PROVIDER: 'trace' } }));
  expect(apply.code).toBe(0);
  expect(apply.stderr).toContain('"@message":"ApplyResourceChange started"');
  const things = Object.values(store().things);
  const a = things.find((t) => t.name === 'alpha')!;
  expect(a).toMatchObject({ tags: ['a', 'b'], labels: { team: 'payments' }, size: 3, rule: [{ name: 'r1', priority: 1 }, { name: 'r2', priority: null }], settings: { enabled: true, mode: null } });
  expect(a.extra).toEqual({ any: ['thing', 1] });
  expect(things.find((t) => t.name === `${String(a.id)}-child`)?.tags).toEqual([]);
  expect((await run(() => tf.plan())).code).toBe(0);
});

test('changing an ordinary attribute updates in place and keeps computed values', async () => {
  tf.writeConfig(config({ alpha: { ...alpha, tags: ['c'], size: 4 }, beta }));
  const plan = await run(() => tf.plan());
  expect(plan.code).toBe(2);
  expect(plan.stdout).toContain('keyform_test_thing.alpha will be updated in-place');
  expect(plan.stdout).toContain('1 to change');
  const before = Object.values(store().things).find((t) => t.name === 'alpha')!;
  expect((await run(() => tf.apply())).code).toBe(0);
  const after = Object.values(store().things).find((t) => t.name === 'alpha')!;
  expect(after).toMatchObject({ id: before.id, created_at: before.created_at, tags: ['c'], size: 4 });
  expect((await run(() => tf.plan())).code).toBe(0);
});

test('changing a requiresReplace attribute plans -/+ and replaces the object', async () => {
  tf.writeConfig(config({ alpha: { ...alpha, tags: ['c'], size: 4, kind: 'large' }, beta }));
  const plan = await run(() => tf.plan());
  expect(plan.code).toBe(2);
  expect(plan.stdout).toContain('-/+ resource "keyform_test_thing" "alpha"');
  expect(plan.stdout).toMatch(/kind\s+= "small" -> "large" # forces replacement/);
  const oldId = Object.values(store().things).find((t) => t.name === 'alpha')!.id;
  expect((await run(() => tf.apply())).code).toBe(0);
  const alphas = Object.values(store().things).filter((t) => t.kind === 'large');
  expect(alphas).toHaveLength(1);
  expect(alphas[0].id).not.toBe(oldId);
  expect(store().things[String(oldId)]).toBeUndefined();
  expect((await run(() => tf.plan())).code).toBe(0);
});

test('drift in the store shows in the plan and apply reverts it; a vanished object is planned for creation', async () => {
  const current = resourcesByAddress(await tf.show());
  const alphaId = String(current['keyform_test_thing.alpha'].id);
  const betaId = String(current['keyform_test_thing.beta'].id);
  editStore((s) => {
    s.things[alphaId].size = 99;
    delete s.things[betaId];
  });
  const plan = await run(() => tf.plan());
  expect(plan.code).toBe(2);
  expect(plan.stdout).toMatch(/size\s+= 99 -> 4/);
  expect(plan.stdout).toContain('keyform_test_thing.beta will be created');
  expect((await run(() => tf.apply())).code).toBe(0);
  expect(store().things[alphaId].size).toBe(4);
  expect((await run(() => tf.plan())).code).toBe(0);
});

test('import reads an existing object into state and the next plan is empty', async () => {
  editStore((s) => {
    s.things['thing-99'] = { id: 'thing-99', name: 'imported', kind: null, tags: null, labels: null, size: null, secret: null, created_at: '2020-01-01T00:00:00.000Z', extra: null, rule: [], settings: null };
  });
  const current = JSON.parse(tf.read('main.tf.json'));
  current.resource.keyform_test_thing.gamma = { name: 'imported' };
  tf.writeConfig(current);
  const imp = await run(() => tf.import('keyform_test_thing.gamma', 'thing-99'));
  expect(imp.code).toBe(0);
  expect(imp.stdout).toContain('Import successful');
  expect((await run(() => tf.plan())).code).toBe(0);
  const missing = await run(() => tf.import('keyform_test_thing.delta', 'thing-404'));
  expect(missing.code).toBe(1);
});

test('validation diagnostics name the attribute, including inside nested blocks; warnings do not fail', async () => {
  const current = JSON.parse(tf.read('main.tf.json'));
  current.resource.keyform_test_thing.bad = { name: 'bad<name>', labels: { forbidden: 'x' }, rule: [{ name: 'ok' }, { name: 'neg', priority: -1 }] };
  tf.writeConfig(current);
  const plan = await run(() => tf.plan());
  expect(plan.code).toBe(1);
  const out = output(plan);
  expect(out).toContain('Error: Invalid name');
  expect(out).toMatch(/"name": "bad<name>"/);
  expect(out).toContain('Error: Invalid priority');
  expect(out).toMatch(/"priority": -1/);
  expect(out).toContain('Warning: Forbidden label');
  delete current.resource.keyform_test_thing.bad;
  tf.writeConfig(current);
});

test('a data source reads through the configured provider', async () => {
  const current = JSON.parse(tf.read('main.tf.json'));
  current.data = { keyform_test_things: { all: { prefix: 'al' } } };
  current.output = { names: { value: '${data.keyform_test_things.all.names}' } };
  tf.writeConfig(current);
  const apply = await run(() => tf.apply());
  expect(apply.code).toBe(0);
  const out = await run(() => tf.run(['output', '-json', 'names']));
  expect(JSON.parse(out.stdout)).toEqual(['alpha']);
});

test('an error thrown during apply becomes a diagnostic and leaves nothing half-created', async () => {
  const current = JSON.parse(tf.read('main.tf.json'));
  current.resource.keyform_test_thing.failing = { name: 'fail-on-create' };
  tf.writeConfig(current);
  const apply = await run(() => tf.apply());
  expect(apply.code).toBe(1);
  expect(output(apply)).toContain('Create refused');
  expect(Object.values(store().things).some((t) => t.name === 'fail-on-create')).toBe(false);
  delete current.resource.keyform_test_thing.failing;
  tf.writeConfig(current);
});

test('destroy deletes every object and removes them from state', async () => {
  const destroy = await run(() => tf.destroy());
  expect(destroy.code).toBe(0);
  expect(store().things).toEqual({});
  expect(resourcesByAddress(await tf.show())).toEqual({});
});

test('state written with an older schema version is upgraded by the definition', async () => {
  editStore((s) => {
    s.things['thing-7'] = { id: 'thing-7', name: 'old', kind: null, tags: null, labels: null, size: null, secret: null, created_at: 'then', extra: null, rule: [], settings: null };
  });
  const state = JSON.parse(tf.read('terraform.tfstate'));
  state.serial += 1;
  state.resources = [
    {
      mode: 'managed',
      type: 'keyform_test_thing',
      name: 'old',
      provider: 'provider["registry.terraform.io/keyform/keyform"]',
      instances: [{ schema_version: 0, attributes: { id: 'thing-7', title: 'old', created_at: 'then', rule: [] }, sensitive_attributes: [] }],
    },
  ];
  writeFileSync(join(tf.dir, 'terraform.tfstate'), JSON.stringify(state));
  tf.writeConfig(config({ old: { name: 'old' } }));
  const plan = await run(() => tf.plan());
  expect(plan.stdout).toContain('No changes');
  expect(plan.code).toBe(0);
});
