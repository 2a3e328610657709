/**
 * The privilege model of the Key Management API, in one place every route uses.
 *
 * Reach (what a credential can see at all): a credential confined to a merchant reaches only that
 * merchant's objects, a credential with a mode only objects of that mode. Anything out of reach does
 * not exist for it: 404 on get, patch, revoke, rotate and logs, and left out of lists.
 *
 * Power (what it may hand out or change): a credential may create or change in any way (widen,
 * narrow, rotate, revoke, re-expire) only keys whose scopes are within its own, and only to scopes
 * within its own; a full-access key holds every scope of its merchant in its mode. It may not give a
 * key a later expiry than its own (nor none when it has one), which also means it cannot extend or
 * remove its own expiry. An authorization hands its secret to the caller, so only a caller holding its
 * powers (the admin client, or a credential acting for the owner) may create one. Every refusal is a
 * 403 naming what the caller lacks.
 */
import { scopeSatisfies } from '../model';
import { ApiError, type Credential, type CredentialMode } from './context';
import { MESSAGES } from './messages';

/** Where an object lives: its merchant (null when it has none) and its mode (null when it has none). */
export interface Placement {
  readonly mid: string | null;
  readonly mode: CredentialMode | null;
}

/** The merchant a credential is confined to, undefined when it reaches every merchant. */
export function credentialMid(cred: Credential): string | undefined {
  return cred.mid;
}

/** The mode a credential is confined to, undefined when it reaches both (the admin client). */
export function credentialMode(cred: Credential): CredentialMode | undefined {
  return cred.mode;
}

/**
 * THE reach rule: whether `cred` can see an object placed at `p`. A confined credential never reaches
 * an object without a merchant; an object without a mode is reachable from either mode.
 */
export function mayReach(cred: Credential, p: Placement): boolean {
  const mid = credentialMid(cred);
  if (mid !== undefined && p.mid !== mid) return false;
  const mode = credentialMode(cred);
  if (mode !== undefined && p.mode !== null && p.mode !== mode) return false;
  return true;
}

/** SQL conditions that keep only rows in reach, for tables with `mid` and `mode` columns. */
export function reachFilter(cred: Credential, columns: { mid: string; mode: string } = { mid: 'mid', mode: 'mode' }): { where: string[]; args: unknown[] } {
  const where: string[] = [];
  const args: unknown[] = [];
  const mid = credentialMid(cred);
  if (mid !== undefined) {
    where.push(`${columns.mid} = ?`);
    args.push(mid);
  }
  const mode = credentialMode(cred);
  if (mode !== undefined) {
    where.push(`(${columns.mode} IS NULL OR ${columns.mode} = ?)`);
    args.push(mode);
  }
  return { where, args };
}

/** The scopes a credential holds: `all` for the admin client and full-access keys. */
export function heldScopes(cred: Credential): 'all' | readonly string[] {
  // An authorization's token holds capabilities of its owner, never scopes of this API.
  if (cred.kind === 'authorization') return [];
  if (cred.kind !== 'api_key') return cred.admin ? 'all' : [];
  return cred.scopes.length === 0 ? 'all' : cred.scopes;
}

/** The scopes of `scopes` (an empty list = full access) that `held` lacks; `['*']` stands for full access. */
export function scopesBeyond(held: 'all' | readonly string[], scopes: readonly string[]): string[] {
  if (held === 'all') return [];
  if (scopes.length === 0) return ['*'];
  return scopes.filter((s) => !scopeSatisfies(held, s));
}

/** What a key operation is, for the 403 messages. */
export type KeyAction = 'create' | 'change' | 'rotate' | 'revoke';

/**
 * A key the caller changes, rotates or revokes must hold no scope the caller lacks: otherwise the
 * caller could cut its owner off (narrow, revoke) or take its secret (rotate).
 */
export function assertKeyWithinCaller(cred: Credential, action: KeyAction, keyId: string, keyScopes: readonly string[]): void {
  const beyond = scopesBeyond(heldScopes(cred), keyScopes);
  if (!beyond.length) return;
  throw new ApiError(
    403,
    beyond.map((s) => (s === '*' ? MESSAGES.KEY_FULL_ACCESS_BEYOND_CALLER(action, keyId) : MESSAGES.KEY_SCOPE_BEYOND_CALLER(action, keyId, s))),
  );
}

