/**
 * The plan benchmark at scale: for each N, a fresh reference server (its own process) and two
 * working directories, N keyform keys and N `terraform_data` (Terraform's floor), brought into state
 * either by a real `terraform apply` (timed) or, for sizes too large to apply, by creating the keys
 * through the API and writing the state file directly (see state-file.ts). Then `terraform plan` and
 * `terraform plan -refresh-only` of both, interleaved, each required to report no changes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBenchKeys, fetchKey } from './bulk-keys';
import { writeProfilePreload } from './cpu-profile-preload';
import { pluginStartMs } from './plugin-start';
import { startServerProcess, routeDelta, type ServerProcess } from './server-process';
import { checkKeyMapping, floorResources, keyResources, readTemplate, writeState, type StateTemplate } from './state-file';
import { median } from './stats';
import { setupTerraform, statePath, terraformOk, type TerraformRun, type TerraformSetup } from './terraform-run';
import { writeFloorConfig, writeKeyformConfig } from './workspaces';

/** Options of {@link runScalePlan}. */
export interface ScalePlanOptions {
  /** Numbers of resources to measure. */
  readonly sizes: readonly number[];
  /** Sizes to build by writing state instead of applying. */
  readonly writeStateSizes: readonly number[];
  /** Plan repetitions per size (median reported); `runsFor` may lower it for large sizes. */
  readonly runs: number;
  /** Repetitions for a given size; default `runs`. */
  readonly runsFor?: (n: number) => number;
  /** Keys created at once through the API when writing state. */
  readonly createConcurrency?: number;
  /** Write a V8 CPU profile of each plugin process of one extra keyform plan per size into this directory. */
  readonly cpuProfileDir?: string;
  /** Count the plugin's gRPC calls of one extra keyform plan per size (its debug log), up to this size. */
  readonly countRpcsUpTo?: number;
  /** Progress lines. */
  readonly log?: (line: string) => void;
}

/** Figures of one kind of plan (keyform or floor) at one size. */
export interface PlanFigures {
  /** Wall seconds of each run. */
  readonly seconds: number[];
  readonly medianSeconds: number;
  /** Largest peak RSS of a Terraform process over the runs, MiB. */
  readonly terraformPeakMb: number;
  /** Largest peak RSS of a plugin process over the runs, MiB (0 for the floor). */
  readonly pluginPeakMb: number;
  /** Plugin processes per run (last run). */
  readonly pluginProcesses: number;
  /** CPU seconds of Terraform plus plugins, and of the plugins alone (last run). */
  readonly cpuSeconds: number;
  readonly pluginCpuSeconds: number;
}

/** Everything measured at one size. */
export interface SizeResult {
  readonly n: number;
  readonly build: 'apply' | 'state';
  /** Apply wall seconds (apply builds only). */
  readonly applySeconds?: { keyform: number; floor: number; keyformRequests: number };
  /** The first keyform plan after the apply (it only reads: the create journal is settled locally). */
  readonly firstPlanAfterApply?: { seconds: number; requests: number; routes: Record<string, number> };
  /** Bulk creation through the API and state writing (state builds only). */
  readonly stateBuild?: { createSeconds: number; createConcurrency: number; writeSeconds: number; keyformStateBytes: number; floorStateBytes: number };
  readonly plan: { keyform: PlanFigures; floor: PlanFigures; ratio: number; requests: number; routes: Record<string, number> };
  /** `exitCodes`: `-detailed-exitcode` of the last refresh-only plans (2 with no difference shown: see {@link refreshOnly}). */
  readonly refreshOnly: { keyform: PlanFigures; floor: PlanFigures; ratio: number; requests: number; routes: Record<string, number>; exitCodes: { keyform: number; floor: number } };
  /** Largest RSS of the server process during the keyform plans, MiB. */
  readonly serverPeakMb: number;
  /** gRPC calls the plugin served during one keyform plan, by method (when counted). */
  readonly rpcsPerPlan?: Record<string, number>;
  /** Summary of CPU profiles, when asked for. */
  readonly cpuProfile?: ProfileSummary;
  readonly loadAverage: { before: number; after: number };
}

/** Whole result. */
export interface ScalePlanResult {
  readonly pluginStartMs: number;
  readonly pluginStartSamplesMs: number[];
  /** Bare Node's start, measured alternately with the plugin's (see plugin-start.ts). */
  readonly nodeStartMs: number;
  readonly terraformVersion: string;
  readonly node: string;
  readonly nproc: number;
  readonly memTotalMb: number;
  readonly sizes: SizeResult[];
}

