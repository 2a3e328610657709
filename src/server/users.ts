/** A user's merchant, project roles and capabilities, as the privilege rules read them. */
import type { Sql } from './database';

/** A user's merchant, project roles and capabilities. */
export interface UserPermissions {
  readonly id: string;
  /** The user's merchant; null for a user from an older store that the admin has not assigned one yet. */
  readonly mid: string | null;
  readonly roles: ReadonlyMap<string, string>;
  readonly capabilities: readonly string[];
}

/** Loads a user's permissions, or undefined when there is no such user (or it was removed). */
export async function loadUserPermissions(db: Sql, id: string): Promise<UserPermissions | undefined> {
  // A removed user holds nothing: its authorizations reach nothing from that moment on.
  const u = await db.one<{ id: string; mid: string | null; capabilities: string }>('SELECT id, mid, capabilities FROM users WHERE id = ? AND deleted_at IS NULL', [id]);
  if (!u) return undefined;
  const roles = await db.all<{ project_id: string; role: string }>('SELECT project_id, role FROM user_roles WHERE user_id = ?', [id]);
  return { id: u.id, mid: u.mid, roles: new Map(roles.map((r) => [r.project_id, r.role])), capabilities: JSON.parse(u.capabilities) as string[] };
}

/** The merchant of user `id`: a string, null when the user has none, undefined when there is no such user. */
export async function userMid(db: Sql, id: string): Promise<string | null | undefined> {
  const u = await db.one<{ mid: string | null }>('SELECT mid FROM users WHERE id = ?', [id]);
  return u ? u.mid : undefined;
}
