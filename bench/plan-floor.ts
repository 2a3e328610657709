/**
 * Benchmark (not a test): decomposes keyform's plan time against Terraform's floor. See
 * bench/lib/plan-floor.ts for the four workspaces.
 *
 *   npm run build && npx tsx bench/plan-floor.ts [--n 1000] [--runs 3] [--json <file>]
 *
 * Needs terraform and GNU time (/usr/bin/time) on PATH, and Linux (/proc) for the plugin CPU.
 */
import { writeFileSync } from 'node:fs';
import { planFloorTable, runPlanFloor } from './lib/plan-floor';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const result = await runPlanFloor({
    n: Number(arg('n', '1000')),
    runs: Number(arg('runs', '3')),
    log: (l) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${l}\n`),
  });
  const json = arg('json', '');
  if (json) writeFileSync(json, JSON.stringify(result, null, 2));
  process.stdout.write(`${planFloorTable(result)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
