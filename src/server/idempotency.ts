/** Idempotency-Key replays: sealed responses keyed by a hash of the key and the caller. */
import { createHash } from 'node:crypto';
import { ApiError, type Credential, type RouteResult } from './context';
import type { Sql } from './database';
import type { Sealer } from './secrets';
import { MESSAGES } from './messages';

/** How long a stored idempotent response is replayed. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

/** JSON with object keys sorted, so equal bodies hash equally whatever their key order. */
export function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** Validates an `Idempotency-Key` header value. */
export function checkIdempotencyKey(raw: string | string[] | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (Array.isArray(raw) || !/^[\x21-\x7e]{1,255}$/.test(raw)) throw new ApiError(400, [MESSAGES.IDEMPOTENCY_KEY_INVALID()]);
  return raw;
}

/**
 * Runs `handle` at most once per (credential, Idempotency-Key): a retry with the same request gets the
 * stored response (status and body, including a secret value, kept for 24 h sealed with a key derived
 * from the Idempotency-Key itself, which the store never keeps);
 * a reuse with a different request is a 409. `db` must be the request's transaction, so the response
 * is stored with the change it describes (two instances racing on one key: one commits, the other
 * retries and replays). Records older than {@link IDEMPOTENCY_TTL_MS} are ignored here and pruned by
 * housekeeping.ts, outside request transactions.
 */
export async function runIdempotent(
  db: Sql,
  sealer: Sealer,
  credential: Credential,
  key: string,
  request: { method: string; path: string; body: unknown },
  now: number,
  handle: () => Promise<RouteResult>,
): Promise<RouteResult & { replayed: boolean }> {
  const credentialId = `${credential.kind}:${credential.id}`;
  const requestHash = createHash('sha256').update(`${request.method} ${request.path}\n${stableStringify(request.body ?? null)}`).digest('hex');
  const keyHash = sealer.keyHash(credentialId, key);
  const row = (await db.one('SELECT request_hash, status, sealed_response FROM idempotency WHERE credential_id = ? AND key_hash = ? AND created_at_ms >= ?', [
    credentialId,
    keyHash,
    now - IDEMPOTENCY_TTL_MS,
  ])) as
    | { request_hash: string; status: number; sealed_response: string }
    | undefined;
  if (row) {
    if (row.request_hash !== requestHash) throw new ApiError(409, [MESSAGES.IDEMPOTENCY_MISMATCH()]);
    return { status: row.status, body: JSON.parse(sealer.open(credentialId, key, row.sealed_response)) as unknown, replayed: true };
  }
  const result = await handle();
  // An expired record of the same key (not yet pruned) is replaced.
  await db.run(
    `INSERT INTO idempotency (credential_id, key_hash, request_hash, status, sealed_response, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (credential_id, key_hash) DO UPDATE SET request_hash = excluded.request_hash, status = excluded.status,
       sealed_response = excluded.sealed_response, created_at_ms = excluded.created_at_ms`,
    [credentialId, keyHash, requestHash, result.status, sealer.seal(credentialId, key, JSON.stringify(result.body ?? null)), now],
  );
  return { ...result, replayed: false };
}
