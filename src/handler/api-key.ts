/**
 * API keys: observe → diff → apply.
 *
 * Crash-safe creation (adoption). Terraform can die after the API created a key but before the state
 * was saved; the next apply plans a create again. So every key keyform creates carries metadata:
 * `keyform_config` (a hash of mid, type, mode and name), `keyform_nonce` (random per create) and
 * `keyform_claim: pending`. The create request's Idempotency-Key is derived from the config hash and the
 * nonce, so the client's own retries (timeouts, 5xx, 429) converge on one key. Before creating, the
 * handler looks for an active key of the same merchant with the same config hash that is still
 * `pending` and not claimed by this process: that is an orphan of a crashed apply, so it is adopted
 * (same id) and rotated without grace to obtain a fresh secret (the lost one is never needed). The
 * claim is cleared by the first refresh that finds the key in Terraform's state, so a key that is in
 * some state is never adopted by another resource.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ApiKey, ApiKeyWithValue, CreateApiKeyRequest, UpdateApiKeyRequest } from '../model';
import { KeyformApi, isNotFound } from './api';
import { Diff, FieldChange, scalarChange, setChange } from './diff';
import { sameInstant } from './duration';
import { wrapApiError } from './errors';
import { Limiter } from './limiter';
import { LIST_PAGE_SIZE } from './limits';
import { ReadCache } from './read-cache';

/** Metadata keys keyform writes on the keys it creates. */
export const KEY_METADATA = {
  config: 'keyform_config',
  nonce: 'keyform_nonce',
  claim: 'keyform_claim',
} as const;

/** A key as declared. */
export interface DesiredApiKey {
  readonly mid: string;
  readonly name: string;
  readonly type: string;
  readonly mode: string;
  /** Sorted, distinct; empty = full access to the merchant. */
  readonly scopes: readonly string[];
  readonly description: string | null;
  readonly expiresAt: string | null;
  readonly rotation: { readonly everySeconds: number; readonly graceSeconds: number } | null;
}

/** A key as the API holds it (never its value). */
export interface ObservedApiKey {
  readonly id: string;
  readonly mid: string;
  readonly name: string;
  readonly type: string;
  readonly mode: string;
  readonly scopes: readonly string[];
  readonly description: string | null;
  readonly expiresAt: string | null;
  readonly prefix: string;
  readonly fingerprint: string;
  readonly version: number;
  readonly createdAt: string;
  readonly rotatedAt: string | null;
  readonly status: string;
  readonly metadata: Readonly<Record<string, string>>;
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
  };
}

