/**
 * OAuth authorizations: observe → diff → apply. Project access and MCP-server grants are managed by
 * their own resources (see grants.ts), so the authorization diff ignores them and its updates never
 * send them: the two resources never fight over the same fields.
 *
 * Authoritative grants. A resource cannot see its siblings, so the server records each grant's origin:
 * grants made by keyform's grant resources carry `keyform` (grants.ts). Every other grant of the
 * authorization was made by hand and is listed in `unmanaged` (`project:<id>:<role>`,
 * `mcp_server:<id>`); an authoritative authorization (the default) plans their removal and
 * {@link AuthorizationHandler.removeUnmanagedGrants} removes them. Against an API that does not report
 * origins, nothing is considered unmanaged.
 *
 * Creation is crash-safe like a key's (create-journal.ts): journaled before the request, recovered by
 * replaying the create with its Idempotency-Key, never taken from another working directory.
 */
import type { Authorization, AuthorizationWithSecret, CreateAuthorizationRequest, UpdateAuthorizationRequest } from '../model';
import { identityHash } from './create-journal';
import { Diff, FieldChange, scalarChange, setChange } from './diff';
import { wrapApiError } from './errors';
import { ObjectHandler } from './object-handler';

/** An authorization as declared. */
export interface DesiredAuthorization {
  readonly name: string;
  readonly kind: string;
  readonly ownerId: string;
  /** `test` or `live`: the mode of every token issued to it. Immutable (a change replaces). */
  readonly mode: string;
  /** Sorted, distinct. */
  readonly capabilities: readonly string[];
}

/** An authorization as the API holds it (never its secret). */
export interface ObservedAuthorization {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly ownerId: string;
  readonly mode: string;
  readonly capabilities: readonly string[];
  readonly clientId: string | null;
  readonly fingerprint: string;
  readonly projectAccess: ReadonlyArray<{ readonly projectId: string; readonly role: string }>;
  readonly mcpServers: readonly string[];
  /** Grants made by hand (no keyform origin), sorted: `project:<id>:<role>`, `mcp_server:<id>`. */
  readonly unmanaged: readonly string[];
}

/** An authorization diff plus its PATCH body. */
export interface AuthorizationDiff extends Diff {
  readonly patch: UpdateAuthorizationRequest;
}

/** Maps an API authorization to what the handler compares. */
export function observeAuthorization(a: Authorization): ObservedAuthorization {
  return {
    id: a.id,
    name: a.name,
    kind: a.kind,
    ownerId: a.owner_id,
    // A server from before authorizations had a mode holds test-mode ones only.
    mode: a.mode ?? 'test',
    capabilities: [...a.capabilities].sort(),
    clientId: a.client_id ?? null,
    fingerprint: a.fingerprint,
    projectAccess: (a.project_access ?? []).map((p) => ({ projectId: p.project_id, role: p.role })),
    mcpServers: [...(a.mcp_servers ?? [])].sort(),
    unmanaged: unmanagedGrants(a),
  };
}

/** The grants of an authorization that no keyform grant resource made, sorted. */
export function unmanagedGrants(a: Pick<Authorization, 'project_access' | 'mcp_servers' | 'managed_grants'>): string[] {
  if (!a.managed_grants) return [];
  const projects = new Set(a.managed_grants.project_ids);
  const servers = new Set(a.managed_grants.mcp_server_ids);
  return [
    ...(a.project_access ?? []).filter((p) => !projects.has(p.project_id)).map((p) => `project:${p.project_id}:${p.role}`),
    ...(a.mcp_servers ?? []).filter((s) => !servers.has(s)).map((s) => `mcp_server:${s}`),
  ].sort();
}

/** An unmanaged grant in plain words, e.g. `project proj_x (editor)` or `MCP server billing-flow`. */
export function describeGrant(grant: string): string {
  const [kind, id, role] = grant.split(':');
  return kind === 'project' ? `project ${id} (${role})` : `MCP server ${id}`;
}

/** Compares a declared authorization with the observed one. Pure. */
export function diffAuthorization(desired: DesiredAuthorization | null, observed: ObservedAuthorization | null): AuthorizationDiff {
  if (!desired) return { kind: observed ? 'delete' : 'noop', changes: [], reasons: observed ? ['no longer declared'] : [], patch: {} };
  if (!observed) return { kind: 'create', changes: [], reasons: [], patch: {} };
  const replacing: FieldChange[] = [
    ...scalarChange('kind', observed.kind, desired.kind, true),
    ...scalarChange('owner_id', observed.ownerId, desired.ownerId, true),
    ...scalarChange('mode', observed.mode, desired.mode, true),
  ];
  const inPlace: FieldChange[] = [...scalarChange('name', observed.name, desired.name), ...setChange('capabilities', observed.capabilities, desired.capabilities)];
  if (replacing.length) return { kind: 'replace', changes: [...replacing, ...inPlace], reasons: replacing.map((c) => `${c.field} cannot change in place`), patch: {} };
  if (!inPlace.length) return { kind: 'noop', changes: [], reasons: [], patch: {} };
  const patch: { -readonly [K in keyof UpdateAuthorizationRequest]: UpdateAuthorizationRequest[K] } = {};
  for (const c of inPlace) {
    if (c.field === 'name') patch.name = desired.name;
    if (c.field === 'capabilities') patch.capabilities = [...desired.capabilities] as UpdateAuthorizationRequest['capabilities'];
  }
  return { kind: 'update', changes: inPlace, reasons: [], patch };
}

