/**
 * Per-credential token buckets: each credential may burst up to `ratePerSecond` requests and is
 * refilled at that rate.
 *
 * The buckets live in this process: with several instances over one PostgreSQL database the limit is
 * per instance (behind N instances a credential may make up to N × the rate). A shared counter would
 * cost a database write on every request, the hottest path, to enforce a limit whose purpose is to
 * protect each instance (docs/guides/postgresql.md).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** A limiter allowing `ratePerSecond` sustained requests per key. */
  constructor(private readonly ratePerSecond: number) {}

  /** Takes one token for `key`; returns undefined when allowed, else the seconds to wait (at least 1). */
  take(key: string, now: number): number | undefined {
    const cap = this.ratePerSecond;
    const b = this.buckets.get(key) ?? { tokens: cap, at: now };
    b.tokens = Math.min(cap, b.tokens + ((now - b.at) / 1000) * cap);
    b.at = now;
    this.buckets.set(key, b);
    if (this.buckets.size > 10_000) this.prune(now);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / cap));
  }

  private prune(now: number): void {
    // A full bucket carries no state worth keeping.
    for (const [k, b] of this.buckets) if (b.tokens + ((now - b.at) / 1000) * this.ratePerSecond >= this.ratePerSecond) this.buckets.delete(k);
  }
}
