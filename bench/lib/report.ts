/** Markdown tables of the scale benchmarks' results, with the targets they are held against. */
import type { LoadReport } from './load';
import type { ScalePlanResult, SizeResult } from './scale-plan';

/** Plan-time target as a multiple of the floor at N (none below 1,000). */
export function planTarget(n: number): number | undefined {
  if (n >= 10_000) return 2.5;
  if (n >= 1_000) return 1.5;
  return undefined;
}

/** Largest acceptable number of HTTP requests for one plan over N keys. */
export function requestTarget(n: number): number {
  return Math.floor(n / 100) + 2;
}

const s2 = (x: number) => `${x.toFixed(2)} s`;

function verdict(ok: boolean | undefined): string {
  return ok === undefined ? '–' : ok ? 'met' : '**missed**';
}

/** The plan table: one row per size and kind of plan. */
export function planTable(result: ScalePlanResult): string {
  const lines = [
    '| N | built by | plan | keyform | terraform_data | ratio | target | HTTP requests (target) | plugin processes | peak RSS plugin | peak RSS terraform (keyform / floor) | peak RSS server |',
    '|---:|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|',
  ];
  for (const r of result.sizes) {
    for (const [label, f] of [['plan', r.plan], ['refresh-only', r.refreshOnly]] as const) {
      const t = planTarget(r.n);
      const reqOk = f.requests <= requestTarget(r.n);
      lines.push(
        `| ${r.n} | ${r.build} | ${label} | ${s2(f.keyform.medianSeconds)} | ${s2(f.floor.medianSeconds)} | ${f.ratio.toFixed(2)} | ${t ? `≤ ${t} (${verdict(f.ratio <= t)})` : '–'} | ${f.requests} (≤ ${requestTarget(r.n)}, ${verdict(reqOk)}) | ${f.keyform.pluginProcesses} | ${f.keyform.pluginPeakMb} MB | ${f.keyform.terraformPeakMb} / ${f.floor.terraformPeakMb} MB | ${r.serverPeakMb} MB |`,
      );
    }
  }
  return lines.join('\n');
}

/** Growth of peak memory across sizes: MB per 1,000 resources between consecutive sizes. */
export function memoryTable(result: ScalePlanResult): string {
  const lines = ['| N | plugin peak | Δ plugin per 1,000 | terraform peak (keyform) | Δ per 1,000 | terraform peak (floor) | Δ per 1,000 |', '|---:|---:|---:|---:|---:|---:|---:|'];
  let prev: SizeResult | undefined;
  for (const r of result.sizes) {
    const per = (a: number, b: number) => (prev ? `${(((a - b) / (r.n - prev.n)) * 1000).toFixed(1)} MB` : '–');
    const p = r.plan.keyform;
    const pp = prev?.plan.keyform;
    lines.push(
      `| ${r.n} | ${p.pluginPeakMb} MB | ${per(p.pluginPeakMb, pp?.pluginPeakMb ?? 0)} | ${p.terraformPeakMb} MB | ${per(p.terraformPeakMb, pp?.terraformPeakMb ?? 0)} | ${r.plan.floor.terraformPeakMb} MB | ${per(r.plan.floor.terraformPeakMb, prev?.plan.floor.terraformPeakMb ?? 0)} |`,
    );
    prev = r;
  }
  return lines.join('\n');
}

/** CPU split of the keyform plan (last run): Terraform and plugins together, and the plugins alone. */
export function cpuTable(result: ScalePlanResult): string {
  const lines = ['| N | keyform plan wall | CPU (terraform + plugins) | CPU in plugins | floor plan wall | floor CPU |', '|---:|---:|---:|---:|---:|---:|'];
  for (const r of result.sizes) {
    const k = r.plan.keyform;
    const f = r.plan.floor;
    lines.push(`| ${r.n} | ${s2(k.seconds[k.seconds.length - 1])} | ${s2(k.cpuSeconds)} | ${s2(k.pluginCpuSeconds)} | ${s2(f.seconds[f.seconds.length - 1])} | ${s2(f.cpuSeconds)} |`);
  }
  return lines.join('\n');
}

/** Build steps per size: applies, the first plan after an apply, bulk creation and state writing. */
export function buildTable(result: ScalePlanResult): string {
  const lines = ['| N | built by | keyform apply | terraform_data apply | requests (apply) | first plan after apply (requests) | API creates | state files written |', '|---:|---|---:|---:|---:|---:|---:|---:|'];
  for (const r of result.sizes) {
    const a = r.applySeconds;
    const f = r.firstPlanAfterApply;
    const b = r.stateBuild;
    lines.push(
      `| ${r.n} | ${r.build} | ${a ? s2(a.keyform) : '–'} | ${a ? s2(a.floor) : '–'} | ${a ? a.keyformRequests : '–'} | ${f ? `${s2(f.seconds)} (${f.requests})` : '–'} | ${b ? `${s2(b.createSeconds)} (${b.createConcurrency} at once)` : '–'} | ${b ? `${b.writeSeconds.toFixed(2)} s, ${(b.keyformStateBytes / 1048576).toFixed(1)} MB + ${(b.floorStateBytes / 1048576).toFixed(1)} MB` : '–'} |`,
    );
  }
  return lines.join('\n');
}

/** The load table. */
export function loadTable(r: LoadReport, serverPeakMb: number, keysInStore: number): string {
  const f = (x: number) => (Number.isNaN(x) ? '–' : x.toFixed(2));
  const lines = [
    `${r.clients} concurrent clients for ${r.seconds.toFixed(1)} s against a store of ${keysInStore} keys: ${r.requests} requests (${r.throughput.toFixed(0)}/s), ${r.errors} errors, server peak RSS ${serverPeakMb} MB.`,
    '',
    '| operation | n | errors | p50 ms | p95 ms | p99 ms | max ms |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const o of r.ops) lines.push(`| ${o.op} | ${o.n} | ${o.errors} | ${f(o.p50)} | ${f(o.p95)} | ${f(o.p99)} | ${f(o.max)} |`);
  return lines.join('\n');
}
