/**
 * How many API calls the handler has in flight at once: the default of a provider process, and the
 * limiter that holds every call to it.
 */

/** Default number of API calls in flight per provider process (also the client's connections). */
export const DEFAULT_CONCURRENCY = 8;

/** Bounded concurrency: at most `limit` tasks run at once, the rest wait in order. */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  /** @param limit the most tasks in flight at once (at least 1). */
  constructor(private readonly limit: number) {
    if (!(limit >= 1)) throw new Error('Limiter: limit must be at least 1');
  }

  /** Runs `task` when a slot is free and returns its result. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}
