/**
 * API keys: observe → diff → apply.
 *
 * Crash-safe creation goes through the create journal (create-journal.ts, crash-safe-create.ts): a key
 * keyform creates carries only `metadata.keyform_create`, a commitment to a nonce kept in Terraform's
 * working directory. Reads never write: observing a key only confirms (removes) its local journal
 * entry. A key is adopted only by the working directory that holds its nonce, and never once its
 * secret has been used.
 */
import { randomBytes } from 'node:crypto';
import type { ApiKey, ApiKeyWithValue, CreateApiKeyRequest, UpdateApiKeyRequest } from '../model';
import { createCommitment, identityHash } from './create-journal';
import { Diff, FieldChange, scalarChange, setChange } from './diff';
import { rotationDue } from '../model/rules/rotation';
import { sameInstant } from './duration';
import { wrapApiError } from './errors';
import { ObjectHandler } from './object-handler';

/** Metadata keys keyform writes on the keys it creates. */
export const KEY_METADATA = {
  /** Commitment to the create's journal nonce (see create-journal.ts). */
  create: 'keyform_create',
} as const;

/** The fields a key's declaration and the API's copy both have. */
export interface ApiKeyFields {
  readonly mid: string;
  readonly name: string;
  readonly type: string;
  readonly mode: string;
  /** Sorted, distinct; empty = full access to the merchant. */
  readonly scopes: readonly string[];
  readonly description: string | null;
  readonly expiresAt: string | null;
}

/** A key as declared. */
export interface DesiredApiKey extends ApiKeyFields {
  readonly rotation: { readonly everySeconds: number; readonly graceSeconds: number } | null;
}

/** A key as the API holds it (never its value). */
export interface ObservedApiKey extends ApiKeyFields {
  readonly id: string;
  readonly prefix: string;
  readonly fingerprint: string;
  readonly version: number;
  readonly createdAt: string;
  readonly rotatedAt: string | null;
  readonly status: string;
  readonly metadata: Readonly<Record<string, string>>;
  /** When the key last authenticated a request (absent when unknown). */
  readonly lastUsedAt?: string | null;
}

/** A key diff: the generic diff plus the PATCH body and whether a rotation is due. */
export interface ApiKeyDiff extends Diff {
  /** Body of the in-place update (empty when nothing changes in place). */
  readonly patch: UpdateApiKeyRequest;
  /** When the declared rotation became due, or null. */
  readonly rotationDueSince: string | null;
}

/** Maps an API key to what the handler compares. */
export function observeApiKey(k: ApiKey): ObservedApiKey {
  return {
    id: k.id,
    mid: k.mid,
    name: k.name,
    type: k.type,
    mode: k.mode,
    scopes: [...k.scopes].sort(),
    description: k.description ?? null,
    expiresAt: k.expires_at ?? null,
    prefix: k.prefix,
    fingerprint: k.fingerprint,
    version: k.version,
    createdAt: k.created_at,
    rotatedAt: k.rotated_at ?? null,
    status: k.status,
    metadata: k.metadata ?? {},
    lastUsedAt: k.last_used_at ?? null,
  };
}

/** When a rotation every `everySeconds` became due for a key, or null when it is not due at `now` (the rulebook's due date). */
export function rotationDueSince(key: { createdAt: string; rotatedAt: string | null }, everySeconds: number, now: Date): string | null {
  const due = rotationDue(key.rotatedAt ?? key.createdAt, everySeconds, 0);
  return due && Date.parse(due.dueAt) <= now.getTime() ? new Date(Date.parse(due.dueAt)).toISOString() : null;
}

