/** The hygiene checks as pure functions: each outcome (finding, passes, not applicable) of each. */
import { checkExpiry, checkLiveWithoutExpiryOrRotation, checkOwner, checkRotation, checkUnusedKey, checkUnusedScopes, hclScopesEdit, tsScopesEdit, unifiedDiff, type KeyFacts } from '../../src/hygiene';
import { adviseScopes } from '../../src/model';

const NOW = new Date('2030-06-30T00:00:00Z');
const WINDOW = new Date('2030-05-31T00:00:00Z');

function key(over: Partial<KeyFacts> = {}): KeyFacts {
  return {
    id: 'key_1', name: 'svc', address: null, mid: 'mid_1', type: 'secret', mode: 'test', scopes: ['api_keys:read'], status: 'active',
    createdAt: '2030-01-01T00:00:00Z', rotatedAt: null, expiresAt: null, version: 1, lastUsedAt: '2030-06-29T00:00:00Z', rotation: null, exercised: ['api_keys:read'], ...over,
  };
}

describe('checkUnusedKey', () => {
  it.each([
    { reason: 'used inside the window passes', k: key(), kind: null },
    { reason: 'never used is listed', k: key({ lastUsedAt: null }), kind: 'key-never-used' },
    { reason: 'last used before the window is listed', k: key({ lastUsedAt: '2030-01-02T00:00:00Z' }), kind: 'key-unused' },
    { reason: 'unknown last use (state without it) is not applicable', k: key({ lastUsedAt: undefined }), kind: null },
    { reason: 'an expired key is reported as expired instead', k: key({ lastUsedAt: null, status: 'expired' }), kind: null },
  ])('$reason', ({ k, kind }) => {
    expect(checkUnusedKey(k, NOW, WINDOW)?.kind ?? null).toBe(kind);
  });
});

describe('checkUnusedScopes and adviseScopes', () => {
  it.each([
    { reason: 'every held scope used passes', k: key(), narrower: null },
    { reason: 'write held, only read used: lowered to read', k: key({ scopes: ['api_keys:write'], exercised: ['api_keys:read'] }), narrower: ['api_keys:read'] },
    { reason: 'an unused observable scope is dropped, an unobservable one kept', k: key({ scopes: ['api_keys:read', 'audit_log:read', 'customers:read'] }), narrower: ['customers:read', 'api_keys:read'] },
    { reason: 'full access narrows to what was used', k: key({ scopes: [], exercised: ['audit_log:read'] }), narrower: ['audit_log:read'] },
    { reason: 'no usage in the window: the unused-key check speaks instead', k: key({ scopes: ['api_keys:write'], exercised: [] }), narrower: null },
    { reason: 'usage unknown is not applicable', k: key({ scopes: ['api_keys:write'], exercised: undefined }), narrower: null },
    { reason: 'public keys are not credentials of this API', k: key({ type: 'public', scopes: ['api_keys:write'] }), narrower: null },
  ])('$reason', ({ k, narrower }) => {
    expect(checkUnusedScopes(k)?.scopes?.narrower ?? null).toEqual(narrower);
  });

  it('keeps write when write was used, and never advises a scope the key does not hold', () => {
    expect(adviseScopes(['api_keys:write'], ['api_keys:write', 'api_keys:read', 'audit_log:read'])).toMatchObject({ narrower: ['api_keys:write'], unused: [] });
  });
});

describe('checkExpiry', () => {
  it.each([
    { reason: 'no expiry passes', k: key(), kind: null },
    { reason: 'far expiry passes', k: key({ expiresAt: '2031-01-01T00:00:00Z' }), kind: null },
    { reason: 'expiry within the window is listed', k: key({ expiresAt: '2030-07-05T00:00:00Z' }), kind: 'key-expiring' },
    { reason: 'a passed expiry is listed as expired', k: key({ expiresAt: '2030-06-01T00:00:00Z' }), kind: 'key-expired' },
    { reason: 'the server status expired is listed', k: key({ status: 'expired' }), kind: 'key-expired' },
  ])('$reason', ({ k, kind }) => {
    expect(checkExpiry(k, NOW, 14 * 86_400_000)?.kind ?? null).toBe(kind);
  });
});

describe('checkLiveWithoutExpiryOrRotation', () => {
  it.each([
    { reason: 'a test key is not applicable', k: key(), listed: false },
    { reason: 'live, no expiry, no rotation is listed', k: key({ mode: 'live' }), listed: true },
    { reason: 'live with rotation unknown (no state) is listed', k: key({ mode: 'live', rotation: undefined }), listed: true },
    { reason: 'live with rotation passes', k: key({ mode: 'live', rotation: { every: '90d', gracePeriod: null } }), listed: false },
    { reason: 'live with expiry passes', k: key({ mode: 'live', expiresAt: '2031-01-01T00:00:00Z' }), listed: false },
    { reason: 'a live public key is not applicable', k: key({ mode: 'live', type: 'public' }), listed: false },
  ])('$reason', ({ k, listed }) => {
    expect(checkLiveWithoutExpiryOrRotation(k) !== null).toBe(listed);
  });
});

