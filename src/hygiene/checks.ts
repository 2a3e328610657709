/**
 * The hygiene checks: pure functions from facts to findings (none when the check passes or does not
 * apply). Each has a test of each outcome.
 */
import { ROLES, adviseScopes } from '../model';
import { assessKey } from '../rotation/schedule';
import type { AuthorizationFacts, KeyFacts, OwnerFacts } from './facts';
import type { Finding } from './report';

const DAY = 86_400_000;

function keySubject(k: KeyFacts): Finding['subject'] {
  return { type: 'api_key', id: k.id, name: k.name, address: k.address, mid: k.mid, mode: k.mode, owner_id: null };
}

function authSubject(a: AuthorizationFacts): Finding['subject'] {
  return { type: 'authorization', id: a.id, name: a.name, address: a.address, mid: a.mid, mode: null, owner_id: a.ownerId };
}

const days = (ms: number) => Math.floor(ms / DAY);

/** Keys never used, or unused since before the window. */
export function checkUnusedKey(k: KeyFacts, now: Date, windowStart: Date): Finding | null {
  if (k.status !== 'active' || k.lastUsedAt === undefined) return null;
  if (k.lastUsedAt === null) {
    const age = k.createdAt ? ` (created ${days(now.getTime() - Date.parse(k.createdAt))} day(s) ago)` : '';
    return { kind: 'key-never-used', severity: 'medium', subject: keySubject(k), message: `Never used${age}: revoke it if nothing needs it.` };
  }
  if (Date.parse(k.lastUsedAt) >= windowStart.getTime()) return null;
  return {
    kind: 'key-unused',
    severity: 'medium',
    subject: keySubject(k),
    message: `Unused for ${days(now.getTime() - Date.parse(k.lastUsedAt))} day(s) (last used ${k.lastUsedAt}): revoke it if nothing needs it.`,
  };
}

/** Scopes held but not exercised in the window, with the narrower set. */
export function checkUnusedScopes(k: KeyFacts): Finding | null {
  if (k.status !== 'active' || k.exercised === undefined || k.exercised.length === 0 || k.type !== 'secret') return null;
  const advice = adviseScopes(k.scopes, k.exercised);
  if (!advice.fullAccess && advice.unused.length === 0) return null;
  const scopes = {
    held: [...k.scopes],
    full_access: advice.fullAccess,
    exercised: [...k.exercised].sort(),
    narrower: [...advice.narrower],
    unused: [...advice.unused],
    unobservable: [...advice.unobservable],
  };
  const message = advice.fullAccess
    ? `Holds full access (no scopes) but used only ${advice.narrower.join(', ')} in the window: declare scopes = [${advice.narrower.join(', ')}].`
    : `Did not use ${advice.unused.join(', ')} in the window: narrow it to [${advice.narrower.join(', ')}].`;
  return { kind: 'unused-scopes', severity: 'medium', subject: keySubject(k), message, scopes };
}

/** Keys expired, or expiring within `within` ms. */
export function checkExpiry(k: KeyFacts, now: Date, withinMs: number): Finding | null {
  const at = k.expiresAt ? Date.parse(k.expiresAt) : NaN;
  if (k.status === 'expired' || (!Number.isNaN(at) && at <= now.getTime())) {
    return { kind: 'key-expired', severity: 'high', subject: keySubject(k), message: `Expired${k.expiresAt ? ` at ${k.expiresAt}` : ''}: it authenticates nothing; replace it (the next plan does) or remove it.` };
  }
  if (!Number.isNaN(at) && at - now.getTime() <= withinMs) {
    return { kind: 'key-expiring', severity: 'medium', subject: keySubject(k), message: `Expires at ${k.expiresAt}, in ${Math.max(0, days(at - now.getTime()))} day(s): extend expires_at or plan its replacement.` };
  }
  return null;
}

/** Live secret keys with neither an expiry nor a rotation (seed 000: rotate on a regular cadence). */
export function checkLiveWithoutExpiryOrRotation(k: KeyFacts): Finding | null {
  if (k.status !== 'active' || k.mode !== 'live' || k.type !== 'secret' || k.expiresAt !== null || (k.rotation !== null && k.rotation !== undefined)) return null;
  const why = k.rotation === undefined ? ' (no state given, so no declared rotation is known)' : '';
  return {
    kind: 'live-secret-key-without-expiry-or-rotation',
    severity: 'high',
    subject: keySubject(k),
    message: `Live secret key with no expiry and no rotation${why}: declare rotation { every = "90d" } or an expires_at.`,
  };
}

/** Rotation due or overdue under the declared schedule. */
export function checkRotation(k: KeyFacts, now: Date): Finding | null {
  if (!k.rotation || k.status !== 'active') return null;
  const a = assessKey(
    { address: k.address ?? `api:${k.id}`, id: k.id, name: k.name, mode: k.mode, type: k.type, mid: k.mid, rotation: k.rotation, createdAt: k.createdAt, rotatedAt: k.rotatedAt, expiresAt: k.expiresAt, version: k.version },
    now,
  );
  if (a.status === 'overdue') return { kind: 'rotation-overdue', severity: 'high', subject: keySubject(k), message: `Rotation overdue since ${a.overdueAt}: the scheduled apply has not rotated it.` };
  if (a.status === 'due') return { kind: 'rotation-due', severity: 'medium', subject: keySubject(k), message: `Rotation due since ${a.dueAt}: the next plan and apply rotate it.` };
  return null;
}

/**
 * An authorization whose owner was removed, or no longer holds what it grants: effective access
 * (grants ∩ owner's permissions) smaller than declared. `owner` undefined = owners unknown.
 */
export function checkOwner(a: AuthorizationFacts, owner: OwnerFacts | null | undefined, serverProjects: ReadonlyMap<string, string>): Finding | null {
  if (owner === undefined) return null;
  if (owner === null) {
    return { kind: 'owner-missing', severity: 'high', subject: authSubject(a), message: `Owner ${a.ownerId} no longer exists: delete the authorization or re-create it for another user.` };
  }
  const rank = (r: string) => (ROLES as readonly string[]).indexOf(r);
  const missing: string[] = [];
  for (const c of a.capabilities) if (!owner.capabilities.includes(c)) missing.push(`capability ${c}`);
  const effectiveProjects = new Set<string>();
  for (const p of a.projectAccess) {
    const held = owner.roles.find((r) => r.projectId === p.projectId);
    if (!held) missing.push(`project ${p.projectId} (${p.role}): owner has no role`);
    else {
      effectiveProjects.add(p.projectId);
      if (rank(held.role) < rank(p.role)) missing.push(`project ${p.projectId}: ${p.role} -> ${held.role}`);
    }
  }
  for (const s of a.mcpServers) {
    const project = serverProjects.get(s);
    if (!owner.capabilities.includes('mcp')) missing.push(`MCP server ${s}: owner lacks capability mcp`);
    else if (project && !effectiveProjects.has(project)) missing.push(`MCP server ${s}: owner has no role on ${project}`);
  }
  if (!missing.length) return null;
  return {
    kind: 'owner-lacks-access',
    severity: 'high',
    subject: authSubject(a),
    message: `Declares more than owner ${a.ownerId} holds (effective access is smaller): remove ${missing.join('; ')}.`,
    missing_access: missing,
  };
}

/** Everything `--owner` owns, listed for offboarding ("rotate them when a team member leaves"). */
export function ownedBy(a: AuthorizationFacts): Finding {
  return { kind: 'owned-by', severity: 'info', subject: authSubject(a), message: `Owned by ${a.ownerId}: revoke it, or re-create it for the person taking over.` };
}
