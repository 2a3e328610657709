/** Numeric limits the handler shares with the API. */

/** Longest grace period a rotation accepts (the API's limit): 30 days. */
export const MAX_GRACE_SECONDS = 30 * 24 * 3600;

/** Page size of the read cache's listing: the API's maximum. */
export const LIST_PAGE_SIZE = 1000;

/** Default number of API calls in flight per provider process. */
export const DEFAULT_CONCURRENCY = 8;
