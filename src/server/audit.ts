/** The audit log and per-key request log: written in the request's transaction, read by the audit routes. */
import { redactSecrets, type AuditEntry, type RequestLogEntry } from '../model';
import { ApiError, iso, requireCredential, type RouteContext, type RouteResult } from './context';
import { paginate } from './pagination';
import { newId } from './secrets';
import type { Sql } from './database';
import { MESSAGES } from './messages';
import { mayReach, reachFilter } from './privilege';

/** Optional parts of an audit entry. */
export interface AuditExtra {
  /** The target's mode; entries with a mode are seen only by credentials of that mode. */
  readonly mode?: 'test' | 'live' | null;
  /** Lineage and context, e.g. `{created_by}` or `{cascade_from}`. */
  readonly detail?: Readonly<Record<string, string>>;
}

/**
 * Records one mutation, attributed to the calling credential, in the same transaction as the mutation.
 * Every string is passed through the one redaction function, so nothing secret-shaped is written.
 */
export async function recordAudit(ctx: RouteContext, action: string, targetId: string, mid: string | null, extra: AuditExtra = {}): Promise<void> {
  const cred = requireCredential(ctx);
  const detail = extra.detail ? redactSecrets(JSON.stringify(extra.detail)) : null;
  await ctx.db.run('INSERT INTO audit_log (id, action, actor_type, actor_id, target_id, mid, mode, detail, request_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [newId('aud'), action, cred.kind, cred.id, redactSecrets(targetId), mid, extra.mode ?? null, detail, ctx.requestId, iso(ctx.now)]);
}

interface AuditRow {
  seq: number;
  id: string;
  action: string;
  actor_type: 'oauth_client' | 'api_key';
  actor_id: string;
  target_id: string;
  mid: string | null;
  mode: 'test' | 'live' | null;
  detail: string | null;
  request_id: string;
  created_at: string;
}

/** `GET /v1/audit-log`: newest first; only entries in the caller's reach (merchant and mode). */
export async function listAuditLog(ctx: RouteContext): Promise<RouteResult> {
  const cred = requireCredential(ctx);
  const { where, args } = reachFilter(cred);
  if (ctx.query.target_id !== undefined) {
    where.push('target_id = ?');
    args.push(ctx.query.target_id);
  }
  const page = await paginate<AuditRow, AuditEntry>(
    async (w, a, limit) => (await ctx.db.all(`SELECT * FROM audit_log ${w} ORDER BY seq DESC LIMIT ?`, [...a, limit])) as AuditRow[],
    { limit: ctx.query.limit, cursor: ctx.query.cursor, order: 'desc', where, args },
    (r) => ({
      id: r.id,
      action: r.action,
      actor: { type: r.actor_type, id: r.actor_id },
      target_id: r.target_id,
      mid: r.mid,
      mode: r.mode,
      detail: r.detail ? (JSON.parse(r.detail) as Record<string, string>) : null,
      request_id: r.request_id,
      created_at: r.created_at,
    }),
  );
  return { status: 200, body: page };
}

/** Appends one entry to a key's request log. */
export async function recordRequestLog(db: Sql, keyId: string, method: string, path: string, status: number, error: string | null, now: number): Promise<void> {
  await db.run('INSERT INTO request_logs (id, key_id, method, path, status, error, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [newId('log'),
    keyId,
    method,
    redactSecrets(path),
    status,
    error === null ? null : redactSecrets(error),
    iso(now),]);
}

interface LogRow extends RequestLogEntry {
  seq: number;
}

/** `GET /v1/api-keys/{id}/logs`: newest first; only keys the caller may see. */
export async function listApiKeyLogs(ctx: RouteContext): Promise<RouteResult> {
  const cred = requireCredential(ctx);
  const key = (await ctx.db.one('SELECT id, mid, mode FROM api_keys WHERE id = ?', [ctx.params.id])) as { id: string; mid: string; mode: 'test' | 'live' } | undefined;
  if (!key || !mayReach(cred, key)) throw new ApiError(404, [MESSAGES.NO_SUCH_KEY(ctx.params.id)]);
  const page = await paginate<LogRow, RequestLogEntry>(
    async (w, a, limit) => (await ctx.db.all(`SELECT * FROM request_logs ${w} ORDER BY seq DESC LIMIT ?`, [...a, limit])) as LogRow[],
    { limit: ctx.query.limit, cursor: ctx.query.cursor, order: 'desc', where: ['key_id = ?'], args: [key.id] },
    (r) => ({ id: r.id, key_id: r.key_id, method: r.method, path: r.path, status: r.status, error: r.error, created_at: r.created_at }),
  );
  return { status: 200, body: page };
}
