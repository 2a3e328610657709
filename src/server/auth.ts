import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKeyPrefix, scopeSatisfies, type RouteAccess } from '../model';
import { ApiError, iso, type Credential, type HandlerContext, type HandlerResult } from './context';
import { MESSAGES } from './messages';
import { hashSecret, newSecret, randomBase62 } from './secrets';
import type { Db } from './store';
import type { ApiKeyRow } from './api-keys';
import { keyStatus } from './api-keys';
import { authenticateAuthorizationToken, authorizeAuthorizationToken, issueAuthorizationToken } from './authorizations';

/** Prefix of OAuth access tokens; distinct from every API-key prefix. */
export const ACCESS_TOKEN_PREFIX = 'kfat_';
/** Prefix of generated OAuth client secrets. */
export const CLIENT_SECRET_PREFIX = 'kfcs_';

/** Result of looking up a bearer: a credential, or a failure possibly attributable to a known key. */
export type AuthResult =
  | { ok: true; credential: Credential }
  | { ok: false; error: ApiError; keyId?: string };

const invalid = (): ApiError => new ApiError(401, [MESSAGES.INVALID_BEARER()]);

/** Resolves an `Authorization` header to a credential: an OAuth access token or a secret API key. */
export function authenticate(db: Db, header: string | undefined, now: number): AuthResult {
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
  if (!m) return { ok: false, error: invalid() };
  const token = m[1];
  const hash = hashSecret(token);
  if (parseKeyPrefix(token)) {
    let row = db.prepare('SELECT * FROM api_keys WHERE value_hash = ?').get(hash) as ApiKeyRow | undefined;
    if (!row) {
      // A replaced value authenticates only until its own grace period ends.
      const prev = db.prepare('SELECT key_id, expires_at_ms FROM api_key_previous_secrets WHERE value_hash = ?').get(hash) as
        | { key_id: string; expires_at_ms: number }
        | undefined;
      if (prev && !(prev.expires_at_ms > now)) return { ok: false, error: invalid(), keyId: prev.key_id };
      if (prev) row = db.prepare('SELECT * FROM api_keys WHERE id = ?').get(prev.key_id) as ApiKeyRow | undefined;
    }
    if (!row) return { ok: false, error: invalid() };
    if (keyStatus(row, now) !== 'active') return { ok: false, error: invalid(), keyId: row.id };
    if (row.type !== 'secret') return { ok: false, error: new ApiError(403, [MESSAGES.KEY_TYPE_CANNOT_MANAGE(row.type)]), keyId: row.id };
    db.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?').run(iso(now), row.id);
    return { ok: true, credential: {
        kind: 'api_key',
        id: row.id,
        mid: row.mid,
        mode: row.mode,
        scopes: JSON.parse(row.scopes) as string[],
        expiresAtMs: row.expires_at_ms,
      },
    };
  }
  if (token.startsWith(ACCESS_TOKEN_PREFIX)) {
    const t = db
      .prepare('SELECT c.client_id, c.is_admin FROM access_tokens t JOIN oauth_clients c ON c.client_id = t.client_id WHERE t.token_hash = ? AND t.expires_at_ms > ?')
      .get(hash, now) as { client_id: string; is_admin: number } | undefined;
    if (t) return { ok: true, credential: { kind: 'oauth_client', id: t.client_id, admin: t.is_admin === 1 } };
  }
  // A token issued to an authorization, or an `api_key` authorization's secret: it carries the authorization's mode.
  const authorization = authenticateAuthorizationToken(db, token, now);
  if (authorization) return { ok: true, credential: authorization };
  return { ok: false, error: invalid() };
}

/** Whether a credential may call a route of the given access; throws the 403 naming what is missing. */
export function authorize(credential: Credential, access: RouteAccess): void {
  if (credential.kind === 'authorization') return authorizeAuthorizationToken(credential, access);
  if (access.kind === 'admin') {
    if (credential.kind !== 'oauth_client' || !credential.admin) throw new ApiError(403, [MESSAGES.ADMIN_ONLY()]);
    return;
  }
  if (access.kind !== 'scope' || credential.kind !== 'api_key') return;
  // A secret key without scopes has full access to its own merchant (seed 000).
  if (credential.scopes.length === 0) return;
  if (!scopeSatisfies(credential.scopes, access.scope)) throw new ApiError(403, [MESSAGES.MISSING_SCOPE(access.scope)]);
}

