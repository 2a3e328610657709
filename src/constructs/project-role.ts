/** The role an authorization holds on a project: the same roles regular users have. */
export enum ProjectRole {
  /** Read-only access to the project. */
  VIEWER = 'viewer',
  /** May change the project's content. */
  EDITOR = 'editor',
  /** Full control of the project. */
  ADMIN = 'admin',
}
