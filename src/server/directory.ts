/** The directory (merchants, projects, MCP servers, users): the default seed, its idempotent load, the directory and admin routes. */
import {
  ALL_SCOPES,
  CAPABILITIES,
  SCOPE_RESOURCE_DESCRIPTIONS,
  type McpServer,
  type Merchant,
  type Project,
  type SeedFile,
  type User,
} from '../model';
import { ApiError, iso, type RouteContext, type RouteResult } from './context';
import { recordAudit } from './audit';
import { MESSAGES } from './messages';
import { paginate } from './pagination';
import type { Sql } from './database';
import { clampAuthorizationsOf } from './authorizations';

/** The seed loaded when `keyform serve` gets no `--seed` (the team's fixed default). */
export const DEFAULT_SEED: SeedFile = {
  merchants: [
    { mid: 'mid_123456', name: 'Demo Merchant' },
    { mid: 'mid_654321', name: 'Other Merchant' },
  ],
  projects: [
    { id: 'proj_payments', name: 'Payments' },
    { id: 'proj_support', name: 'Support' },
    { id: 'proj_platform', name: 'Platform' },
  ],
  mcp_servers: [
    { id: 'billing-flow', project_id: 'proj_payments', name: 'billing-flow' },
    { id: 'refunds-flow', project_id: 'proj_payments', name: 'refunds-flow' },
    { id: 'support-kb', project_id: 'proj_support', name: 'support-kb' },
    { id: 'deploy-flow', project_id: 'proj_platform', name: 'deploy-flow' },
  ],
  users: [
    {
      id: 'usr_alice',
      mid: 'mid_123456',
      name: 'Alice',
      roles: [
        { project_id: 'proj_payments', role: 'admin' },
        { project_id: 'proj_support', role: 'admin' },
        { project_id: 'proj_platform', role: 'admin' },
      ],
      capabilities: [...CAPABILITIES],
    },
    { id: 'usr_bob', mid: 'mid_123456', name: 'Bob', roles: [{ project_id: 'proj_support', role: 'viewer' }], capabilities: ['mcp', 'api', 'apps:view'] },
    // A user of the other merchant, so that merchant boundaries of authorizations can be exercised.
    {
      id: 'usr_carol',
      mid: 'mid_654321',
      name: 'Carol',
      roles: [
        { project_id: 'proj_payments', role: 'editor' },
        { project_id: 'proj_platform', role: 'viewer' },
      ],
      capabilities: ['mcp', 'api', 'flows:edit'],
    },
  ],
};

type Upsert<T> = { created: boolean; value: T };

/** Creates or renames a merchant. */
export async function upsertMerchant(db: Sql, m: { mid: string; name: string }, now: number): Promise<Upsert<Merchant>> {
  const existing = (await db.one('SELECT mid FROM merchants WHERE mid = ?', [m.mid]));
  if (existing) (await db.run('UPDATE merchants SET name = ? WHERE mid = ?', [m.name, m.mid]));
  else (await db.run('INSERT INTO merchants (mid, name, created_at) VALUES (?, ?, ?)', [m.mid, m.name, iso(now)]));
  const row = (await db.one('SELECT * FROM merchants WHERE mid = ?', [m.mid])) as { mid: string; name: string; created_at: string };
  return { created: !existing, value: { id: row.mid, object: 'merchant', mid: row.mid, name: row.name, created_at: row.created_at } };
}

/** Creates or renames a project. */
export async function upsertProject(db: Sql, p: { id: string; name: string }, now: number): Promise<Upsert<Project>> {
  const existing = (await db.one('SELECT id FROM projects WHERE id = ?', [p.id]));
  if (existing) (await db.run('UPDATE projects SET name = ? WHERE id = ?', [p.name, p.id]));
  else (await db.run('INSERT INTO projects (id, name, created_at) VALUES (?, ?, ?)', [p.id, p.name, iso(now)]));
  const row = (await db.one('SELECT * FROM projects WHERE id = ?', [p.id])) as { id: string; name: string; created_at: string };
  return { created: !existing, value: { id: row.id, object: 'project', name: row.name, created_at: row.created_at } };
}

/** Creates or updates an MCP server; its project must exist. */
export async function upsertMcpServer(db: Sql, s: { id: string; project_id: string; name: string }, now: number): Promise<Upsert<McpServer>> {
  if (!(await db.one('SELECT id FROM projects WHERE id = ?', [s.project_id]))) throw new ApiError(400, [MESSAGES.MCP_SERVER_PROJECT_UNKNOWN(s.project_id)]);
  const existing = (await db.one('SELECT id FROM mcp_servers WHERE id = ?', [s.id]));
  if (existing) (await db.run('UPDATE mcp_servers SET name = ?, project_id = ? WHERE id = ?', [s.name, s.project_id, s.id]));
  else (await db.run('INSERT INTO mcp_servers (id, project_id, name, created_at) VALUES (?, ?, ?, ?)', [s.id, s.project_id, s.name, iso(now)]));
  return { created: !existing, value: mcpServerOf((await db.one('SELECT * FROM mcp_servers WHERE id = ?', [s.id])) as McpRow) };
}

