/**
 * The PostgreSQL store: several server instances over one database behave as one service. Everything
 * that must be shared lives in the database (tokens, revocations, rotation graces, idempotent replays,
 * audit and per-key logs, usage, the idempotency lookup secret); nothing of it only in one process.
 *
 * Transactions: a request's transaction runs SERIALIZABLE, so it sees and leaves the database as if
 * requests ran one at a time (an If-Match check and its change, a merge patch's read and write, an
 * idempotent replay lookup and its insert). When PostgreSQL reports a serialization failure (40001) or
 * a deadlock (40P01) the whole transaction runs again, a bounded number of times. Writers of one object
 * (and of one Idempotency-Key) first take a session advisory lock on its name, before the snapshot is
 * taken, so they queue instead of failing and retrying. Reads run REPEATABLE READ READ ONLY: one
 * consistent snapshot that never fails to serialize.
 *
 * Migrations run in a transaction holding a transaction-level advisory lock, so instances starting
 * together on a new database migrate once, one after the other.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Pool, types, type PoolClient } from 'pg';
import { REDACTED } from '../model';
import type { Sql, SqlParams, Store, TransactionOptions } from './database';

/** Numbered PostgreSQL schema migrations, numbered like SQLite's (store.ts): a future change takes the same number on both. */
export const POSTGRES_MIGRATIONS: readonly { readonly version: number; readonly name: string; readonly sql: string }[] = [
  {
    version: 6,
    // No PostgreSQL database existed before SQLite migration 6: the first schema is that state, plus
    // the idempotency lookup secret that SQLite keeps in a file of its data directory.
    name: 'schema of SQLite migrations 1-6, server secrets',
    sql: `
      CREATE TABLE merchants (
        seq BIGSERIAL PRIMARY KEY,
        mid TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE projects (
        seq BIGSERIAL PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE mcp_servers (
        seq BIGSERIAL PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        project_id TEXT NOT NULL REFERENCES projects(id),
        name TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE users (
        seq BIGSERIAL PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        capabilities TEXT NOT NULL,
        created_at TEXT NOT NULL,
        mid TEXT REFERENCES merchants(mid),
        deleted_at TEXT
      );
      CREATE INDEX users_mid ON users(mid);
      -- rowid: insertion order, under the name of SQLite's implicit row id, so one ORDER BY serves both.
      CREATE TABLE user_roles (
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        project_id TEXT NOT NULL REFERENCES projects(id),
        role TEXT NOT NULL,
        rowid BIGSERIAL NOT NULL,
        PRIMARY KEY (user_id, project_id)
      );
      CREATE TABLE oauth_clients (
        client_id TEXT PRIMARY KEY,
        secret_hash TEXT NOT NULL,
        prefix TEXT NOT NULL,
        last4 TEXT NOT NULL,
        is_admin INTEGER NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE access_tokens (
        token_hash TEXT PRIMARY KEY,
        client_id TEXT NOT NULL REFERENCES oauth_clients(client_id) ON DELETE CASCADE,
        expires_at_ms BIGINT NOT NULL
      );
      CREATE INDEX access_tokens_expires ON access_tokens(expires_at_ms);
      CREATE TABLE api_keys (
        seq BIGSERIAL PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        mid TEXT NOT NULL REFERENCES merchants(mid),
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        mode TEXT NOT NULL,
        scopes TEXT NOT NULL,
        description TEXT,
        expires_at TEXT,
        expires_at_ms BIGINT,
        metadata TEXT NOT NULL,
        prefix TEXT NOT NULL,
        last4 TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        value_hash TEXT NOT NULL UNIQUE,
        previous_hash TEXT,
        previous_expires_at TEXT,
        previous_expires_at_ms BIGINT,
        version INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        rotated_at TEXT,
        revoked_at TEXT,
        last_used_at TEXT,
        created_by_type TEXT,
        created_by_id TEXT
      );
      CREATE INDEX api_keys_mid ON api_keys(mid, seq);
      CREATE INDEX api_keys_previous_hash ON api_keys(previous_hash);
      CREATE INDEX api_keys_created_by ON api_keys(created_by_id);
      CREATE TABLE api_key_previous_secrets (
        key_id TEXT NOT NULL REFERENCES api_keys(id),
        replaced_version INTEGER NOT NULL,
        value_hash TEXT NOT NULL UNIQUE,
        expires_at TEXT NOT NULL,
        expires_at_ms BIGINT NOT NULL,
        PRIMARY KEY (key_id, replaced_version)
      );
      CREATE TABLE authorizations (
        seq BIGSERIAL PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        owner_id TEXT NOT NULL REFERENCES users(id),
        capabilities TEXT NOT NULL,
        client_id TEXT UNIQUE,
        secret_hash TEXT NOT NULL UNIQUE,
        prefix TEXT NOT NULL,
        last4 TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT,
        mode TEXT NOT NULL DEFAULT 'test'
      );
      CREATE INDEX authorizations_owner ON authorizations(owner_id);
      CREATE TABLE authorization_projects (
        authorization_id TEXT NOT NULL REFERENCES authorizations(id) ON DELETE CASCADE,
        project_id TEXT NOT NULL REFERENCES projects(id),
        role TEXT NOT NULL,
        seq INTEGER NOT NULL,
        origin TEXT,
        PRIMARY KEY (authorization_id, project_id)
      );
      CREATE TABLE authorization_mcp_servers (
        authorization_id TEXT NOT NULL REFERENCES authorizations(id) ON DELETE CASCADE,
        mcp_server_id TEXT NOT NULL REFERENCES mcp_servers(id),
        seq INTEGER NOT NULL,
        origin TEXT,
        PRIMARY KEY (authorization_id, mcp_server_id)
      );
      CREATE TABLE authorization_tokens (
        token_hash TEXT PRIMARY KEY,
        authorization_id TEXT NOT NULL REFERENCES authorizations(id) ON DELETE CASCADE,
        issued_at_ms BIGINT NOT NULL,
        expires_at_ms BIGINT NOT NULL
      );
      CREATE INDEX authorization_tokens_authorization ON authorization_tokens(authorization_id);
      CREATE INDEX authorization_tokens_expires ON authorization_tokens(expires_at_ms);
      CREATE TABLE request_logs (
        seq BIGSERIAL PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        key_id TEXT NOT NULL REFERENCES api_keys(id),
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        status INTEGER NOT NULL,
        error TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX request_logs_key ON request_logs(key_id, seq);
      CREATE TABLE audit_log (
        seq BIGSERIAL PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        action TEXT NOT NULL,
        actor_type TEXT NOT NULL,
        actor_id TEXT NOT NULL,
        target_id TEXT NOT NULL,
        mid TEXT,
        request_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        mode TEXT,
        detail TEXT
      );
      CREATE INDEX audit_log_target ON audit_log(target_id, seq);
      CREATE TABLE idempotency (
        credential_id TEXT NOT NULL,
        key_hash TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        status INTEGER NOT NULL,
        sealed_response TEXT NOT NULL,
        created_at_ms BIGINT NOT NULL,
        PRIMARY KEY (credential_id, key_hash)
      );
      CREATE INDEX idempotency_created ON idempotency(created_at_ms);
      CREATE TABLE api_key_usage (
        key_id TEXT NOT NULL,
        day TEXT COLLATE "C" NOT NULL,
        scope TEXT COLLATE "C" NOT NULL,
        requests BIGINT NOT NULL,
        errors BIGINT NOT NULL,
        last_used_at TEXT NOT NULL,
        PRIMARY KEY (key_id, day, scope)
      );
      CREATE INDEX api_key_usage_day ON api_key_usage(day);
      -- value: the secret, base64 (NULL when every instance gets it from KEYFORM_SERVER_SECRET);
      -- check_hash: what every instance's secret must hash to, so instances never disagree.
      CREATE TABLE server_secrets (
        name TEXT PRIMARY KEY,
        value TEXT,
        check_hash TEXT NOT NULL
      );
    `,
  },
];

