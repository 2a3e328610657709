/** The API's limits the handler keeps to (grace period, page size) and how it retries one API call. */

/** Page size of the read cache's listing: the API's maximum. */
export const LIST_PAGE_SIZE = 1000;

/**
 * Retries of one API call made by the provider: more, shorter ones than the client's defaults (4
 * retries, backoff up to 5 s). Every call the provider makes is safe to repeat (creates and rotations
 * carry an Idempotency-Key, updates and revokes are idempotent) and one failed call fails a whole apply
 * of hundreds of resources, while an unreachable endpoint should still fail within seconds. A 429's
 * Retry-After is honoured whatever the backoff cap.
 */
export const PROVIDER_RETRY = { maxRetries: 10, maxDelayMs: 1_000 } as const;
