import { KEY_PREFIXES, scopeSatisfies, validate, UpdateApiKeyRequest, type ApiKey, type ApiKeyWithValue } from '../model';
import { ApiError, iso, requireCredential, type HandlerContext, type HandlerResult, type Credential } from './context';
import { recordAudit } from './audit';
import { MESSAGES } from './messages';
import { paginate } from './pagination';
import { newId, newSecret, storedSecret } from './secrets';

/** An `api_keys` row. */
export interface ApiKeyRow {
  seq: number;
  id: string;
  mid: string;
  name: string;
  type: 'secret' | 'public' | 'tokenization';
  mode: 'test' | 'live';
  scopes: string;
  description: string | null;
  expires_at: string | null;
  expires_at_ms: number | null;
  metadata: string;
  prefix: string;
  last4: string;
  fingerprint: string;
  value_hash: string;
  previous_hash: string | null;
  previous_expires_at: string | null;
  previous_expires_at_ms: number | null;
  version: number;
  created_at: string;
  updated_at: string;
  rotated_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

/** Status of a key at `now`: revoked wins over expired. */
export function keyStatus(row: ApiKeyRow, now: number): 'active' | 'expired' | 'revoked' {
  if (row.revoked_at) return 'revoked';
  if (row.expires_at_ms !== null && row.expires_at_ms <= now) return 'expired';
  return 'active';
}

/** The API representation of a stored key (never its value). */
export function toApiKey(row: ApiKeyRow, now: number): ApiKey {
  const status = keyStatus(row, now);
  return {
    id: row.id,
    object: 'api_key',
    mid: row.mid,
    name: row.name,
    type: row.type,
    mode: row.mode,
    scopes: JSON.parse(row.scopes) as string[],
    description: row.description,
    expires_at: row.expires_at,
    metadata: JSON.parse(row.metadata) as Record<string, string>,
    prefix: row.prefix,
    last4: row.last4,
    fingerprint: row.fingerprint,
    version: row.version,
    status,
    created_at: row.created_at,
    updated_at: row.updated_at,
    rotated_at: row.rotated_at,
    revoked_at: row.revoked_at,
    previous_expires_at:
      status === 'active' && row.previous_expires_at_ms !== null && row.previous_expires_at_ms > now ? row.previous_expires_at : null,
    last_used_at: row.last_used_at,
  };
}

function assertFuture(expiresAt: string | null | undefined, now: number): number | null {
  if (expiresAt === null || expiresAt === undefined) return null;
  const ms = Date.parse(expiresAt);
  if (!(ms > now)) throw new ApiError(400, [MESSAGES.EXPIRES_IN_PAST()]);
  return ms;
}

/** A caller's own merchant must match: API keys never reach across merchants. */
function assertSameMerchant(cred: Credential, mid: string): void {
  if (cred.kind === 'api_key' && cred.mid !== mid) throw new ApiError(403, [MESSAGES.OTHER_MERCHANT(cred.mid, mid)]);
}

/** A scoped calling key may only hand out scopes it holds itself (no privilege escalation). */
function assertWithinCaller(cred: Credential, scopes: readonly string[]): void {
  if (cred.kind !== 'api_key' || cred.scopes.length === 0) return;
  if (scopes.length === 0) throw new ApiError(403, [MESSAGES.FULL_ACCESS_EXCEEDS_CALLER()]);
  const excess = scopes.filter((s) => !scopeSatisfies(cred.scopes, s));
  if (excess.length) throw new ApiError(403, excess.map((s) => MESSAGES.SCOPE_EXCEEDS_CALLER(s)));
}

/**
 * A rotation hands the caller the key's new value, so a calling key may only rotate keys within its
 * own power: no full-access or broader-scoped key from a scoped key, no live key from a test-mode key.
 */
function assertRotatableBy(cred: Credential, row: ApiKeyRow): void {
  if (cred.kind !== 'api_key') return;
  if (row.mode === 'live' && cred.mode === 'test') throw new ApiError(403, [MESSAGES.TEST_KEY_CANNOT_ROTATE_LIVE(row.id)]);
  if (cred.scopes.length === 0) return;
  const scopes = JSON.parse(row.scopes) as string[];
  if (scopes.length === 0) throw new ApiError(403, [MESSAGES.ROTATE_FULL_ACCESS_EXCEEDS_CALLER(row.id)]);
  const excess = scopes.filter((s) => !scopeSatisfies(cred.scopes, s));
  if (excess.length) throw new ApiError(403, excess.map((s) => MESSAGES.ROTATE_SCOPE_EXCEEDS_CALLER(row.id, s)));
}

/** Loads a key the caller may see, or answers 404 (other merchants' keys do not exist for an API key). */
function loadVisibleKey(ctx: HandlerContext): ApiKeyRow {
  const cred = requireCredential(ctx);
  const row = ctx.db.prepare('SELECT * FROM api_keys WHERE id = ?').get(ctx.params.id) as ApiKeyRow | undefined;
  if (!row || (cred.kind === 'api_key' && row.mid !== cred.mid)) throw new ApiError(404, [MESSAGES.NO_SUCH_KEY(ctx.params.id)]);
  return row;
}

function getRow(ctx: HandlerContext, id: string): ApiKeyRow {
  return ctx.db.prepare('SELECT * FROM api_keys WHERE id = ?').get(id) as ApiKeyRow;
}

/** `POST /v1/api-keys`. */
export function createApiKey(ctx: HandlerContext): HandlerResult {
  const cred = requireCredential(ctx);
  const b = ctx.body as {
    mid: string;
    name: string;
    scopes?: string[];
    type: 'secret' | 'public' | 'tokenization';
    mode?: 'test' | 'live';
    description?: string | null;
    expires_at?: string | null;
    metadata?: Record<string, string>;
  };
  assertSameMerchant(cred, b.mid);
  const merchant = ctx.db.prepare('SELECT mid FROM merchants WHERE mid = ?').get(b.mid);
  if (!merchant) throw new ApiError(400, [MESSAGES.UNKNOWN_MID(b.mid)]);
  const mode = b.mode ?? 'test';
  if (mode === 'live' && cred.kind === 'api_key' && cred.mode === 'test') throw new ApiError(403, [MESSAGES.TEST_KEY_CANNOT_MANAGE_LIVE()]);
  const scopes = b.scopes ?? [];
  assertWithinCaller(cred, scopes);
  const expiresMs = assertFuture(b.expires_at, ctx.now);
  const prefix = KEY_PREFIXES[b.type][mode];
  const value = newSecret(prefix);
  const s = storedSecret(value, prefix);
  const id = newId('key');
  const now = iso(ctx.now);
  ctx.db
    .prepare(
      `INSERT INTO api_keys (id, mid, name, type, mode, scopes, description, expires_at, expires_at_ms, metadata, prefix, last4,
        fingerprint, value_hash, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
    )
    .run(id, b.mid, b.name, b.type, mode, JSON.stringify(scopes), b.description ?? null, b.expires_at ?? null, expiresMs,
      JSON.stringify(b.metadata ?? {}), s.prefix, s.last4, s.fingerprint, s.hash, now, now);
  recordAudit(ctx, 'api_key.create', id, b.mid);
  const body: ApiKeyWithValue = { ...toApiKey(getRow(ctx, id), ctx.now), value };
  return { status: 201, body };
}

const STATUS_SQL = `CASE WHEN revoked_at IS NOT NULL THEN 'revoked' WHEN expires_at_ms IS NOT NULL AND expires_at_ms <= ? THEN 'expired' ELSE 'active' END`;

/** `GET /v1/api-keys`: created order; an API key sees only its own merchant. */
export function listApiKeys(ctx: HandlerContext): HandlerResult {
  const cred = requireCredential(ctx);
  const q = ctx.query as { limit?: number; cursor?: string; mid?: string; mode?: string; name?: string; status?: string };
  const where: string[] = [];
  const args: unknown[] = [];
  if (cred.kind === 'api_key') {
    where.push('mid = ?');
    args.push(cred.mid);
  }
  if (q.mid !== undefined) {
    where.push('mid = ?');
    args.push(q.mid);
  }
  if (q.mode !== undefined) {
    where.push('mode = ?');
    args.push(q.mode);
  }
  if (q.name !== undefined) {
    where.push('name = ?');
    args.push(q.name);
  }
  if (q.status !== undefined) {
    where.push(`${STATUS_SQL} = ?`);
    args.push(ctx.now, q.status);
  }
  const page = paginate<ApiKeyRow, ApiKey>(
    (w, a, limit) => ctx.db.prepare(`SELECT * FROM api_keys ${w} ORDER BY seq ASC LIMIT ?`).all(...a, limit) as ApiKeyRow[],
    { limit: q.limit, cursor: q.cursor, order: 'asc', where, args },
    (r) => toApiKey(r, ctx.now),
  );
  return { status: 200, body: page };
}

/** `GET /v1/api-keys/{id}`. */
export function getApiKey(ctx: HandlerContext): HandlerResult {
  return { status: 200, body: toApiKey(loadVisibleKey(ctx), ctx.now) };
}

/**
 * Validates a PATCH body: `type` and `mode` get their own "immutable" message, every other problem
 * the model's message, all in one response.
 */
export function validateUpdateApiKey(input: unknown): { ok: true; value: unknown } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  let rest = input;
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
    const copy: Record<string, unknown> = { ...(input as Record<string, unknown>) };
    for (const field of ['type', 'mode']) {
      if (field in copy) {
        errors.push(MESSAGES.IMMUTABLE(field));
        delete copy[field];
      }
    }
    rest = copy;
  }
  const v = validate(UpdateApiKeyRequest, rest);
  if (!v.ok) errors.push(...v.errors);
  return errors.length ? { ok: false, errors } : { ok: true, value: (v as { value: unknown }).value };
}

/** `PATCH /v1/api-keys/{id}`. */
export function updateApiKey(ctx: HandlerContext): HandlerResult {
  const cred = requireCredential(ctx);
  const row = loadVisibleKey(ctx);
  if (row.revoked_at) throw new ApiError(409, [MESSAGES.KEY_REVOKED(row.id)]);
  const b = ctx.body as { name?: string; description?: string | null; scopes?: string[]; expires_at?: string | null; metadata?: Record<string, string> };
  if (b.scopes !== undefined) assertWithinCaller(cred, b.scopes);
  const sets: string[] = [];
  const args: unknown[] = [];
  if (b.name !== undefined) sets.push('name = ?') && args.push(b.name);
  if (b.description !== undefined) sets.push('description = ?') && args.push(b.description);
  if (b.scopes !== undefined) sets.push('scopes = ?') && args.push(JSON.stringify(b.scopes));
  if (b.metadata !== undefined) sets.push('metadata = ?') && args.push(JSON.stringify(b.metadata));
  if (b.expires_at !== undefined) {
    const ms = assertFuture(b.expires_at, ctx.now);
    sets.push('expires_at = ?', 'expires_at_ms = ?');
    args.push(b.expires_at, ms);
  }
  if (sets.length) {
    sets.push('updated_at = ?');
    args.push(iso(ctx.now));
    ctx.db.prepare(`UPDATE api_keys SET ${sets.join(', ')} WHERE id = ?`).run(...args, row.id);
    recordAudit(ctx, 'api_key.update', row.id, row.mid);
  }
  return { status: 200, body: toApiKey(getRow(ctx, row.id), ctx.now) };
}

/** `DELETE /v1/api-keys/{id}`: idempotent; the key and any grace-period value stop working at once. */
export function revokeApiKey(ctx: HandlerContext): HandlerResult {
  const row = loadVisibleKey(ctx);
  if (!row.revoked_at) {
    const now = iso(ctx.now);
    ctx.db
      .prepare('UPDATE api_keys SET revoked_at = ?, updated_at = ?, previous_hash = NULL, previous_expires_at = NULL, previous_expires_at_ms = NULL WHERE id = ?')
      .run(now, now, row.id);
    recordAudit(ctx, 'api_key.revoke', row.id, row.mid);
  }
  return { status: 200, body: toApiKey(getRow(ctx, row.id), ctx.now) };
}

/** `POST /v1/api-keys/{id}/rotate`: new value, version + 1; the old value works until the grace period ends. */
export function rotateApiKey(ctx: HandlerContext): HandlerResult {
  const row = loadVisibleKey(ctx);
  assertRotatableBy(requireCredential(ctx), row);
  const status = keyStatus(row, ctx.now);
  if (status === 'revoked') throw new ApiError(409, [MESSAGES.KEY_REVOKED(row.id)]);
  if (status === 'expired') throw new ApiError(409, [MESSAGES.KEY_EXPIRED_ROTATE(row.id)]);
  const grace = (ctx.body?.grace_period_seconds as number | undefined) ?? 0;
  const value = newSecret(row.prefix);
  const s = storedSecret(value, row.prefix);
  const now = iso(ctx.now);
  const prevMs = grace > 0 ? ctx.now + grace * 1000 : null;
  ctx.db
    .prepare(
      `UPDATE api_keys SET value_hash = ?, last4 = ?, fingerprint = ?, previous_hash = ?, previous_expires_at = ?, previous_expires_at_ms = ?,
        version = version + 1, rotated_at = ?, updated_at = ? WHERE id = ?`,
    )
    .run(s.hash, s.last4, s.fingerprint, prevMs === null ? null : row.value_hash, prevMs === null ? null : iso(prevMs), prevMs, now, now, row.id);
  recordAudit(ctx, 'api_key.rotate', row.id, row.mid);
  const body: ApiKeyWithValue = { ...toApiKey(getRow(ctx, row.id), ctx.now), value };
  return { status: 200, body };
}
