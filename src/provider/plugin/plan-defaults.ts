/**
 * Schema-driven plan helpers: the default plan when a resource defines no `plan`, replacement paths
 * from `requiresReplace` attributes, and the search for values left unknown after apply.
 */
import { UNKNOWN, type AttributePath, type BlockSchema, type TfObject, type TfValue } from '../framework';
import type { AnyCtyType } from './cty-codec';

function isObject(v: TfValue | undefined): v is TfObject {
  return v !== null && v !== undefined && v !== UNKNOWN && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The default planned state: `proposed` (Terraform already keeps prior computed values there), with
 * computed attributes that the config leaves null turned UNKNOWN on create and kept from prior on update.
 */
export function defaultPlan(schema: BlockSchema, prior: TfObject | null, proposed: TfObject, config: TfObject | null): TfObject {
  const out: TfObject = { ...proposed };
  for (const [name, attr] of Object.entries(schema.attributes)) {
    if (!attr.computed) continue;
    const configured = config ? (config[name] ?? null) : null;
    if (configured !== null) continue;
    if (prior === null) {
      if ((out[name] ?? null) === null) out[name] = UNKNOWN;
    } else if ((out[name] ?? null) === null) {
      out[name] = prior[name] ?? null;
    }
  }
  for (const [name, nested] of Object.entries(schema.blocks ?? {})) {
    const p = out[name];
    const c = config ? config[name] : null;
    const pr = prior ? prior[name] : null;
    if (nested.nesting === 'single') {
      if (isObject(p)) out[name] = defaultPlan(nested.block, isObject(pr) ? pr : null, p, isObject(c) ? c : null);
    } else if (Array.isArray(p)) {
      // Elements are matched by position; sets of blocks with computed attributes should define `plan`.
      out[name] = p.map((item, i) => {
        const ci = Array.isArray(c) ? c[i] : null;
        const pi = Array.isArray(pr) && nested.nesting === 'list' ? pr[i] : null;
        return isObject(item) ? defaultPlan(nested.block, isObject(pi) ? pi : null, item, isObject(ci) ? ci : null) : item;
      });
    }
  }
  return out;
}

/** A canonical string of a value of a type: sets compare regardless of order. */
export function canonical(type: AnyCtyType | undefined, v: TfValue | undefined): string {
  if (v === undefined || v === null) return 'null';
  if (v === UNKNOWN) return '?';
  if (Array.isArray(v)) {
    const kind = Array.isArray(type) ? type[0] : undefined;
    const elem = (i: number): AnyCtyType | undefined =>
      Array.isArray(type) ? (kind === 'tuple' ? (type[1] as AnyCtyType[])[i] : (type[1] as AnyCtyType)) : undefined;
    const parts = v.map((x, i) => canonical(elem(i), x));
    if (kind === 'set') parts.sort();
    return `[${parts.join(',')}]`;
  }
  if (typeof v === 'object') {
    const sub = (k: string): AnyCtyType | undefined =>
      Array.isArray(type) ? (type[0] === 'object' ? (type[1] as Record<string, AnyCtyType>)[k] : (type[1] as AnyCtyType)) : undefined;
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(sub(k), v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Paths of `requiresReplace` attributes whose planned value differs from the prior one. */
export function replacePaths(schema: BlockSchema, prior: TfObject | null, planned: TfObject | null, base: (string | number)[] = []): AttributePath[] {
  if (!prior || !planned) return [];
  const out: AttributePath[] = [];
  for (const [name, attr] of Object.entries(schema.attributes)) {
    if (attr.requiresReplace && canonical(attr.type, prior[name]) !== canonical(attr.type, planned[name])) out.push([...base, name]);
  }
  for (const [name, nested] of Object.entries(schema.blocks ?? {})) {
    const a = prior[name];
    const b = planned[name];
    if (nested.nesting === 'single') {
      if (isObject(a) && isObject(b)) out.push(...replacePaths(nested.block, a, b, [...base, name]));
      else if (isObject(a) !== isObject(b) && blockHasReplace(nested.block)) out.push([...base, name]);
    } else if (Array.isArray(a) && Array.isArray(b) && a.length === b.length && nested.nesting === 'list') {
      a.forEach((item, i) => {
        const other = b[i];
        if (isObject(item) && isObject(other)) out.push(...replacePaths(nested.block, item, other, [...base, name, i]));
      });
    } else if (blockHasReplace(nested.block) && JSON.stringify(a) !== JSON.stringify(b)) {
      // Set blocks (or changed counts) cannot be matched element by element: replace on any change.
      out.push([...base, name]);
    }
  }
  return out;
}

function blockHasReplace(schema: BlockSchema): boolean {
  return Object.values(schema.attributes).some((a) => a.requiresReplace) || Object.values(schema.blocks ?? {}).some((b) => blockHasReplace(b.block));
}

/** The first path holding an unknown value, or undefined when the value is wholly known. */
export function findUnknown(v: TfValue | undefined, base: (string | number)[] = []): AttributePath | undefined {
  if (v === UNKNOWN) return base;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const p = findUnknown(v[i], [...base, i]);
      if (p) return p;
    }
  } else if (isObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      const p = findUnknown(x, [...base, k]);
      if (p) return p;
    }
  }
  return undefined;
}
