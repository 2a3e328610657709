/**
 * 500 `keyform_api_key` resources through the real Terraform CLI against a reference server that
 * injects 20% 500s, 10% 429s, random latency, and creates that commit but lose their response (500 or
 * a dropped connection after the commit). Create, update and destroy must each end with every key
 * handled exactly once and an empty next plan (the faults still on).
 *
 * About 10% of committed creates lose their response, so over 500 keys some certainly do (none would
 * have a chance of 0.9^500, about 1e-23): a retry that created a second key instead of replaying the
 * first would show up as more than 500 keys with the prefix.
 */
import { KeyformClient } from '../../src/client';
import { startTestServer, TestServer } from '../support/server';
import type { TerraformResult, TerraformWorkdir } from '../support/terraform';
import {
  InstalledProvider,
  converged,
  errorSummaries,
  fleetConfig,
  fleetSnapshot,
  fleetWorkdir,
  installFleetProvider,
  serverKeys,
  stateKeys,
  uniquePrefix,
  verificationClient,
} from './fleet';

jest.setTimeout(240_000);

const COUNT = 500;
const FAULTS = '500=0.2,429=0.1,drop=0.01,latency=0-50,after=0.05,after-drop=0.05';
/** Terraform's concurrent resource operations; the plugin itself keeps 8 API calls in flight. */
const PARALLELISM = '-parallelism=16';
/** Runs of one command before the test gives up: client retries should make the first one succeed. */
const MAX_RUNS = 3;

let server: TestServer;
let client: KeyformClient;
let installed: InstalledProvider;
let tf: TerraformWorkdir;
const prefix = uniquePrefix('faults');
/** Per command: how many runs it took, their wall time and the errors of the failed ones (reported at the end). */
const runs: Record<string, { runs: number; ms: number; errors: string[] }> = {};

beforeAll(async () => {
  // A rate limit far above the load, so every 429 is an injected one.
  server = await startTestServer({ faults: FAULTS, args: ['--rate-limit', '1000000'] });
  client = verificationClient(server);
  installed = await installFleetProvider();
  tf = await fleetWorkdir(installed, server);
});

afterAll(async () => {
  if (Object.keys(runs).length) console.log(`reliability under faults (${FAULTS}), ${COUNT} keys: ${JSON.stringify(runs)}`);
  await client?.close();
  await server?.stop();
  await tf?.remove();
  await installed?.provider.remove();
});

/** Runs a Terraform command until it succeeds (at most MAX_RUNS times), recording the failed runs. */
async function untilSuccess(label: string, run: () => Promise<TerraformResult>): Promise<void> {
  const record = { runs: 0, ms: 0, errors: [] as string[] };
  runs[label] = record;
  for (;;) {
    const started = Date.now();
    const r = await run();
    record.ms += Date.now() - started;
    record.runs++;
    if (r.code === 0) return;
    record.errors.push(...errorSummaries(r));
    if (record.runs >= MAX_RUNS) throw new Error(`${label} failed ${record.runs} times; last output:\n${r.stdout}\n${r.stderr}`);
  }
}

/** The next plan (faults still on) shows no change and no error. */
async function expectEmptyPlan(label: string): Promise<void> {
  const started = Date.now();
  const plan = await tf.plan([PARALLELISM]);
  runs[label] = { runs: 1, ms: Date.now() - started, errors: errorSummaries(plan) };
  expect({ code: plan.code, errors: errorSummaries(plan) }).toEqual({ code: 0, errors: [] });
}

describe(`${COUNT} keys under injected faults`, () => {
  it('GIVEN 500 declared keys WHEN applied under faults THEN each key exists exactly once, all in state, and the next plan is empty', async () => {
    tf.writeConfig(fleetConfig(prefix, COUNT, { description: 'reliability v1', scopes: ['customers:read'] }));
    await untilSuccess('create', () => tf.apply([PARALLELISM]));

    expect(await fleetSnapshot(client, tf, prefix)).toEqual(converged(COUNT));
    await expectEmptyPlan('plan after create');
  });

  it('WHEN the description and scopes of all 500 change under faults THEN every key is updated in place (same ids, new values) and the next plan is empty', async () => {
    const before = new Map(stateKeys(tf).map((k) => [k.name, k.id]));
    tf.writeConfig(fleetConfig(prefix, COUNT, { description: 'reliability v2', scopes: ['charges:read', 'customers:write'] }));
    await untilSuccess('update', () => tf.apply([PARALLELISM]));

    expect(await fleetSnapshot(client, tf, prefix)).toEqual(converged(COUNT));
    const keys = await serverKeys(client, prefix);
    const stale = keys.filter((k) => k.description !== 'reliability v2' || [...k.scopes].sort().join(',') !== 'charges:read,customers:write');
    expect(stale.map((k) => k.name)).toEqual([]);
    // In place: the same keys, not replacements.
    expect(keys.filter((k) => before.get(k.name) !== k.id).map((k) => k.name)).toEqual([]);
    await expectEmptyPlan('plan after update');
  });

  it('WHEN all 500 are destroyed under faults THEN no active key with the prefix is left and the state is empty', async () => {
    await untilSuccess('destroy', () => tf.destroy([PARALLELISM]));

    const keys = await serverKeys(client, prefix);
    expect({ total: keys.length, active: keys.filter((k) => k.status === 'active').length, inState: stateKeys(tf).length }).toEqual({
      total: COUNT,
      active: 0,
      inState: 0,
    });
  });
});
