/**
 * Benchmark (not a test): the reference Key Management API scaled out. For each target — one
 * instance over SQLite (the default store), then 1, 2 and 4 instances over one PostgreSQL database
 * — `--stacks` Terraform stacks of `--keys` keys each are applied at once (stack j through instance
 * j mod n) while a second process runs a request load of `--clients` clients spread over the
 * instances; then every key is counted by name on the server. With `--fault`, a last run kills one of
 * 2 instances with SIGKILL mid-apply, retries the failed applies through the survivor and counts
 * again. Needs PostgreSQL's server binaries (Debian's `postgresql`); runs as root through `runuser`.
 *
 *   npm run build && npx tsx bench/scale-out.ts [--instances 1,2,4] [--stacks 4] [--keys 50] [--clients 8] [--fault] [--json <file>]
 *   npx tsx bench/scale-out.ts --stacks 0 --load-seconds 10 --clients 8    # the load alone, no Terraform beside it
 */
import { writeFileSync } from 'node:fs';
import { faultTable, scaleOutTable } from './lib/scale-out-report';
import { runFault, runScaleOut, startPostgres, type FaultResult, type ScaleOutResult } from './lib/scale-out';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const opts = { stacks: Number(arg('stacks', '4')), keys: Number(arg('keys', '50')), clients: Number(arg('clients', '8')), loadSeconds: Number(arg('load-seconds', '10')) };
  const counts = arg('instances', '1,2,4').split(',').map(Number);
  const pg = await startPostgres();
  const results: ScaleOutResult[] = [];
  let fault: FaultResult | undefined;
  try {
    for (const target of [{ store: 'sqlite' as const, instances: 1 }, ...counts.map((n) => ({ store: 'postgres' as const, instances: n }))]) {
      process.stderr.write(`scale-out: ${target.store} × ${target.instances}…\n`);
      results.push(await runScaleOut(target, opts, pg));
    }
    if (process.argv.includes('--fault')) {
      process.stderr.write('scale-out: fault run (SIGKILL of one of 2 instances mid-apply)…\n');
      fault = await runFault({ ...opts, instances: 2 }, pg);
    }
  } finally {
    await pg.stop();
  }
  const json = arg('json', '');
  if (json) writeFileSync(json, JSON.stringify({ opts, results, fault }, null, 2));
  process.stdout.write(
    `${opts.stacks ? `${opts.stacks} stacks × ${opts.keys} keys applied at once; ` : `no applies, ${opts.loadSeconds} s of load alone; `}request load of ${opts.clients} clients (get:list:create 6:3:1) from a second process\n\n`,
  );
  process.stdout.write(`${scaleOutTable(results)}\n`);
  if (fault) process.stdout.write(`\n${faultTable(fault)}\n`);
  const bad = [...results.map((r) => r.count), ...(fault ? [fault.count] : [])].some((c) => c.lost || c.duplicates || c.stateMismatches) || (fault && fault.nonEmptyPlans > 0);
  if (bad) {
    process.stderr.write('scale-out: a key was lost or duplicated, or a plan was not empty (see the tables)\n');
    process.exitCode = 1;
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
