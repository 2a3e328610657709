/**
 * Benchmark (not a test): `terraform plan` and `terraform plan -refresh-only` over N keyform keys
 * against N builtin `terraform_data` in the same run, with requests per plan, plugin start, peak
 * memory of plugin, Terraform and server, and CPU split. Sizes in `--write-state` are built by
 * creating the keys through the API and writing the state file directly instead of applying.
 *
 *   npm run build && npx tsx bench/scale-plan.ts [--sizes 100,1000,10000] [--write-state 10000]
 *       [--runs 3] [--large-runs 1] [--cpu-prof <dir>] [--count-rpcs-up-to 1000] [--json <file>]
 *
 * Needs terraform and GNU time (/usr/bin/time) on PATH, and Linux (/proc) for the memory figures.
 */
import { writeFileSync } from 'node:fs';
import { buildTable, cpuTable, memoryTable, planTable } from './lib/report';
import { runScalePlan } from './lib/scale-plan';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const list = (s: string) => (s ? s.split(',').map(Number) : []);

async function main(): Promise<void> {
  const sizes = list(arg('sizes', '100,1000,10000'));
  const runs = Number(arg('runs', '3'));
  const largeRuns = Number(arg('large-runs', '1'));
  const cpuProf = arg('cpu-prof', '');
  const json = arg('json', '');
  const result = await runScalePlan({
    sizes,
    writeStateSizes: list(arg('write-state', '10000')),
    runs,
    runsFor: (n) => (n >= 5000 ? largeRuns : runs),
    cpuProfileDir: cpuProf || undefined,
    countRpcsUpTo: Number(arg('count-rpcs-up-to', '1000')),
    log: (l) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${l}\n`),
  });
  if (json) writeFileSync(json, JSON.stringify(result, null, 2));
  const out = process.stdout;
  out.write(`terraform ${result.terraformVersion}, node ${result.node}, ${result.nproc} CPUs, ${result.memTotalMb} MB; plugin start (spawn to handshake line, median of 5): ${result.pluginStartMs} ms (bare Node printing the same line: ${result.nodeStartMs} ms)\n\n`);
  out.write(`${planTable(result)}\n\n${memoryTable(result)}\n\n${cpuTable(result)}\n\n${buildTable(result)}\n`);
  for (const r of result.sizes) {
    out.write(`\nN=${r.n}: plan requests by route ${JSON.stringify(r.plan.routes)}; refresh-only ${JSON.stringify(r.refreshOnly.routes)}; load average ${r.loadAverage.before.toFixed(1)} → ${r.loadAverage.after.toFixed(1)}\n`);
    if (r.rpcsPerPlan) out.write(`N=${r.n}: plugin gRPC calls in one plan ${JSON.stringify(r.rpcsPerPlan)}\n`);
    if (r.firstPlanAfterApply) out.write(`N=${r.n}: first plan after apply: ${JSON.stringify(r.firstPlanAfterApply.routes)}\n`);
    if (r.cpuProfile) {
      out.write(`N=${r.n}: plugin CPU profile (${r.cpuProfile.files} processes, ${r.cpuProfile.sampledSeconds} s sampled), top self time:\n`);
      for (const t of r.cpuProfile.top) out.write(`  ${t.selfSeconds.toFixed(3)} s  ${t.share}%  ${t.name}\n`);
    }
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
