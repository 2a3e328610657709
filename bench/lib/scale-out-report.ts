/** Markdown tables of the scale-out benchmark: each target against the SQLite instance of the same run. */
import type { FaultResult, ScaleOutResult } from './scale-out';

const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const label = (r: ScaleOutResult) => `${r.target.store === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${r.target.instances} instance${r.target.instances === 1 ? '' : 's'}`;

/** Throughput and latency per target; ratios against the first SQLite row (the default store). */
export function scaleOutTable(results: readonly ScaleOutResult[]): string {
  const base = results.find((r) => r.target.store === 'sqlite') ?? results[0];
  const lines = [
    '| service | applies: wall (keys/s) | vs SQLite | apply p50 / max per stack | load req/s | vs SQLite | load p50 / p99 ms (get, list, create) | load errors | keys counted: once / lost / duplicated / state ≠ server |',
    '|---|---:|---:|---:|---:|---:|---|---:|---|',
  ];
  for (const r of results) {
    const op = (name: string) => r.load.ops.find((o) => o.op === name);
    const lat = ['get', 'list', 'create'].map((n) => `${ms(op(n)?.p50 ?? NaN)} / ${ms(op(n)?.p99 ?? NaN)}`).join(', ');
    lines.push(
      `| ${label(r)} | ${r.stacks ? `${r.applySeconds.toFixed(1)} s (${r.applyKeysPerSecond.toFixed(1)})` : 'no applies'} | ${r.stacks ? (r.applyKeysPerSecond / base.applyKeysPerSecond).toFixed(2) : '–'} | ${r.stacks ? `${r.applyP50.toFixed(1)} / ${r.applyMax.toFixed(1)} s` : '–'} | ${r.load.throughput.toFixed(0)} | ${(r.load.throughput / base.load.throughput).toFixed(2)} | ${lat} | ${r.load.errors} | ${r.count.declaredOnce} / ${r.count.lost} / ${r.count.duplicates} / ${r.count.stateMismatches} |`,
    );
  }
  return lines.join('\n');
}

/** The fault run as one table row. */
export function faultTable(f: FaultResult): string {
  return [
    '| instances | stacks × keys | creates on the killed instance before SIGKILL | applies failed | retried OK through a survivor | non-empty plans after | load requests (errors) | keys counted: once / lost / duplicated / state ≠ server |',
    '|---:|---:|---:|---:|---:|---:|---:|---|',
    `| ${f.instances} | ${f.stacks} × ${f.keysPerStack} | ${f.createsBeforeKill} | ${f.failedApplies} | ${f.retriedOk} | ${f.nonEmptyPlans} | ${f.load.requests} (${f.load.errors}) | ${f.count.declaredOnce} / ${f.count.lost} / ${f.count.duplicates} / ${f.count.stateMismatches} |`,
  ].join('\n');
}
