/** The SQLite store: its migrations, opening a data directory, and the server secret file. */
import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** The server's SQLite database handle. */
export type Db = Database.Database;

/** Numbered schema migrations; each runs once, in order, inside a transaction. Never edit a shipped one. */
export const MIGRATIONS: readonly { readonly version: number; readonly name: string; readonly sql: string }[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE merchants (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        mid TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE projects (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE mcp_servers (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        project_id TEXT NOT NULL REFERENCES projects(id),
        name TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE users (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        capabilities TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE user_roles (
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        project_id TEXT NOT NULL REFERENCES projects(id),
        role TEXT NOT NULL,
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
        expires_at_ms INTEGER NOT NULL
      );
      CREATE TABLE api_keys (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        mid TEXT NOT NULL REFERENCES merchants(mid),
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        mode TEXT NOT NULL,
        scopes TEXT NOT NULL,
        description TEXT,
        expires_at TEXT,
        expires_at_ms INTEGER,
        metadata TEXT NOT NULL,
        prefix TEXT NOT NULL,
        last4 TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        value_hash TEXT NOT NULL UNIQUE,
        previous_hash TEXT,
        previous_expires_at TEXT,
        previous_expires_at_ms INTEGER,
        version INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        rotated_at TEXT,
        revoked_at TEXT,
        last_used_at TEXT
      );
      CREATE INDEX api_keys_mid ON api_keys(mid, seq);
      CREATE INDEX api_keys_previous_hash ON api_keys(previous_hash);
      CREATE TABLE authorizations (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
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
        deleted_at TEXT
      );
      CREATE TABLE authorization_projects (
        authorization_id TEXT NOT NULL REFERENCES authorizations(id) ON DELETE CASCADE,
        project_id TEXT NOT NULL REFERENCES projects(id),
        role TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (authorization_id, project_id)
      );
      CREATE TABLE authorization_mcp_servers (
        authorization_id TEXT NOT NULL REFERENCES authorizations(id) ON DELETE CASCADE,
        mcp_server_id TEXT NOT NULL REFERENCES mcp_servers(id),
        seq INTEGER NOT NULL,
        PRIMARY KEY (authorization_id, mcp_server_id)
      );
      CREATE TABLE request_logs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
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
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        action TEXT NOT NULL,
        actor_type TEXT NOT NULL,
        actor_id TEXT NOT NULL,
        target_id TEXT NOT NULL,
        mid TEXT,
        request_id TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX audit_log_target ON audit_log(target_id, seq);
      CREATE TABLE idempotency (
        credential_id TEXT NOT NULL,
        idem_key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        status INTEGER NOT NULL,
        sealed_response TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL,
        PRIMARY KEY (credential_id, idem_key)
      );
    `,
  },
  {
    version: 2,
    name: 'users belong to a merchant',
    // Users created before this migration keep a NULL mid: no merchant's key can see them or their
    // authorizations (only the admin client can) until the admin assigns them a merchant.
    sql: `
      ALTER TABLE users ADD COLUMN mid TEXT REFERENCES merchants(mid);
      CREATE INDEX users_mid ON users(mid);
    `,
  },
  {
    version: 3,
    name: 'privilege model: key lineage, previous secrets, audit mode and detail, idempotency without readable secrets',
    // - api_keys.created_by_*: the credential that created a key (NULL for older keys), for cascade
    //   revoke and lineage.
    // - api_key_previous_secrets: every replaced value that is still in its grace period (a key kept
    //   only one before); the one previous value of an older store moves here.
    // - audit_log.mode / detail: the target's mode (so a test credential never sees live entries) and
    //   lineage (created_by, cascade_from).
    // - idempotency is rebuilt: the old table kept responses sealed under a key stored beside them;
    //   they are dropped (a retry older than this migration creates anew). New rows keep only a keyed
    //   hash of the Idempotency-Key and seal the response with a key derived from it.
    sql: `
      ALTER TABLE api_keys ADD COLUMN created_by_type TEXT;
      ALTER TABLE api_keys ADD COLUMN created_by_id TEXT;
      CREATE INDEX api_keys_created_by ON api_keys(created_by_id);
      CREATE TABLE api_key_previous_secrets (
        key_id TEXT NOT NULL REFERENCES api_keys(id),
        replaced_version INTEGER NOT NULL,
        value_hash TEXT NOT NULL UNIQUE,
        expires_at TEXT NOT NULL,
        expires_at_ms INTEGER NOT NULL,
        PRIMARY KEY (key_id, replaced_version)
      );
      INSERT INTO api_key_previous_secrets (key_id, replaced_version, value_hash, expires_at, expires_at_ms)
        SELECT id, version - 1, previous_hash, previous_expires_at, previous_expires_at_ms FROM api_keys
        WHERE previous_hash IS NOT NULL AND previous_expires_at_ms IS NOT NULL AND revoked_at IS NULL;
      UPDATE api_keys SET previous_hash = NULL WHERE previous_hash IS NOT NULL;
      ALTER TABLE audit_log ADD COLUMN mode TEXT;
      ALTER TABLE audit_log ADD COLUMN detail TEXT;
      UPDATE audit_log SET mode = (SELECT mode FROM api_keys WHERE api_keys.id = audit_log.target_id) WHERE action LIKE 'api_key.%';
      DROP TABLE idempotency;
      CREATE TABLE idempotency (
        credential_id TEXT NOT NULL,
        key_hash TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        status INTEGER NOT NULL,
        sealed_response TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL,
        PRIMARY KEY (credential_id, key_hash)
      );
      CREATE INDEX idempotency_created ON idempotency(created_at_ms);
    `,
  },
  {
    version: 4,
    name: 'authorizations are credentials: mode, access tokens, removable owners',
    // Existing authorizations become test-mode (the default), so no live power appears by migrating.
    // Tokens of authorizations live apart from the admin client's (their client ids are not OAuth
    // clients of this API). A removed user keeps its row, so its authorizations stay visible and can
    // be deleted, but it holds no permissions: every one of its tokens is inactive at once.
    sql: `
      ALTER TABLE authorizations ADD COLUMN mode TEXT NOT NULL DEFAULT 'test';
      CREATE TABLE authorization_tokens (
        token_hash TEXT PRIMARY KEY,
        authorization_id TEXT NOT NULL REFERENCES authorizations(id) ON DELETE CASCADE,
        issued_at_ms INTEGER NOT NULL,
        expires_at_ms INTEGER NOT NULL
      );
      CREATE INDEX authorization_tokens_authorization ON authorization_tokens(authorization_id);
      ALTER TABLE users ADD COLUMN deleted_at TEXT;
    `,
  },
  {
    version: 5,
    name: 'grant origins',
    // NULL: made by hand; 'keyform': made by a declared keyform grant resource; 'upgrade': existed
    // before this migration and counts as declared, so that upgrading never turns the grants of
    // existing grant resources into drift that an authoritative authorization would remove.
    sql: `
      ALTER TABLE authorization_projects ADD COLUMN origin TEXT;
      ALTER TABLE authorization_mcp_servers ADD COLUMN origin TEXT;
      UPDATE authorization_projects SET origin = 'upgrade';
      UPDATE authorization_mcp_servers SET origin = 'upgrade';
    `,
  },
  {
    version: 6,
    name: 'per-key usage by scope per day',
    // One row per key, UTC day and scope the route required ('' when none); see usage.ts for retention.
    sql: `
      CREATE TABLE api_key_usage (
        key_id TEXT NOT NULL,
        day TEXT NOT NULL,
        scope TEXT NOT NULL,
        requests INTEGER NOT NULL,
        errors INTEGER NOT NULL,
        last_used_at TEXT NOT NULL,
        PRIMARY KEY (key_id, day, scope)
      ) WITHOUT ROWID;
      CREATE INDEX api_key_usage_day ON api_key_usage(day);
    `,
  },
];

/** Opens (creating if needed) `<dataDir>/keyform.db` in WAL mode with foreign keys on, and migrates it. */
export function openStore(dataDir: string): { db: Db; fresh: boolean } {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'keyform.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec('CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const applied = new Set((db.prepare('SELECT version FROM migrations').all() as { version: number }[]).map((r) => r.version));
  const fresh = applied.size === 0;
  for (const m of MIGRATIONS) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
    })();
  }
  return { db, fresh };
}

/** The data directory's server secret (32 random bytes in `<dataDir>/server-secret`, mode 0600), created on first use. */
export function loadServerSecret(dataDir: string): Buffer {
  const file = join(dataDir, 'server-secret');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  const secret = randomBytes(32);
  writeFileSync(file, `${secret.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return secret;
}
