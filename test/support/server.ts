/**
 * Starts the real reference server (`node bin/keyform serve`) on a loopback port over a temporary data
 * directory, for tests of every layer. Requires `npm run build` first.
 *
 * The store: SQLite in the data directory, or PostgreSQL when a test gives `databaseUrl`, or when the
 * jest project sets the global `KEYFORM_TEST_STORE` to `postgres` (the `postgres` project of
 * jest.config.js): then every server of a test file gets a fresh database of one PostgreSQL cluster,
 * started on first use and stopped after the file; a server started again on the same data directory
 * gets the same database (a restart keeps its store, as with SQLite).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { SeedFile } from '../../src/model';
import { startPostgres, type TestPostgres } from './postgres';

/** The store the project runs servers on: `sqlite` (default) or `postgres`. */
export const TEST_STORE: 'sqlite' | 'postgres' = (globalThis as { KEYFORM_TEST_STORE?: string }).KEYFORM_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

let cluster: Promise<TestPostgres> | undefined;
/** Database URL of each data directory's server, so a server started again finds its store. */
const databases = new Map<string, string>();

/** The PostgreSQL cluster of this test file (started on first use, stopped after the file). */
export function testPostgres(): Promise<TestPostgres> {
  cluster ??= startPostgres();
  return cluster;
}

// Whichever project: a file that started a cluster (its own PostgreSQL tests included) stops it after.
if (typeof afterAll === 'function') {
  afterAll(async () => {
    if (cluster) await (await cluster).stop();
    cluster = undefined;
  });
}

/** Options of `startTestServer`. */
export interface TestServerOptions {
  /** Seed file contents; without it the server loads the default seed. */
  seed?: SeedFile;
  /** Fault-injection spec, e.g. `500=0.2,429=0.1`. */
  faults?: string;
  /** Extra environment of the server process (e.g. KEYFORM_ADMIN_CLIENT_ID/SECRET). */
  env?: Record<string, string>;
  /** Data directory to use (kept on stop); default a fresh temporary one (removed on stop). */
  dataDir?: string;
  /** Extra `keyform serve` arguments, e.g. `['--rate-limit', '5']`. */
  args?: string[];
  /** A PostgreSQL database to serve from (passed as KEYFORM_DATABASE_URL); see the file comment for the default. */
  databaseUrl?: string;
}

/** A running test server. */
export interface TestServer {
  /** Base URL, e.g. `http://127.0.0.1:41234` (the same across restarts). */
  readonly url: string;
  readonly dataDir: string;
  /** The PostgreSQL database served from; undefined on SQLite. */
  readonly databaseUrl: string | undefined;
  readonly adminClientId: string;
  readonly adminClientSecret: string;
  /** A bearer token of the admin client (cached; tokens survive restarts). */
  adminToken(): Promise<string>;
  /** Stops the server (SIGTERM) and removes a temporary data directory. */
  stop(): Promise<void>;
  /** Stops and starts the server on the same data directory and port. */
  restart(): Promise<void>;
  /** Sends a signal (default SIGKILL) to the server process, e.g. to simulate a crash. */
  kill(signal?: NodeJS.Signals): void;
  /** Everything the server wrote to stderr so far (its JSON log lines). */
  stderr(): string;
}

const BIN = resolve(__dirname, '../../bin/keyform');

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((res) => child.once('exit', () => res()));
}

/** Starts `keyform serve --port <port> --data <dir>` and resolves once it prints its listening line. */
function spawnServer(
  dataDir: string,
  port: number,
  extra: string[],
  env: Record<string, string>,
  stderr: { text: string },
): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--data', dataDir, ...extra], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // A test process that dies without stop() must not leave servers behind.
    const reap = () => child.kill('SIGKILL');
    process.once('exit', reap);
    child.once('exit', () => process.removeListener('exit', reap));
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rej(new Error(`keyform serve did not start within 20 s. stderr:\n${stderr.text}`));
    }, 20_000);
    child.stderr!.on('data', (d: Buffer) => {
      stderr.text += d.toString();
      // Keep memory bounded in long suites.
      if (stderr.text.length > 2_000_000) stderr.text = stderr.text.slice(-1_000_000);
    });
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /keyform: listening on (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        res({ child, url: m[1] });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      rej(new Error(`keyform serve exited (${code ?? signal}) before listening. stderr:\n${stderr.text}`));
    });
  });
}

/** Starts a reference server for a test. */
export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const ownDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'keyform-test-'));
  const extra: string[] = [...(opts.args ?? [])];
  if (opts.seed) {
    const seedFile = `${dataDir}.seed.json`;
    writeFileSync(seedFile, JSON.stringify(opts.seed));
    extra.push('--seed', seedFile);
  }
  if (opts.faults) extra.push('--faults', opts.faults);
  let databaseUrl = opts.databaseUrl;
  if (databaseUrl === undefined && TEST_STORE === 'postgres') {
    databaseUrl = databases.get(dataDir) ?? (await (await testPostgres()).createDatabase());
    databases.set(dataDir, databaseUrl);
  }
  const env: Record<string, string> = { ...(opts.env ?? {}), ...(databaseUrl ? { KEYFORM_DATABASE_URL: databaseUrl } : {}) };
  const stderr = { text: '' };
  let started: { child: ChildProcess; url: string };
  try {
    started = await spawnServer(dataDir, 0, extra, env, stderr);
  } catch (e) {
    if (ownDir) {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(`${dataDir}.seed.json`, { force: true });
    }
    throw e;
  }
  let { child, url } = started;
  const port = Number(new URL(url).port);
  let adminClientId = env.KEYFORM_ADMIN_CLIENT_ID;
  let adminClientSecret = env.KEYFORM_ADMIN_CLIENT_SECRET;
  if (!adminClientId || !adminClientSecret) {
    const creds = JSON.parse(readFileSync(join(dataDir, 'admin-credentials.json'), 'utf8')) as { client_id: string; client_secret: string };
    adminClientId = creds.client_id;
    adminClientSecret = creds.client_secret;
  }
  let token: string | undefined;
  const halt = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await waitForExit(child);
  };
  const server: TestServer = {
    get url() {
      return url;
    },
    dataDir,
    databaseUrl,
    adminClientId,
    adminClientSecret,
    async adminToken() {
      if (token) return token;
      const res = await fetch(`${url}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'client_credentials', client_id: adminClientId, client_secret: adminClientSecret }),
      });
      if (res.status !== 200) throw new Error(`admin token request failed: ${res.status} ${await res.text()}`);
      token = ((await res.json()) as { access_token: string }).access_token;
      return token;
    },
    async stop() {
      child.removeAllListeners('exit');
      await halt();
      if (ownDir) {
        rmSync(dataDir, { recursive: true, force: true });
        rmSync(`${dataDir}.seed.json`, { force: true });
      }
    },
    async restart() {
      child.removeAllListeners('exit');
      await halt();
      // The old socket may linger for a moment; retry the same port so the URL stays valid.
      for (let attempt = 0; ; attempt++) {
        try {
          ({ child, url } = await spawnServer(dataDir, port, extra, env, stderr));
          return;
        } catch (e) {
          if (attempt >= 20 || !/EADDRINUSE/.test(String(e))) throw e;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    },
    kill(signal: NodeJS.Signals = 'SIGKILL') {
      child.kill(signal);
    },
    stderr() {
      return stderr.text;
    },
  };
  return server;
}
