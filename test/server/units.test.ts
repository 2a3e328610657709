import { drawAfterFault, drawBeforeFault, parseFaultSpec } from '../../src/server/faults';
import { RateLimiter } from '../../src/server/rate-limit';
import { decodeCursor, encodeCursor } from '../../src/server/pagination';
import { fingerprintOf, hashSecret, newSecret, Sealer } from '../../src/server/secrets';
import { databaseUrlSecrets, describeDatabaseUrl, lockId, toPositional } from '../../src/server/postgres-store';
import { nulField } from '../../src/server/app';

describe('parseFaultSpec', () => {
  it('parses every kind of fault', () => {
    expect(parseFaultSpec('500=0.2,429=0.1,latency=0-50,drop=0.01,after=0.1,after-drop=0.05')).toEqual({
      error500: 0.2,
      error429: 0.1,
      latencyMs: [0, 50],
      drop: 0.01,
      after: 0.1,
      afterDrop: 0.05,
    });
  });

  it.each([
    { spec: '503=0.1', reason: 'an unknown fault' },
    { spec: '500=2', reason: 'a rate above 1' },
    { spec: '500', reason: 'a missing rate' },
    { spec: 'latency=50-10', reason: 'an inverted latency range' },
    { spec: 'latency=fast', reason: 'a latency that is not a range' },
  ])('refuses $spec ($reason)', ({ spec }) => {
    expect(() => parseFaultSpec(spec)).toThrow(/^Invalid fault spec/);
  });

  it('draws faults in proportion to their rates', () => {
    const f = parseFaultSpec('drop=0.1,500=0.2,429=0.3,after=0.5,after-drop=0.25');
    expect(drawBeforeFault(f, () => 0.05)).toBe('drop');
    expect(drawBeforeFault(f, () => 0.25)).toBe('500');
    expect(drawBeforeFault(f, () => 0.55)).toBe('429');
    expect(drawBeforeFault(f, () => 0.65)).toBeUndefined();
    expect(drawAfterFault(f, () => 0.2)).toBe('drop');
    expect(drawAfterFault(f, () => 0.7)).toBe('500');
    expect(drawAfterFault(f, () => 0.8)).toBeUndefined();
  });
});

describe('RateLimiter', () => {
  it('allows a burst of the rate, then asks to wait, then refills over time', () => {
    const l = new RateLimiter(2);
    expect(l.take('a', 0)).toBeUndefined();
    expect(l.take('a', 0)).toBeUndefined();
    expect(l.take('a', 0)).toBe(1);
    expect(l.take('b', 0)).toBeUndefined();
    expect(l.take('a', 600)).toBeUndefined();
  });
});

describe('cursors and secrets', () => {
  it('round-trips cursors and refuses forged ones with the API message', () => {
    expect(decodeCursor(encodeCursor(42))).toBe(42);
    expect(() => decodeCursor('abc')).toThrow('Invalid cursor value.');
  });

  it('issues prefix + 32 base62 characters and fingerprints from the sha256', () => {
    const v = newSecret('fsk_test_');
    expect(v).toMatch(/^fsk_test_[0-9A-Za-z]{32}$/);
    expect(newSecret('fsk_test_')).not.toBe(v);
    expect(fingerprintOf(v)).toBe(`sha256:${hashSecret(v).slice(0, 16)}`);
  });

  it('opens a replay only with the same credential and Idempotency-Key, never with the server secret alone', () => {
    const a = new Sealer(Buffer.alloc(32, 1));
    const b = new Sealer(Buffer.alloc(32, 2));
    const sealed = a.seal('api_key:key_1', 'idem-1', '{"value":"x"}');
    expect(sealed).not.toContain('value');
    expect(a.open('api_key:key_1', 'idem-1', sealed)).toBe('{"value":"x"}');
    // Another server secret does not matter: the sealing key comes from the Idempotency-Key.
    expect(b.open('api_key:key_1', 'idem-1', sealed)).toBe('{"value":"x"}');
    expect(() => a.open('api_key:key_1', 'idem-2', sealed)).toThrow();
    expect(() => a.open('api_key:key_2', 'idem-1', sealed)).toThrow();
    // The stored lookup hash is not the Idempotency-Key and differs per credential.
    expect(a.keyHash('api_key:key_1', 'idem-1')).not.toContain('idem-1');
    expect(a.keyHash('api_key:key_1', 'idem-1')).not.toBe(a.keyHash('api_key:key_2', 'idem-1'));
  });
});

describe('the PostgreSQL store translates the one SQL', () => {
  it.each([
    { sql: 'SELECT * FROM t WHERE a = ? AND b = ?', want: 'SELECT * FROM t WHERE a = $1 AND b = $2', reason: 'placeholders in order' },
    { sql: "SELECT '?' AS q, \"a?\" FROM t WHERE c = ?", want: "SELECT '?' AS q, \"a?\" FROM t WHERE c = $1", reason: 'a ? inside a string literal or a quoted name stays' },
    { sql: "UPDATE t SET s = 'it''s' WHERE id = ?", want: "UPDATE t SET s = 'it''s' WHERE id = $1", reason: 'an escaped quote does not end the literal early' },
  ])('$reason', ({ sql, want }) => {
    expect(toPositional(sql)).toBe(want);
  });

  it('derives advisory lock ids from names in the process: stable, 64-bit, different per name', () => {
    expect(lockId('object:key_1')).toBe(lockId('object:key_1'));
    expect(lockId('object:key_1')).not.toBe(lockId('object:key_2'));
    const n = BigInt(lockId('idempotency:x'));
    expect(n >= -(2n ** 63n) && n < 2n ** 63n).toBe(true);
  });

  it('redacts a database URL for logs, keeping user, host and database', () => {
    expect(describeDatabaseUrl('postgres://keyform:s3cr%40t@db:5432/keyform?sslmode=require')).toBe('postgres://keyform:[redacted]@db:5432/keyform?sslmode=require');
    expect(databaseUrlSecrets('postgres://keyform:s3cr%40t@db/k')).toEqual(['s3cr%40t', 's3cr@t']);
    expect(databaseUrlSecrets('postgres://db/k')).toEqual([]);
  });
});

describe('text with U+0000', () => {
  it.each([
    { input: { path: { id: 'a\u0000' } }, want: 'path.id', reason: 'a path id' },
    { input: { body: { metadata: { 'k\u0000': 'v' } } }, want: 'body.metadata.k\\u0000', reason: 'an object key, shown escaped' },
    { input: { body: { scopes: ['a', 'b\u0000'] } }, want: 'body.scopes.1', reason: 'an array item' },
    { input: { body: { name: 'plain' } }, want: undefined, reason: 'none' },
  ])('is found in $reason', ({ input, want }) => {
    expect(nulField(input)).toBe(want);
  });

  it('is searched without recursion, so a body nested 100,000 deep does not overflow the stack', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(nulField(deep)).toBe(`${'a.'.repeat(99_999)}a`);
  });
});
