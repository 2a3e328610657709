/** `startServer`: opens the store (SQLite or PostgreSQL), loads the seed, bootstraps the admin client and listens. */
import { mkdirSync } from 'node:fs';
import { redactSecrets, validate, SeedFile } from '../model';
import { buildApp } from './app';
import { bootstrapAdminClient } from './auth';
import { SqliteStore, type Store } from './database';
import { applySeed, DEFAULT_SEED } from './directory';
import { faultsActive, parseFaultSpec } from './faults';
import { startHousekeeping } from './housekeeping';
import { databaseServerSecret, databaseUrlSecrets, describeDatabaseUrl, openPostgresStore } from './postgres-store';
import { Sealer } from './secrets';
import { loadServerSecret, openStore } from './store';

export { DEFAULT_SEED } from './directory';
export { parseFaultSpec, FAULT_SPEC_HELP } from './faults';
export { describeDatabaseUrl } from './postgres-store';

/** Options of the embedded reference server. */
export interface StartServerOptions {
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Port; 0 (the default) picks a free one. */
  port?: number;
  /**
   * Directory of the SQLite store, the server secret and generated admin credentials. With
   * `databaseUrl` it holds only generated admin credentials (optional then).
   */
  dataDir?: string;
  /**
   * `postgres://…` URL of a PostgreSQL database shared by several instances (default
   * KEYFORM_DATABASE_URL); without it the store is SQLite in `dataDir`.
   */
  databaseUrl?: string;
  /** Directory to load idempotently at start; without it the default seed is loaded into a new store. */
  seed?: SeedFile;
  /** Fault-injection spec, e.g. `500=0.2,429=0.1,latency=0-50,drop=0.01,after=0.1`; default KEYFORM_FAULTS. */
  faults?: string;
  /** Lifetime of OAuth access tokens; default 3600 s. */
  tokenTtlSeconds?: number;
  /** Requests per second per credential (token bucket); default 2000. */
  rateLimit?: number;
  /** No request log lines on stderr. */
  quiet?: boolean;
  /** Environment to read KEYFORM_ADMIN_CLIENT_ID/SECRET, KEYFORM_SERVER_SECRET, KEYFORM_DATABASE_URL and KEYFORM_FAULTS from; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Where log lines go; default stderr. */
  logSink?: (line: string) => void;
}

/** A running reference server. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:53211`. */
  url: string;
  /** Client id of the platform admin OAuth client. */
  adminClientId: string;
  /** Stops accepting requests, finishes in-flight ones and closes the store. */
  close(): Promise<void>;
}

/** Opens the store the options name: PostgreSQL for a database URL, else SQLite in the data directory. */
async function openConfiguredStore(opts: StartServerOptions, databaseUrl: string | undefined, log: (line: Record<string, unknown>) => void): Promise<Store> {
  if (databaseUrl) {
    // With PostgreSQL the directory only receives generated admin credentials.
    if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
    return openPostgresStore(databaseUrl, { log });
  }
  if (!opts.dataDir) throw new Error('Give a data directory (--data <dir>) for the SQLite store, or a PostgreSQL database URL (--database-url, KEYFORM_DATABASE_URL).');
  const { db, fresh } = openStore(opts.dataDir);
  return new SqliteStore(db, fresh);
}

/**
 * Starts the reference Key Management API over a SQLite store in `opts.dataDir`, or over the
 * PostgreSQL database of `opts.databaseUrl` (several instances may share it).
 */
export async function startServer(opts: StartServerOptions): Promise<RunningServer> {
  const env = opts.env ?? process.env;
  const databaseUrl = opts.databaseUrl ?? (env.KEYFORM_DATABASE_URL || undefined);
  // The database URL's password is redacted from every line, even where a driver might echo the URL.
  const known = databaseUrl ? databaseUrlSecrets(databaseUrl) : [];
  const sink = opts.logSink ?? ((line: string) => process.stderr.write(`${line}\n`));
  // A request path or an error message can carry a pasted secret: every line is redacted.
  const log = (line: Record<string, unknown>) => sink(redactSecrets(JSON.stringify({ time: new Date().toISOString(), ...line }), known));
  const faultSpec = opts.faults ?? env.KEYFORM_FAULTS ?? '';
  const faults = parseFaultSpec(faultSpec);
  let seed: SeedFile | undefined;
  if (opts.seed !== undefined) {
    const v = validate(SeedFile, opts.seed);
    if (!v.ok) throw new Error(`Invalid seed: ${v.errors.join(' ')}`);
    seed = v.value;
  }
  let store: Store;
  try {
    store = await openConfiguredStore(opts, databaseUrl, log);
  } catch (e) {
    throw new Error(redactSecrets((e as Error).message, known));
  }
  try {
    const shared = store.dialect === 'postgres';
    // One exclusive transaction: several instances starting together on a new database migrate,
    // seed and create the admin client once, one after the other; none serves a half-made store.
    const boot = await store.exclusive(async (tx) => {
      const { fresh } = await store.migrate(tx);
      const serverSecret = shared ? await databaseServerSecret(tx, env) : loadServerSecret(opts.dataDir!);
      // The default seed only fills a new store, so a restart never undoes changes made through the API.
      if (seed) await applySeed(tx, seed, Date.now());
      else if (fresh) await applySeed(tx, DEFAULT_SEED, Date.now());
      const admin = await bootstrapAdminClient(tx, opts.dataDir, env, shared);
      return { serverSecret, admin, fresh };
    });
    const admin = boot.admin;
    if (databaseUrl) log({ level: 'info', msg: 'store', store: describeDatabaseUrl(databaseUrl), schema: boot.fresh ? 'created' : 'existing' });
    if (admin.writtenTo) log({ level: 'info', msg: `admin client credentials written to ${admin.writtenTo}` });
    if (faultsActive(faults)) log({ level: 'warn', msg: `FAULT INJECTION IS ON (${faultSpec}): this server fails requests on purpose` });
    const sealer = new Sealer(boot.serverSecret);
    const app = buildApp({
      state: { store, sealer, tokenTtlSeconds: opts.tokenTtlSeconds ?? 3600 },
      faults,
      rateLimit: opts.rateLimit ?? 2000,
      log: opts.quiet ? undefined : log,
    });
    const stopHousekeeping = startHousekeeping(store, (e) => log({ level: 'warn', msg: 'housekeeping failed', error: e.message }));
    const host = opts.host ?? '127.0.0.1';
    try {
      await app.listen({ host, port: opts.port ?? 0 });
    } catch (e) {
      stopHousekeeping();
      throw e;
    }
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : opts.port;
    const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
    let closed = false;
    return {
      url: `http://${urlHost}:${port}`,
      adminClientId: admin.clientId,
      async close() {
        if (closed) return;
        closed = true;
        stopHousekeeping();
        await app.close();
        await store.close();
      },
    };
  } catch (e) {
    await store.close().catch(() => undefined);
    throw new Error(redactSecrets((e as Error).message, known));
  }
}
