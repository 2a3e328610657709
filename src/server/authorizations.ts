/** Routes of OAuth authorizations, their project access and MCP-server grants, and their client secrets. */
import {
  CAPABILITY_PREREQUISITES,
  ROLES,
  roleRank,
  type Authorization,
  type AuthorizationWithSecret,
  type IntrospectionResponse,
  type RouteAccess,
} from '../model';
import { ApiError, iso, requireCredential, type Credential, type RouteContext, type RouteResult } from './context';
import { recordAudit } from './audit';
import { loadUserPermissions, userMid, type UserPermissions } from './users';
import { MESSAGES } from './messages';
import { paginate } from './pagination';
import { hashSecret, newId, newSecret, randomBase62, storedSecret } from './secrets';
import { assertMayDelegate, mayReach as reach } from './privilege';
import type { Sql } from './database';

/** Prefix of the key-shaped secret issued to a live `api_key` authorization (`fsk_` style: the prefix tells the mode). */
export const AUTHORIZATION_TOKEN_PREFIX = 'fat_';
/** Prefix of the key-shaped secret issued to a test-mode `api_key` authorization. */
export const AUTHORIZATION_TEST_TOKEN_PREFIX = 'fat_test_';
/** Prefix of access tokens, shared with the admin client's: a token's owner is found by its hash. */
export const AUTHORIZATION_ACCESS_TOKEN_PREFIX = 'kfat_';
/** Prefix of the client secret issued to an `oauth2` authorization. */
export const AUTHORIZATION_CLIENT_SECRET_PREFIX = 'fcs_';
/** Prefix of the client id issued to an `oauth2` authorization (not a secret). */
export const AUTHORIZATION_CLIENT_ID_PREFIX = 'fci_';

