/**
 * The reference server (`keyform serve`) in its own process, as the benchmarks need it: a separate
 * pid whose memory can be sampled, and a count of the requests it logged (one JSON line per request
 * on stderr), by route.
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
  /** Requests logged so far, keyed `METHOD route`. */
  requestsByRoute(): Record<string, number>;
  /** Waits until no new request line arrived for `quietMs` (log lines trail the responses slightly). */
  settle(quietMs?: number): Promise<void>;
  /** SIGTERM, wait for exit, remove the data directory. */
  stop(): Promise<void>;
}

/** Starts `keyform serve` on a free loopback port over a fresh data directory, with a high rate limit. */
export async function startServerProcess(opts: { rateLimit?: number } = {}): Promise<ServerProcess> {
  requireBuiltCli();
  const dataDir = mkdtempSync(join(tmpdir(), 'keyform-bench-server-'));
  const child: ChildProcess = spawn(process.execPath, [KEYFORM_BIN, 'serve', '--port', '0', '--data', dataDir, '--rate-limit', String(opts.rateLimit ?? 1_000_000)], {
    env: { ...process.env, KEYFORM_ADMIN_CLIENT_ID: BENCH_ADMIN.clientId, KEYFORM_ADMIN_CLIENT_SECRET: BENCH_ADMIN.clientSecret, KEYFORM_FAULTS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let count = 0;
  let lastAt = Date.now();
  const byRoute: Record<string, number> = {};
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
        const entry = JSON.parse(line) as { method?: string; route?: string | null; path?: string };
        const key = `${entry.method} ${entry.route ?? entry.path}`;
        byRoute[key] = (byRoute[key] ?? 0) + 1;
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
    child.once('exit', (c) => reject(new Error(`keyform serve exited ${c} before listening`)));
    child.once('error', reject);
  });
  return {
    url,
    pid: child.pid!,
    dataDir,
    requests: () => count,
    requestsByRoute: () => ({ ...byRoute }),
    async settle(quietMs = 150) {
      // Sleep first: lines still in the pipe (this process may have been busy) are read meanwhile.
      do await new Promise((r) => setTimeout(r, quietMs));
      while (Date.now() - lastAt < quietMs);
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Subtracts two by-route counts (after − before), dropping zeros. */
export function routeDelta(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) if (v - (before[k] ?? 0) > 0) out[k] = v - (before[k] ?? 0);
  return out;
}
