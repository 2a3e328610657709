/**
 * OAuth authorizations: observe → diff → apply. Project access and MCP-server grants are managed by
 * their own resources (see grants.ts), so the authorization diff ignores them and its updates never
 * send them: the two resources never fight over the same fields.
 */
import { randomBytes } from 'node:crypto';
import type { Authorization, AuthorizationWithSecret, CreateAuthorizationRequest, UpdateAuthorizationRequest } from '../model';
import { KeyformApi, isNotFound } from './api';
import { Diff, FieldChange, scalarChange, setChange } from './diff';
import { wrapApiError } from './errors';
import { Limiter } from './limiter';
import { LIST_PAGE_SIZE } from './limits';
import { ReadCache } from './read-cache';

/** An authorization as declared. */
export interface DesiredAuthorization {
  readonly name: string;
  readonly kind: string;
  readonly ownerId: string;
  /** Sorted, distinct. */
  readonly capabilities: readonly string[];
}

/** An authorization as the API holds it (never its secret). */
export interface ObservedAuthorization {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly ownerId: string;
  readonly capabilities: readonly string[];
  readonly clientId: string | null;
  readonly fingerprint: string;
  readonly projectAccess: ReadonlyArray<{ readonly projectId: string; readonly role: string }>;
  readonly mcpServers: readonly string[];
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
    capabilities: [...a.capabilities].sort(),
    clientId: a.client_id ?? null,
    fingerprint: a.fingerprint,
    projectAccess: (a.project_access ?? []).map((p) => ({ projectId: p.project_id, role: p.role })),
    mcpServers: [...(a.mcp_servers ?? [])].sort(),
  };
}

/** Compares a declared authorization with the observed one. Pure. */
export function diffAuthorization(desired: DesiredAuthorization | null, observed: ObservedAuthorization | null): AuthorizationDiff {
  if (!desired) return { kind: observed ? 'delete' : 'noop', changes: [], reasons: observed ? ['no longer declared'] : [], patch: {} };
  if (!observed) return { kind: 'create', changes: [], reasons: [], patch: {} };
  const replacing: FieldChange[] = [
    ...scalarChange('kind', observed.kind, desired.kind, true),
    ...scalarChange('owner_id', observed.ownerId, desired.ownerId, true),
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
export class AuthorizationHandler {
  private readonly cache: ReadCache<Authorization>;

  constructor(
    private readonly api: KeyformApi,
    private readonly limiter: Limiter,
  ) {
    this.cache = new ReadCache<Authorization>(
      () => this.listAll(),
      (id) => this.getOrUndefined(id),
    );
  }

  private async *listAll(): AsyncIterable<Authorization> {
    const items = await this.limiter.run(async () => {
      const out: Authorization[] = [];
      for await (const a of this.api.iterateAuthorizations({ limit: LIST_PAGE_SIZE })) out.push(a);
      return out;
    });
    yield* items;
  }

  private async getOrUndefined(id: string): Promise<Authorization | undefined> {
    try {
      return await this.limiter.run(() => this.api.getAuthorization(id));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Observes an authorization; null when it does not exist. */
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

  /** Creates an authorization; returns it with its secret, shown this once. */
  async create(desired: DesiredAuthorization, where: string): Promise<{ observed: ObservedAuthorization; secret: string }> {
    const body: CreateAuthorizationRequest = {
      name: desired.name,
      kind: desired.kind as CreateAuthorizationRequest['kind'],
      owner_id: desired.ownerId,
      capabilities: [...desired.capabilities] as CreateAuthorizationRequest['capabilities'],
    };
    try {
      // The key is fixed for this call, so the client's retries of a timed-out create converge.
      const idempotencyKey = `keyform-authorization-${randomBytes(16).toString('hex')}`;
      const created: AuthorizationWithSecret = await this.limiter.run(() => this.api.createAuthorization(body, { idempotencyKey }));
      return { observed: this.remember(created), secret: created.secret };
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

  /** Deletes an authorization; one that is already gone counts as deleted. */
  async delete(id: string, where: string): Promise<void> {
    try {
      await this.limiter.run(() => this.api.deleteAuthorization(id));
    } catch (err) {
      if (!isNotFound(err)) throw wrapApiError(err, 'delete', where);
    }
    this.cache.forget(id);
  }
}