/** Compares a declared key with the observed one. Pure. */
export function diffApiKey(desired: DesiredApiKey | null, observed: ObservedApiKey | null, now: Date): ApiKeyDiff {
  if (!desired) {
    return observed
      ? { kind: 'delete', changes: [], reasons: ['no longer declared'], patch: {}, rotationDueSince: null }
      : { kind: 'noop', changes: [], reasons: [], patch: {}, rotationDueSince: null };
  }
  if (!observed) return { kind: 'create', changes: [], reasons: [], patch: {}, rotationDueSince: null };

  const replacing: FieldChange[] = [
    ...scalarChange('mid', observed.mid, desired.mid, true),
    ...scalarChange('type', observed.type, desired.type, true),
    ...scalarChange('mode', observed.mode, desired.mode, true),
  ];
  const inPlace: FieldChange[] = [
    ...scalarChange('name', observed.name, desired.name),
    ...setChange('scopes', observed.scopes, desired.scopes),
    ...scalarChange('description', observed.description, desired.description),
    ...(sameInstant(observed.expiresAt, desired.expiresAt) ? [] : scalarChange('expires_at', observed.expiresAt, desired.expiresAt)),
  ];
  if (replacing.length) {
    return {
      kind: 'replace',
      changes: [...replacing, ...inPlace],
      reasons: replacing.map((c) => `${c.field} cannot change in place`),
      patch: {},
      rotationDueSince: null,
    };
  }
  const patch: { -readonly [K in keyof UpdateApiKeyRequest]: UpdateApiKeyRequest[K] } = {};
  for (const c of inPlace) {
    if (c.field === 'name') patch.name = desired.name;
    if (c.field === 'scopes') patch.scopes = [...desired.scopes];
    if (c.field === 'description') patch.description = desired.description;
    if (c.field === 'expires_at') patch.expires_at = desired.expiresAt;
  }
  const dueSince = desired.rotation ? rotationDueSince(observed, desired.rotation.everySeconds, now) : null;
  const reasons = dueSince ? [`rotation due since ${dueSince}`] : [];
  if (inPlace.length) return { kind: 'update', changes: inPlace, reasons, patch, rotationDueSince: dueSince };
  if (dueSince) return { kind: 'rotate', changes: [], reasons, patch, rotationDueSince: dueSince };
  return { kind: 'noop', changes: [], reasons: [], patch, rotationDueSince: null };
}

/** Hash of the identity of a declared key (what its journal entries are grouped by). */
export function keyIdentity(d: Pick<DesiredApiKey, 'mid' | 'type' | 'mode' | 'name'>): string {
  return identityHash(['api_key', d.mid, d.type, d.mode, d.name]);
}

/**
 * Random part of every rotation's Idempotency-Key, one per provider process. The server seals a
 * replayed rotation (which holds the new secret) with a key derived from the Idempotency-Key, so the
 * Idempotency-Key must not be guessable from anything stored beside the replay (key id, version).
 */
const ROTATE_NONCE = randomBytes(16).toString('hex');

/**
 * The Idempotency-Key of a rotation: one per key, starting version and provider process, so the
 * client's retries of a rotation converge. A rotation interrupted by a crash is not replayed by the
 * next process; that apply sees the secret changed outside Terraform and rotates again, with grace.
 */
export function rotateIdempotencyKey(id: string, fromVersion: number): string {
  return `keyform-rotate-${id}-v${fromVersion}-${ROTATE_NONCE}`;
}

/** A key without its secret value: what may be kept in memory. */
function withoutValue(k: ApiKey | ApiKeyWithValue): ApiKey {
  if (!('value' in k)) return k;
  const { value: _value, ...rest } = k;
  return rest;
}

/** The result of creating (or adopting) a key: its state and its secret, this once. */
export interface CreatedApiKey {
  readonly observed: ObservedApiKey;
  readonly value: string;
  /** True when an orphan of a crashed apply was adopted instead of creating a key. */
  readonly adopted: boolean;
}

/** Applies API-key changes through the API, with a per-process read cache and bounded concurrency. */
export class ApiKeyHandler extends ObjectHandler<ApiKey> {
  /** A merchant's active keys: keys are listed per merchant. */
  protected list(mid: string, limit: number): AsyncIterable<ApiKey> {
    return this.api.iterateApiKeys({ mid, status: 'active', limit });
  }

  protected get(id: string): Promise<ApiKey> {
    return this.api.getApiKey(id);
  }

  /**
   * Observes a key: null when it does not exist or is revoked. `mid` (when known) selects the cached
   * listing; without it the key is fetched by id. Sends reads only; a key met in state confirms its
   * local journal entry.
   */
  async observe(id: string, mid: string | null, where: string): Promise<ObservedApiKey | null> {
    let key: ApiKey | undefined;
    try {
      key = mid ? await this.cache.lookup(mid, id) : await this.getOrUndefined(id);
    } catch (err) {
      throw wrapApiError(err, 'read', where);
    }
    await this.confirm(id);
    if (!key || key.status === 'revoked') return null;
    return observeApiKey(key);
  }

