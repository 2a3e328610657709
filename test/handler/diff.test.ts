import { DesiredApiKey, ObservedApiKey, diffApiKey, diffAuthorization, diffProjectAccess, rotationDueSince } from '../../src/handler';

const observed: ObservedApiKey = {
  id: 'key_1',
  mid: 'mid_123456',
  name: 'support',
  type: 'secret',
  mode: 'test',
  scopes: ['charges:read', 'customers:read'],
  description: null,
  expiresAt: null,
  prefix: 'fsk_test_',
  fingerprint: 'sha256:0011223344556677',
  version: 1,
  createdAt: '2026-01-01T00:00:00Z',
  rotatedAt: null,
  status: 'active',
  metadata: {},
};
const desired: DesiredApiKey = {
  mid: 'mid_123456',
  name: 'support',
  type: 'secret',
  mode: 'test',
  scopes: ['charges:read', 'customers:read'],
  description: null,
  expiresAt: null,
  rotation: null,
};
const now = new Date('2026-02-01T00:00:00Z');

describe('diffApiKey', () => {
  it.each([
    { reason: 'nothing declared differs: noop', d: desired, o: observed, kind: 'noop', patch: {} },
    { reason: 'no object yet: create', d: desired, o: null, kind: 'create', patch: {} },
    { reason: 'no longer declared: delete', d: null, o: observed, kind: 'delete', patch: {} },
    { reason: 'scope order does not matter', d: { ...desired, scopes: ['customers:read', 'charges:read'] }, o: observed, kind: 'noop', patch: {} },
    { reason: 'a new scope updates in place', d: { ...desired, scopes: ['charges:read', 'customers:read', 'refunds:read'] }, o: observed, kind: 'update', patch: { scopes: ['charges:read', 'customers:read', 'refunds:read'] } },
    { reason: 'a rename updates in place', d: { ...desired, name: 'helpdesk' }, o: observed, kind: 'update', patch: { name: 'helpdesk' } },
    { reason: 'clearing a description sends null', d: desired, o: { ...observed, description: 'old' }, kind: 'update', patch: { description: null } },
    { reason: 'the same expiry spelled differently is no change', d: { ...desired, expiresAt: '2030-01-01T00:00:00Z' }, o: { ...observed, expiresAt: '2030-01-01T00:00:00.000Z' }, kind: 'noop', patch: {} },
    { reason: 'a type change forces replacement', d: { ...desired, type: 'public' }, o: observed, kind: 'replace', patch: {} },
    { reason: 'a mode change forces replacement', d: { ...desired, mode: 'live' }, o: observed, kind: 'replace', patch: {} },
    { reason: 'a merchant change forces replacement', d: { ...desired, mid: 'mid_654321' }, o: observed, kind: 'replace', patch: {} },
    { reason: 'rotation not yet due: noop', d: { ...desired, rotation: { everySeconds: 90 * 86400, graceSeconds: 0 } }, o: observed, kind: 'noop', patch: {} },
    { reason: 'rotation due: rotate', d: { ...desired, rotation: { everySeconds: 30 * 86400, graceSeconds: 0 } }, o: observed, kind: 'rotate', patch: {} },
    { reason: 'rotation counts from the last rotation', d: { ...desired, rotation: { everySeconds: 30 * 86400, graceSeconds: 0 } }, o: { ...observed, rotatedAt: '2026-01-15T00:00:00Z' }, kind: 'noop', patch: {} },
  ] as const)('$reason', ({ d, o, kind, patch }) => {
    const diff = diffApiKey(d as DesiredApiKey | null, o as ObservedApiKey | null, now);
    expect(diff.kind).toBe(kind);
    expect(diff.patch).toEqual(patch);
  });

  it('names every field that forces replacement, and why', () => {
    const diff = diffApiKey({ ...desired, type: 'public', mode: 'live', name: 'x' }, observed, now);
    expect(diff.changes.filter((c) => c.forcesReplacement).map((c) => c.field)).toEqual(['type', 'mode']);
    expect(diff.reasons).toEqual(['type cannot change in place', 'mode cannot change in place']);
  });

  it('keeps an update and a due rotation together', () => {
    const diff = diffApiKey({ ...desired, name: 'renamed', rotation: { everySeconds: 86400, graceSeconds: 0 } }, observed, now);
    expect(diff.kind).toBe('update');
    expect(diff.rotationDueSince).toBe('2026-01-02T00:00:00.000Z');
  });
});

describe('rotationDueSince', () => {
  it.each([
    { reason: 'due exactly at the period end', key: { createdAt: '2026-01-01T00:00:00Z', rotatedAt: null }, every: 31 * 86400, due: '2026-02-01T00:00:00.000Z' },
    { reason: 'not due one second before', key: { createdAt: '2026-01-01T00:00:01Z', rotatedAt: null }, every: 31 * 86400, due: null },
    { reason: 'an unparsable creation time is never due', key: { createdAt: 'garbage', rotatedAt: null }, every: 1, due: null },
  ])('$reason', ({ key, every, due }) => {
    expect(rotationDueSince(key, every, now)).toBe(due);
  });
});

describe('diffAuthorization', () => {
  const o = { id: 'auth_1', name: 'claude-code', kind: 'oauth2', ownerId: 'usr_alice', mode: 'test', capabilities: ['api', 'mcp'], clientId: 'c', fingerprint: 'f', projectAccess: [{ projectId: 'proj_payments', role: 'viewer' }], mcpServers: ['billing-flow'], unmanaged: [] };
  const d = { name: 'claude-code', kind: 'oauth2', ownerId: 'usr_alice', mode: 'test', capabilities: ['api', 'mcp'] };
  it.each([
    { reason: 'project access and MCP servers are not the authorization resource’s business', d, kind: 'noop', patch: {} },
    { reason: 'a new capability updates in place and sends only capabilities', d: { ...d, capabilities: ['api', 'mcp', 'secrets:edit'] }, kind: 'update', patch: { capabilities: ['api', 'mcp', 'secrets:edit'] } },
    { reason: 'another owner forces replacement', d: { ...d, ownerId: 'usr_bob' }, kind: 'replace', patch: {} },
    { reason: 'another kind forces replacement', d: { ...d, kind: 'api_key' }, kind: 'replace', patch: {} },
    { reason: 'another mode forces replacement: a test authorization never becomes live in place', d: { ...d, mode: 'live' }, kind: 'replace', patch: {} },
  ])('$reason', ({ d: desiredAuth, kind, patch }) => {
    const diff = diffAuthorization(desiredAuth, o);
    expect(diff.kind).toBe(kind);
    expect(diff.patch).toEqual(patch);
  });
});

describe('diffProjectAccess', () => {
  const v = { authorizationId: 'auth_1', projectId: 'proj_payments', role: 'viewer' };
  it.each([
    { reason: 'same role: noop', d: v, o: v, kind: 'noop' },
    { reason: 'another role: update in place', d: { ...v, role: 'editor' }, o: v, kind: 'update' },
    { reason: 'another project: replace', d: { ...v, projectId: 'proj_support' }, o: v, kind: 'replace' },
    { reason: 'gone: create', d: v, o: null, kind: 'create' },
    { reason: 'undeclared: delete', d: null, o: v, kind: 'delete' },
  ])('$reason', ({ d, o, kind }) => {
    expect(diffProjectAccess(d, o).kind).toBe(kind);
  });
});