// BIGINT (epoch milliseconds, sequence numbers, counts) comes back as a JS number, as from SQLite:
// every value the server keeps is far below 2^53.
const parseBigint = (v: string): number => Number(v);

/** `?` placeholders to PostgreSQL's `$1, $2, ...`, outside string literals and quoted names. */
export function toPositional(sql: string): string {
  let out = '';
  let n = 0;
  let quote: string | undefined;
  for (const c of sql) {
    if (quote) {
      if (c === quote) quote = undefined;
      out += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      out += c;
    } else if (c === '?') {
      out += `$${++n}`;
    } else out += c;
  }
  return out;
}

/** The store-wide lock of migrations and start-up ("keyform" in ASCII). */
const STARTUP_LOCK = '28548172794327661';

/** A 64-bit advisory lock id for a name, computed here so the name itself never reaches the database. */
export function lockId(name: string): string {
  return BigInt.asIntN(64, createHash('sha256').update(name, 'utf8').digest().readBigUInt64BE(0)).toString();
}

/** Most runs of one transaction when PostgreSQL asks to retry it. */
export const MAX_TRANSACTION_ATTEMPTS = 30;

const RETRYABLE = new Set(['40001', '40P01']);

function sqlOf(client: PoolClient): Sql {
  return {
    dialect: 'postgres',
    all: async <T>(sql: string, params: SqlParams = []) => (await client.query(toPositional(sql), params as unknown[])).rows as T[],
    one: async <T>(sql: string, params: SqlParams = []) => (await client.query(toPositional(sql), params as unknown[])).rows[0] as T | undefined,
    run: async (sql: string, params: SqlParams = []) => ({ changes: (await client.query(toPositional(sql), params as unknown[])).rowCount ?? 0 }),
  };
}

