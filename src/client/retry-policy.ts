/**
 * When and how long the client waits before retrying: exponential backoff with full jitter, the
 * server's `Retry-After` when it sends one, and a bound on the total time spent retrying.
 */

/** Tuning of retries; every field has a default (see {@link DEFAULT_RETRY}). */
export interface RetryOptions {
  /** Retries after the first attempt (0 = no retry). */
  readonly maxRetries: number;
  /** Backoff ceiling of the first retry, doubled for each following one. */
  readonly baseDelayMs: number;
  /** Largest backoff ceiling of one retry. */
  readonly maxDelayMs: number;
  /** Largest `Retry-After` the client honours; longer ones are cut to this. */
  readonly maxRetryAfterMs: number;
  /** No retry starts once this much time has passed since the first attempt (sleep included). */
  readonly maxElapsedMs: number;
}

/** Defaults: 4 retries, 200 ms doubling to at most 5 s, Retry-After up to 20 s, 60 s in all. */
export const DEFAULT_RETRY: RetryOptions = {
  maxRetries: 4,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 20_000,
  maxElapsedMs: 60_000,
};

/**
 * Full-jitter backoff for retry number `retry` (0 for the first retry): a uniform delay between 0 and
 * `min(maxDelayMs, baseDelayMs * 2^retry)`, which spreads concurrent clients apart.
 */
export function backoffDelay(retry: number, opts: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'>, random: () => number = Math.random): number {
  const ceiling = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** Math.max(0, retry));
  return Math.floor(random() * ceiling);
}

/**
 * Parses a `Retry-After` header: delay seconds (`"2"`, `"1.5"`) or an HTTP date. Returns milliseconds
 * (0 for a date in the past), or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // Only a real HTTP date (with a weekday or month name), not any string Date.parse accepts.
  if (!/[A-Za-z]{3}/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** Statuses worth retrying: rate limiting and server failures (except 501, which will not change). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599 && status !== 501 && status !== 505);
}

/** Socket-level error codes that mean "try again": the server restarted, dropped or was busy. */
const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Whether a low-level error code (from undici or the socket) is transient. */
export function isRetryableErrorCode(code: string | undefined): boolean {
  return code !== undefined && RETRYABLE_CODES.has(code);
}

/**
 * The delay before the next retry, or undefined when no retry should happen: retries exhausted, or
 * waiting would exceed the total time budget. `retryAfterMs` (from the server) wins over backoff.
 */
export function nextDelay(
  retry: number,
  elapsedMs: number,
  opts: RetryOptions,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number | undefined {
  if (retry >= opts.maxRetries) return undefined;
  const delay = retryAfterMs !== undefined ? Math.min(retryAfterMs, opts.maxRetryAfterMs) : backoffDelay(retry, opts, random);
  if (elapsedMs + delay > opts.maxElapsedMs) return undefined;
  return delay;
}