interface AuthRow {
  seq: number;
  id: string;
  name: string;
  kind: 'api_key' | 'oauth2';
  owner_id: string;
  mode: 'test' | 'live';
  capabilities: string;
  client_id: string | null;
  secret_hash: string;
  fingerprint: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** The access an authorization holds, in a form the checks and the writes share. */
interface Grants {
  capabilities: string[];
  projects: { project_id: string; role: string }[];
  mcp_servers: string[];
}

async function loadGrants(db: Sql, row: AuthRow): Promise<Grants> {
  return {
    capabilities: JSON.parse(row.capabilities) as string[],
    projects: (await db.all('SELECT project_id, role FROM authorization_projects WHERE authorization_id = ? ORDER BY seq', [row.id])) as Grants['projects'],
    mcp_servers: ((await db.all('SELECT mcp_server_id FROM authorization_mcp_servers WHERE authorization_id = ? ORDER BY seq', [row.id])) as { mcp_server_id: string }[]).map(
      (r) => r.mcp_server_id,
    ),
  };
}

/** Grant origins (migration 5): which grants a declared keyform grant resource made. */
interface Origins {
  projects: Map<string, string | null>;
  mcp_servers: Map<string, string | null>;
}

async function loadOrigins(db: Sql, id: string): Promise<Origins> {
  const projects = (await db.all('SELECT project_id, origin FROM authorization_projects WHERE authorization_id = ?', [id])) as { project_id: string; origin: string | null }[];
  const servers = (await db.all('SELECT mcp_server_id, origin FROM authorization_mcp_servers WHERE authorization_id = ?', [id])) as { mcp_server_id: string; origin: string | null }[];
  return { projects: new Map(projects.map((r) => [r.project_id, r.origin])), mcp_servers: new Map(servers.map((r) => [r.mcp_server_id, r.origin])) };
}

async function toAuthorization(db: Sql, row: AuthRow): Promise<Authorization> {
  const g = await loadGrants(db, row);
  const origins = await loadOrigins(db, row.id);
  return {
    id: row.id,
    object: 'authorization',
    name: row.name,
    kind: row.kind,
    owner_id: row.owner_id,
    mode: row.mode,
    mid: await userMid(db, row.owner_id) ?? null,
    capabilities: g.capabilities as Authorization['capabilities'],
    project_access: g.projects as Authorization['project_access'],
    mcp_servers: g.mcp_servers,
    client_id: row.client_id,
    fingerprint: row.fingerprint,
    managed_grants: {
      // Any recorded origin counts as declared ('keyform', or 'upgrade' for grants older than origins).
      project_ids: g.projects.filter((p) => (origins.projects.get(p.project_id) ?? null) !== null).map((p) => p.project_id),
      mcp_server_ids: g.mcp_servers.filter((s) => (origins.mcp_servers.get(s) ?? null) !== null),
    },
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/**
 * Checks a complete set of grants against the catalogs and the owner: unknown ids, missing
 * prerequisites and MCP-server needs are 400; anything beyond the owner's own permissions is 403.
 */
async function checkGrants(db: Sql, ownerId: string, g: Grants): Promise<void> {
  const owner = await loadUserPermissions(db, ownerId);
  if (!owner) throw new ApiError(400, [MESSAGES.UNKNOWN_OWNER(ownerId)]);
  const bad: string[] = [];
  const exceeds: string[] = [];
  for (const p of g.projects) if (!(await db.one('SELECT id FROM projects WHERE id = ?', [p.project_id]))) bad.push(MESSAGES.UNKNOWN_PROJECT(p.project_id));
  for (const cap of g.capabilities) {
    const needs = CAPABILITY_PREREQUISITES[cap as keyof typeof CAPABILITY_PREREQUISITES];
    if (needs && !g.capabilities.includes(needs)) bad.push(MESSAGES.CAPABILITY_PREREQUISITE(cap, needs));
  }
  const projectIds = new Set(g.projects.map((p) => p.project_id));
  for (const id of g.mcp_servers) {
    const server = (await db.one('SELECT project_id FROM mcp_servers WHERE id = ?', [id])) as { project_id: string } | undefined;
    if (!server) {
      bad.push(MESSAGES.UNKNOWN_MCP_SERVER(id));
      continue;
    }
    if (!g.capabilities.includes('mcp')) bad.push(MESSAGES.MCP_NEEDS_CAPABILITY(id));
    if (!projectIds.has(server.project_id)) bad.push(MESSAGES.MCP_NEEDS_PROJECT(id, server.project_id));
  }
  if (bad.length) throw new ApiError(400, bad);
  for (const cap of g.capabilities) if (!owner.capabilities.includes(cap)) exceeds.push(MESSAGES.EXCEEDS_OWNER_CAPABILITY(ownerId, cap));
  for (const p of g.projects) {
    const ownerRole = owner.roles.get(p.project_id);
    if (ownerRole === undefined) exceeds.push(MESSAGES.EXCEEDS_OWNER_NO_PROJECT(ownerId, p.project_id));
    else if (roleRank(p.role) > roleRank(ownerRole)) exceeds.push(MESSAGES.EXCEEDS_OWNER_ROLE(ownerId, p.project_id, p.role, ownerRole));
  }
  if (exceeds.length) throw new ApiError(403, exceeds);
}

/** Rewrites the grants; a grant that stays keeps its origin unless `marked` names it (origin keyform). */
async function writeGrants(db: Sql, id: string, g: Grants, marked: { project?: string; mcp_server?: string } = {}): Promise<void> {
  const kept = await loadOrigins(db, id);
  await db.run('DELETE FROM authorization_projects WHERE authorization_id = ?', [id]);
  await db.run('DELETE FROM authorization_mcp_servers WHERE authorization_id = ?', [id]);
  for (const [i, p] of g.projects.entries()) {
    await db.run('INSERT INTO authorization_projects (authorization_id, project_id, role, seq, origin) VALUES (?, ?, ?, ?, ?)', [
      id, p.project_id, p.role, i, marked.project === p.project_id ? 'keyform' : (kept.projects.get(p.project_id) ?? null),
    ]);
  }
  for (const [i, s] of g.mcp_servers.entries()) {
    await db.run('INSERT INTO authorization_mcp_servers (authorization_id, mcp_server_id, seq, origin) VALUES (?, ?, ?, ?)', [
      id, s, i, marked.mcp_server === s ? 'keyform' : (kept.mcp_servers.get(s) ?? null),
    ]);
  }
}

function sameGrants(a: Grants, b: Grants): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Whether a credential may see an authorization: the admin (OAuth) client sees all; an API key only
 * its own merchant's (never one whose owner has no merchant) of its own mode; an authorization's token
 * only its owner's, of its own mode. Everything else is indistinguishable from a missing one.
 */
function mayReach(cred: Credential, mid: string | null | undefined, row?: Pick<AuthRow, 'owner_id' | 'mode'>): boolean {
  if (!reach(cred, { mid: mid ?? null, mode: row?.mode ?? null })) return false;
  // A token of an authorization acts for its owner only.
  return cred.kind !== 'authorization' || row === undefined || cred.ownerId === row.owner_id;
}

/** Loads an authorization the caller may see (deleted ones too when `withDeleted`), or answers 404 like a missing one. */
async function loadVisible(ctx: RouteContext, withDeleted: boolean): Promise<AuthRow> {
  const row = (await ctx.db.one(`SELECT * FROM authorizations WHERE id = ?${withDeleted ? '' : ' AND deleted_at IS NULL'}`, [ctx.params.id])) as AuthRow | undefined;
  // Another merchant's (or another mode's) authorization does not exist for the caller, as with keys.
  if (!row || !mayReach(requireCredential(ctx), await userMid(ctx.db, row.owner_id), row)) throw new ApiError(404, [MESSAGES.NO_SUCH_AUTHORIZATION(ctx.params.id)]);
  return row;
}

async function loadLive(ctx: RouteContext): Promise<AuthRow> {
  return await loadVisible(ctx, false);
}

async function reload(ctx: RouteContext, id: string): Promise<Authorization> {
  return await toAuthorization(ctx.db, (await ctx.db.one('SELECT * FROM authorizations WHERE id = ?', [id])) as AuthRow);
}

async function saveGrants(ctx: RouteContext, row: AuthRow, next: Grants, action: string, name?: string, marked: { project?: string; mcp_server?: string } = {}): Promise<RouteResult> {
  const current = await loadGrants(ctx.db, row);
  const renamed = name !== undefined && name !== row.name;
  if (sameGrants(current, next) && !renamed) {
    // Unchanged grants; a declared grant resource taking over a hand-made grant still marks it.
    if (marked.project || marked.mcp_server) await writeGrants(ctx.db, row.id, next, marked);
    return { status: 200, body: await toAuthorization(ctx.db, row) };
  }
  await checkGrants(ctx.db, row.owner_id, next);
  // A token acting for the owner changes only what it could do itself, into what it could do itself.
  const cred = requireCredential(ctx);
  if (cred.kind === 'authorization') {
    await checkWithinCaller(ctx.db, cred, current);
    await checkWithinCaller(ctx.db, cred, next);
  } else assertMayDelegate(cred, row.owner_id, next, current);
  await ctx.db.run('UPDATE authorizations SET name = ?, capabilities = ?, updated_at = ? WHERE id = ?', [name ?? row.name, JSON.stringify(next.capabilities), iso(ctx.now), row.id]);
  await writeGrants(ctx.db, row.id, next, marked);
  await recordAudit(ctx, action, row.id, await userMid(ctx.db, row.owner_id) ?? null, { mode: row.mode });
  return { status: 200, body: await reload(ctx, row.id) };
}

/** `POST /v1/authorizations`: the issued secret is returned only here. */
export async function createAuthorization(ctx: RouteContext): Promise<RouteResult> {
  const b = ctx.body as {
    name: string;
    kind: 'api_key' | 'oauth2';
    owner_id: string;
    mode?: 'test' | 'live';
    capabilities?: string[];
    project_access?: Grants['projects'];
    mcp_servers?: string[];
  };
  const g: Grants = { capabilities: b.capabilities ?? [], projects: b.project_access ?? [], mcp_servers: b.mcp_servers ?? [] };
  const mode = b.mode ?? 'test';
  const cred = requireCredential(ctx);
  const ownerMid = await userMid(ctx.db, b.owner_id);
  // Another merchant's user does not exist for the caller: the same answer as an unknown user.
  if (ownerMid !== undefined && !mayReach(cred, ownerMid)) throw new ApiError(400, [MESSAGES.UNKNOWN_OWNER(b.owner_id)]);
  if (cred.kind === 'authorization' && b.owner_id !== cred.ownerId) throw new ApiError(403, [MESSAGES.AUTHORIZATION_TOKEN_OTHER_OWNER(cred.ownerId)]);
  // A credential creates authorizations of its own mode only; a live one is always asked for by name.
  if (cred.mode !== undefined && cred.mode !== mode) throw new ApiError(403, [MESSAGES.AUTHORIZATION_MODE_OF_CALLER(cred.mode, mode)]);
  await checkGrants(ctx.db, b.owner_id, g);
  // A token acting for the owner delegates only within its own grants; others only what they hold.
  if (cred.kind === 'authorization') await checkWithinCaller(ctx.db, cred, g);
  else assertMayDelegate(cred, b.owner_id, g);
  const id = newId('auth');
  const prefix = b.kind === 'oauth2' ? AUTHORIZATION_CLIENT_SECRET_PREFIX : mode === 'test' ? AUTHORIZATION_TEST_TOKEN_PREFIX : AUTHORIZATION_TOKEN_PREFIX;
  const secret = newSecret(prefix);
  const s = storedSecret(secret, prefix);
  const clientId = b.kind === 'oauth2' ? AUTHORIZATION_CLIENT_ID_PREFIX + randomBase62(20) : null;
  const now = iso(ctx.now);
  await ctx.db.run(`INSERT INTO authorizations (id, name, kind, owner_id, mode, capabilities, client_id, secret_hash, prefix, last4, fingerprint, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [id, b.name, b.kind, b.owner_id, mode, JSON.stringify(g.capabilities), clientId, s.hash, s.prefix, s.last4, s.fingerprint, now, now]);
  await writeGrants(ctx.db, id, g);
  await recordAudit(ctx, 'authorization.create', id, ownerMid ?? null, { mode });
  const body: AuthorizationWithSecret = { ...(await reload(ctx, id)), secret };
  return { status: 201, body };
}

/** `GET /v1/authorizations`: created order; filter by owner_id and name; an API key sees only its own merchant's. */
export async function listAuthorizations(ctx: RouteContext): Promise<RouteResult> {
  const cred = requireCredential(ctx);
  const where = ['deleted_at IS NULL'];
  const args: unknown[] = [];
  // The same reach as mayReach: a confined credential lists its merchant's and its mode's only.
  if (cred.mid !== undefined) {
    where.push('owner_id IN (SELECT id FROM users WHERE mid = ?)');
    args.push(cred.mid);
  }
  if (cred.mode !== undefined) {
    where.push('mode = ?');
    args.push(cred.mode);
  }
  if (cred.kind === 'authorization') {
    where.push('owner_id = ?');
    args.push(cred.ownerId);
  }
  if (ctx.query.owner_id !== undefined) {
    where.push('owner_id = ?');
    args.push(ctx.query.owner_id);
  }
  if (ctx.query.name !== undefined) {
    where.push('name = ?');
    args.push(ctx.query.name);
  }
  const page = await paginate<AuthRow, Authorization>(
    async (w, a, limit) => (await ctx.db.all(`SELECT * FROM authorizations ${w} ORDER BY seq LIMIT ?`, [...a, limit])) as AuthRow[],
    { limit: ctx.query.limit, cursor: ctx.query.cursor, order: 'asc', where, args },
    (r) => toAuthorization(ctx.db, r),
  );
  return { status: 200, body: page };
}

/** `GET /v1/authorizations/{id}`. */
export async function getAuthorization(ctx: RouteContext): Promise<RouteResult> {
  return { status: 200, body: await toAuthorization(ctx.db, await loadLive(ctx)) };
}

/** `PATCH /v1/authorizations/{id}`: replaces each list given; the result must stay within the owner. */
export async function updateAuthorization(ctx: RouteContext): Promise<RouteResult> {
  const row = await loadLive(ctx);
  const b = ctx.body as { name?: string; capabilities?: string[]; project_access?: Grants['projects']; mcp_servers?: string[] };
  const cur = await loadGrants(ctx.db, row);
  const next: Grants = {
    capabilities: b.capabilities ?? cur.capabilities,
    projects: b.project_access ?? cur.projects,
    mcp_servers: b.mcp_servers ?? cur.mcp_servers,
  };
  return await saveGrants(ctx, row, next, 'authorization.update', b.name);
}

/** `DELETE /v1/authorizations/{id}`: 204, also when it was already deleted. */
export async function deleteAuthorization(ctx: RouteContext): Promise<RouteResult> {
  const row = await loadVisible(ctx, true);
  if (!row.deleted_at) {
    const cred = requireCredential(ctx);
    if (cred.kind === 'authorization') await checkWithinCaller(ctx.db, cred, await loadGrants(ctx.db, row));
    await ctx.db.run('UPDATE authorizations SET deleted_at = ?, updated_at = ? WHERE id = ?', [iso(ctx.now), iso(ctx.now), row.id]);
    // Its tokens die with it (they are checked against deleted_at too; this keeps no dead hashes).
    await ctx.db.run('DELETE FROM authorization_tokens WHERE authorization_id = ?', [row.id]);
    await recordAudit(ctx, 'authorization.delete', row.id, await userMid(ctx.db, row.owner_id) ?? null, { mode: row.mode });
  }
  return { status: 204 };
}

/** `PUT /v1/authorizations/{id}/projects/{project_id}`: grant or change one project's role. */
export async function putProjectAccess(ctx: RouteContext): Promise<RouteResult> {
  const row = await loadLive(ctx);
  const projectId = ctx.params.project_id;
  const cur = await loadGrants(ctx.db, row);
  const role = ctx.body.role as string;
  const exists = cur.projects.some((p) => p.project_id === projectId);
  const projects = exists ? cur.projects.map((p) => (p.project_id === projectId ? { project_id: projectId, role } : p)) : [...cur.projects, { project_id: projectId, role }];
  const marked = ctx.body.origin === 'keyform' ? { project: projectId } : {};
  return await saveGrants(ctx, row, { ...cur, projects }, 'authorization.project_access.put', undefined, marked);
}

/** `DELETE /v1/authorizations/{id}/projects/{project_id}`: idempotent; 409 while an MCP server of the project is granted. */
export async function deleteProjectAccess(ctx: RouteContext): Promise<RouteResult> {
  const row = await loadLive(ctx);
  const projectId = ctx.params.project_id;
  const cur = await loadGrants(ctx.db, row);
  if (!cur.projects.some((p) => p.project_id === projectId)) return { status: 200, body: await toAuthorization(ctx.db, row) };
  const inProject: string[] = [];
  for (const s of cur.mcp_servers) {
    const server = (await ctx.db.one('SELECT project_id FROM mcp_servers WHERE id = ?', [s])) as { project_id: string } | undefined;
    if (server?.project_id === projectId) inProject.push(s);
  }
  if (inProject.length) throw new ApiError(409, [MESSAGES.REMOVE_GRANT_FIRST(projectId, inProject)]);
  return await saveGrants(ctx, row, { ...cur, projects: cur.projects.filter((p) => p.project_id !== projectId) }, 'authorization.project_access.delete');
}

/** `PUT /v1/authorizations/{id}/mcp-servers/{mcp_server_id}`: idempotent grant. */
export async function putMcpServerGrant(ctx: RouteContext): Promise<RouteResult> {
  const row = await loadLive(ctx);
  const serverId = ctx.params.mcp_server_id;
  const cur = await loadGrants(ctx.db, row);
  const marked = (ctx.body as { origin?: string } | undefined)?.origin === 'keyform' ? { mcp_server: serverId } : {};
  const next = cur.mcp_servers.includes(serverId) ? cur : { ...cur, mcp_servers: [...cur.mcp_servers, serverId] };
  return await saveGrants(ctx, row, next, 'authorization.mcp_server.put', undefined, marked);
}

/** `DELETE /v1/authorizations/{id}/mcp-servers/{mcp_server_id}`: idempotent. */
export async function deleteMcpServerGrant(ctx: RouteContext): Promise<RouteResult> {
  const row = await loadLive(ctx);
  const cur = await loadGrants(ctx.db, row);
  return await saveGrants(ctx, row, { ...cur, mcp_servers: cur.mcp_servers.filter((s) => s !== ctx.params.mcp_server_id) }, 'authorization.mcp_server.delete');
}

/** Grants narrowed to what `owner` holds: lost capabilities, projects and MCP servers go, roles drop to the owner's. */
async function clampGrants(db: Sql, owner: UserPermissions, g: Grants): Promise<Grants> {
  let capabilities = g.capabilities.filter((c) => owner.capabilities.includes(c));
  capabilities = capabilities.filter((c) => {
    const needs = CAPABILITY_PREREQUISITES[c as keyof typeof CAPABILITY_PREREQUISITES];
    return !needs || capabilities.includes(needs);
  });
  const projects = g.projects.flatMap((p) => {
    const ownerRole = owner.roles.get(p.project_id);
    if (ownerRole === undefined) return [];
    return [{ project_id: p.project_id, role: ROLES[Math.min(roleRank(p.role), roleRank(ownerRole))] as string }];
  });
  const kept = new Set(projects.map((p) => p.project_id));
  const mcp_servers: string[] = [];
  if (capabilities.includes('mcp')) {
    for (const s of g.mcp_servers) {
      const server = (await db.one('SELECT project_id FROM mcp_servers WHERE id = ?', [s])) as { project_id: string } | undefined;
      if (server !== undefined && kept.has(server.project_id)) mcp_servers.push(s);
    }
  }
  return { capabilities, projects, mcp_servers };
}

/** Narrows every live authorization of `userId` to the user's current permissions; returns the ids changed. */
export async function clampAuthorizationsOf(db: Sql, userId: string, now: number): Promise<string[]> {
  const owner = await loadUserPermissions(db, userId);
  if (!owner) return [];
  const changed: string[] = [];
  for (const row of (await db.all('SELECT * FROM authorizations WHERE owner_id = ? AND deleted_at IS NULL ORDER BY seq', [userId])) as AuthRow[]) {
    const cur = await loadGrants(db, row);
    const next = await clampGrants(db, owner, cur);
    if (sameGrants(cur, next)) continue;
    await db.run('UPDATE authorizations SET capabilities = ?, updated_at = ? WHERE id = ?', [JSON.stringify(next.capabilities), iso(now), row.id]);
    await writeGrants(db, row.id, next);
    changed.push(row.id);
  }
  return changed;
}

/** The grants an authorization may use now: its own, intersected with its owner's current permissions; undefined once the owner is gone. */
async function effectiveGrants(db: Sql, row: AuthRow): Promise<{ owner: UserPermissions; grants: Grants } | undefined> {
  const owner = await loadUserPermissions(db, row.owner_id);
  // An owner without a merchant (an older store) cannot be bounded by merchant: no access.
  if (!owner || owner.mid === null) return undefined;
  return { owner, grants: await clampGrants(db, owner, await loadGrants(db, row)) };
}

/** The messages for what `g` holds beyond `caller`'s grants (empty when within). */
function excessOver(caller: Grants, g: Grants): string[] {
  const out: string[] = [];
  for (const cap of g.capabilities) if (!caller.capabilities.includes(cap)) out.push(MESSAGES.EXCEEDS_CALLER_CAPABILITY(cap));
  const roles = new Map(caller.projects.map((p) => [p.project_id, p.role]));
  for (const p of g.projects) {
    const role = roles.get(p.project_id);
    if (role === undefined) out.push(MESSAGES.EXCEEDS_CALLER_PROJECT(p.project_id));
    else if (roleRank(p.role) > roleRank(role)) out.push(MESSAGES.EXCEEDS_CALLER_ROLE(p.project_id, p.role, role));
  }
  for (const s of g.mcp_servers) if (!caller.mcp_servers.includes(s)) out.push(MESSAGES.EXCEEDS_CALLER_MCP_SERVER(s));
  return out;
}

/**
 * A token acting for the owner may create, change or delete only authorizations within its own
 * effective grants (so it never hands itself a secret with more power than it holds): 403 naming the excess.
 */
async function checkWithinCaller(db: Sql, cred: Extract<Credential, { kind: 'authorization' }>, g: Grants): Promise<void> {
  const row = (await db.one('SELECT * FROM authorizations WHERE id = ?', [cred.id])) as AuthRow | undefined;
  const eff = row && (await effectiveGrants(db, row));
  const excess = eff ? excessOver(eff.grants, g) : [MESSAGES.INVALID_BEARER()];
  if (excess.length) throw new ApiError(403, excess);
}

/** A token or `api_key` secret of an authorization, resolved with what it may reach now. */
interface ResolvedToken {
  readonly row: AuthRow;
  readonly owner: UserPermissions;
  readonly grants: Grants;
  /** Epoch ms; absent for an `api_key` authorization's secret (it lives until the authorization is deleted). */
  readonly issuedAtMs?: number;
  readonly expiresAtMs?: number;
}

/**
 * Resolves a bearer to the live authorization it was issued to: an access token from
 * `POST /oauth2/token` that has not expired, or an `api_key` authorization's secret. Undefined when
 * unknown, expired, revoked, or when the owner is gone. An `oauth2` client secret is not a bearer.
 */
async function resolveToken(db: Sql, token: string, now: number): Promise<ResolvedToken | undefined> {
  const hash = hashSecret(token);
  let row: AuthRow | undefined;
  let issuedAtMs: number | undefined;
  let expiresAtMs: number | undefined;
  if (token.startsWith(AUTHORIZATION_ACCESS_TOKEN_PREFIX)) {
    const t = (await db.one('SELECT authorization_id, issued_at_ms, expires_at_ms FROM authorization_tokens WHERE token_hash = ? AND expires_at_ms > ?', [hash, now])) as { authorization_id: string; issued_at_ms: number; expires_at_ms: number } | undefined;
    if (!t) return undefined;
    row = (await db.one('SELECT * FROM authorizations WHERE id = ? AND deleted_at IS NULL', [t.authorization_id])) as AuthRow | undefined;
    issuedAtMs = t.issued_at_ms;
    expiresAtMs = t.expires_at_ms;
  } else if (token.startsWith(AUTHORIZATION_TOKEN_PREFIX)) {
    row = (await db.one("SELECT * FROM authorizations WHERE secret_hash = ? AND kind = 'api_key' AND deleted_at IS NULL", [hash])) as AuthRow | undefined;
  }
  if (!row) return undefined;
  const eff = await effectiveGrants(db, row);
  if (!eff) return undefined;
  return { row, owner: eff.owner, grants: eff.grants, issuedAtMs, expiresAtMs };
}

/** The credential of an authorization's bearer (see `resolveToken`), or undefined. */
export async function authenticateAuthorizationToken(db: Sql, token: string, now: number): Promise<Extract<Credential, { kind: 'authorization' }> | undefined> {
  const r = await resolveToken(db, token, now);
  if (!r || r.owner.mid === null) return undefined;
  return { kind: 'authorization', id: r.row.id, ownerId: r.row.owner_id, mid: r.owner.mid, mode: r.row.mode, capabilities: r.grants.capabilities };
}

/**
 * Which routes an authorization's token may call. It authenticates to resource servers through
 * introspection; the key-management API is open to it only with the `api` capability, and then only
 * the authorization routes (and the catalogs), acting for its owner within its own grants. API keys,
 * request logs, the audit log and admin routes are never open to it: it holds no API scopes.
 */
export function authorizeAuthorizationToken(cred: Extract<Credential, { kind: 'authorization' }>, access: RouteAccess): void {
  if (access.kind === 'public') return;
  if (access.kind === 'admin') throw new ApiError(403, [MESSAGES.ADMIN_ONLY()]);
  if (!cred.capabilities.includes('api')) throw new ApiError(403, [MESSAGES.AUTHORIZATION_TOKEN_NEEDS_API()]);
  if (access.kind === 'scope' && !access.scope.startsWith('authorizations:')) throw new ApiError(403, [MESSAGES.AUTHORIZATION_TOKEN_NO_SCOPE(access.scope)]);
}

/**
 * The id of the `oauth2` authorization whose client id and secret these are, for the token routes
 * (token, revoke, renew); undefined when the client id is not an authorization's. A deleted
 * authorization, a wrong secret and an owner who is gone all look the same: 401.
 */
export async function authenticateAuthorizationClient(ctx: RouteContext, clientId: string, clientSecret: string): Promise<string | undefined> {
  if (!clientId.startsWith(AUTHORIZATION_CLIENT_ID_PREFIX)) return undefined;
  const row = (await ctx.db.one("SELECT * FROM authorizations WHERE client_id = ? AND kind = 'oauth2' AND deleted_at IS NULL", [clientId])) as AuthRow | undefined;
  if (!row || row.secret_hash !== hashSecret(clientSecret) || !(await effectiveGrants(ctx.db, row))) throw new ApiError(401, [MESSAGES.INVALID_CLIENT()]);
  return row.id;
}

/** `POST /oauth2/token` for an `oauth2` authorization's client id and secret; undefined when the client id is not one. */
export async function issueAuthorizationToken(ctx: RouteContext, clientId: string, clientSecret: string): Promise<RouteResult | undefined> {
  const authorizationId = await authenticateAuthorizationClient(ctx, clientId, clientSecret);
  if (authorizationId === undefined) return undefined;
  const token = newSecret(AUTHORIZATION_ACCESS_TOKEN_PREFIX);
  const ttl = ctx.state.tokenTtlSeconds;
  await ctx.db.run('INSERT INTO authorization_tokens (token_hash, authorization_id, issued_at_ms, expires_at_ms) VALUES (?, ?, ?, ?)', [hashSecret(token), authorizationId, ctx.now, ctx.now + ttl * 1000]);
  return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: ttl } };
}

/**
 * `POST /oauth2/introspect` (RFC 7662): what a token may reach now. Callers: the admin client (every
 * token) and API keys holding `authorizations:read` (tokens of their own merchant's authorizations of
 * their own mode). Every other token — unknown, expired, revoked, owner gone, or out of the caller's
 * reach — answers exactly `{"active": false}`, so the answer tells nothing about other merchants.
 */
export async function introspectToken(ctx: RouteContext): Promise<RouteResult> {
  const cred = requireCredential(ctx);
  if (cred.kind === 'authorization') throw new ApiError(403, [MESSAGES.INTROSPECT_NOT_FOR_AUTHORIZATION()]);
  const r = await resolveToken(ctx.db, (ctx.body as { token: string }).token, ctx.now);
  if (!r || !mayReach(cred, r.owner.mid, r.row)) return { status: 200, body: { active: false } satisfies IntrospectionResponse };
  const body: IntrospectionResponse = {
    active: true,
    ...(r.row.client_id !== null ? { client_id: r.row.client_id } : {}),
    token_type: r.expiresAtMs !== undefined ? 'Bearer' : 'api_key',
    ...(r.expiresAtMs !== undefined ? { exp: Math.floor(r.expiresAtMs / 1000) } : {}),
    ...(r.issuedAtMs !== undefined ? { iat: Math.floor(r.issuedAtMs / 1000) } : {}),
    scope: r.grants.capabilities.join(' '),
    sub: r.row.owner_id,
    authorization_id: r.row.id,
    mid: r.owner.mid,
    mode: r.row.mode,
    capabilities: r.grants.capabilities as IntrospectionResponse['capabilities'],
    project_access: r.grants.projects as IntrospectionResponse['project_access'],
    mcp_servers: r.grants.mcp_servers,
  };
  return { status: 200, body };
}
