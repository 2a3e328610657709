import type { AuditEntry, RequestLogEntry } from '../model';
import { ApiError, iso, requireCredential, type HandlerContext, type HandlerResult } from './context';
import { paginate } from './pagination';
import { newId } from './secrets';
import type { Db } from './store';
import { MESSAGES } from './messages';

/** Records one mutation, attributed to the calling credential, in the same transaction as the mutation. */
export function recordAudit(ctx: HandlerContext, action: string, targetId: string, mid: string | null): void {
  const cred = requireCredential(ctx);
  ctx.db
    .prepare('INSERT INTO audit_log (id, action, actor_type, actor_id, target_id, mid, request_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(newId('aud'), action, cred.kind, cred.id, targetId, mid, ctx.requestId, iso(ctx.now));
}

interface AuditRow {
  seq: number;
  id: string;
  action: string;
  actor_type: 'oauth_client' | 'api_key';
  actor_id: string;
  target_id: string;
  mid: string | null;
  request_id: string;
  created_at: string;
}

/** `GET /v1/audit-log`: newest first; an API key sees only entries of its own merchant. */
export function listAuditLog(ctx: HandlerContext): HandlerResult {
  const cred = requireCredential(ctx);
  const where: string[] = [];
  const args: unknown[] = [];
  if (cred.kind === 'api_key') {
    where.push('mid = ?');
    args.push(cred.mid);
  }
  if (ctx.query.target_id !== undefined) {
    where.push('target_id = ?');
    args.push(ctx.query.target_id);
  }
  const page = paginate<AuditRow, AuditEntry>(
    (w, a, limit) => ctx.db.prepare(`SELECT * FROM audit_log ${w} ORDER BY seq DESC LIMIT ?`).all(...a, limit) as AuditRow[],
    { limit: ctx.query.limit, cursor: ctx.query.cursor, order: 'desc', where, args },
    (r) => ({
      id: r.id,
      action: r.action,
      actor: { type: r.actor_type, id: r.actor_id },
      target_id: r.target_id,
      mid: r.mid,
      request_id: r.request_id,
      created_at: r.created_at,
    }),
  );
  return { status: 200, body: page };
}

/** Appends one entry to a key's request log. */
export function recordRequestLog(db: Db, keyId: string, method: string, path: string, status: number, error: string | null, now: number): void {
  db.prepare('INSERT INTO request_logs (id, key_id, method, path, status, error, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    newId('log'),
    keyId,
    method,
    path,
    status,
    error,
    iso(now),
  );
}

interface LogRow extends RequestLogEntry {
  seq: number;
}

/** `GET /v1/api-keys/{id}/logs`: newest first; only keys the caller may see. */
export function listApiKeyLogs(ctx: HandlerContext): HandlerResult {
  const cred = requireCredential(ctx);
  const key = ctx.db.prepare('SELECT id, mid FROM api_keys WHERE id = ?').get(ctx.params.id) as { id: string; mid: string } | undefined;
  if (!key || (cred.kind === 'api_key' && key.mid !== cred.mid)) throw new ApiError(404, [MESSAGES.NO_SUCH_KEY(ctx.params.id)]);
  const page = paginate<LogRow, RequestLogEntry>(
    (w, a, limit) => ctx.db.prepare(`SELECT * FROM request_logs ${w} ORDER BY seq DESC LIMIT ?`).all(...a, limit) as LogRow[],
    { limit: ctx.query.limit, cursor: ctx.query.cursor, order: 'desc', where: ['key_id = ?'], args: [key.id] },
    (r) => ({ id: r.id, key_id: r.key_id, method: r.method, path: r.path, status: r.status, error: r.error, created_at: r.created_at }),
  );
  return { status: 200, body: page };
}
