/** `keyform serve`: the reference Key Management API on SQLite (`--data`, the default) or PostgreSQL (`--database-url`). */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { FAULT_SPEC_HELP, startServer } from '../server';

function positiveInt(name: string, min: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}, got "${v}".`);
    return n;
  };
}

/**
 * Registers `keyform serve`: the reference Key Management API over a SQLite file (`--data`, the
 * default) or over a PostgreSQL database shared by several instances (`--database-url`, env
 * KEYFORM_DATABASE_URL).
 */
export function register(program: Command): void {
  program
    .command('serve')
    .description('run the reference Key Management API on a loopback port over a SQLite store, or over PostgreSQL for several instances')
    .option('--data <dir>', 'data directory (SQLite store, server secret, generated admin credentials); with --database-url only generated admin credentials')
    .option('--database-url <url>', 'postgres://user:password@host:5432/db shared by several instances (also KEYFORM_DATABASE_URL, which keeps the password out of the process list)')
    .option('--port <n>', 'port to listen on (0 picks a free one)', positiveInt('port', 0), 0)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--seed <file>', 'JSON seed file (merchants, projects, mcp_servers, users) loaded idempotently at start')
    .option('--faults <spec>', `fault injection (also KEYFORM_FAULTS): ${FAULT_SPEC_HELP}`)
    .option('--token-ttl <seconds>', 'lifetime of OAuth access tokens', positiveInt('token-ttl', 1))
    .option('--rate-limit <n>', 'requests per second per credential', positiveInt('rate-limit', 1))
    .option('--quiet', 'no request log lines on stderr')
    .action(async (o: { data?: string; databaseUrl?: string; port: number; host: string; seed?: string; faults?: string; tokenTtl?: number; rateLimit?: number; quiet?: boolean }) => {
      const databaseUrl = o.databaseUrl ?? (process.env.KEYFORM_DATABASE_URL || undefined);
      if (!o.data && !databaseUrl) throw new Error('give --data <dir> (SQLite) or --database-url postgres://… (PostgreSQL; or set KEYFORM_DATABASE_URL).');
      let seed: unknown;
      if (o.seed) {
        try {
          seed = JSON.parse(readFileSync(o.seed, 'utf8'));
        } catch (e) {
          throw new Error(`cannot read seed file ${o.seed}: ${(e as Error).message}`);
        }
      }
      const server = await startServer({
        dataDir: o.data,
        databaseUrl,
        port: o.port,
        host: o.host,
        seed: seed as never,
        faults: o.faults,
        tokenTtlSeconds: o.tokenTtl,
        rateLimit: o.rateLimit,
        quiet: o.quiet,
      });
      process.stdout.write(`keyform: listening on ${server.url}\n`);
      const stop = () => {
        server.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
}
