/** Bearer authentication, route access, the OAuth client-credentials grant and the platform admin client bootstrap. */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKeyPrefix, scopeSatisfies, type RouteAccess } from '../model';
import { ApiError, iso, type Credential, type RouteContext, type RouteResult } from './context';
import { MESSAGES } from './messages';
import { hashSecret, newSecret, randomBase62 } from './secrets';
import type { Sql } from './database';
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
export async function authenticate(db: Sql, header: string | undefined, now: number): Promise<AuthResult> {
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
  if (!m) return { ok: false, error: invalid() };
  const token = m[1];
  const hash = hashSecret(token);
  if (parseKeyPrefix(token)) {
    let row = (await db.one('SELECT * FROM api_keys WHERE value_hash = ?', [hash])) as ApiKeyRow | undefined;
    if (!row) {
      // A replaced value authenticates only until its own grace period ends.
      const prev = (await db.one('SELECT key_id, expires_at_ms FROM api_key_previous_secrets WHERE value_hash = ?', [hash])) as
        | { key_id: string; expires_at_ms: number }
        | undefined;
      if (prev && !(prev.expires_at_ms > now)) return { ok: false, error: invalid(), keyId: prev.key_id };
      if (prev) row = (await db.one('SELECT * FROM api_keys WHERE id = ?', [prev.key_id])) as ApiKeyRow | undefined;
    }
    if (!row) return { ok: false, error: invalid() };
    if (keyStatus(row, now) !== 'active') return { ok: false, error: invalid(), keyId: row.id };
    if (row.type !== 'secret') return { ok: false, error: new ApiError(403, [MESSAGES.KEY_TYPE_CANNOT_MANAGE(row.type)]), keyId: row.id };
    await db.run('UPDATE api_keys SET last_used_at = ? WHERE id = ?', [iso(now), row.id]);
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
    const t = (await db.one('SELECT c.client_id, c.is_admin FROM access_tokens t JOIN oauth_clients c ON c.client_id = t.client_id WHERE t.token_hash = ? AND t.expires_at_ms > ?', [hash, now])) as { client_id: string; is_admin: number } | undefined;
    if (t) return { ok: true, credential: { kind: 'oauth_client', id: t.client_id, admin: t.is_admin === 1 } };
  }
  // A token issued to an authorization, or an `api_key` authorization's secret: it carries the authorization's mode.
  const authorization = await authenticateAuthorizationToken(db, token, now);
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
export async function createToken(ctx: RouteContext): Promise<RouteResult> {
  const b = ctx.body as { client_id: string; client_secret: string };
  const issued = await issueAuthorizationToken(ctx, b.client_id, b.client_secret);
  if (issued) return issued;
  const client = (await ctx.db.one('SELECT client_id, secret_hash FROM oauth_clients WHERE client_id = ?', [b.client_id])) as
    | { client_id: string; secret_hash: string }
    | undefined;
  if (!client || client.secret_hash !== hashSecret(b.client_secret)) throw new ApiError(401, [MESSAGES.INVALID_CLIENT()]);
  const token = newSecret(ACCESS_TOKEN_PREFIX);
  const ttl = ctx.state.tokenTtlSeconds;
  await ctx.db.run('INSERT INTO access_tokens (token_hash, client_id, expires_at_ms) VALUES (?, ?, ?)', [hashSecret(token), client.client_id, ctx.now + ttl * 1000]);
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

/** The stored form of an admin client secret: hash, prefix (when it has ours) and last 4 characters. */
function adminRow(clientId: string, secret: string): unknown[] {
  return [clientId, hashSecret(secret), secret.startsWith(CLIENT_SECRET_PREFIX) ? CLIENT_SECRET_PREFIX : '', secret.slice(-4), new Date().toISOString()];
}

/**
 * Ensures the platform admin OAuth client exists: from KEYFORM_ADMIN_CLIENT_ID/SECRET when set, else
 * from `<dataDir>/admin-credentials.json`, generating that file (mode 0600) on first start.
 *
 * With `shared` (a database several instances use), the first instance to start creates the admin
 * client, under the store's exclusive lock, and no later start replaces it: an instance that brings
 * other credentials (env or file) refuses to start, so a second instance cannot take the admin client
 * over. Without env and file it joins the existing admin client, or generates one into `dataDir`.
 * A secret is never logged: only the file's path is.
 */
export async function bootstrapAdminClient(db: Sql, dataDir: string | undefined, env: NodeJS.ProcessEnv, shared = false): Promise<AdminBootstrap> {
  if (Boolean(env.KEYFORM_ADMIN_CLIENT_ID) !== Boolean(env.KEYFORM_ADMIN_CLIENT_SECRET)) {
    throw new Error('Set both KEYFORM_ADMIN_CLIENT_ID and KEYFORM_ADMIN_CLIENT_SECRET, or neither (then generated credentials are written to the data directory).');
  }
  let given: { clientId: string; secret: string } | undefined;
  const file = dataDir === undefined ? undefined : adminCredentialsFile(dataDir);
  if (env.KEYFORM_ADMIN_CLIENT_ID && env.KEYFORM_ADMIN_CLIENT_SECRET) {
    given = { clientId: env.KEYFORM_ADMIN_CLIENT_ID, secret: env.KEYFORM_ADMIN_CLIENT_SECRET };
  } else if (file && existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { client_id: string; client_secret: string };
    given = { clientId: parsed.client_id, secret: parsed.client_secret };
  }
  if (shared) {
    const existing = await db.one<{ client_id: string; secret_hash: string }>('SELECT client_id, secret_hash FROM oauth_clients WHERE is_admin = 1 ORDER BY created_at, client_id LIMIT 1');
    if (existing && given && (existing.client_id !== given.clientId || existing.secret_hash !== hashSecret(given.secret))) {
      throw new Error(
        `The database already has a platform admin client (${existing.client_id}) with other credentials than this instance was given; ` +
          'start every instance with the same KEYFORM_ADMIN_CLIENT_ID and KEYFORM_ADMIN_CLIENT_SECRET (or none): an instance never replaces the admin client.',
      );
    }
    if (existing) return { clientId: existing.client_id };
    if (!given && file === undefined) {
      throw new Error('No platform admin client exists yet: set KEYFORM_ADMIN_CLIENT_ID and KEYFORM_ADMIN_CLIENT_SECRET, or give --data <dir> to write generated credentials to.');
    }
  }
  let writtenTo: string | undefined;
  if (!given) {
    given = { clientId: `kfc_admin_${randomBase62(12)}`, secret: newSecret(CLIENT_SECRET_PREFIX) };
    writeFileSync(file!, `${JSON.stringify({ client_id: given.clientId, client_secret: given.secret }, null, 2)}\n`, { mode: 0o600 });
    chmodSync(file!, 0o600);
    writtenTo = file;
  }
  // One instance over its own store: the operator's env (or file) is the truth, so a changed secret replaces the old one.
  await db.run(
    `INSERT INTO oauth_clients (client_id, secret_hash, prefix, last4, is_admin, created_at) VALUES (?, ?, ?, ?, 1, ?)
     ON CONFLICT (client_id) DO UPDATE SET secret_hash = excluded.secret_hash, prefix = excluded.prefix, last4 = excluded.last4, is_admin = 1`,
    adminRow(given.clientId, given.secret),
  );
  return { clientId: given.clientId, writtenTo };
}