/** The single listing partition of authorizations (they are not bound to a merchant). */
const ALL = '*';

/** Applies authorization changes; also the authorization cache the grant resources read from. */
export class AuthorizationHandler extends ObjectHandler<Authorization> {
  /** Every authorization: they are not bound to a merchant, so there is one partition. */
  protected list(_all: string, limit: number): AsyncIterable<Authorization> {
    return this.api.iterateAuthorizations({ limit });
  }

  protected get(id: string): Promise<Authorization> {
    return this.api.getAuthorization(id);
  }

  /** Observes an authorization; null when it does not exist. Reads only. */
  async observe(id: string, where: string): Promise<ObservedAuthorization | null> {
    try {
      const a = await this.cache.lookup(ALL, id);
      return a ? observeAuthorization(a) : null;
    } catch (err) {
      throw wrapApiError(err, 'read', where);
    }
  }

  /** Records the authorization an API call returned, so later reads in this process see it. */
  remember(a: Authorization): ObservedAuthorization {
    this.cache.remember(ALL, a);
    return observeAuthorization(a);
  }

  /** Creates an authorization, or recovers this working directory's orphan of a crashed create of it. */
  async create(desired: DesiredAuthorization, where: string): Promise<{ observed: ObservedAuthorization; secret: string; adopted: boolean }> {
    const body: CreateAuthorizationRequest = {
      name: desired.name,
      kind: desired.kind as CreateAuthorizationRequest['kind'],
      owner_id: desired.ownerId,
      // Always sent, so a live authorization is asked for by name (the API's rule for live writes).
      mode: desired.mode as CreateAuthorizationRequest['mode'],
      capabilities: [...desired.capabilities] as CreateAuthorizationRequest['capabilities'],
    };
    try {
      const { object, adopted } = await this.creator.create<Authorization, AuthorizationWithSecret>({
        kind: 'authorization',
        // The mode is part of the identity: a test orphan is never adopted for a live declaration (mode cannot be patched).
        identity: identityHash(['authorization', desired.name, desired.kind, desired.ownerId, desired.mode]),
        where,
        freshBody: () => body,
        send: (b, idempotencyKey) => this.limiter.run(() => this.api.createAuthorization(b as CreateAuthorizationRequest, { idempotencyKey })),
        find: async (entry) => (entry.objectId ? this.getOrUndefined(entry.objectId) : undefined),
        get: (id) => this.getOrUndefined(id),
        lastUsed: (a) => (a as { last_used_at?: string | null }).last_used_at ?? null,
        discard: async (id) => {
          await this.limiter.run(() => this.api.deleteAuthorization(id));
        },
      });
      const { secret, ...rest } = object;
      let latest: Authorization = rest;
      if (adopted) {
        // The journaled body may predate a change of the declaration: bring it up to date.
        const diff = diffAuthorization(desired, observeAuthorization(latest));
        if (Object.keys(diff.patch).length) latest = await this.limiter.run(() => this.api.updateAuthorization(object.id, diff.patch));
      }
      return { observed: this.remember(latest), secret, adopted };
    } catch (err) {
      throw wrapApiError(err, 'create', where);
    }
  }

  /** Applies the in-place part of a diff. */
  async update(id: string, diff: AuthorizationDiff, where: string): Promise<ObservedAuthorization | undefined> {
    if (!Object.keys(diff.patch).length) return undefined;
    try {
      return this.remember(await this.limiter.run(() => this.api.updateAuthorization(id, diff.patch)));
    } catch (err) {
      throw wrapApiError(err, 'update', where);
    }
  }

  /**
   * Removes every grant of the authorization made by hand (MCP servers first: project access cannot
   * go while a server of the project is granted). Returns the authorization afterwards.
   */
  async removeUnmanagedGrants(id: string, where: string): Promise<ObservedAuthorization | null> {
    try {
      let a = await this.getOrUndefined(id);
      if (!a) return null;
      const found = unmanagedGrants(a);
      for (const g of found.filter((x) => x.startsWith('mcp_server:'))) a = await this.limiter.run(() => this.api.deleteMcpServerGrant(id, g.split(':')[1]));
      for (const g of found.filter((x) => x.startsWith('project:'))) a = await this.limiter.run(() => this.api.deleteProjectAccess(id, g.split(':')[1]));
      return this.remember(a);
    } catch (err) {
      throw wrapApiError(err, 'remove hand-made grants', where);
    }
  }

  /** Deletes an authorization; one that is already gone counts as deleted. */
  async delete(id: string, where: string): Promise<void> {
    await this.remove(id, 'delete', where, () => this.api.deleteAuthorization(id));
  }
}
