/**
 * Benchmark (not a test): reference server latency under concurrent load. Starts `keyform serve` in
 * its own process with `--keys` keys, then `--clients` concurrent clients (one connection each) in
 * this process run a mix of get-by-id, list (100 per page) and create for `--seconds`.
 *
 *   npm run build && npx tsx bench/scale-load.ts [--keys 1000] [--clients 16] [--seconds 10] [--json <file>]
 */
import { writeFileSync } from 'node:fs';
import { DEFAULT_MIX } from './lib/load';
import { loadTable } from './lib/report';
import { runScaleLoad } from './lib/scale-load';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const result = await runScaleLoad({ keys: Number(arg('keys', '1000')), clients: Number(arg('clients', '16')), seconds: Number(arg('seconds', '10')) });
  const json = arg('json', '');
  if (json) writeFileSync(json, JSON.stringify(result, null, 2));
  process.stdout.write(`mix get:list:create = ${DEFAULT_MIX.get}:${DEFAULT_MIX.list}:${DEFAULT_MIX.create}; server RSS before the load ${result.serverRssBeforeMb} MB; server logged ${result.serverLoggedRequests} requests\n\n`);
  process.stdout.write(`${loadTable(result.report, result.serverPeakMb, result.keys)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