/** Top self-time functions of the plugin CPU profiles of one plan. */
export interface ProfileSummary {
  readonly files: number;
  readonly sampledSeconds: number;
  readonly top: { name: string; selfSeconds: number; share: number }[];
}

const mb = (kb: number) => Math.round(kb / 1024);

function figures(runs: TerraformRun[]): PlanFigures {
  const seconds = runs.map((r) => r.seconds);
  const last = runs[runs.length - 1];
  return {
    seconds,
    medianSeconds: median(seconds),
    terraformPeakMb: mb(Math.max(...runs.map((r) => r.terraformPeakKb))),
    pluginPeakMb: mb(Math.max(...runs.map((r) => r.sample.pluginPeakKb))),
    pluginProcesses: last.sample.pluginProcesses,
    cpuSeconds: last.cpuSeconds,
    pluginCpuSeconds: Math.round(last.sample.pluginCpuSeconds * 100) / 100,
  };
}

/** Sums self time per function over V8 `.cpuprofile` files. */
export function summariseProfiles(dir: string, top = 12): ProfileSummary {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const self = new Map<string, number>();
  let total = 0;
  for (const f of files) {
    const p = JSON.parse(readFileSync(join(dir, f), 'utf8')) as {
      nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
      samples: number[];
      timeDeltas: number[];
    };
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    p.samples.forEach((id, i) => {
      const node = byId.get(id);
      const dt = (p.timeDeltas[i] ?? 0) / 1e6;
      total += dt;
      if (!node) return;
      const cf = node.callFrame;
      const file = cf.url ? cf.url.split('/').slice(-1)[0] : '';
      const name = `${cf.functionName || '(anonymous)'}${file ? ` ${file}:${cf.lineNumber + 1}` : ''}`;
      self.set(name, (self.get(name) ?? 0) + dt);
    });
  }
  const sorted = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return {
    files: files.length,
    sampledSeconds: Math.round(total * 100) / 100,
    top: sorted.map(([name, s]) => ({ name, selfSeconds: Math.round(s * 1000) / 1000, share: total ? Math.round((s / total) * 1000) / 10 : 0 })),
  };
}

/** `terraform plan -refresh-only -detailed-exitcode`: the measured state is unchanged, so it must exit 0. */
async function refreshOnly(setup: TerraformSetup, cwd: string, watch: number[] = []): Promise<TerraformRun> {
  return terraformOk(setup, cwd, ['plan', '-refresh-only', '-detailed-exitcode', '-input=false', '-no-color'], [0], watch);
}

/** Counts the plugin's `<method> started` debug lines by method. */
export function countRpcs(log: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of log.matchAll(/"@message":"(\w+) started"/g)) {
    // "plugin started" is the process start line, not a call.
    const name = m[1] === 'plugin' ? 'plugin processes' : m[1];
    out[name] = (out[name] ?? 0) + 1;
  }
  return out;
}

interface Templates {
  readonly keyform: StateTemplate;
  readonly floor: StateTemplate;
}

/** Applies one key and one terraform_data for real and takes their state instances as templates. */
async function makeTemplates(work: string, log: (l: string) => void): Promise<Templates> {
  const server = await startServerProcess();
  try {
    const setup = setupTerraform(join(work, 'tpl-install'), server.url);
    const kf = join(work, 'tpl-keyform');
    const floor = join(work, 'tpl-floor');
    writeKeyformConfig(kf, 1);
    writeFloorConfig(floor, 1);
    for (const d of [kf, floor]) {
      await terraformOk(setup, d, ['init', '-input=false', '-no-color']);
      await terraformOk(setup, d, ['apply', '-auto-approve', '-input=false', '-no-color']);
    }
    const keyform = readTemplate(statePath(kf), 'keyform_api_key');
    const floorTpl = readTemplate(statePath(floor), 'terraform_data');
    if (keyform.resource.provider !== 'provider["registry.terraform.io/keyform/keyform"]') throw new Error(`unexpected provider address ${keyform.resource.provider}`);
    // The attribute names Terraform shows must be exactly those in the state (the provider schema).
    for (const [dir, tpl] of [[kf, keyform], [floor, floorTpl]] as const) {
      const shown = JSON.parse((await terraformOk(setup, dir, ['show', '-json', '-no-color'])).stdout) as { values: { root_module: { resources: { values: Record<string, unknown> }[] } } };
      const names = Object.keys(shown.values.root_module.resources[0].values).sort().join(',');
      const inState = Object.keys(tpl.resource.instances[0].attributes).sort().join(',');
      if (names !== inState) throw new Error(`${tpl.resource.type}: terraform show has [${names}], state has [${inState}]`);
    }
    checkKeyMapping(keyform, await fetchKey(server.url, keyform.resource.instances[0].attributes.id as string));
    log(`templates taken from a real apply (keyform schema_version ${keyform.resource.instances[0].schema_version}, terraform_data schema_version ${floorTpl.resource.instances[0].schema_version})`);
    return { keyform, floor: floorTpl };
  } finally {
    await server.stop();
  }
}

