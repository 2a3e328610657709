/**
 * Lists API keys from the Key Management API for the rotation report, and merges them with a state's
 * declared rotation policies when both are given (the API knows the real rotation times; the state
 * knows the policy).
 */
import { openApiSource, type ApiSource } from '../client/api-source';
import type { ApiKey } from '../model/api-key';
import { rotationMessages } from './messages';
import type { KeyRecord } from './state-keys';

/** A key of the API as a report record (no declared rotation: the API does not hold policies). */
export function keyFromApi(k: ApiKey): KeyRecord {
  return {
    address: `api:${k.id}`,
    id: k.id,
    name: k.name,
    mode: k.mode,
    type: k.type,
    mid: k.mid,
    rotation: null,
    createdAt: k.created_at,
    rotatedAt: k.rotated_at,
    expiresAt: k.expires_at,
    version: k.version,
  };
}

/**
 * Every active key of the API.
 * @param onProgress called with the running count after each key
 */
export async function loadApiKeys(source: ApiSource, onProgress?: (count: number) => void): Promise<KeyRecord[]> {
  const { client, scrub } = openApiSource(source, { noCredentials: rotationMessages.endpointNeedsCredentials, badSettings: rotationMessages.apiFailed });
  const out: KeyRecord[] = [];
  try {
    for await (const k of client.iterateApiKeys({ status: 'active', limit: 1000, ...(source.mid ? { mid: source.mid } : {}) })) {
      out.push(keyFromApi(k));
      onProgress?.(out.length);
    }
  } catch (e) {
    throw rotationMessages.apiFailed(scrub(e));
  } finally {
    await client.close();
  }
  return out;
}

/**
 * Keys of the API with the rotation policy the state declares for the same id. Keys the state has
 * but the API does not (revoked by hand) keep their state record; keys only in the API are marked
 * `(not in state)`.
 */
export function mergeWithState(api: readonly KeyRecord[], state: readonly KeyRecord[]): KeyRecord[] {
  const byId = new Map(state.filter((k) => k.id).map((k) => [k.id!, k]));
  // By record, not address: two stacks may both declare `keyform_api_key.pay`.
  const seen = new Set<KeyRecord>();
  const out: KeyRecord[] = api.map((k) => {
    const declared = k.id ? byId.get(k.id) : undefined;
    if (!declared) return { ...k, address: `${k.address} (not in state)` };
    seen.add(declared);
    return { ...k, address: declared.address, rotation: declared.rotation, ...(declared.stack !== undefined ? { stack: declared.stack } : {}) };
  });
  for (const k of state) if (!seen.has(k)) out.push(k);
  return out;
}
