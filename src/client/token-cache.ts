/**
 * The client-credentials bearer: fetched once, shared by concurrent callers (single flight), cached
 * until shortly before it expires, and dropped when the server refuses it.
 */

/** What `POST /oauth2/token` returns, reduced to what the cache needs. */
export interface IssuedToken {
  /** The bearer. */
  readonly access_token: string;
  /** Seconds until it expires. */
  readonly expires_in: number;
}

/** Longest head start of a refresh before the token expires. */
export const MAX_REFRESH_LEAD_MS = 60_000;

/**
 * When a token obtained at `obtainedAt` with a lifetime of `expiresInSeconds` should be replaced:
 * 10% of its lifetime before it expires, but never more than 60 s early.
 */
export function refreshTime(obtainedAt: number, expiresInSeconds: number): number {
  const lifetime = Math.max(0, expiresInSeconds) * 1000;
  return obtainedAt + lifetime - Math.min(MAX_REFRESH_LEAD_MS, lifetime * 0.1);
}

/** Caches one bearer token obtained by `fetchToken`. */
export class TokenCache {
  readonly #fetchToken: () => Promise<IssuedToken>;
  readonly #now: () => number;
  #token: string | undefined;
  #refreshAt = 0;
  #pending: Promise<string> | undefined;

  /** `fetchToken` performs the token request (with its own retries); `now` is injectable for tests. */
  constructor(fetchToken: () => Promise<IssuedToken>, now: () => number = Date.now) {
    this.#fetchToken = fetchToken;
    this.#now = now;
  }

  /** A valid token: the cached one, the one already being fetched, or a new one. */
  get(): Promise<string> {
    if (this.#token !== undefined && this.#now() < this.#refreshAt) return Promise.resolve(this.#token);
    if (this.#pending) return this.#pending;
    const started = this.#now();
    const pending = this.#fetchToken().then(
      (issued) => {
        this.#token = issued.access_token;
        this.#refreshAt = refreshTime(started, issued.expires_in);
        this.#pending = undefined;
        return issued.access_token;
      },
      (err: unknown) => {
        this.#pending = undefined;
        throw err;
      },
    );
    this.#pending = pending;
    return pending;
  }

  /**
   * Forgets `token` after the server refused it. A token that was already replaced (another caller
   * re-authenticated first) is left alone so concurrent 401s cause one token request, not many.
   */
  invalidate(token: string): void {
    if (this.#token === token) {
      this.#token = undefined;
      this.#refreshAt = 0;
    }
  }
}
