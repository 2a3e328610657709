/**
 * Project access and MCP-server grants of an authorization, each managed on its own: observe (from the
 * authorization, via its read cache) → diff → apply with the per-grant PUT/DELETE routes, which are
 * idempotent (granting what is granted and removing what is gone both succeed). Every grant they make
 * carries the origin `keyform`, which is how an authoritative authorization tells a declared grant
 * from one made by hand (see authorization.ts).
 *
 * An MCP-server grant needs access to the server's project, and project access cannot be removed while
 * a grant of one of its servers exists. Terraform creates and destroys independent resources in
 * parallel, so both calls are retried for a few seconds while the other resource catches up; after that
 * the API's refusal is reported with an explanation of how to order the resources.
 */
import { KeyformApi, errorStatus, isNotFound } from './api';
import { AuthorizationHandler, ObservedAuthorization } from './authorization';
import { Diff, scalarChange } from './diff';
import { HandlerError, errorMessages, wrapApiError } from './errors';
import { Limiter } from './concurrency';
import { MESSAGES } from './messages';

/** Project access as declared or observed. */
export interface ProjectAccessValue {
  readonly authorizationId: string;
  readonly projectId: string;
  readonly role: string;
}

/** The id of a project access: `<authorization_id>/<project_id>`. */
export function projectAccessId(v: { authorizationId: string; projectId: string }): string {
  return `${v.authorizationId}/${v.projectId}`;
}

/** The id of an MCP-server grant: `<authorization_id>/<mcp_server_id>`. */
export function mcpServerGrantId(v: { authorizationId: string; mcpServerId: string }): string {
  return `${v.authorizationId}/${v.mcpServerId}`;
}

/** Splits a two-part import id `a/b`; undefined when it is not one. */
export function splitPairId(id: string): [string, string] | undefined {
  const parts = id.split('/');
  return parts.length === 2 && parts[0] && parts[1] ? [parts[0], parts[1]] : undefined;
}

/** Compares declared project access with the observed one. Pure. */
export function diffProjectAccess(desired: ProjectAccessValue | null, observed: ProjectAccessValue | null): Diff {
  if (!desired) return { kind: observed ? 'delete' : 'noop', changes: [], reasons: [] };
  if (!observed) return { kind: 'create', changes: [], reasons: [] };
  const replacing = [
    ...scalarChange('authorization_id', observed.authorizationId, desired.authorizationId, true),
    ...scalarChange('project_id', observed.projectId, desired.projectId, true),
  ];
  const role = scalarChange('role', observed.role, desired.role);
  if (replacing.length) return { kind: 'replace', changes: [...replacing, ...role], reasons: replacing.map((c) => `${c.field} cannot change in place`) };
  return role.length ? { kind: 'update', changes: role, reasons: [] } : { kind: 'noop', changes: [], reasons: [] };
}

/** Retry schedule for ordering conflicts between grant resources (ms). */
const ORDERING_RETRIES_MS = [200, 400, 800, 1500, 2500];

async function withOrderingRetry<T>(call: () => Promise<T>, retryable: (err: unknown) => boolean, sleep: (ms: number) => Promise<void>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (attempt >= ORDERING_RETRIES_MS.length || !retryable(err)) throw err;
      await sleep(ORDERING_RETRIES_MS[attempt]);
    }
  }
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Applies project-access and MCP-server-grant changes. */
export class GrantHandler {
  constructor(
    private readonly api: KeyformApi,
    private readonly limiter: Limiter,
    private readonly authorizations: AuthorizationHandler,
    private readonly sleep: (ms: number) => Promise<void> = defaultSleep,
  ) {}

  /** Observes one project access; null when the authorization or the access is gone. */
  async observeProjectAccess(authorizationId: string, projectId: string, where: string): Promise<ProjectAccessValue | null> {
    const a = await this.authorizations.observe(authorizationId, where);
    const entry = a?.projectAccess.find((p) => p.projectId === projectId);
    return entry ? { authorizationId, projectId, role: entry.role } : null;
  }

  /** Grants (or changes) access to a project. */
  async putProjectAccess(v: ProjectAccessValue, where: string): Promise<ProjectAccessValue> {
    try {
      const a = await this.limiter.run(() => this.api.putProjectAccess(v.authorizationId, v.projectId, { role: v.role, origin: 'keyform' }));
      this.authorizations.remember(a);
      return v;
    } catch (err) {
      throw wrapApiError(err, 'grant project access', where);
    }
  }

  /** Removes access to a project; waits briefly for MCP-server grants of it being removed in parallel. */
  async deleteProjectAccess(authorizationId: string, projectId: string, where: string): Promise<void> {
    try {
      const a = await withOrderingRetry(
        () => this.limiter.run(() => this.api.deleteProjectAccess(authorizationId, projectId)),
        (err) => errorStatus(err) === 409 || errorStatus(err) === 400,
        this.sleep,
      );
      this.authorizations.remember(a);
    } catch (err) {
      if (isNotFound(err)) return;
      const status = errorStatus(err);
      if (status === 409 || status === 400) {
        throw new HandlerError(MESSAGES.projectAccessInUse(projectId, errorMessages(err).join(' ')), { status });
      }
      throw wrapApiError(err, 'remove project access', where);
    }
  }

  /** Observes one MCP-server grant: whether the authorization holds it. */
  async observeMcpServerGrant(authorizationId: string, mcpServerId: string, where: string): Promise<boolean> {
    const a: ObservedAuthorization | null = await this.authorizations.observe(authorizationId, where);
    return !!a && a.mcpServers.includes(mcpServerId);
  }

  /** Grants access to an MCP server; waits briefly for project access being granted in parallel. */
  async putMcpServerGrant(authorizationId: string, mcpServerId: string, where: string): Promise<void> {
    try {
      const a = await withOrderingRetry(
        () => this.limiter.run(() => this.api.putMcpServerGrant(authorizationId, mcpServerId, { origin: 'keyform' })),
        (err) => errorStatus(err) === 400 && /project/i.test(errorMessages(err).join(' ')),
        this.sleep,
      );
      this.authorizations.remember(a);
    } catch (err) {
      const status = errorStatus(err);
      if (status === 400 && /project/i.test(errorMessages(err).join(' '))) {
        throw new HandlerError(MESSAGES.mcpGrantNeedsProjectAccess(mcpServerId, errorMessages(err).join(' ')), { status, path: ['mcp_server_id'] });
      }
      throw wrapApiError(err, 'grant MCP server', where);
    }
  }

  /** Removes access to an MCP server; a grant that is already gone counts as removed. */
  async deleteMcpServerGrant(authorizationId: string, mcpServerId: string, where: string): Promise<void> {
    try {
      this.authorizations.remember(await this.limiter.run(() => this.api.deleteMcpServerGrant(authorizationId, mcpServerId)));
    } catch (err) {
      if (isNotFound(err)) return;
      throw wrapApiError(err, 'remove MCP server grant', where);
    }
  }
}