interface McpRow {
  seq: number;
  id: string;
  project_id: string;
  name: string;
  created_at: string;
}
function mcpServerOf(r: McpRow): McpServer {
  return { id: r.id, object: 'mcp_server', project_id: r.project_id, name: r.name, created_at: r.created_at };
}

async function userOf(db: Sql, id: string): Promise<User> {
  const u = (await db.one('SELECT * FROM users WHERE id = ?', [id])) as { id: string; mid: string | null; name: string; capabilities: string; created_at: string };
  const roles = (await db.all('SELECT project_id, role FROM user_roles WHERE user_id = ? ORDER BY rowid', [id])) as { project_id: string; role: 'viewer' | 'editor' | 'admin' }[];
  return { id: u.id, object: 'user', mid: u.mid, name: u.name, roles, capabilities: JSON.parse(u.capabilities) as User['capabilities'], created_at: u.created_at };
}

/**
 * Creates or replaces a user's name, roles and capabilities. The merchant must exist and every role's
 * project too. A user's merchant never changes (its authorizations belong to that merchant); a user
 * without one (from an older store) is assigned the given merchant.
 */
export async function upsertUser(
  db: Sql,
  u: { id: string; mid: string; name?: string; roles?: { project_id: string; role: string }[]; capabilities?: string[] },
  now: number,
): Promise<Upsert<User>> {
  const bad: string[] = [];
  if (!(await db.one('SELECT mid FROM merchants WHERE mid = ?', [u.mid]))) bad.push(MESSAGES.UNKNOWN_MID(u.mid));
  const unknown: { project_id: string }[] = [];
  for (const r of u.roles ?? []) if (!(await db.one('SELECT id FROM projects WHERE id = ?', [r.project_id]))) unknown.push(r);
  bad.push(...unknown.map((r) => MESSAGES.UNKNOWN_USER_PROJECT(r.project_id)));
  if (bad.length) throw new ApiError(400, bad);
  const existing = (await db.one('SELECT id, mid, deleted_at FROM users WHERE id = ?', [u.id])) as { id: string; mid: string | null; deleted_at: string | null } | undefined;
  // Re-creating a removed user would bring its authorizations (and their secrets) back to life.
  if (existing?.deleted_at) throw new ApiError(409, [MESSAGES.USER_DELETED(u.id)]);
  if (existing?.mid && existing.mid !== u.mid) throw new ApiError(409, [MESSAGES.USER_MID_IMMUTABLE(u.id, existing.mid)]);
  const caps = JSON.stringify([...new Set(u.capabilities ?? [])]);
  if (existing) (await db.run('UPDATE users SET mid = ?, name = ?, capabilities = ? WHERE id = ?', [u.mid, u.name ?? u.id, caps, u.id]));
  else (await db.run('INSERT INTO users (id, mid, name, capabilities, created_at) VALUES (?, ?, ?, ?, ?)', [u.id, u.mid, u.name ?? u.id, caps, iso(now)]));
  await db.run('DELETE FROM user_roles WHERE user_id = ?', [u.id]);
  for (const r of u.roles ?? []) {
    await db.run('INSERT INTO user_roles (user_id, project_id, role) VALUES (?, ?, ?) ON CONFLICT (user_id, project_id) DO UPDATE SET role = excluded.role', [
      u.id,
      r.project_id,
      r.role,
    ]);
  }
  return { created: !existing, value: await userOf(db, u.id) };
}

/** Loads a seed idempotently, in dependency order; `db` is the one transaction it belongs to. */
export async function applySeed(db: Sql, seed: SeedFile, now: number): Promise<void> {
  for (const m of seed.merchants ?? []) await upsertMerchant(db, m, now);
  for (const p of seed.projects ?? []) await upsertProject(db, p, now);
  for (const s of seed.mcp_servers ?? []) await upsertMcpServer(db, s, now);
  for (const u of seed.users ?? []) {
    await upsertUser(db, u, now);
    await clampAuthorizationsOf(db, u.id, now);
  }
}

/** `GET /v1/scopes`. */
export function listScopes(): RouteResult {
  return {
    status: 200,
    body: {
      data: ALL_SCOPES.map((scope) => {
        const [resource, access] = scope.split(':') as [keyof typeof SCOPE_RESOURCE_DESCRIPTIONS, 'read' | 'write'];
        return { scope, resource, access, description: `${access === 'read' ? 'Read' : 'Create and change'}: ${SCOPE_RESOURCE_DESCRIPTIONS[resource]}${access === 'write' ? ' (implies read)' : ''}` };
      }),
    },
  };
}

/** `GET /v1/projects`: created order. */
export async function listProjects(ctx: RouteContext): Promise<RouteResult> {
  type Row = { seq: number; id: string; name: string; created_at: string };
  const page = await paginate<Row, Project>(
    async (w, a, limit) => (await ctx.db.all(`SELECT * FROM projects ${w} ORDER BY seq LIMIT ?`, [...a, limit])) as Row[],
    { limit: ctx.query.limit, cursor: ctx.query.cursor, order: 'asc', where: [], args: [] },
    (r) => ({ id: r.id, object: 'project', name: r.name, created_at: r.created_at }),
  );
  return { status: 200, body: page };
}