/** Scopes the caller hands to a key (create, or a PATCH of `scopes`) must be within its own. */
export function assertScopesWithinCaller(cred: Credential, scopes: readonly string[]): void {
  const beyond = scopesBeyond(heldScopes(cred), scopes);
  if (!beyond.length) return;
  throw new ApiError(403, beyond.map((s) => (s === '*' ? MESSAGES.FULL_ACCESS_EXCEEDS_CALLER() : MESSAGES.SCOPE_EXCEEDS_CALLER(s))));
}

/**
 * A key given an expiry by the caller (create, or a PATCH of `expires_at`) may not outlive the caller:
 * a caller that expires cannot give no expiry or a later one. Applied to a key's own PATCH this is
 * "a key cannot extend or remove its own expiry".
 */
export function assertExpiryWithinCaller(cred: Credential, expiresAtMs: number | null): void {
  if (cred.kind !== 'api_key' || cred.expiresAtMs === null) return;
  if (expiresAtMs !== null && expiresAtMs <= cred.expiresAtMs) return;
  throw new ApiError(403, [MESSAGES.EXPIRY_BEYOND_CALLER(new Date(cred.expiresAtMs).toISOString())]);
}

/** A mode the caller creates an object in must be its own (the admin client creates in both). */
export function assertModeWithinCaller(cred: Credential, mode: CredentialMode): void {
  const own = credentialMode(cred);
  if (own !== undefined && own !== mode) throw new ApiError(403, [MESSAGES.MODE_BEYOND_CALLER(own, mode)]);
}

/** The powers an authorization would hold, as the checks of delegation compare them. */
export interface DelegatedPowers {
  readonly capabilities: readonly string[];
  readonly projects: readonly { readonly project_id: string; readonly role: string }[];
  readonly mcp_servers: readonly string[];
}

/**
 * Creating (or widening) an authorization hands its powers to whoever holds its secret: only the
 * admin client, or a credential acting for the owner (`actingFor`), may grant powers the caller does
 * not hold itself. An API key holds scopes of this API, not a user's capabilities, project roles or
 * MCP servers, so it may only create or widen an authorization up to nothing beyond those it already
 * has (`current`, the authorization's powers before the change; none on create). A token acting for a
 * user (`Credential.actingFor`, or `actingFor` here) may grant that user's own powers; the owner's
 * bounds are checked separately. Throws the 403 naming each power the caller lacks.
 */
export function assertMayDelegate(cred: Credential, ownerId: string, next: DelegatedPowers, current?: DelegatedPowers, actingFor?: string): void {
  if (cred.kind === 'oauth_client' && cred.admin) return;
  const forUser = actingFor ?? (cred.kind === 'oauth_client' ? cred.actingFor : undefined);
  if (forUser !== undefined && forUser === ownerId) return;
  const lacks: string[] = [];
  const had = new Set(current?.capabilities ?? []);
  for (const c of next.capabilities) if (!had.has(c)) lacks.push(`capability ${c}`);
  const hadRole = new Map((current?.projects ?? []).map((p) => [p.project_id, p.role]));
  for (const p of next.projects) if (hadRole.get(p.project_id) !== p.role && !lowerOrEqualRole(p.role, hadRole.get(p.project_id))) lacks.push(`role ${p.role} on project ${p.project_id}`);
  const hadServers = new Set(current?.mcp_servers ?? []);
  for (const s of next.mcp_servers) if (!hadServers.has(s)) lacks.push(`MCP server ${s}`);
  if (lacks.length) throw new ApiError(403, lacks.map((l) => MESSAGES.DELEGATION_BEYOND_CALLER(ownerId, l)));
}

const ROLE_ORDER = ['viewer', 'editor', 'admin'];
function lowerOrEqualRole(role: string, held: string | undefined): boolean {
  return held !== undefined && ROLE_ORDER.indexOf(role) <= ROLE_ORDER.indexOf(held);
}
