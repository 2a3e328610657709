/**
 * Scale-out benchmark: one keyform service as 1, 2 or 4 `keyform serve` instances over one
 * PostgreSQL database (or one instance over SQLite, the default store), driven by concurrent
 * Terraform applies of different stacks (stack j applies through instance j mod n) and, at the same
 * time, a request load from a second process spread over the instances. Afterwards every key is
 * counted by name on the server: each declared key exists exactly once (none lost, none duplicated)
 * and is the one its stack's state records.
 *
 * The fault run kills one instance with SIGKILL while the applies are creating keys, lets the applies
 * through it fail, retries them against a surviving instance, and checks the same: every stack's plan
 * is empty, nothing lost, nothing duplicated.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyformClient } from '../../src/client';
import { VERSION } from '../../src/version';
import { startPostgres, type TestPostgres } from '../../test/support/postgres';
import { createBenchKeys } from './bulk-keys';
import type { LoadReport } from './load';
import { startLoadProcess } from './load-process';
import { BENCH_ADMIN, startServerProcess, type ServerProcess } from './server-process';
import { mapConcurrent, percentile } from './stats';
import { setupTerraform, terraform, terraformOk, type TerraformSetup } from './terraform-run';
import { BENCH_MID, BENCH_SCOPES } from './workspaces';

/** A store and instance count to measure. */
export interface ScaleOutTarget {
  readonly store: 'sqlite' | 'postgres';
  readonly instances: number;
}

/** Options of a run. */
export interface ScaleOutOptions {
  /** Stacks applied at once. */
  readonly stacks: number;
  /** Keys per stack. */
  readonly keys: number;
  /** Concurrent clients of the request load (second process). */
  readonly clients: number;
  /** Keys created before the run for the load's gets. */
  readonly seedKeys?: number;
  /** Terraform's -parallelism per apply (Terraform's default is 10). */
  readonly parallelism?: number;
  /** With no stacks: how long the load alone runs (the server's throughput without Terraform beside it). */
  readonly loadSeconds?: number;
}

/** What counting keys by name on the server found. */
export interface KeyCount {
  /** Active keys on the server. */
  readonly active: number;
  /** Declared keys (stack key names) found exactly once. */
  readonly declaredOnce: number;
  /** Declared keys missing on the server. */
  readonly lost: number;
  /** Extra copies: for every name (declared, seeded or made by the load), the active keys beyond the first. */
  readonly duplicates: number;
  /** Declared keys whose id in the stack's state is not the server's key of that name. */
  readonly stateMismatches: number;
}

/** One measured target. */
export interface ScaleOutResult {
  readonly target: ScaleOutTarget;
  readonly stacks: number;
  readonly keysPerStack: number;
  /** Wall time from starting the applies to the last one ending. */
  readonly applySeconds: number;
  /** Each stack's apply time. */
  readonly applyP50: number;
  readonly applyMax: number;
  /** Keys created by Terraform per second over all stacks. */
  readonly applyKeysPerSecond: number;
  readonly load: LoadReport;
  readonly count: KeyCount;
}

/** The fault run's result. */
export interface FaultResult {
  readonly instances: number;
  readonly stacks: number;
  readonly keysPerStack: number;
  /** Keys the killed instance had logged creating when it was killed. */
  readonly createsBeforeKill: number;
  /** Stacks whose first apply failed (they went through the killed instance). */
  readonly failedApplies: number;
  /** Stacks whose retry against a survivor succeeded. */
  readonly retriedOk: number;
  /** Stacks whose plan after the retry showed changes (should be 0). */
  readonly nonEmptyPlans: number;
  readonly load: LoadReport;
  readonly count: KeyCount;
}

const stackKeyName = (stack: number, i: number) => `stack${stack}-key${i}`;

/** Writes stack `j`'s configuration: `keys` keys named `stack<j>-key<i>`. */
function writeStack(dir: string, j: number, keys: number): void {
  const resources: Record<string, unknown> = {};
  for (let i = 0; i < keys; i++) resources[`k${i}`] = { name: stackKeyName(j, i), type: 'secret', scopes: BENCH_SCOPES };
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'main.tf.json'),
    JSON.stringify({ terraform: { required_providers: { keyform: { source: 'keyform/keyform', version: VERSION } } }, provider: { keyform: {} }, resource: { keyform_api_key: resources } }),
  );
}

/** The service under test: its instances and how to end them. */
interface Service {
  readonly instances: ServerProcess[];
  stop(): Promise<void>;
}

