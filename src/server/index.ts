import { redactSecrets, validate, SeedFile } from '../model';
import { buildApp } from './app';
import { bootstrapAdminClient } from './auth';
import { applySeed, DEFAULT_SEED } from './directory';
import { faultsActive, parseFaultSpec } from './faults';
import { Sealer } from './secrets';
import { loadServerSecret, openStore } from './store';

export { DEFAULT_SEED } from './directory';
export { parseFaultSpec, FAULT_SPEC_HELP } from './faults';

/** Options of the embedded reference server. */
export interface StartServerOptions {
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Port; 0 (the default) picks a free one. */
  port?: number;
  /** Directory of the SQLite store, the server secret and generated admin credentials. */
  dataDir: string;
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
  /** Environment to read KEYFORM_ADMIN_CLIENT_ID/SECRET and KEYFORM_FAULTS from; default process.env. */
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

/** Starts the reference Key Management API over a SQLite store in `opts.dataDir`. */
export async function startServer(opts: StartServerOptions): Promise<RunningServer> {
  const env = opts.env ?? process.env;
  const sink = opts.logSink ?? ((line: string) => process.stderr.write(`${line}\n`));
  // A request path or an error message can carry a pasted secret: every line is redacted.
  const log = (line: Record<string, unknown>) => sink(redactSecrets(JSON.stringify({ time: new Date().toISOString(), ...line })));
  const faultSpec = opts.faults ?? env.KEYFORM_FAULTS ?? '';
  const faults = parseFaultSpec(faultSpec);
  let seed: SeedFile | undefined;
  if (opts.seed !== undefined) {
    const v = validate(SeedFile, opts.seed);
    if (!v.ok) throw new Error(`Invalid seed: ${v.errors.join(' ')}`);
    seed = v.value;
  }
  const { db, fresh } = openStore(opts.dataDir);
  try {
    const sealer = new Sealer(loadServerSecret(opts.dataDir));
    // The default seed only fills a new store, so a restart never undoes changes made through the API.
    if (seed) applySeed(db, seed, Date.now());
    else if (fresh) applySeed(db, DEFAULT_SEED, Date.now());
    const admin = bootstrapAdminClient(db, opts.dataDir, env);
    if (admin.writtenTo) log({ level: 'info', msg: `admin client credentials written to ${admin.writtenTo}` });
    if (faultsActive(faults)) log({ level: 'warn', msg: `FAULT INJECTION IS ON (${faultSpec}): this server fails requests on purpose` });
    const app = buildApp({
      state: { db, sealer, tokenTtlSeconds: opts.tokenTtlSeconds ?? 3600 },
      faults,
      rateLimit: opts.rateLimit ?? 2000,
      log: opts.quiet ? undefined : log,
    });
    const host = opts.host ?? '127.0.0.1';
    await app.listen({ host, port: opts.port ?? 0 });
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
        await app.close();
        db.close();
      },
    };
  } catch (e) {
    db.close();
    throw e;
  }
}