/** `GET /v1/mcp-servers`: created order, optionally of one project. */
export async function listMcpServers(ctx: RouteContext): Promise<RouteResult> {
  const where: string[] = [];
  const args: unknown[] = [];
  if (ctx.query.project_id !== undefined) {
    where.push('project_id = ?');
    args.push(ctx.query.project_id);
  }
  const page = await paginate<McpRow, McpServer>(
    async (w, a, limit) => (await ctx.db.all(`SELECT * FROM mcp_servers ${w} ORDER BY seq LIMIT ?`, [...a, limit])) as McpRow[],
    { limit: ctx.query.limit, cursor: ctx.query.cursor, order: 'asc', where, args },
    mcpServerOf,
  );
  return { status: 200, body: page };
}

/** `POST /v1/admin/merchants`: 201 when created, 200 when it existed (upsert). */
export async function adminCreateMerchant(ctx: RouteContext): Promise<RouteResult> {
  const r = await upsertMerchant(ctx.db, ctx.body, ctx.now);
  await recordAudit(ctx, r.created ? 'merchant.create' : 'merchant.update', r.value.mid, r.value.mid);
  return { status: r.created ? 201 : 200, body: r.value };
}

/** `POST /v1/admin/projects`: upsert. */
export async function adminCreateProject(ctx: RouteContext): Promise<RouteResult> {
  const r = await upsertProject(ctx.db, ctx.body, ctx.now);
  await recordAudit(ctx, r.created ? 'project.create' : 'project.update', r.value.id, null);
  return { status: r.created ? 201 : 200, body: r.value };
}

/** `POST /v1/admin/mcp-servers`: upsert. */
export async function adminCreateMcpServer(ctx: RouteContext): Promise<RouteResult> {
  const r = await upsertMcpServer(ctx.db, ctx.body, ctx.now);
  await recordAudit(ctx, r.created ? 'mcp_server.create' : 'mcp_server.update', r.value.id, null);
  return { status: r.created ? 201 : 200, body: r.value };
}

/** `POST /v1/admin/users`: upsert. */
export async function adminCreateUser(ctx: RouteContext): Promise<RouteResult> {
  const r = await upsertUser(ctx.db, ctx.body, ctx.now);
  // Entries carry the user's merchant, so that merchant's keys with audit_log:read see what changed for its users.
  await recordAudit(ctx, r.created ? 'user.create' : 'user.update', r.value.id, r.value.mid);
  // An authorization never outlives its owner's permissions (seed 002): narrow them with the owner.
  for (const id of await clampAuthorizationsOf(ctx.db, r.value.id, ctx.now)) await recordAudit(ctx, 'authorization.clamp', id, r.value.mid);
  return { status: r.created ? 201 : 200, body: r.value };
}

/** `GET /v1/admin/merchants`. */
export async function adminListMerchants(ctx: RouteContext): Promise<RouteResult> {
  type Row = { seq: number; mid: string; name: string; created_at: string };
  const page = await paginate<Row, Merchant>(
    async (w, a, limit) => (await ctx.db.all(`SELECT * FROM merchants ${w} ORDER BY seq LIMIT ?`, [...a, limit])) as Row[],
    { limit: ctx.query.limit, cursor: ctx.query.cursor, order: 'asc', where: [], args: [] },
    (r) => ({ id: r.mid, object: 'merchant', mid: r.mid, name: r.name, created_at: r.created_at }),
  );
  return { status: 200, body: page };
}

/** `GET /v1/admin/users`. */
export async function adminListUsers(ctx: RouteContext): Promise<RouteResult> {
  type Row = { seq: number; id: string };
  const page = await paginate<Row, User>(
    async (w, a, limit) => (await ctx.db.all(`SELECT seq, id FROM users ${w} ORDER BY seq LIMIT ?`, [...a, limit])) as Row[],
    { limit: ctx.query.limit, cursor: ctx.query.cursor, order: 'asc', where: ['deleted_at IS NULL'], args: [] },
    (r) => userOf(ctx.db, r.id),
  );
  return { status: 200, body: page };
}

/**
 * `DELETE /v1/admin/users/{id}`: removes a user. The row stays (marked removed) so that its
 * authorizations remain visible and deletable, but the user holds no permissions any more: every token
 * of its authorizations is inactive at once, with no rewrite of the authorizations. 204 again for a
 * removed user; 404 for an id that never existed.
 */
export async function adminDeleteUser(ctx: RouteContext): Promise<RouteResult> {
  const u = (await ctx.db.one('SELECT id, mid, deleted_at FROM users WHERE id = ?', [ctx.params.id])) as { id: string; mid: string | null; deleted_at: string | null } | undefined;
  if (!u) throw new ApiError(404, [MESSAGES.NO_SUCH_USER(ctx.params.id)]);
  if (!u.deleted_at) {
    await ctx.db.run('UPDATE users SET deleted_at = ? WHERE id = ?', [iso(ctx.now), u.id]);
    await recordAudit(ctx, 'user.delete', u.id, u.mid);
  }
  return { status: 204 };
}
