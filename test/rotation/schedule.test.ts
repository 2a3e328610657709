import { assessKey, assessKeys } from '../../src/rotation/schedule';
import type { KeyRecord } from '../../src/rotation/state-keys';

function rec(over: Partial<KeyRecord> = {}): KeyRecord {
  return {
    address: 'keyform_api_key.pay',
    id: 'key_1',
    name: 'payments-svc',
    mode: 'live',
    type: 'secret',
    mid: 'mid_123456',
    rotation: { every: '90d', gracePeriod: '24h' },
    createdAt: '2026-01-01T00:00:00Z',
    rotatedAt: null,
    expiresAt: null,
    version: 1,
    ...over,
  };
}

describe('assessKey', () => {
  it.each([
    { reason: 'before every has passed the key is healthy', key: rec(), now: '2026-03-31T23:59:59Z', status: 'healthy', dueAt: '2026-04-01T00:00:00Z' },
    { reason: 'at exactly every it is due', key: rec(), now: '2026-04-01T00:00:00Z', status: 'due', dueAt: '2026-04-01T00:00:00Z' },
    { reason: 'within the grace period it is still due', key: rec(), now: '2026-04-01T23:00:00Z', status: 'due', dueAt: '2026-04-01T00:00:00Z' },
    { reason: 'past due plus grace it is overdue', key: rec(), now: '2026-04-02T00:00:00Z', status: 'overdue', dueAt: '2026-04-01T00:00:00Z' },
    { reason: 'the last rotation, not creation, starts the period', key: rec({ rotatedAt: '2026-03-15T00:00:00Z' }), now: '2026-04-02T00:00:00Z', status: 'healthy', dueAt: '2026-06-13T00:00:00Z' },
    { reason: 'no grace period declared means the provider default 24h', key: rec({ rotation: { every: '1h', gracePeriod: null } }), now: '2026-01-01T12:00:00Z', status: 'due', dueAt: '2026-01-01T01:00:00Z' },
    { reason: 'a key without rotation is listed as such', key: rec({ rotation: null }), now: '2030-01-01T00:00:00Z', status: 'no-rotation', dueAt: null },
    { reason: 'an unreadable period is unknown, not healthy', key: rec({ rotation: { every: '90 days', gracePeriod: null } }), now: '2026-01-02T00:00:00Z', status: 'unknown', dueAt: null },
    { reason: 'no creation time is unknown, not healthy', key: rec({ createdAt: null }), now: '2026-01-02T00:00:00Z', status: 'unknown', dueAt: null },
  ])('$reason', ({ key, now, status, dueAt }) => {
    const a = assessKey(key, new Date(now));
    expect(a.status).toBe(status);
    expect(a.dueAt).toBe(dueAt);
  });

  it('applies a default policy only to keys without a declared rotation', () => {
    const now = new Date('2026-02-01T00:00:00Z');
    expect(assessKey(rec({ rotation: null }), now, { every: '30d' })).toMatchObject({ status: 'overdue', policySource: 'default', every: '30d', gracePeriod: '24h' });
    expect(assessKey(rec(), now, { every: '30d' })).toMatchObject({ status: 'healthy', policySource: 'declared', every: '90d' });
  });

  it('marks a key whose expires_at has passed', () => {
    expect(assessKey(rec({ expiresAt: '2026-01-10T00:00:00Z' }), new Date('2026-02-01T00:00:00Z')).expired).toBe(true);
  });
});

describe('assessKeys', () => {
  it('lists the most urgent first, then by due date', () => {
    const now = new Date('2026-04-01T12:00:00Z');
    const rows = assessKeys(
      [
        rec({ name: 'none', rotation: null }),
        rec({ name: 'later', createdAt: '2026-03-01T00:00:00Z' }),
        rec({ name: 'sooner', createdAt: '2026-02-01T00:00:00Z' }),
        rec({ name: 'due' }),
        rec({ name: 'overdue', createdAt: '2025-12-01T00:00:00Z' }),
      ],
      now,
    );
    expect(rows.map((r) => [r.key.name, r.status])).toEqual([
      ['overdue', 'overdue'],
      ['due', 'due'],
      ['sooner', 'healthy'],
      ['later', 'healthy'],
      ['none', 'no-rotation'],
    ]);
  });
});
