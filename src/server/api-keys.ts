/** Routes of API keys: create, list, get, update, rotate, revoke (with lineage cascade) and logs. */
import { KEY_PREFIXES, validate, UpdateApiKeyRequest, type ApiKey, type ApiKeyWithValue } from '../model';
import { ApiError, iso, requireCredential, type RouteContext, type RouteResult, type Credential } from './context';
import { recordAudit } from './audit';
import {
  assertExpiryWithinCaller,
  assertKeyWithinCaller,
  assertModeWithinCaller,
  assertScopesWithinCaller,
  mayReach,
  reachFilter,
  type KeyAction,
} from './privilege';
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
  created_by_type: 'oauth_client' | 'api_key' | null;
  created_by_id: string | null;
}

/**
 * Most previous secrets a key keeps in their grace periods at once. A rotation that would need one
 * more is refused (409), never a silent cut of a consumer.
 */
export const MAX_PREVIOUS_SECRETS = 10;

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
    created_by: row.created_by_type && row.created_by_id ? { type: row.created_by_type, id: row.created_by_id } : null,
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
  if (cred.mid !== undefined && cred.mid !== mid) throw new ApiError(403, [MESSAGES.OTHER_MERCHANT(cred.mid, mid)]);
}

/**
 * Loads a key the caller can reach, or answers 404: keys of another merchant or another mode do not
 * exist for the caller (the one reach rule of privilege.ts). With `action`, the key must also be
 * within the caller's power (403 naming the scope it lacks).
 */
async function loadVisibleKey(ctx: RouteContext, action?: KeyAction): Promise<ApiKeyRow> {
  const cred = requireCredential(ctx);
  const row = (await ctx.db.one('SELECT * FROM api_keys WHERE id = ?', [ctx.params.id])) as ApiKeyRow | undefined;
  if (!row || !mayReach(cred, { mid: row.mid, mode: row.mode })) throw new ApiError(404, [MESSAGES.NO_SUCH_KEY(ctx.params.id)]);
  if (action) assertKeyWithinCaller(cred, action, row.id, JSON.parse(row.scopes) as string[]);
  return row;
}

async function getRow(ctx: RouteContext, id: string): Promise<ApiKeyRow> {
  return (await ctx.db.one('SELECT * FROM api_keys WHERE id = ?', [id])) as ApiKeyRow;
}

/** `POST /v1/api-keys`. */
export async function createApiKey(ctx: RouteContext): Promise<RouteResult> {
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
  const merchant = (await ctx.db.one('SELECT mid FROM merchants WHERE mid = ?', [b.mid]));
  if (!merchant) throw new ApiError(400, [MESSAGES.UNKNOWN_MID(b.mid)]);
  const mode = b.mode ?? 'test';
  assertModeWithinCaller(cred, mode);
  const scopes = b.scopes ?? [];
  assertScopesWithinCaller(cred, scopes);
  const expiresMs = assertFuture(b.expires_at, ctx.now);
  assertExpiryWithinCaller(cred, expiresMs);
  const prefix = KEY_PREFIXES[b.type][mode];
  const value = newSecret(prefix);
  const s = storedSecret(value, prefix);
  const id = newId('key');
  const now = iso(ctx.now);
  await ctx.db.run(`INSERT INTO api_keys (id, mid, name, type, mode, scopes, description, expires_at, expires_at_ms, metadata, prefix, last4,
        fingerprint, value_hash, version, created_at, updated_at, created_by_type, created_by_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`, [id, b.mid, b.name, b.type, mode, JSON.stringify(scopes), b.description ?? null, b.expires_at ?? null, expiresMs,
      JSON.stringify(b.metadata ?? {}), s.prefix, s.last4, s.fingerprint, s.hash, now, now, cred.kind, cred.id]);
  await recordAudit(ctx, 'api_key.create', id, b.mid, { mode, detail: { created_by: `${cred.kind}:${cred.id}` } });
  const body: ApiKeyWithValue = { ...toApiKey(await getRow(ctx, id), ctx.now), value };
  return { status: 201, body };
}

const STATUS_SQL = `CASE WHEN revoked_at IS NOT NULL THEN 'revoked' WHEN expires_at_ms IS NOT NULL AND expires_at_ms <= ? THEN 'expired' ELSE 'active' END`;