/** Options of {@link openPostgresStore}. */
export interface PostgresStoreOptions {
  /** Writes one log line (a JSON object); the caller redacts it. */
  readonly log?: (line: Record<string, unknown>) => void;
  /** Most connections of this instance (default 10). */
  readonly maxConnections?: number;
}

/** The PostgreSQL implementation of {@link Store}. */
export class PostgresStore implements Store {
  readonly dialect = 'postgres' as const;

  /** @param pool a pool over the database (see {@link openPostgresStore}). */
  constructor(private readonly pool: Pool) {}

  async all<T>(sql: string, params: SqlParams = []): Promise<T[]> {
    return (await this.pool.query(toPositional(sql), params as unknown[])).rows as T[];
  }

  async one<T>(sql: string, params: SqlParams = []): Promise<T | undefined> {
    return (await this.pool.query(toPositional(sql), params as unknown[])).rows[0] as T | undefined;
  }

  async run(sql: string, params: SqlParams = []): Promise<{ changes: number }> {
    return { changes: (await this.pool.query(toPositional(sql), params as unknown[])).rowCount ?? 0 };
  }

  async transaction<T>(fn: (tx: Sql) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    // Sorted, so two writers of the same two names never wait for each other in a cycle.
    const locks = [...new Set((opts.locks ?? []).map(lockId))].sort();
    try {
      try {
        for (const id of locks) await client.query('SELECT pg_advisory_lock($1::bigint)', [id]);
      } catch (e) {
        broken = e as Error;
        throw e;
      }
      for (let attempt = 1; ; attempt++) {
        try {
          await client.query(opts.readOnly ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN ISOLATION LEVEL SERIALIZABLE');
          const result = await fn(sqlOf(client));
          await client.query('COMMIT');
          return result;
        } catch (e) {
          await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
          const code = (e as { code?: string }).code;
          if (broken || !code || !RETRYABLE.has(code) || attempt >= MAX_TRANSACTION_ATTEMPTS) throw e;
          // Jittered backoff: transactions that collided do not collide again in lockstep.
          await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** attempt)));
        }
      }
    } finally {
      if (locks.length && !broken) await client.query('SELECT pg_advisory_unlock_all()').catch((e: Error) => (broken = e));
      // A connection in an unknown state is closed, never handed to the next request.
      client.release(broken);
    }
  }

  async exclusive<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      // READ COMMITTED: once the lock is ours, every statement sees what the previous holder committed.
      await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [STARTUP_LOCK]);
      const result = await fn(sqlOf(client));
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw e;
    } finally {
      client.release(broken);
    }
  }

  async migrate(tx: Sql): Promise<{ fresh: boolean }> {
    await tx.run('CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const applied = new Set((await tx.all<{ version: number }>('SELECT version FROM migrations')).map((r) => r.version));
    for (const m of POSTGRES_MIGRATIONS) {
      if (applied.has(m.version)) continue;
      await tx.run(m.sql);
      await tx.run('INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, new Date().toISOString()]);
    }
    return { fresh: applied.size === 0 };
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Whether a URL names a PostgreSQL database. */
function checkDatabaseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('Invalid database URL: expected postgres://user:password@host:5432/database.');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new Error(`Invalid database URL: the scheme must be postgres:// or postgresql://, got ${parsed.protocol}//.`);
  }
  return parsed;
}

/** The secret parts of a database URL (its password, raw and decoded), for redaction. */
export function databaseUrlSecrets(url: string): string[] {
  const out: string[] = [];
  try {
    const u = new URL(url);
    if (u.password) out.push(u.password, decodeURIComponent(u.password));
    const q = u.searchParams.get('password');
    if (q) out.push(q);
  } catch {
    // Not a URL: nothing to pick out; the caller refuses it anyway.
  }
  return out;
}

/** A database URL fit for a log line: its password replaced by `[redacted]`. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = REDACTED;
    if (u.searchParams.has('password')) u.searchParams.set('password', REDACTED);
    return u.toString().replace(encodeURIComponent(REDACTED), REDACTED);
  } catch {
    return '[invalid database URL]';
  }
}

/** Connects to the database of `url` (checked with one query); migrations run in `Store.migrate`. */
export async function openPostgresStore(url: string, opts: PostgresStoreOptions = {}): Promise<PostgresStore> {
  checkDatabaseUrl(url);
  const pool = new Pool({
    connectionString: url,
    max: opts.maxConnections ?? 10,
    connectionTimeoutMillis: 10_000,
    application_name: 'keyform',
    types: { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === types.builtins.INT8 ? parseBigint : types.getTypeParser(oid, format as 'text'))) as typeof types.getTypeParser },
  });
  // An idle connection the database closes (a restart, a failover) must not crash the server; the
  // pool opens a new one for the next request.
  pool.on('error', (e) => opts.log?.({ level: 'warn', msg: 'database connection lost', error: e.message }));
  const store = new PostgresStore(pool);
  try {
    await store.ping();
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw new Error(`Cannot connect to the PostgreSQL database ${describeDatabaseUrl(url)}: ${(e as Error).message}`);
  }
  return store;
}