/** When a rotation every `everySeconds` became due for a key, or null when it is not due at `now`. */
export function rotationDueSince(key: { createdAt: string; rotatedAt: string | null }, everySeconds: number, now: Date): string | null {
  const base = Date.parse(key.rotatedAt ?? key.createdAt);
  if (Number.isNaN(base)) return null;
  const due = base + everySeconds * 1000;
  return due <= now.getTime() ? new Date(due).toISOString() : null;
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

/** Hash of the identity of a declared key (what adoption matches on). */
export function keyConfigHash(d: Pick<DesiredApiKey, 'mid' | 'type' | 'mode' | 'name'>): string {
  return createHash('sha256').update(JSON.stringify([d.mid, d.type, d.mode, d.name])).digest('hex').slice(0, 32);
}

/** The Idempotency-Key of a create: derived from the config hash and the per-key nonce. */
export function createIdempotencyKey(configHash: string, nonce: string): string {
  return `keyform-create-${createHash('sha256').update(`${configHash}:${nonce}`).digest('hex').slice(0, 40)}`;
}

/** The Idempotency-Key of a rotation: one per key and starting version, so a retried rotation converges. */
export function rotateIdempotencyKey(id: string, fromVersion: number): string {
  return `keyform-rotate-${id}-v${fromVersion}`;
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
export class ApiKeyHandler {
  private readonly cache: ReadCache<ApiKey>;
  private readonly claimed = new Set<string>();
  // Creates of the same identity run one after the other, so one cannot adopt the other's fresh key.
  private readonly createQueues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly api: KeyformApi,
    private readonly limiter: Limiter,
  ) {
    this.cache = new ReadCache<ApiKey>(
      (mid) => this.listActive(mid),
      (id) => this.getOrUndefined(id),
    );
  }

  private async *listActive(mid: string): AsyncIterable<ApiKey> {
    // One listing per merchant per process; the iterator pages with the API's largest page.
    const items: ApiKey[] = await this.limiter.run(async () => {
      const out: ApiKey[] = [];
      for await (const k of this.api.iterateApiKeys({ mid, status: 'active', limit: LIST_PAGE_SIZE })) out.push(k);
      return out;
    });
    yield* items;
  }

  /**
   * Observes a key: null when it does not exist or is revoked. `mid` (when known) selects the cached
   * listing; without it the key is fetched by id. Clears a pending adoption claim: the key is in state.
   */
  async observe(id: string, mid: string | null, where: string): Promise<ObservedApiKey | null> {
    let key: ApiKey | undefined;
    try {
      key = mid ? await this.cache.lookup(mid, id) : await this.getOrUndefined(id);
    } catch (err) {
      throw wrapApiError(err, 'read', where);
    }
    if (!key || key.status === 'revoked') return null;
    if (key.metadata?.[KEY_METADATA.claim] === 'pending') await this.clearClaim(key);
    return observeApiKey(key);
  }

  private async getOrUndefined(id: string): Promise<ApiKey | undefined> {
    try {
      return await this.limiter.run(() => this.api.getApiKey(id));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  private async clearClaim(key: ApiKey): Promise<void> {
    // A JSON merge patch: null removes the claim and leaves every other metadata key as it is.
    const metadata = { [KEY_METADATA.claim]: null };
    try {
      await this.limiter.run(() => this.api.updateApiKey(key.id, { metadata }));
    } catch {
      // Best effort: a claim left pending only means a later crash recovery considers this key.
    }
  }

  /**
   * Finds an orphan of a crashed apply that matches the declared key, if any. Orphans come from
   * earlier runs, so the merchant's listing (made once per process, shared with reads) holds them.
   */
  async findOrphan(desired: DesiredApiKey): Promise<ApiKey | undefined> {
    const hash = keyConfigHash(desired);
    return (await this.cache.all(desired.mid)).find(
      (k) => k.metadata?.[KEY_METADATA.config] === hash && k.metadata?.[KEY_METADATA.claim] === 'pending' && !this.claimed.has(k.id),
    );
  }

  /** Creates a key, or adopts (and rotates) an orphan of a crashed apply. */
  async create(desired: DesiredApiKey, where: string): Promise<CreatedApiKey> {
    const hash = keyConfigHash(desired);
    const previous = this.createQueues.get(hash) ?? Promise.resolve();
    const mine = previous.then(
      () => this.createNow(desired, where),
      () => this.createNow(desired, where),
    );
    this.createQueues.set(hash, mine.catch(() => undefined));
    return mine;
  }

  private async createNow(desired: DesiredApiKey, where: string): Promise<CreatedApiKey> {
    try {
      const orphan = await this.findOrphan(desired);
      if (orphan) {
        this.claimed.add(orphan.id);
        const rotated = await this.limiter.run(() =>
          this.api.rotateApiKey(orphan.id, { grace_period_seconds: 0 }, { idempotencyKey: rotateIdempotencyKey(orphan.id, orphan.version) }),
        );
        let latest: ApiKey = rotated;
        const diff = diffApiKey(desired, observeApiKey(rotated), new Date());
        if (Object.keys(diff.patch).length) latest = await this.limiter.run(() => this.api.updateApiKey(orphan.id, diff.patch));
        this.cache.remember(desired.mid, withoutValue(latest));
        return { observed: observeApiKey(latest), value: rotated.value, adopted: true };
      }
      const hash = keyConfigHash(desired);
      const nonce = randomBytes(8).toString('hex');
      const body: CreateApiKeyRequest = {
        mid: desired.mid,
        name: desired.name,
        type: desired.type as CreateApiKeyRequest['type'],
        mode: desired.mode as CreateApiKeyRequest['mode'],
        scopes: [...desired.scopes],
        ...(desired.description !== null ? { description: desired.description } : {}),
        ...(desired.expiresAt !== null ? { expires_at: desired.expiresAt } : {}),
        metadata: { [KEY_METADATA.config]: hash, [KEY_METADATA.nonce]: nonce, [KEY_METADATA.claim]: 'pending' },
      };
      const created: ApiKeyWithValue = await this.limiter.run(() => this.api.createApiKey(body, { idempotencyKey: createIdempotencyKey(hash, nonce) }));
      this.claimed.add(created.id);
      this.cache.remember(desired.mid, withoutValue(created));
      return { observed: observeApiKey(created), value: created.value, adopted: false };
    } catch (err) {
      throw wrapApiError(err, 'create', where);
    }
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
    try {
      await this.limiter.run(() => this.api.revokeApiKey(id));
    } catch (err) {
      if (isNotFound(err)) return;
      throw wrapApiError(err, 'revoke', where);
    }
    this.cache.forget(id);
  }
}
