import type { Db } from './store';

/** A user's project roles and capabilities. */
export interface UserPermissions {
  readonly id: string;
  readonly roles: ReadonlyMap<string, string>;
  readonly capabilities: readonly string[];
}

/** Loads a user's permissions, or undefined when there is no such user. */
export function loadUserPermissions(db: Db, id: string): UserPermissions | undefined {
  const u = db.prepare('SELECT id, capabilities FROM users WHERE id = ?').get(id) as { id: string; capabilities: string } | undefined;
  if (!u) return undefined;
  const roles = db.prepare('SELECT project_id, role FROM user_roles WHERE user_id = ?').all(id) as { project_id: string; role: string }[];
  return { id: u.id, roles: new Map(roles.map((r) => [r.project_id, r.role])), capabilities: JSON.parse(u.capabilities) as string[] };
}