/** `POST /oauth2/token`: the client-credentials grant; the token is stored only as a hash. */
export function createToken(ctx: HandlerContext): HandlerResult {
  const b = ctx.body as { client_id: string; client_secret: string };
  const issued = issueAuthorizationToken(ctx, b.client_id, b.client_secret);
  if (issued) return issued;
  const client = ctx.db.prepare('SELECT client_id, secret_hash FROM oauth_clients WHERE client_id = ?').get(b.client_id) as
    | { client_id: string; secret_hash: string }
    | undefined;
  if (!client || client.secret_hash !== hashSecret(b.client_secret)) throw new ApiError(401, [MESSAGES.INVALID_CLIENT()]);
  const token = newSecret(ACCESS_TOKEN_PREFIX);
  const ttl = ctx.state.tokenTtlSeconds;
  ctx.db.prepare('DELETE FROM access_tokens WHERE expires_at_ms <= ?').run(ctx.now);
  ctx.db.prepare('INSERT INTO access_tokens (token_hash, client_id, expires_at_ms) VALUES (?, ?, ?)').run(hashSecret(token), client.client_id, ctx.now + ttl * 1000);
  return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: ttl } };
}

/** Where the bootstrap admin client's credentials come from. */
export interface AdminBootstrap {
  readonly clientId: string;
  /** Set when the credentials were generated into this file just now. */
  readonly writtenTo?: string;
}

/** The file holding generated admin credentials. */
export function adminCredentialsFile(dataDir: string): string {
  return join(dataDir, 'admin-credentials.json');
}

/**
 * Ensures the platform admin OAuth client exists: from KEYFORM_ADMIN_CLIENT_ID/SECRET when set, else
 * from `<dataDir>/admin-credentials.json`, generating that file (mode 0600) on first start.
 */
export function bootstrapAdminClient(db: Db, dataDir: string, env: NodeJS.ProcessEnv): AdminBootstrap {
  let clientId: string;
  let secret: string;
  let writtenTo: string | undefined;
  const file = adminCredentialsFile(dataDir);
  if (Boolean(env.KEYFORM_ADMIN_CLIENT_ID) !== Boolean(env.KEYFORM_ADMIN_CLIENT_SECRET)) {
    throw new Error('Set both KEYFORM_ADMIN_CLIENT_ID and KEYFORM_ADMIN_CLIENT_SECRET, or neither (then generated credentials are written to the data directory).');
  }
  if (env.KEYFORM_ADMIN_CLIENT_ID && env.KEYFORM_ADMIN_CLIENT_SECRET) {
    clientId = env.KEYFORM_ADMIN_CLIENT_ID;
    secret = env.KEYFORM_ADMIN_CLIENT_SECRET;
  } else if (existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { client_id: string; client_secret: string };
    clientId = parsed.client_id;
    secret = parsed.client_secret;
  } else {
    clientId = `kfc_admin_${randomBase62(12)}`;
    secret = newSecret(CLIENT_SECRET_PREFIX);
    writeFileSync(file, `${JSON.stringify({ client_id: clientId, client_secret: secret }, null, 2)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    writtenTo = file;
  }
  db.prepare(
    `INSERT INTO oauth_clients (client_id, secret_hash, prefix, last4, is_admin, created_at) VALUES (?, ?, ?, ?, 1, ?)
     ON CONFLICT(client_id) DO UPDATE SET secret_hash = excluded.secret_hash, prefix = excluded.prefix, last4 = excluded.last4, is_admin = 1`,
  ).run(clientId, hashSecret(secret), secret.startsWith(CLIENT_SECRET_PREFIX) ? CLIENT_SECRET_PREFIX : '', secret.slice(-4), new Date().toISOString());
  return { clientId, writtenTo };
}