/** `GET /v1/api-keys`: created order; only keys in the caller's reach (merchant and mode). */
export async function listApiKeys(ctx: RouteContext): Promise<RouteResult> {
  const cred = requireCredential(ctx);
  const q = ctx.query as { limit?: number; cursor?: string; mid?: string; mode?: string; name?: string; status?: string };
  const { where, args } = reachFilter(cred);
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
  const page = await paginate<ApiKeyRow, ApiKey>(
    async (w, a, limit) => (await ctx.db.all(`SELECT * FROM api_keys ${w} ORDER BY seq ASC LIMIT ?`, [...a, limit])) as ApiKeyRow[],
    { limit: q.limit, cursor: q.cursor, order: 'asc', where, args },
    (r) => toApiKey(r, ctx.now),
  );
  return { status: 200, body: page };
}

/** `GET /v1/api-keys/{id}`. */
export async function getApiKey(ctx: RouteContext): Promise<RouteResult> {
  return { status: 200, body: toApiKey(await loadVisibleKey(ctx), ctx.now) };
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

/** The metadata after applying a JSON merge patch (null removes a key; null as a whole removes all). */
export function mergeMetadata(current: Record<string, string>, patch: Record<string, string | null> | null): Record<string, string> {
  if (patch === null) return {};
  const out: Record<string, string> = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

/**
 * `PATCH /v1/api-keys/{id}`: only fields that change are written; a PATCH that changes nothing writes
 * no audit entry. The key and any new scopes must be within the caller, and a new expiry within its own.
 */
export async function updateApiKey(ctx: RouteContext): Promise<RouteResult> {
  const cred = requireCredential(ctx);
  const row = await loadVisibleKey(ctx, 'change');
  if (row.revoked_at) throw new ApiError(409, [MESSAGES.KEY_REVOKED(row.id)]);
  const b = ctx.body as {
    name?: string;
    description?: string | null;
    scopes?: string[];
    expires_at?: string | null;
    metadata?: Record<string, string | null> | null;
  };
  const sets: string[] = [];
  const args: unknown[] = [];
  if (b.name !== undefined && b.name !== row.name) sets.push('name = ?') && args.push(b.name);
  if (b.description !== undefined && b.description !== row.description) sets.push('description = ?') && args.push(b.description);
  if (b.scopes !== undefined) {
    const current = JSON.parse(row.scopes) as string[];
    if (b.scopes.length !== current.length || b.scopes.some((s) => !current.includes(s))) {
      assertScopesWithinCaller(cred, b.scopes);
      sets.push('scopes = ?') && args.push(JSON.stringify(b.scopes));
    }
  }
  if (b.metadata !== undefined) {
    const current = JSON.parse(row.metadata) as Record<string, string>;
    const next = mergeMetadata(current, b.metadata);
    if (Object.keys(next).length > 50) throw new ApiError(400, ['Invalid metadata: at most 50 keys.']);
    if (JSON.stringify(Object.entries(next).sort()) !== JSON.stringify(Object.entries(current).sort())) sets.push('metadata = ?') && args.push(JSON.stringify(next));
  }
  if (b.expires_at !== undefined && b.expires_at !== row.expires_at) {
    const ms = assertFuture(b.expires_at, ctx.now);
    assertExpiryWithinCaller(cred, ms);
    sets.push('expires_at = ?', 'expires_at_ms = ?');
    args.push(b.expires_at, ms);
  }
  if (sets.length) {
    sets.push('updated_at = ?');
    args.push(iso(ctx.now));
    await ctx.db.run(`UPDATE api_keys SET ${sets.join(', ')} WHERE id = ?`, [...args, row.id]);
    await recordAudit(ctx, 'api_key.update', row.id, row.mid, { mode: row.mode });
  }
  return { status: 200, body: toApiKey(await getRow(ctx, row.id), ctx.now) };
}

/** Ends a key's use at once: its value and every previous value in grace stop working. */
async function revokeRow(ctx: RouteContext, row: ApiKeyRow, detail?: Record<string, string>): Promise<void> {
  const now = iso(ctx.now);
  await ctx.db.run('UPDATE api_keys SET revoked_at = ?, updated_at = ?, previous_hash = NULL, previous_expires_at = NULL, previous_expires_at_ms = NULL WHERE id = ?', [now, now, row.id]);
  await ctx.db.run('DELETE FROM api_key_previous_secrets WHERE key_id = ?', [row.id]);
  await recordAudit(ctx, 'api_key.revoke', row.id, row.mid, { mode: row.mode, detail });
}

/** Every key minted by `root`, transitively (children before their own children), never `root` itself. */
async function descendants(ctx: RouteContext, root: ApiKeyRow): Promise<ApiKeyRow[]> {
  const out: ApiKeyRow[] = [];
  const seen = new Set([root.id]);
  const queue = [root];
  while (queue.length) {
    const parent = queue.shift()!;
    const children = (await ctx.db.all("SELECT * FROM api_keys WHERE created_by_type = 'api_key' AND created_by_id = ? ORDER BY seq", [parent.id])) as ApiKeyRow[];
    for (const c of children) {
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

/**
 * `DELETE /v1/api-keys/{id}` (`?cascade=true`: also every key it minted, transitively): idempotent;
 * each key and any grace-period value stop working at once. A cascade is all or nothing: every key it
 * would revoke must be in the caller's reach and power, else nothing is revoked.
 */
export async function revokeApiKey(ctx: RouteContext): Promise<RouteResult> {
  const cred = requireCredential(ctx);
  const row = await loadVisibleKey(ctx, 'revoke');
  if (ctx.query?.cascade === 'true') {
    for (const d of await descendants(ctx, row)) {
      if (d.revoked_at) continue;
      if (!mayReach(cred, { mid: d.mid, mode: d.mode })) throw new ApiError(404, [MESSAGES.NO_SUCH_KEY(d.id)]);
      assertKeyWithinCaller(cred, 'revoke', d.id, JSON.parse(d.scopes) as string[]);
      await revokeRow(ctx, d, { cascade_from: row.id, created_by: `${d.created_by_type}:${d.created_by_id}` });
    }
  }
  if (!row.revoked_at) await revokeRow(ctx, row);
  return { status: 200, body: toApiKey(await getRow(ctx, row.id), ctx.now) };
}

/**
 * `POST /v1/api-keys/{id}/rotate`: new value, version + 1. Every previous value keeps working until
 * its own grace period ends (at most {@link MAX_PREVIOUS_SECRETS} at once: 409 beyond, never a cut).
 */
export async function rotateApiKey(ctx: RouteContext): Promise<RouteResult> {
  const row = await loadVisibleKey(ctx, 'rotate');
  const status = keyStatus(row, ctx.now);
  if (status === 'revoked') throw new ApiError(409, [MESSAGES.KEY_REVOKED(row.id)]);
  if (status === 'expired') throw new ApiError(409, [MESSAGES.KEY_EXPIRED_ROTATE(row.id)]);
  const grace = (ctx.body?.grace_period_seconds as number | undefined) ?? 0;
  await ctx.db.run('DELETE FROM api_key_previous_secrets WHERE key_id = ? AND expires_at_ms <= ?', [row.id, ctx.now]);
  const prevMs = grace > 0 ? ctx.now + grace * 1000 : null;
  if (prevMs !== null) {
    const live = (await ctx.db.all('SELECT expires_at FROM api_key_previous_secrets WHERE key_id = ? ORDER BY expires_at_ms', [row.id])) as { expires_at: string }[];
    if (live.length >= MAX_PREVIOUS_SECRETS) throw new ApiError(409, [MESSAGES.TOO_MANY_PREVIOUS_SECRETS(row.id, MAX_PREVIOUS_SECRETS, live[0].expires_at)]);
  }
  const value = newSecret(row.prefix);
  const s = storedSecret(value, row.prefix);
  const now = iso(ctx.now);
  if (prevMs !== null) {
    await ctx.db.run('INSERT INTO api_key_previous_secrets (key_id, replaced_version, value_hash, expires_at, expires_at_ms) VALUES (?, ?, ?, ?, ?)', [row.id, row.version, row.value_hash, iso(prevMs), prevMs]);
  }
  await ctx.db.run(`UPDATE api_keys SET value_hash = ?, last4 = ?, fingerprint = ?, previous_expires_at = ?, previous_expires_at_ms = ?,
        version = version + 1, rotated_at = ?, updated_at = ? WHERE id = ?`, [s.hash, s.last4, s.fingerprint, prevMs === null ? null : iso(prevMs), prevMs, now, now, row.id]);
  await recordAudit(ctx, 'api_key.rotate', row.id, row.mid, { mode: row.mode });
  const body: ApiKeyWithValue = { ...toApiKey(await getRow(ctx, row.id), ctx.now), value };
  return { status: 200, body };
}