async function measureSize(n: number, work: string, build: 'apply' | 'state', runs: number, templates: Templates | undefined, opts: ScalePlanOptions): Promise<SizeResult> {
  const log = opts.log ?? (() => undefined);
  const loadBefore = loadavg()[0];
  const server: ServerProcess = await startServerProcess();
  try {
    const setup: TerraformSetup = setupTerraform(join(work, `install-${n}`), server.url);
    const kf = join(work, `keyform-${n}`);
    const floor = join(work, `floor-${n}`);
    writeKeyformConfig(kf, n);
    writeFloorConfig(floor, n);
    await terraformOk(setup, kf, ['init', '-input=false', '-no-color']);
    await terraformOk(setup, floor, ['init', '-input=false', '-no-color']);
    const result: Partial<{ -readonly [K in keyof SizeResult]: SizeResult[K] }> = { n, build };
    if (build === 'apply') {
      const before = server.requests();
      const a = await terraformOk(setup, kf, ['apply', '-auto-approve', '-input=false', '-no-color']);
      await server.settle();
      const keyformRequests = server.requests() - before;
      const b = await terraformOk(setup, floor, ['apply', '-auto-approve', '-input=false', '-no-color']);
      result.applySeconds = { keyform: a.seconds, floor: b.seconds, keyformRequests };
      log(`N=${n}: applied (keyform ${a.seconds}s, ${keyformRequests} requests; terraform_data ${b.seconds}s)`);
      const r0 = server.requestsByRoute();
      const c0 = server.requests();
      const first = await terraformOk(setup, kf, ['plan', '-detailed-exitcode', '-input=false', '-no-color']);
      await server.settle();
      result.firstPlanAfterApply = { seconds: first.seconds, requests: server.requests() - c0, routes: routeDelta(server.requestsByRoute(), r0) };
    } else {
      if (!templates) throw new Error('state templates missing');
      const created = await createBenchKeys(server.url, n, opts.createConcurrency ?? 16);
      log(`N=${n}: created ${n} keys through the API in ${created.seconds.toFixed(1)}s`);
      const t0 = performance.now();
      writeState(statePath(kf), templates.keyform.terraformVersion, keyResources(templates.keyform, created.keys));
      writeState(statePath(floor), templates.floor.terraformVersion, floorResources(templates.floor, n));
      result.stateBuild = {
        createSeconds: Math.round(created.seconds * 100) / 100,
        createConcurrency: opts.createConcurrency ?? 16,
        writeSeconds: Math.round(performance.now() - t0) / 1000,
        keyformStateBytes: statSync(statePath(kf)).size,
        floorStateBytes: statSync(statePath(floor)).size,
      };
    }
    await server.settle();
    const kfPlans: TerraformRun[] = [];
    const floorPlans: TerraformRun[] = [];
    const kfRefresh: TerraformRun[] = [];
    const floorRefresh: TerraformRun[] = [];
    let planRequests = 0;
    let refreshRequests = 0;
    let planRoutes: Record<string, number> = {};
    let refreshRoutes: Record<string, number> = {};
    let serverPeakKb = 0;
    const refreshExitCodes = { keyform: 0, floor: 0 };
    for (let r = 0; r < runs; r++) {
      let c0 = server.requests();
      let r0 = server.requestsByRoute();
      const p = await terraformOk(setup, kf, ['plan', '-detailed-exitcode', '-input=false', '-no-color'], [0], [server.pid]);
      await server.settle();
      planRequests = server.requests() - c0;
      planRoutes = routeDelta(server.requestsByRoute(), r0);
      serverPeakKb = Math.max(serverPeakKb, p.sample.watchedPeakKb[server.pid] ?? 0);
      kfPlans.push(p);
      log(`N=${n} run ${r + 1}/${runs}: keyform plan ${p.seconds}s (${planRequests} requests)`);
      floorPlans.push(await terraformOk(setup, floor, ['plan', '-detailed-exitcode', '-input=false', '-no-color']));
      log(`N=${n} run ${r + 1}/${runs}: terraform_data plan ${floorPlans[r].seconds}s`);
      c0 = server.requests();
      r0 = server.requestsByRoute();
      const q = await refreshOnly(setup, kf, [server.pid]);
      refreshExitCodes.keyform = q.code;
      await server.settle();
      refreshRequests = server.requests() - c0;
      refreshRoutes = routeDelta(server.requestsByRoute(), r0);
      serverPeakKb = Math.max(serverPeakKb, q.sample.watchedPeakKb[server.pid] ?? 0);
      kfRefresh.push(q);
      log(`N=${n} run ${r + 1}/${runs}: keyform refresh-only plan ${q.seconds}s`);
      floorRefresh.push(await refreshOnly(setup, floor));
      refreshExitCodes.floor = floorRefresh[r].code;
      log(`N=${n} run ${r + 1}/${runs}: terraform_data refresh-only plan ${floorRefresh[r].seconds}s`);
    }
    if (opts.countRpcsUpTo !== undefined && n <= opts.countRpcsUpTo) {
      const logged = await terraformOk({ ...setup, env: { ...setup.env, TF_LOG_PROVIDER: 'debug' } }, kf, ['plan', '-detailed-exitcode', '-input=false', '-no-color']);
      result.rpcsPerPlan = countRpcs(logged.stderr);
    }
    if (opts.cpuProfileDir) {
      const dir = join(opts.cpuProfileDir, `n${n}`);
      rmSync(dir, { recursive: true, force: true });
      const preload = writeProfilePreload(join(work, 'profile-preload'), dir);
      const profSetup: TerraformSetup = { ...setup, env: { ...setup.env, NODE_OPTIONS: `--require ${preload}` } };
      await terraformOk(profSetup, kf, ['plan', '-detailed-exitcode', '-input=false', '-no-color']);
      result.cpuProfile = summariseProfiles(dir);
    }
    const kfPlan = figures(kfPlans);
    const floorPlan = figures(floorPlans);
    const kfR = figures(kfRefresh);
    const floorR = figures(floorRefresh);
    result.plan = { keyform: kfPlan, floor: floorPlan, ratio: kfPlan.medianSeconds / floorPlan.medianSeconds, requests: planRequests, routes: planRoutes };
    result.refreshOnly = { keyform: kfR, floor: floorR, ratio: kfR.medianSeconds / floorR.medianSeconds, requests: refreshRequests, routes: refreshRoutes, exitCodes: refreshExitCodes };
    result.serverPeakMb = mb(serverPeakKb);
    result.loadAverage = { before: loadBefore, after: loadavg()[0] };
    return result as SizeResult;
  } finally {
    await server.stop();
  }
}

