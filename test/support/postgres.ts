/**
 * Starts a real PostgreSQL server for a test: `initdb` into a temporary directory and `postgres` on a
 * free loopback port, run as the `postgres` user when the test runs as root (PostgreSQL refuses to run
 * as root), stopped and removed after. No mocked database: the reference server's PostgreSQL store is
 * tested against this.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/** A running PostgreSQL cluster of a test. */
export interface TestPostgres {
  /** Connection URL of the cluster's `postgres` database (superuser `postgres`, no password, loopback). */
  readonly adminUrl: string;
  /** Creates a new, empty database and returns its connection URL. */
  createDatabase(name?: string): Promise<string>;
  /** Stops the cluster (fast shutdown) and removes its directory. */
  stop(): Promise<void>;
}

/** Directory of the PostgreSQL server binaries (`initdb`, `postgres`), newest major first; undefined when none. */
export function findPostgresBin(): string | undefined {
  if (process.env.KEYFORM_PG_BIN && existsSync(join(process.env.KEYFORM_PG_BIN, 'initdb'))) return process.env.KEYFORM_PG_BIN;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root)
    .filter((d) => existsSync(join(root, d, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return majors.length ? join(root, majors[0], 'bin') : undefined;
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a PostgreSQL binary, as the `postgres` user when this process is root. */
function command(bin: string, args: string[]): { file: string; args: string[] } {
  return asRoot ? { file: 'runuser', args: ['-u', 'postgres', '--', bin, ...args] } : { file: bin, args };
}

let counter = 0;

/** Initializes and starts a PostgreSQL cluster; resolves once it accepts connections. */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('PostgreSQL server binaries not found (install the Debian package `postgresql`; .ci/run does).');
  const dir = mkdtempSync(join(tmpdir(), 'keyform-pg-'));
  const data = join(dir, 'data');
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const init = command(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--locale=C']);
  execFileSync(init.file, init.args, { stdio: 'pipe' });
  const port = await freePort();
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    // A throw-away test cluster: durability across power loss buys nothing here.
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=200',
  ].join(' ');
  const logFile = join(dir, 'postgres.log');
  // pg_ctl starts postgres detached and waits until it accepts connections; stop() signals it by its pid
  // file, so no process handle or pipe of this process outlives the cluster.
  const start = command(join(bin, 'pg_ctl'), ['start', '-w', '-t', '60', '-D', data, '-l', logFile, '-o', options]);
  try {
    execFileSync(start.file, start.args, { stdio: 'pipe' });
  } catch (e) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`postgres did not start: ${String(e)}\n${log}`);
  }
  const halt = () => {
    const stop = command(join(bin, 'pg_ctl'), ['stop', '-w', '-t', '60', '-m', 'fast', '-D', data]);
    try {
      execFileSync(stop.file, stop.args, { stdio: 'ignore' });
    } catch {
      // Already stopped.
    }
  };
  // A test process that dies without stop() must not leave a cluster behind.
  process.once('exit', halt);
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let stopped = false;
  return {
    adminUrl,
    async createDatabase(name?: string) {
      const db = name ?? `keyform_${process.pid}_${++counter}_${Date.now().toString(36)}`;
      if (!/^[a-z_][a-z0-9_]*$/.test(db)) throw new Error(`database name ${JSON.stringify(db)}: use lower-case letters, digits and _`);
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${db}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${db}`;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', halt);
      halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
