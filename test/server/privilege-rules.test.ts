/**
 * The pure rules of src/server/privilege.ts, one row per case with its reason: reach (merchant and
 * mode), scopes within the caller, expiry within the caller, and delegation of authorization powers
 * (including the hook for tokens acting for a user, which the authorization tokens use).
 */
import type { Credential } from '../../src/server/context';
import { ApiError } from '../../src/server/context';
import { assertExpiryWithinCaller, assertMayDelegate, mayReach, scopesBeyond } from '../../src/server/privilege';

const admin: Credential = { kind: 'oauth_client', id: 'kfc_admin', admin: true };
const testKey: Credential = { kind: 'api_key', id: 'key_t', mid: 'mid_1', mode: 'test', scopes: [], expiresAtMs: null };
const liveNarrow: Credential = { kind: 'api_key', id: 'key_l', mid: 'mid_1', mode: 'live', scopes: ['charges:write'], expiresAtMs: 1_000 };
const forAlice: Credential = { kind: 'oauth_client', id: 'fci_x', admin: false, mode: 'test', mid: 'mid_1', actingFor: 'usr_alice' };

const status = (f: () => void): number => {
  try {
    f();
    return 200;
  } catch (e) {
    return (e as ApiError).status;
  }
};

it.each([
  { cred: admin, p: { mid: 'mid_2', mode: 'live' as const }, reach: true, reason: 'the admin client reaches every merchant and mode' },
  { cred: testKey, p: { mid: 'mid_1', mode: 'test' as const }, reach: true, reason: 'own merchant, own mode' },
  { cred: testKey, p: { mid: 'mid_1', mode: 'live' as const }, reach: false, reason: 'another mode' },
  { cred: testKey, p: { mid: 'mid_2', mode: 'test' as const }, reach: false, reason: 'another merchant' },
  { cred: testKey, p: { mid: null, mode: null }, reach: false, reason: 'an object without a merchant is the admin’s only' },
  { cred: forAlice, p: { mid: 'mid_1', mode: 'live' as const }, reach: false, reason: 'an authorization token is confined to its mode' },
  { cred: liveNarrow, p: { mid: 'mid_1', mode: null }, reach: true, reason: 'an object without a mode is reachable from either mode' },
])('mayReach: $reason', ({ cred, p, reach }) => {
  expect(mayReach(cred, p)).toBe(reach);
});

it.each([
  { held: 'all' as const, scopes: [], beyond: [], reason: 'full access covers a full-access key' },
  { held: ['charges:write'], scopes: ['charges:read'], beyond: [], reason: 'write implies read' },
  { held: ['charges:read'], scopes: ['charges:write'], beyond: ['charges:write'], reason: 'read does not imply write' },
  { held: ['charges:write'], scopes: [], beyond: ['*'], reason: 'a scoped caller never covers full access' },
])('scopesBeyond: $reason', ({ held, scopes, beyond }) => {
  expect(scopesBeyond(held, scopes)).toEqual(beyond);
});

it.each([
  { cred: liveNarrow, ms: 500, status: 200, reason: 'sooner than the caller' },
  { cred: liveNarrow, ms: 1_000, status: 200, reason: 'at the caller’s own expiry' },
  { cred: liveNarrow, ms: 1_001, status: 403, reason: 'later than the caller' },
  { cred: liveNarrow, ms: null, status: 403, reason: 'no expiry from an expiring caller' },
  { cred: testKey, ms: null, status: 200, reason: 'a caller without expiry gives any' },
  { cred: admin, ms: null, status: 200, reason: 'the admin client is not bounded by an expiry' },
])('assertExpiryWithinCaller: $reason', ({ cred, ms, status: s }) => {
  expect(status(() => assertExpiryWithinCaller(cred, ms))).toBe(s);
});

const powers = (capabilities: string[], projects: { project_id: string; role: string }[] = [], mcp_servers: string[] = []) => ({ capabilities, projects, mcp_servers });
it.each([
  { cred: admin, owner: 'usr_bob', next: powers(['apps:admin']), current: undefined, status: 200, reason: 'the admin client delegates any power (the owner bound is checked apart)' },
  { cred: forAlice, owner: 'usr_alice', next: powers(['secrets:edit']), current: undefined, status: 200, reason: 'a token acting for the owner delegates the owner’s powers' },
  { cred: forAlice, owner: 'usr_bob', next: powers(['api']), current: undefined, status: 403, reason: 'a token acting for another user does not' },
  { cred: testKey, owner: 'usr_alice', next: powers([]), current: undefined, status: 200, reason: 'a key creates an authorization without grants' },
  { cred: testKey, owner: 'usr_alice', next: powers(['apps:admin']), current: undefined, status: 403, reason: 'a key holds no capability' },
  { cred: testKey, owner: 'usr_alice', next: powers(['api']), current: powers(['api', 'mcp']), status: 200, reason: 'narrowing capabilities' },
  { cred: testKey, owner: 'usr_alice', next: powers([], [{ project_id: 'p', role: 'viewer' }]), current: powers([], [{ project_id: 'p', role: 'editor' }]), status: 200, reason: 'lowering a role' },
  { cred: testKey, owner: 'usr_alice', next: powers([], [{ project_id: 'p', role: 'admin' }]), current: powers([], [{ project_id: 'p', role: 'editor' }]), status: 403, reason: 'raising a role' },
  { cred: testKey, owner: 'usr_alice', next: powers(['mcp'], [], ['s2']), current: powers(['mcp'], [], ['s1']), status: 403, reason: 'swapping one MCP server for another' },
])('assertMayDelegate: $reason', ({ cred, owner, next, current, status: s }) => {
  expect(status(() => assertMayDelegate(cred, owner, next, current))).toBe(s);
});