async function startService(target: ScaleOutTarget, pg: TestPostgres | undefined): Promise<Service> {
  if (target.store === 'sqlite') {
    if (target.instances !== 1) throw new Error('SQLite is one instance: its file belongs to one process');
    const one = await startServerProcess();
    return { instances: [one], stop: () => one.stop() };
  }
  if (!pg) throw new Error('postgres target without a cluster');
  const databaseUrl = await pg.createDatabase();
  // Started together: the migrations must run once even so.
  const instances = await Promise.all(Array.from({ length: target.instances }, () => startServerProcess({ databaseUrl })));
  return {
    instances,
    stop: async () => {
      await Promise.all(instances.map((i) => i.stop()));
    },
  };
}

/** Applies `dir` through `url`. */
function setupFor(base: TerraformSetup, url: string): TerraformSetup {
  return { ...base, env: { ...base.env, KEYFORM_ENDPOINT: url } };
}

/** Ids by address of a stack's state (`keyform_api_key.k<i>` → id). */
function stateIds(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  let doc: { resources?: Array<{ type: string; name: string; instances: Array<{ attributes: { id?: string; name?: string } }> }> };
  try {
    doc = JSON.parse(readFileSync(join(dir, 'terraform.tfstate'), 'utf8'));
  } catch {
    return out;
  }
  for (const r of doc.resources ?? []) {
    if (r.type !== 'keyform_api_key') continue;
    const a = r.instances[0]?.attributes;
    if (a?.id && a.name) out.set(a.name, a.id);
  }
  return out;
}

/** Counts the server's active keys by name against the stacks' declarations and states. */
export async function countKeys(url: string, stackDirs: readonly string[], keysPerStack: number): Promise<KeyCount> {
  const client = new KeyformClient({ endpoint: url, clientId: BENCH_ADMIN.clientId, clientSecret: BENCH_ADMIN.clientSecret });
  const byName = new Map<string, string[]>();
  try {
    for await (const k of client.iterateApiKeys({ status: 'active', limit: 1000 })) byName.set(k.name, [...(byName.get(k.name) ?? []), k.id]);
  } finally {
    await client.close();
  }
  let declaredOnce = 0;
  let lost = 0;
  let stateMismatches = 0;
  stackDirs.forEach((dir, j) => {
    const ids = stateIds(dir);
    for (let i = 0; i < keysPerStack; i++) {
      const name = stackKeyName(j, i);
      const found = byName.get(name) ?? [];
      if (found.length === 0) lost++;
      if (found.length === 1) declaredOnce++;
      if (found.length !== 1 || ids.get(name) !== found[0]) stateMismatches++;
    }
  });
  let duplicates = 0;
  let active = 0;
  for (const list of byName.values()) {
    active += list.length;
    duplicates += list.length - 1;
  }
  return { active, declaredOnce, lost, duplicates, stateMismatches };
}

/**
 * An API key for the request load (holding the scopes it gives the keys it creates: a key never
 * creates one with more power than it holds): its requests are logged as `api_key:…`, so the fault run can tell
 * the applies' creates (the provider's OAuth client) from the load's.
 */
async function loadKey(url: string): Promise<string> {
  const client = new KeyformClient({ endpoint: url, clientId: BENCH_ADMIN.clientId, clientSecret: BENCH_ADMIN.clientSecret });
  try {
    return (await client.createApiKey({ mid: BENCH_MID, name: 'bench-load', type: 'secret', scopes: ['api_keys:read', 'api_keys:write', ...BENCH_SCOPES] })).value;
  } finally {
    await client.close();
  }
}

/** Creates the stacks' working directories and runs `terraform init` in each. */
async function prepareStacks(root: string, base: TerraformSetup, stacks: number, keys: number): Promise<string[]> {
  const dirs = Array.from({ length: stacks }, (_, j) => join(root, `stack${j}`));
  dirs.forEach((d, j) => writeStack(d, j, keys));
  await mapConcurrent(dirs, 2, (d) => terraformOk(base, d, ['init', '-input=false', '-no-color']));
  return dirs;
}