describe('checkRotation', () => {
  it.each([
    { reason: 'no rotation is not applicable', k: key(), kind: null },
    { reason: 'not yet due passes', k: key({ rotation: { every: '365d', gracePeriod: null } }), kind: null },
    { reason: 'due within the grace is listed', k: key({ rotation: { every: '180d', gracePeriod: '30d' } }), kind: 'rotation-due' },
    { reason: 'past the grace is overdue', k: key({ rotation: { every: '90d', gracePeriod: '1d' } }), kind: 'rotation-overdue' },
  ])('$reason', ({ k, kind }) => {
    expect(checkRotation(k, NOW)?.kind ?? null).toBe(kind);
  });
});

describe('checkOwner', () => {
  const auth = { id: 'auth_1', name: 'claude', address: null, ownerId: 'usr_a', mid: 'mid_1', capabilities: ['mcp', 'api'], projectAccess: [{ projectId: 'proj_p', role: 'editor' }], mcpServers: ['billing'] };
  const servers = new Map([['billing', 'proj_p']]);
  it.each([
    { reason: 'owners unknown is not applicable', owner: undefined, kind: null, missing: undefined },
    { reason: 'a removed owner is listed', owner: null, kind: 'owner-missing', missing: undefined },
    { reason: 'an owner holding everything passes', owner: { id: 'usr_a', roles: [{ projectId: 'proj_p', role: 'admin' }], capabilities: ['mcp', 'api'] }, kind: null, missing: undefined },
    {
      reason: 'a lowered role and a lost capability are listed with the difference',
      owner: { id: 'usr_a', roles: [{ projectId: 'proj_p', role: 'viewer' }], capabilities: ['mcp'] },
      kind: 'owner-lacks-access',
      missing: ['capability api', 'project proj_p: editor -> viewer'],
    },
    {
      reason: 'a removed role also takes the MCP server of that project',
      owner: { id: 'usr_a', roles: [], capabilities: ['mcp', 'api'] },
      kind: 'owner-lacks-access',
      missing: ['project proj_p (editor): owner has no role', 'MCP server billing: owner has no role on proj_p'],
    },
  ])('$reason', ({ owner, kind, missing }) => {
    const f = checkOwner(auth, owner, servers);
    expect(f?.kind ?? null).toBe(kind);
    expect(f?.missing_access).toEqual(missing);
  });
});

describe('suggested changes', () => {
  it('replaces a multi-line HCL scopes list and keeps its indentation', () => {
    const lines = ['resource "keyform_api_key" "svc" {', '  name   = "svc"', '  type   = "secret"', '  scopes = [', '    "a:read",', '    "b:write",', '  ]', '}'];
    const edit = hclScopesEdit(lines, 'svc', ['a:read'])!;
    expect(unifiedDiff('api_keys.tf', lines, edit)).toBe(
      ['--- a/api_keys.tf', '+++ b/api_keys.tf', '@@ -1,8 +1,5 @@', ' resource "keyform_api_key" "svc" {', '   name   = "svc"', '   type   = "secret"', '-  scopes = [', '-    "a:read",', '-    "b:write",', '-  ]', '+  scopes = ["a:read"]', ' }', ''].join('\n'),
    );
  });

  it('adds scopes to a full-access HCL key after its type', () => {
    const lines = ['resource "keyform_api_key" "ops" {', '  name = "ops"', '  type = "secret"', '}'];
    expect(hclScopesEdit(lines, 'ops', ['audit_log:read'])).toEqual({ start: 3, end: 3, lines: ['  scopes = ["audit_log:read"]'] });
    expect(hclScopesEdit(lines, 'other', ['x:read'])).toBeUndefined();
  });

  it('rewrites the scopes of the ApiKey construct with the intent-level API', () => {
    const lines = ['const k = new ApiKey(stack, "svc", {', '  name: "svc",', '  type: KeyType.SECRET,', '  scopes: [Scope.write("api_keys"), Scope.read("audit_log")],', '});'];
    expect(tsScopesEdit(lines, 'svc', ['api_keys:read'])).toEqual({ start: 3, end: 4, lines: ["  scopes: [Scope.read('api_keys')],"] });
    const full = ['new ApiKey(this, \'ops\', {', "  name: 'ops',", '  type: KeyType.SECRET,', '});'];
    expect(tsScopesEdit(full, 'ops', ['audit_log:read'])).toEqual({ start: 2, end: 2, lines: ["  scopes: [Scope.read('audit_log')],"] });
  });
});
