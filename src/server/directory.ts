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
import { ApiError, iso, type HandlerContext, type HandlerResult } from './context';
import { recordAudit } from './audit';
import { MESSAGES } from './messages';
import { paginate } from './pagination';
import type { Db } from './store';
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
export function upsertMerchant(db: Db, m: { mid: string; name: string }, now: number): Upsert<Merchant> {
  const existing = db.prepare('SELECT mid FROM merchants WHERE mid = ?').get(m.mid);
  if (existing) db.prepare('UPDATE merchants SET name = ? WHERE mid = ?').run(m.name, m.mid);
  else db.prepare('INSERT INTO merchants (mid, name, created_at) VALUES (?, ?, ?)').run(m.mid, m.name, iso(now));
  const row = db.prepare('SELECT * FROM merchants WHERE mid = ?').get(m.mid) as { mid: string; name: string; created_at: string };
  return { created: !existing, value: { id: row.mid, object: 'merchant', mid: row.mid, name: row.name, created_at: row.created_at } };
}

/** Creates or renames a project. */
export function upsertProject(db: Db, p: { id: string; name: string }, now: number): Upsert<Project> {
  const existing = db.prepare('SELECT id FROM projects WHERE id = ?').get(p.id);
  if (existing) db.prepare('UPDATE projects SET name = ? WHERE id = ?').run(p.name, p.id);
  else db.prepare('INSERT INTO projects (id, name, created_at) VALUES (?, ?, ?)').run(p.id, p.name, iso(now));
  const row = db.prepare('SELECT * FROM projects WHERE id = ?').get(p.id) as { id: string; name: string; created_at: string };
  return { created: !existing, value: { id: row.id, object: 'project', name: row.name, created_at: row.created_at } };
}