const SERVER_SECRET_NAME = 'idempotency-lookup';

function checkHashOf(secret: Buffer): string {
  return createHash('sha256').update('keyform server secret check v1\n').update(secret).digest('hex');
}

/**
 * The server secret of a shared database (it keys the Idempotency-Key lookup hash, so every instance
 * must use the same): KEYFORM_SERVER_SECRET (base64, at least 32 bytes) when set, kept out of the
 * database, else generated once into the database by the first instance. An instance whose secret
 * differs from the one the database was started with refuses to start. Call inside `exclusive`.
 */
export async function databaseServerSecret(tx: Sql, env: NodeJS.ProcessEnv): Promise<Buffer> {
  const fromEnv = env.KEYFORM_SERVER_SECRET ? Buffer.from(env.KEYFORM_SERVER_SECRET, 'base64') : undefined;
  if (fromEnv && fromEnv.length < 32) throw new Error('KEYFORM_SERVER_SECRET must be at least 32 bytes, base64-encoded (e.g. `openssl rand -base64 32`).');
  const row = await tx.one<{ value: string | null; check_hash: string }>('SELECT value, check_hash FROM server_secrets WHERE name = ?', [SERVER_SECRET_NAME]);
  if (!row) {
    const secret = fromEnv ?? randomBytes(32);
    await tx.run('INSERT INTO server_secrets (name, value, check_hash) VALUES (?, ?, ?)', [SERVER_SECRET_NAME, fromEnv ? null : secret.toString('base64'), checkHashOf(secret)]);
    return secret;
  }
  const secret = fromEnv ?? (row.value === null ? undefined : Buffer.from(row.value, 'base64'));
  if (!secret) throw new Error('This database was started with KEYFORM_SERVER_SECRET: set the same value for every instance.');
  if (checkHashOf(secret) !== row.check_hash) {
    throw new Error('KEYFORM_SERVER_SECRET differs from the server secret this database was started with: every instance must use the same (or none).');
  }
  return secret;
}
