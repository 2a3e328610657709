/**
 * Where the plan time of keyform goes, against Terraform's floor: N resources of four kinds planned
 * in the same run, interleaved, each workspace applied first and every measured plan required to
 * report no changes.
 *
 * - `floor`: builtin `terraform_data` (served inside Terraform, no plugin).
 * - `null-thin`: a do-nothing provider on keyform's plugin runtime with terraform_data's shape, so the
 *   difference to `floor` is the cost of any external provider process on this runtime.
 * - `null-key`: the same do-nothing provider with exactly `keyform_api_key`'s schema and the same
 *   config as `keyform`, so the difference to `null-thin` is what that schema costs Terraform and the
 *   runtime, with no handler and no API.
 * - `keyform`: the real provider against a real `keyform serve`, so the difference to `null-key` is
 *   keyform's handler, client and API.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { VERSION } from '../../src/version';
import { bundleProvider } from '../../test/support/terraform';
import { startServerProcess } from './server-process';
import { median } from './stats';
import { setupTerraform, terraform, terraformOk, type TerraformSetup } from './terraform-run';
import { benchName, writeFloorConfig, writeKeyformConfig } from './workspaces';

/** The four workspace kinds, cheapest first. */
export const FLOOR_KINDS = ['floor', 'null-thin', 'null-key', 'keyform'] as const;
/** One workspace kind. */
export type FloorKind = (typeof FLOOR_KINDS)[number];

/** Options of {@link runPlanFloor}. */
export interface PlanFloorOptions {
  /** Resources per workspace. */
  readonly n: number;
  /** Measured plans per workspace (interleaved). */
  readonly runs: number;
  /** Progress lines. */
  readonly log?: (line: string) => void;
}

/** The figures of one workspace kind. */
export interface FloorFigures {
  readonly kind: FloorKind;
  readonly applySeconds: number;
  /** Wall time of each measured plan, seconds. */
  readonly planSeconds: number[];
  readonly medianSeconds: number;
  /** Median plan time over the floor's median. */
  readonly ratio: number;
  /** User + system CPU of Terraform and its plugins in the last plan, seconds. */
  readonly cpuSeconds: number;
  /** CPU of the plugin processes alone in the last plan (0 for the floor), seconds. */
  readonly pluginCpuSeconds: number;
}

/** The result of a run. */
export interface PlanFloorResult {
  readonly n: number;
  readonly runs: number;
  readonly kinds: FloorFigures[];
}

function writeNullThinConfig(dir: string, n: number): void {
  const resources: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) resources[`r${i}`] = { input: benchName(i) };
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'main.tf.json'),
    JSON.stringify({
      terraform: { required_providers: { keyform: { source: 'keyform/keyform', version: VERSION } } },
      resource: { keyform_null_thin: resources },
    }),
  );
}

/** Runs the decomposition: builds the four workspaces, then times interleaved plans. */
export async function runPlanFloor(opts: PlanFloorOptions): Promise<PlanFloorResult> {
  const log = opts.log ?? (() => undefined);
  const root = mkdtempSync(join(tmpdir(), 'keyform-plan-floor-'));
  const server = await startServerProcess();
  let nullBundle: string | undefined;
  try {
    const real = setupTerraform(join(root, 'install-keyform'), server.url);
    nullBundle = await bundleProvider(join(__dirname, 'null-plugin-main.ts'));
    const nullSetup = setupTerraform(join(root, 'install-null'), server.url, {}, nullBundle);
    const setups: Record<FloorKind, TerraformSetup> = { floor: real, 'null-thin': nullSetup, 'null-key': nullSetup, keyform: real };
    const dir = (k: FloorKind) => join(root, k);
    writeFloorConfig(dir('floor'), opts.n);
    writeNullThinConfig(dir('null-thin'), opts.n);
    writeKeyformConfig(dir('null-key'), opts.n, 'keyform_null_key');
    writeKeyformConfig(dir('keyform'), opts.n);

    const applySeconds = {} as Record<FloorKind, number>;
    for (const k of FLOOR_KINDS) {
      await terraformOk(setups[k], dir(k), ['init', '-input=false', '-no-color']);
      const applied = await terraformOk(setups[k], dir(k), ['apply', '-auto-approve', '-input=false', '-no-color']);
      applySeconds[k] = applied.seconds;
      log(`${k}: ${opts.n} applied in ${applied.seconds.toFixed(1)} s`);
      // The first plan after an apply may do one-time work (keyform clears adoption claims): not measured.
      await terraformOk(setups[k], dir(k), ['plan', '-detailed-exitcode', '-input=false', '-no-color']);
    }

    const planSeconds = Object.fromEntries(FLOOR_KINDS.map((k) => [k, [] as number[]])) as Record<FloorKind, number[]>;
    const last = {} as Record<FloorKind, { cpu: number; plugin: number }>;
    for (let run = 0; run < opts.runs; run++) {
      for (const k of FLOOR_KINDS) {
        const r = await terraform(setups[k], dir(k), ['plan', '-detailed-exitcode', '-input=false', '-no-color']);
        if (r.code !== 0) throw new Error(`plan of ${k} exited ${r.code} (0 = no changes expected):\n${r.stderr.slice(-2000)}\n${r.stdout.slice(-2000)}`);
        planSeconds[k].push(r.seconds);
        last[k] = { cpu: r.cpuSeconds, plugin: r.sample.pluginCpuSeconds };
      }
      log(`run ${run + 1}/${opts.runs}: ${FLOOR_KINDS.map((k) => `${k} ${planSeconds[k][run].toFixed(2)} s`).join(', ')}`);
    }
    const floorMedian = median(planSeconds.floor);
    return {
      n: opts.n,
      runs: opts.runs,
      kinds: FLOOR_KINDS.map((k) => ({
        kind: k,
        applySeconds: applySeconds[k],
        planSeconds: planSeconds[k],
        medianSeconds: median(planSeconds[k]),
        ratio: median(planSeconds[k]) / floorMedian,
        cpuSeconds: round2(last[k].cpu),
        pluginCpuSeconds: round2(k === 'floor' ? 0 : last[k].plugin),
      })),
    };
  } finally {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
    if (nullBundle) rmSync(dirname(nullBundle), { recursive: true, force: true });
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** The result as a Markdown table. */
export function planFloorTable(r: PlanFloorResult): string {
  const rows = r.kinds.map(
    (f) =>
      `| ${f.kind} | ${f.medianSeconds.toFixed(2)} s | ${f.ratio.toFixed(2)} | ${f.cpuSeconds.toFixed(2)} s | ${f.pluginCpuSeconds.toFixed(2)} s | ${(f.cpuSeconds - f.pluginCpuSeconds).toFixed(2)} s | ${f.applySeconds.toFixed(1)} s |`,
  );
  return [
    `N = ${r.n}, median of ${r.runs} interleaved plans each`,
    '',
    '| workspace | plan | × floor | CPU (Terraform + plugins) | plugins | Terraform alone | apply |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}