/** Creates or updates an MCP server; its project must exist. */
export function upsertMcpServer(db: Db, s: { id: string; project_id: string; name: string }, now: number): Upsert<McpServer> {
  if (!db.prepare('SELECT id FROM projects WHERE id = ?').get(s.project_id)) throw new ApiError(400, [MESSAGES.MCP_SERVER_PROJECT_UNKNOWN(s.project_id)]);
  const existing = db.prepare('SELECT id FROM mcp_servers WHERE id = ?').get(s.id);
  if (existing) db.prepare('UPDATE mcp_servers SET name = ?, project_id = ? WHERE id = ?').run(s.name, s.project_id, s.id);
  else db.prepare('INSERT INTO mcp_servers (id, project_id, name, created_at) VALUES (?, ?, ?, ?)').run(s.id, s.project_id, s.name, iso(now));
  return { created: !existing, value: mcpServerOf(db.prepare('SELECT * FROM mcp_servers WHERE id = ?').get(s.id) as McpRow) };
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

function userOf(db: Db, id: string): User {
  const u = db.prepare('SELECT * FROM users WHERE id = ?').get(id) as { id: string; mid: string | null; name: string; capabilities: string; created_at: string };
  const roles = db.prepare('SELECT project_id, role FROM user_roles WHERE user_id = ? ORDER BY rowid').all(id) as { project_id: string; role: 'viewer' | 'editor' | 'admin' }[];
  return { id: u.id, object: 'user', mid: u.mid, name: u.name, roles, capabilities: JSON.parse(u.capabilities) as User['capabilities'], created_at: u.created_at };
}

/**
 * Creates or replaces a user's name, roles and capabilities. The merchant must exist and every role's
 * project too. A user's merchant never changes (its authorizations belong to that merchant); a user
 * without one (from an older store) is assigned the given merchant.
 */
export function upsertUser(
  db: Db,
  u: { id: string; mid: string; name?: string; roles?: { project_id: string; role: string }[]; capabilities?: string[] },
  now: number,
): Upsert<User> {
  const bad: string[] = [];
  if (!db.prepare('SELECT mid FROM merchants WHERE mid = ?').get(u.mid)) bad.push(MESSAGES.UNKNOWN_MID(u.mid));
  const unknown = (u.roles ?? []).filter((r) => !db.prepare('SELECT id FROM projects WHERE id = ?').get(r.project_id));
  bad.push(...unknown.map((r) => MESSAGES.UNKNOWN_USER_PROJECT(r.project_id)));
  if (bad.length) throw new ApiError(400, bad);
  const existing = db.prepare('SELECT id, mid, deleted_at FROM users WHERE id = ?').get(u.id) as { id: string; mid: string | null; deleted_at: string | null } | undefined;
  // Re-creating a removed user would bring its authorizations (and their secrets) back to life.
  if (existing?.deleted_at) throw new ApiError(409, [MESSAGES.USER_DELETED(u.id)]);
  if (existing?.mid && existing.mid !== u.mid) throw new ApiError(409, [MESSAGES.USER_MID_IMMUTABLE(u.id, existing.mid)]);
  const caps = JSON.stringify([...new Set(u.capabilities ?? [])]);
  if (existing) db.prepare('UPDATE users SET mid = ?, name = ?, capabilities = ? WHERE id = ?').run(u.mid, u.name ?? u.id, caps, u.id);
  else db.prepare('INSERT INTO users (id, mid, name, capabilities, created_at) VALUES (?, ?, ?, ?, ?)').run(u.id, u.mid, u.name ?? u.id, caps, iso(now));
  db.prepare('DELETE FROM user_roles WHERE user_id = ?').run(u.id);
  for (const r of u.roles ?? []) {
    db.prepare('INSERT OR REPLACE INTO user_roles (user_id, project_id, role) VALUES (?, ?, ?)').run(u.id, r.project_id, r.role);
  }
  return { created: !existing, value: userOf(db, u.id) };
}

/** Loads a seed idempotently, in dependency order, in one transaction. */
export function applySeed(db: Db, seed: SeedFile, now: number): void {
  db.transaction(() => {
    for (const m of seed.merchants ?? []) upsertMerchant(db, m, now);
    for (const p of seed.projects ?? []) upsertProject(db, p, now);
    for (const s of seed.mcp_servers ?? []) upsertMcpServer(db, s, now);
    for (const u of seed.users ?? []) {
      upsertUser(db, u, now);
      clampAuthorizationsOf(db, u.id, now);
    }
  })();
}

/** `GET /v1/scopes`. */
export function listScopes(): HandlerResult {
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
export function listProjects(ctx: HandlerContext): HandlerResult {
  type Row = { seq: number; id: string; name: string; created_at: string };
  const page = paginate<Row, Project>(
    (w, a, limit) => ctx.db.prepare(`SELECT * FROM projects ${w} ORDER BY seq LIMIT ?`).all(...a, limit) as Row[],
    { limit: ctx.query.limit, cursor: ctx.query.cursor, order: 'asc', where: [], args: [] },
    (r) => ({ id: r.id, object: 'project', name: r.name, created_at: r.created_at }),
  );
  return { status: 200, body: page };
}

/** `GET /v1/mcp-servers`: created order, optionally of one project. */
export function listMcpServers(ctx: HandlerContext): HandlerResult {
  const where: string[] = [];
  const args: unknown[] = [];
  if (ctx.query.project_id !== undefined) {
    where.push('project_id = ?');
    args.push(ctx.query.project_id);
  }
  const page = paginate<McpRow, McpServer>(
    (w, a, limit) => ctx.db.prepare(`SELECT * FROM mcp_servers ${w} ORDER BY seq LIMIT ?`).all(...a, limit) as McpRow[],
    { limit: ctx.query.limit, cursor: ctx.query.cursor, order: 'asc', where, args },
    mcpServerOf,
  );
  return { status: 200, body: page };
}

/** `POST /v1/admin/merchants`: 201 when created, 200 when it existed (upsert). */
export function adminCreateMerchant(ctx: HandlerContext): HandlerResult {
  const r = upsertMerchant(ctx.db, ctx.body, ctx.now);
  recordAudit(ctx, r.created ? 'merchant.create' : 'merchant.update', r.value.mid, r.value.mid);
  return { status: r.created ? 201 : 200, body: r.value };
}

/** `POST /v1/admin/projects`: upsert. */
export function adminCreateProject(ctx: HandlerContext): HandlerResult {
  const r = upsertProject(ctx.db, ctx.body, ctx.now);
  recordAudit(ctx, r.created ? 'project.create' : 'project.update', r.value.id, null);
  return { status: r.created ? 201 : 200, body: r.value };
}

/** `POST /v1/admin/mcp-servers`: upsert. */
export function adminCreateMcpServer(ctx: HandlerContext): HandlerResult {
  const r = upsertMcpServer(ctx.db, ctx.body, ctx.now);
  recordAudit(ctx, r.created ? 'mcp_server.create' : 'mcp_server.update', r.value.id, null);
  return { status: r.created ? 201 : 200, body: r.value };
}

/** `POST /v1/admin/users`: upsert. */
export function adminCreateUser(ctx: HandlerContext): HandlerResult {
  const r = upsertUser(ctx.db, ctx.body, ctx.now);
  // Entries carry the user's merchant, so that merchant's keys with audit_log:read see what changed for its users.
  recordAudit(ctx, r.created ? 'user.create' : 'user.update', r.value.id, r.value.mid);
  // An authorization never outlives its owner's permissions (seed 002): narrow them with the owner.
  for (const id of clampAuthorizationsOf(ctx.db, r.value.id, ctx.now)) recordAudit(ctx, 'authorization.clamp', id, r.value.mid);
  return { status: r.created ? 201 : 200, body: r.value };
}

/** `GET /v1/admin/merchants`. */
export function adminListMerchants(ctx: HandlerContext): HandlerResult {
  type Row = { seq: number; mid: string; name: string; created_at: string };
  const page = paginate<Row, Merchant>(
    (w, a, limit) => ctx.db.prepare(`SELECT * FROM merchants ${w} ORDER BY seq LIMIT ?`).all(...a, limit) as Row[],
    { limit: ctx.query.limit, cursor: ctx.query.cursor, order: 'asc', where: [], args: [] },
    (r) => ({ id: r.mid, object: 'merchant', mid: r.mid, name: r.name, created_at: r.created_at }),
  );
  return { status: 200, body: page };
}

/** `GET /v1/admin/users`. */
export function adminListUsers(ctx: HandlerContext): HandlerResult {
  type Row = { seq: number; id: string };
  const page = paginate<Row, User>(
    (w, a, limit) => ctx.db.prepare(`SELECT seq, id FROM users ${w} ORDER BY seq LIMIT ?`).all(...a, limit) as Row[],
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
export function adminDeleteUser(ctx: HandlerContext): HandlerResult {
  const u = ctx.db.prepare('SELECT id, mid, deleted_at FROM users WHERE id = ?').get(ctx.params.id) as { id: string; mid: string | null; deleted_at: string | null } | undefined;
  if (!u) throw new ApiError(404, [MESSAGES.NO_SUCH_USER(ctx.params.id)]);
  if (!u.deleted_at) {
    ctx.db.prepare('UPDATE users SET deleted_at = ? WHERE id = ?').run(iso(ctx.now), u.id);
    recordAudit(ctx, 'user.delete', u.id, u.mid);
  }
  return { status: 204 };
}
