import { TokenCache, refreshTime } from '../../src/client/token-cache';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('refreshTime', () => {
  it.each([
    { expiresIn: 3600, lead: 60_000, reason: 'long-lived tokens refresh 60 s early' },
    { expiresIn: 300, lead: 30_000, reason: 'a 5-minute token refreshes 10% (30 s) early' },
    { expiresIn: 10, lead: 1_000, reason: 'a short test token refreshes 10% early, not 60 s (which would be always)' },
    { expiresIn: 0, lead: 0, reason: 'an already-expired token is due at once' },
  ])('$expiresIn s -> $lead ms early: $reason', ({ expiresIn, lead }) => {
    expect(refreshTime(1_000_000, expiresIn)).toBe(1_000_000 + expiresIn * 1000 - lead);
  });
});

describe('TokenCache', () => {
  it('GIVEN many concurrent callers WHEN no token is cached THEN one token request serves them all (single flight)', async () => {
    const d = deferred<{ access_token: string; expires_in: number }>();
    const fetch = jest.fn(() => d.promise);
    const cache = new TokenCache(fetch);
    const callers = Array.from({ length: 20 }, () => cache.get());
    d.resolve({ access_token: 't1', expires_in: 3600 });
    expect(await Promise.all(callers)).toEqual(Array(20).fill('t1'));
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('reuses the cached token until its refresh time, then fetches a new one', async () => {
    let now = 0;
    let n = 0;
    const cache = new TokenCache(async () => ({ access_token: `t${++n}`, expires_in: 100 }), () => now);
    expect(await cache.get()).toBe('t1');
    now = 89_999; // refresh is due at 90 s (10% of 100 s early)
    expect(await cache.get()).toBe('t1');
    now = 90_000;
    expect(await cache.get()).toBe('t2');
  });

  it('shares a failure with every waiting caller and tries again on the next call', async () => {
    let n = 0;
    const cache = new TokenCache(async () => {
      n++;
      if (n === 1) throw new Error('token endpoint down');
      return { access_token: 'ok', expires_in: 100 };
    });
    const results = await Promise.allSettled([cache.get(), cache.get()]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await cache.get()).toBe('ok');
    expect(n).toBe(2);
  });

  it('invalidate(token) forces a new token, but only when that token is still the cached one', async () => {
    let n = 0;
    const cache = new TokenCache(async () => ({ access_token: `t${++n}`, expires_in: 3600 }));
    expect(await cache.get()).toBe('t1');
    cache.invalidate('t1');
    expect(await cache.get()).toBe('t2');
    cache.invalidate('t1'); // a late 401 for the old token must not throw away the new one
    expect(await cache.get()).toBe('t2');
    expect(n).toBe(2);
  });
});