/** Runs the plan benchmark over every size. */
export async function runScalePlan(opts: ScalePlanOptions): Promise<ScalePlanResult> {
  const log = opts.log ?? (() => undefined);
  const work = mkdtempSync(join(tmpdir(), 'keyform-bench-scale-'));
  try {
    const bundleSetup = setupTerraform(join(work, 'probe'), 'http://127.0.0.1:1');
    const start = await pluginStartMs(bundleSetup.bundle);
    const needsTemplates = opts.sizes.some((n) => opts.writeStateSizes.includes(n));
    const templates = needsTemplates ? await makeTemplates(work, log) : undefined;
    const sizes: SizeResult[] = [];
    for (const n of opts.sizes) {
      const build = opts.writeStateSizes.includes(n) ? 'state' : 'apply';
      sizes.push(await measureSize(n, work, build, opts.runsFor?.(n) ?? opts.runs, templates, opts));
      // Each size's directories hold N secrets in state: remove them as soon as they are measured.
      rmSync(join(work, `keyform-${n}`), { recursive: true, force: true });
      rmSync(join(work, `floor-${n}`), { recursive: true, force: true });
    }
    const version = /Terraform v(\S+)/.exec(execFileSync('terraform', ['version'], { env: bundleSetup.env }).toString())?.[1] ?? '?';
    const memTotal = Number(/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0);
    return {
      pluginStartMs: Math.round(start.medianMs),
      pluginStartSamplesMs: start.samplesMs.map((x) => Math.round(x)),
      nodeStartMs: Math.round(start.nodeMedianMs),
      terraformVersion: version,
      node: process.version,
      nproc: availableParallelism(),
      memTotalMb: mb(memTotal),
      sizes,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
