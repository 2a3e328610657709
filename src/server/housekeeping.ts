/**
 * Removes what has expired: access tokens of the admin client and of authorizations, and idempotent
 * replays older than their 24 h. Every lookup already ignores expired rows, so this only keeps the
 * tables small; it runs outside request transactions (one statement each), so on PostgreSQL the range
 * deletes never make concurrent requests fail to serialize, and several instances running it at once
 * only delete the same rows.
 */
import type { Store } from './database';
import { IDEMPOTENCY_TTL_MS } from './idempotency';

/** How often a server prunes, at most. */
export const HOUSEKEEPING_INTERVAL_MS = 60_000;

/** Deletes expired tokens and idempotency records. */
export async function pruneExpired(store: Store, now: number): Promise<void> {
  await store.run('DELETE FROM access_tokens WHERE expires_at_ms <= ?', [now]);
  await store.run('DELETE FROM authorization_tokens WHERE expires_at_ms <= ?', [now]);
  await store.run('DELETE FROM idempotency WHERE created_at_ms < ?', [now - IDEMPOTENCY_TTL_MS]);
}

/** Prunes now and then every {@link HOUSEKEEPING_INTERVAL_MS}; returns the function that stops it. */
export function startHousekeeping(store: Store, onError: (e: Error) => void): () => void {
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    pruneExpired(store, Date.now())
      .catch((e: Error) => onError(e))
      .finally(() => (running = false));
  };
  tick();
  const timer = setInterval(tick, HOUSEKEEPING_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
