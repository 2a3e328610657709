/**
 * Per-key usage by scope per day: one row per (key, UTC day, scope) counting the requests that passed
 * the scope check, updated on every authenticated request. It answers "which scopes does this key
 * really use" without scanning raw request logs, and stays small: at most one row per scope per day.
 * Rows older than {@link USAGE_RETENTION_DAYS} are pruned (at most once per day per server).
 */
import { ApiError, requireCredential, type RouteContext, type RouteResult } from './context';
import { MESSAGES } from './messages';
import type { Sql } from './database';
import { mayReach } from './privilege';

/** Days of usage kept; older rows are deleted. */
export const USAGE_RETENTION_DAYS = 400;

/** Scope recorded for routes any valid bearer may call (SQLite keys cannot be NULL in the primary key). */
const NO_SCOPE = '';

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayMinus = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

const lastPruned = new WeakMap<Sql, string>();

/**
 * Counts one request of key `keyId` that passed the check of `scope` (null: no scope needed). One
 * atomic upsert, outside any request transaction: instances counting the same key at once all land.
 */
export async function recordUsage(db: Sql, keyId: string, scope: string | null, status: number, now: number): Promise<void> {
  const day = dayOf(now);
  await db.run(`INSERT INTO api_key_usage (key_id, day, scope, requests, errors, last_used_at) VALUES (?, ?, ?, 1, ?, ?)
     ON CONFLICT(key_id, day, scope) DO UPDATE SET requests = api_key_usage.requests + 1, errors = api_key_usage.errors + excluded.errors, last_used_at = excluded.last_used_at`, [keyId, day, scope ?? NO_SCOPE, status >= 400 ? 1 : 0, new Date(now).toISOString()]);
  if (lastPruned.get(db) !== day) {
    lastPruned.set(db, day);
    await db.run('DELETE FROM api_key_usage WHERE day < ?', [dayMinus(day, USAGE_RETENTION_DAYS - 1)]);
  }
}

interface UsageRow {
  day: string;
  scope: string;
  requests: number;
  errors: number;
  last_used_at: string;
}

/** `GET /v1/api-keys/{id}/usage`: only keys the caller can reach (another merchant's or mode's key is 404). */
export async function getApiKeyUsage(ctx: RouteContext): Promise<RouteResult> {
  const cred = requireCredential(ctx);
  const key = (await ctx.db.one('SELECT id, mid, mode FROM api_keys WHERE id = ?', [ctx.params.id])) as { id: string; mid: string; mode: 'test' | 'live' } | undefined;
  if (!key || !mayReach(cred, key)) throw new ApiError(404, [MESSAGES.NO_SUCH_KEY(ctx.params.id)]);
  const today = dayOf(ctx.now);
  const retainedSince = dayMinus(today, USAGE_RETENTION_DAYS - 1);
  const since: string = ctx.query.since ?? retainedSince;
  const until: string = ctx.query.until ?? today;
  if (since > until) throw new ApiError(400, [`Invalid since value: ${since} is after until (${until}).`]);
  const rows = (await ctx.db.all('SELECT day, scope, requests, errors, last_used_at FROM api_key_usage WHERE key_id = ? AND day >= ? AND day <= ? ORDER BY day DESC, scope', [key.id, since, until])) as UsageRow[];
  const byScope = new Map<string, { scope: string | null; requests: number; errors: number; first_day: string; last_day: string; last_used_at: string }>();
  for (const r of rows) {
    const s = byScope.get(r.scope);
    if (!s) byScope.set(r.scope, { scope: r.scope || null, requests: r.requests, errors: r.errors, first_day: r.day, last_day: r.day, last_used_at: r.last_used_at });
    else {
      s.requests += r.requests;
      s.errors += r.errors;
      if (r.day < s.first_day) s.first_day = r.day;
      if (r.day > s.last_day) s.last_day = r.day;
      if (r.last_used_at > s.last_used_at) s.last_used_at = r.last_used_at;
    }
  }
  return {
    status: 200,
    body: {
      object: 'api_key_usage',
      key_id: key.id,
      since,
      until,
      retained_since: retainedSince,
      scopes: [...byScope.values()].sort((a, b) => b.requests - a.requests || String(a.scope).localeCompare(String(b.scope))),
      days: rows.map((r) => ({ day: r.day, scope: r.scope || null, requests: r.requests, errors: r.errors })),
    },
  };
}