  /** Creates a key, or recovers this working directory's orphan of a crashed create of it. */
  async create(desired: DesiredApiKey, where: string): Promise<CreatedApiKey> {
    try {
      const { object, adopted } = await this.creator.create<ApiKey, ApiKeyWithValue>({
        kind: 'api_key',
        identity: keyIdentity(desired),
        where,
        freshBody: (nonce) => this.createBody(desired, nonce),
        send: (body, idempotencyKey) => this.limiter.run(() => this.api.createApiKey(body as CreateApiKeyRequest, { idempotencyKey })),
        find: async (entry) => {
          const commitment = createCommitment(entry.nonce);
          return (await this.cache.all(desired.mid)).find((k) => k.metadata?.[KEY_METADATA.create] === commitment || (entry.objectId !== undefined && k.id === entry.objectId));
        },
        get: async (id) => {
          const k = await this.getOrUndefined(id);
          return k && k.status === 'active' ? k : undefined;
        },
        lastUsed: (k) => k.last_used_at ?? null,
        // Unused: no consumer holds a working copy of its secret, so no grace is owed to anyone.
        rotateUnused: (k) =>
          this.limiter.run(() => this.api.rotateApiKey(k.id, { grace_period_seconds: 0 }, { idempotencyKey: rotateIdempotencyKey(k.id, k.version) })),
        discard: async (id) => {
          await this.limiter.run(() => this.api.revokeApiKey(id));
        },
      });
      let latest: ApiKey = withoutValue(object);
      if (adopted) {
        // The journaled body may predate a change of the declaration: bring the key up to date.
        const diff = diffApiKey(desired, observeApiKey(latest), new Date());
        if (Object.keys(diff.patch).length) latest = await this.limiter.run(() => this.api.updateApiKey(object.id, diff.patch));
      }
      this.cache.remember(desired.mid, latest);
      return { observed: observeApiKey(latest), value: object.value, adopted };
    } catch (err) {
      throw wrapApiError(err, 'create', where);
    }
  }

  private createBody(desired: DesiredApiKey, nonce: string): CreateApiKeyRequest {
    return {
      mid: desired.mid,
      name: desired.name,
      type: desired.type as CreateApiKeyRequest['type'],
      mode: desired.mode as CreateApiKeyRequest['mode'],
      scopes: [...desired.scopes],
      ...(desired.description !== null ? { description: desired.description } : {}),
      ...(desired.expiresAt !== null ? { expires_at: desired.expiresAt } : {}),
      metadata: { [KEY_METADATA.create]: createCommitment(nonce) },
    };
  }

  /** Applies the in-place part of a diff. */
  async update(id: string, diff: ApiKeyDiff, where: string): Promise<ObservedApiKey | undefined> {
    if (!Object.keys(diff.patch).length) return undefined;
    try {
      const updated = await this.limiter.run(() => this.api.updateApiKey(id, diff.patch));
      this.cache.remember(updated.mid, updated);
      return observeApiKey(updated);
    } catch (err) {
      throw wrapApiError(err, 'update', where);
    }
  }

  /** Rotates a key; the previous value keeps working for `graceSeconds`. */
  async rotate(id: string, fromVersion: number, graceSeconds: number, where: string): Promise<{ observed: ObservedApiKey; value: string }> {
    try {
      const rotated = await this.limiter.run(() =>
        this.api.rotateApiKey(id, { grace_period_seconds: graceSeconds }, { idempotencyKey: rotateIdempotencyKey(id, fromVersion) }),
      );
      return { observed: observeApiKey(rotated), value: rotated.value };
    } catch (err) {
      throw wrapApiError(err, 'rotate', where);
    }
  }

  /** Revokes a key; a key that is already gone counts as revoked. */
  async revoke(id: string, where: string): Promise<void> {
    await this.remove(id, 'revoke', where, () => this.api.revokeApiKey(id));
  }
}
