import type { Db } from './store';

/** A user's merchant, project roles and capabilities. */
export interface UserPermissions {
  readonly id: string;
  /** The user's merchant; null for a user from an older store that the admin has not assigned one yet. */
  readonly mid: string | null;
  readonly roles: ReadonlyMap<string, string>;
  readonly capabilities: readonly string[];
}

/** Loads a user's permissions, or undefined when there is no such user (or it was removed). */
export function loadUserPermissions(db: Db, id: string): UserPermissions | undefined {
  // A removed user holds nothing: its authorizations reach nothing from that moment on.
  const u = db.prepare('SELECT id, mid, capabilities FROM users WHERE id = ? AND deleted_at IS NULL').get(id) as { id: string; mid: string | null; capabilities: string } | undefined;
  if (!u) return undefined;
  const roles = db.prepare('SELECT project_id, role FROM user_roles WHERE user_id = ?').all(id) as { project_id: string; role: string }[];
  return { id: u.id, mid: u.mid, roles: new Map(roles.map((r) => [r.project_id, r.role])), capabilities: JSON.parse(u.capabilities) as string[] };
}

/** The merchant of user `id`: a string, null when the user has none, undefined when there is no such user. */
export function userMid(db: Db, id: string): string | null | undefined {
  const u = db.prepare('SELECT mid FROM users WHERE id = ?').get(id) as { mid: string | null } | undefined;
  return u ? u.mid : undefined;
}