/** Runs one target: service up, stacks applied concurrently under the load, keys counted. */
export async function runScaleOut(target: ScaleOutTarget, opts: ScaleOutOptions, pg?: TestPostgres): Promise<ScaleOutResult> {
  const root = mkdtempSync(join(tmpdir(), 'keyform-bench-scaleout-'));
  const service = await startService(target, pg);
  try {
    const urls = service.instances.map((i) => i.url);
    const base = setupTerraform(join(root, 'provider'), urls[0]);
    const dirs = await prepareStacks(root, base, opts.stacks, opts.keys);
    const seeded = await createBenchKeys(urls[0], opts.seedKeys ?? 100, 8);
    const token = await loadKey(urls[0]);
    const load = await startLoadProcess({ urls, ids: seeded.keys.map((k) => k.key.id), clients: opts.clients, maxSeconds: 600, token });
    const t0 = performance.now();
    const times = await Promise.all(
      dirs.map(async (d, j) => {
        const r = await terraformOk(setupFor(base, urls[j % urls.length]), d, ['apply', '-input=false', '-auto-approve', '-no-color', `-parallelism=${opts.parallelism ?? 10}`]);
        return r.seconds;
      }),
    );
    const applySeconds = (performance.now() - t0) / 1000;
    if (opts.stacks === 0) await new Promise((r) => setTimeout(r, (opts.loadSeconds ?? 10) * 1000));
    const loadReport = await load.stop();
    const count = await countKeys(urls[urls.length - 1], dirs, opts.keys);
    return {
      target,
      stacks: opts.stacks,
      keysPerStack: opts.keys,
      applySeconds,
      applyP50: times.length ? percentile(times, 50) : NaN,
      applyMax: times.length ? Math.max(...times) : NaN,
      applyKeysPerSecond: times.length ? (opts.stacks * opts.keys) / applySeconds : NaN,
      load: loadReport,
      count,
    };
  } finally {
    await service.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * The fault run: `instances` PostgreSQL-backed instances (at least 2); stacks alternate between
 * them; instance 0 is killed with SIGKILL once it has logged `killAfter` key creations (default: a
 * third of what its stacks declare); the stacks whose apply failed are applied again through
 * instance 1; then every stack is planned and every key counted.
 */
export async function runFault(opts: ScaleOutOptions & { instances: number; killAfter?: number }, pg: TestPostgres): Promise<FaultResult> {
  if (opts.instances < 2) throw new Error('the fault run needs at least 2 instances');
  const root = mkdtempSync(join(tmpdir(), 'keyform-bench-fault-'));
  const service = await startService({ store: 'postgres', instances: opts.instances }, pg);
  try {
    const [victim, ...survivors] = service.instances;
    const urls = service.instances.map((i) => i.url);
    const base = setupTerraform(join(root, 'provider'), urls[0]);
    const dirs = await prepareStacks(root, base, opts.stacks, opts.keys);
    const seeded = await createBenchKeys(urls[1], opts.seedKeys ?? 100, 8);
    const token = await loadKey(urls[1]);
    const load = await startLoadProcess({ urls, ids: seeded.keys.map((k) => k.key.id), clients: opts.clients, maxSeconds: 600, token });
    const victimStacks = dirs.filter((_, j) => j % urls.length === 0).length;
    const killAfter = opts.killAfter ?? Math.max(1, Math.floor((victimStacks * opts.keys) / 3));
    // The applies' creates only (the provider authenticates as the OAuth client; the load with its API key).
    const creates = () => victim.requestsByRoute('oauth_client')['POST /v1/api-keys'] ?? 0;
    let createsBeforeKill = -1;
    const watcher = (async () => {
      while (victim.alive() && createsBeforeKill < 0) {
        if (creates() >= killAfter) {
          createsBeforeKill = creates();
          await victim.kill();
          return;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const first = await Promise.all(dirs.map((d, j) => terraform(setupFor(base, urls[j % urls.length]), d, ['apply', '-input=false', '-auto-approve', '-no-color', `-parallelism=${opts.parallelism ?? 10}`])));
    if (createsBeforeKill < 0) {
      // The applies finished before the threshold: kill anyway so the run is still a crash run, and say so.
      createsBeforeKill = creates();
      await victim.kill();
    }
    await watcher;
    const failed = dirs.filter((_, j) => first[j].code !== 0);
    const retried = await Promise.all(failed.map((d) => terraform(setupFor(base, survivors[0].url), d, ['apply', '-input=false', '-auto-approve', '-no-color'])));
    const plans = await Promise.all(dirs.map((d) => terraform(setupFor(base, survivors[0].url), d, ['plan', '-input=false', '-detailed-exitcode', '-no-color'])));
    const loadReport = await load.stop();
    const count = await countKeys(survivors[0].url, dirs, opts.keys);
    return {
      instances: opts.instances,
      stacks: opts.stacks,
      keysPerStack: opts.keys,
      createsBeforeKill,
      failedApplies: failed.length,
      retriedOk: retried.filter((r) => r.code === 0).length,
      nonEmptyPlans: plans.filter((p) => p.code !== 0).length,
      load: loadReport,
      count,
    };
  } finally {
    await service.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

export { startPostgres };
