/**
 * The reference server (`keyform serve`) in its own process, as the benchmarks need it: a separate
 * pid whose memory can be sampled, and a count of the requests it logged (one JSON line per request
 * on stderr), by route. Over a fresh SQLite data directory, or as one of several instances over a
 * shared PostgreSQL database (`KEYFORM_DATABASE_URL`, so the URL stays out of the process list).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEYFORM_BIN, requireBuiltCli } from './paths';

/** Admin OAuth client the benchmark servers are started with (a throwaway local credential). */
export const BENCH_ADMIN = { clientId: 'bench-admin', clientSecret: 'bench-admin-secret-0123456789abcdef' };

/** A running server process. */
export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  readonly dataDir: string;
  /** Requests logged so far. */
  requests(): number;
  /** Requests logged so far, keyed `METHOD route`; with `credentialKind` (e.g. `api_key`), only those it authenticated. */
  requestsByRoute(credentialKind?: string): Record<string, number>;
  /** Waits until no new request line arrived for `quietMs` (log lines trail the responses slightly). */
  settle(quietMs?: number): Promise<void>;
  /** SIGTERM, wait for exit, remove the data directory. */
  stop(): Promise<void>;
  /** SIGKILL (a crash: no shutdown, no flush), wait for exit, remove the data directory. */
  kill(): Promise<void>;
  /** Whether the process is still running. */
  alive(): boolean;
}

/** Options of {@link startServerProcess}. */
export interface ServerProcessOptions {
  /** Requests per second per credential (default: high enough never to limit a benchmark). */
  readonly rateLimit?: number;
  /** A PostgreSQL database shared with other instances, instead of a SQLite data directory of its own. */
  readonly databaseUrl?: string;
}

/**
 * Starts `keyform serve` on a free loopback port, with a high rate limit, over a fresh data directory
 * or, with `databaseUrl`, over that PostgreSQL database.
 */
export async function startServerProcess(opts: ServerProcessOptions = {}): Promise<ServerProcess> {
  requireBuiltCli();
  const dataDir = mkdtempSync(join(tmpdir(), 'keyform-bench-server-'));
  const store = opts.databaseUrl ? [] : ['--data', dataDir];
  const child: ChildProcess = spawn(process.execPath, [KEYFORM_BIN, 'serve', '--port', '0', ...store, '--rate-limit', String(opts.rateLimit ?? 1_000_000)], {
    env: {
      ...process.env,
      KEYFORM_ADMIN_CLIENT_ID: BENCH_ADMIN.clientId,
      KEYFORM_ADMIN_CLIENT_SECRET: BENCH_ADMIN.clientSecret,
      KEYFORM_FAULTS: '',
      KEYFORM_DATABASE_URL: opts.databaseUrl ?? '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let count = 0;
  let lastAt = Date.now();
  const byRoute: Record<string, number> = {};
  const byKind: Record<string, Record<string, number>> = {};
  let pending = '';
  child.stderr!.on('data', (b: Buffer) => {
    pending += b.toString();
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (!line.includes('"msg":"request"')) continue;
      count++;
      lastAt = Date.now();
      try {
        const entry = JSON.parse(line) as { method?: string; route?: string | null; path?: string; credential?: string | null };
        const key = `${entry.method} ${entry.route ?? entry.path}`;
        byRoute[key] = (byRoute[key] ?? 0) + 1;
        const kind = (entry.credential ?? 'none').split(':')[0];
        const of = (byKind[kind] ??= {});
        of[key] = (of[key] ?? 0) + 1;
      } catch {
        // A line that is not JSON still counts as a request; it just has no route.
      }
    }
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    child.once('exit', (c) => reject(new Error(`keyform serve exited ${c} before listening: ${err}`)));
    child.once('error', reject);
  });
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  return {
    url,
    pid: child.pid!,
    dataDir,
    requests: () => count,
    requestsByRoute: (credentialKind?: string) => ({ ...(credentialKind === undefined ? byRoute : (byKind[credentialKind] ?? {})) }),
    async settle(quietMs = 150) {
      // Sleep first: lines still in the pipe (this process may have been busy) are read meanwhile.
      do await new Promise((r) => setTimeout(r, quietMs));
      while (Date.now() - lastAt < quietMs);
    },
    async stop() {
      await end('SIGTERM');
    },
    async kill() {
      await end('SIGKILL');
    },
    alive: () => child.exitCode === null && child.signalCode === null,
  };
}

/** Subtracts two by-route counts (after − before), dropping zeros. */
export function routeDelta(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) if (v - (before[k] ?? 0) > 0) out[k] = v - (before[k] ?? 0);
  return out;
}
