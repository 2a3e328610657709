import { backoffDelay, isRetryableErrorCode, isRetryableStatus, nextDelay, parseRetryAfter, DEFAULT_RETRY } from '../../src/client/retry-policy';

const opts = { baseDelayMs: 100, maxDelayMs: 1_000 };

describe('backoffDelay (exponential backoff with full jitter)', () => {
  it.each([
    { retry: 0, random: 0.999999, max: 99, reason: 'the first retry waits below the base delay' },
    { retry: 1, random: 0.999999, max: 199, reason: 'each retry doubles the ceiling' },
    { retry: 3, random: 0.999999, max: 799, reason: 'still doubling below the cap' },
    { retry: 4, random: 0.999999, max: 999, reason: 'the ceiling is capped at maxDelayMs' },
    { retry: 30, random: 0.999999, max: 999, reason: 'large retry numbers stay capped (no overflow)' },
  ])('retry $retry waits at most $max ms: $reason', ({ retry, random, max }) => {
    expect(backoffDelay(retry, opts, () => random)).toBe(max);
  });

  it('draws the whole range from zero (full jitter) so concurrent clients spread apart', () => {
    expect(backoffDelay(3, opts, () => 0)).toBe(0);
    expect(backoffDelay(3, opts, () => 0.5)).toBe(400);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2030-01-01T00:00:00Z');
  it.each([
    { value: '2', ms: 2000, reason: 'delay in seconds' },
    { value: ' 0 ', ms: 0, reason: 'zero with whitespace' },
    { value: '1.5', ms: 1500, reason: 'fractional seconds are tolerated' },
    { value: 'Tue, 01 Jan 2030 00:00:03 GMT', ms: 3000, reason: 'an HTTP date in the future' },
    { value: 'Mon, 31 Dec 2029 23:59:00 GMT', ms: 0, reason: 'an HTTP date in the past means now' },
    { value: ['4', '9'], ms: 4000, reason: 'the first of repeated headers wins' },
    { value: undefined, ms: undefined, reason: 'no header' },
    { value: '', ms: undefined, reason: 'an empty header' },
    { value: '-1', ms: undefined, reason: 'a negative number is not valid' },
    { value: 'soon', ms: undefined, reason: 'garbage is ignored' },
    { value: '2030', ms: 2_030_000, reason: 'a bare number is seconds, never a year' },
  ])('$value -> $ms: $reason', ({ value, ms }) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });
});

describe('isRetryableStatus', () => {
  it.each([
    { status: 429, retry: true, reason: 'rate limited' },
    { status: 500, retry: true, reason: 'server error' },
    { status: 502, retry: true, reason: 'bad gateway' },
    { status: 503, retry: true, reason: 'unavailable' },
    { status: 504, retry: true, reason: 'gateway timeout' },
    { status: 501, retry: false, reason: 'not implemented will not change' },
    { status: 400, retry: false, reason: 'an invalid request stays invalid' },
    { status: 401, retry: false, reason: 'bad credentials stay bad' },
    { status: 403, retry: false, reason: 'a missing scope stays missing' },
    { status: 404, retry: false, reason: 'a missing object stays missing' },
    { status: 409, retry: false, reason: 'an idempotency conflict must not be retried' },
  ])('$status -> $retry: $reason', ({ status, retry }) => {
    expect(isRetryableStatus(status)).toBe(retry);
  });
});

describe('isRetryableErrorCode', () => {
  it.each([
    { code: 'ECONNRESET', retry: true, reason: 'connection reset' },
    { code: 'ECONNREFUSED', retry: true, reason: 'server restarting' },
    { code: 'UND_ERR_SOCKET', retry: true, reason: 'socket closed by the other side' },
    { code: 'UND_ERR_HEADERS_TIMEOUT', retry: true, reason: 'a timeout' },
    { code: 'ENOTFOUND', retry: false, reason: 'a misspelled host will not appear' },
    { code: 'UND_ERR_INVALID_ARG', retry: false, reason: 'a programming error' },
    { code: undefined, retry: false, reason: 'an unknown error' },
  ])('$code -> $retry: $reason', ({ code, retry }) => {
    expect(isRetryableErrorCode(code)).toBe(retry);
  });
});

describe('nextDelay', () => {
  const policy = { ...DEFAULT_RETRY, maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000, maxElapsedMs: 10_000 };

  it('stops once maxRetries retries were made', () => {
    expect(nextDelay(2, 0, policy, undefined, () => 0.5)).toBe(200);
    expect(nextDelay(3, 0, policy, undefined, () => 0.5)).toBeUndefined();
  });

  it('honours Retry-After over backoff, capped at maxRetryAfterMs', () => {
    expect(nextDelay(0, 0, policy, 2500, () => 0.5)).toBe(2500);
    expect(nextDelay(0, 0, policy, 60_000, () => 0.5)).toBe(5000);
  });

  it('gives up instead of sleeping past the total time budget', () => {
    expect(nextDelay(0, 9_000, policy, 2000)).toBeUndefined();
    expect(nextDelay(0, 7_000, policy, 2000)).toBe(2000);
  });

  it('never retries when maxRetries is 0', () => {
    expect(nextDelay(0, 0, { ...policy, maxRetries: 0 })).toBeUndefined();
  });
});
