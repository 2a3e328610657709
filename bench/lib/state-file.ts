/**
 * Writes Terraform state (format version 4) directly, for sizes too large to apply (applying 10,000
 * resources takes the better part of an hour). Nothing about the format is guessed: every resource
 * instance is a copy of a template instance taken from the state of a small real apply (schema
 * version, sensitive paths, private data, provider address), with only the attributes replaced; and
 * the attribute mapping for keyform keys is checked against that template before it is used.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import type { ApiKey } from '../../src/model';
import { BENCH_MID, benchName } from './workspaces';

/** One resource instance as state v4 stores it. */
export interface StateInstance {
  schema_version: number;
  attributes: Record<string, unknown>;
  sensitive_attributes?: unknown[];
  [other: string]: unknown;
}

/** One resource as state v4 stores it. */
export interface StateResource {
  mode: 'managed' | 'data';
  type: string;
  name: string;
  provider: string;
  instances: StateInstance[];
}

/** A state v4 document. */
export interface StateV4 {
  version: number;
  terraform_version: string;
  serial: number;
  lineage: string;
  outputs: Record<string, unknown>;
  resources: StateResource[];
  check_results?: unknown;
}

/** The single resource of `type` in a state file written by a real apply. */
export interface StateTemplate {
  readonly terraformVersion: string;
  readonly resource: StateResource;
}

/** Reads a real state file and takes its one resource of `type` as the template. */
export function readTemplate(path: string, type: string): StateTemplate {
  const state = JSON.parse(readFileSync(path, 'utf8')) as StateV4;
  if (state.version !== 4) throw new Error(`${path}: state format version ${state.version}, expected 4.`);
  const resource = state.resources.find((r) => r.type === type && r.mode === 'managed');
  if (!resource || resource.instances.length !== 1) throw new Error(`${path}: expected exactly one ${type} instance in the template state.`);
  return { terraformVersion: state.terraform_version, resource };
}

/**
 * The state attributes keyform's provider stores for a key created without rotation, delivery,
 * description or expiry (what the benchmark configuration declares), from the API's view of the key.
 */
export function keyAttributes(key: ApiKey, value: string | null): Record<string, unknown> {
  return {
    id: key.id,
    mid: key.mid,
    name: key.name,
    type: key.type,
    mode: key.mode,
    scopes: key.scopes.length ? [...key.scopes].sort() : null,
    description: key.description,
    expires_at: key.expires_at,
    rotation: null,
    secret_delivery: null,
    value,
    prefix: key.prefix,
    fingerprint: key.fingerprint,
    created_at: key.created_at,
    rotated_at: key.rotated_at,
    version: key.version,
    last_used_at: key.last_used_at ?? null,
  };
}

/**
 * Throws unless {@link keyAttributes} of the template key (as the API returns it now) reproduces the
 * template's attributes exactly: same names, same values, same shapes.
 */
export function checkKeyMapping(template: StateTemplate, keyFromApi: ApiKey): void {
  const actual = template.resource.instances[0].attributes;
  const mapped = keyAttributes(keyFromApi, (actual.value as string | null) ?? null);
  const names = (o: object) => Object.keys(o).sort().join(',');
  if (names(actual) !== names(mapped)) throw new Error(`keyform_api_key attributes differ from the provider's: state has [${names(actual)}], mapping has [${names(mapped)}].`);
  for (const k of Object.keys(actual)) {
    if (!isDeepStrictEqual(actual[k], mapped[k])) throw new Error(`keyform_api_key attribute ${k}: state has ${JSON.stringify(k === 'value' ? '<secret>' : actual[k])}, mapping gives ${JSON.stringify(k === 'value' ? '<secret>' : mapped[k])}.`);
  }
}

function instanceLike(template: StateTemplate, attributes: Record<string, unknown>): StateInstance {
  return { ...template.resource.instances[0], attributes };
}

/** State resources `k0`… for keys `keys[i]` (values of the create responses), shaped like the template. */
export function keyResources(template: StateTemplate, keys: readonly { key: ApiKey; value: string | null }[]): StateResource[] {
  return keys.map(({ key, value }, i) => {
    if (key.name !== benchName(i) || key.mid !== BENCH_MID) throw new Error(`key ${i} is ${key.name}@${key.mid}, expected ${benchName(i)}@${BENCH_MID}.`);
    return { ...template.resource, name: `k${i}`, instances: [instanceLike(template, keyAttributes(key, value))] };
  });
}

/** State resources `d0`… for `terraform_data` with input `bench-i`, each with a fresh id, shaped like the template `d0`. */
export function floorResources(template: StateTemplate, n: number): StateResource[] {
  const tpl = template.resource.instances[0];
  const tplId = tpl.attributes.id as string;
  const tplJson = JSON.stringify(tpl.attributes);
  if (!tplJson.includes(JSON.stringify(benchName(0)))) throw new Error(`terraform_data template does not hold input ${benchName(0)}.`);
  const out: StateResource[] = [];
  for (let i = 0; i < n; i++) {
    const attributes = JSON.parse(tplJson.split(JSON.stringify(tplId)).join(JSON.stringify(randomUUID())).split(JSON.stringify(benchName(0))).join(JSON.stringify(benchName(i)))) as Record<string, unknown>;
    out.push({ ...template.resource, name: `d${i}`, instances: [instanceLike(template, attributes)] });
  }
  return out;
}

/** Writes a state v4 file holding `resources`. */
export function writeState(path: string, terraformVersion: string, resources: StateResource[]): void {
  const state: StateV4 = { version: 4, terraform_version: terraformVersion, serial: 1, lineage: randomUUID(), outputs: {}, resources, check_results: null };
  writeFileSync(path, JSON.stringify(state, null, 2), { mode: 0o600 });
}
