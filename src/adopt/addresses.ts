/**
 * Terraform addresses (and construct ids) derived from object names: readable, valid identifiers,
 * unique per resource type, and stable across runs — objects are numbered in creation order, so an
 * object created later never renames one adopted earlier.
 */

/** Longest identifier derived from a name (before a `_2` suffix). */
const MAX_LENGTH = 60;

/**
 * A Terraform identifier from a name: lower case, runs of anything but letters and digits become `_`,
 * no leading or trailing `_`, and a leading letter (`fallback` when nothing is left).
 */
export function identifierOf(name: string, fallback: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, MAX_LENGTH)
    .replace(/_+$/g, '');
  if (!base) return fallback;
  return /^[a-z]/.test(base) ? base : `${fallback}_${base}`;
}

/** Something that gets an address: its server id, name and creation time. */
export interface Named {
  readonly id: string;
  readonly name: string;
  readonly created_at: string;
}

/**
 * Assigns each object a unique identifier derived from its name. Objects whose names map to the same
 * identifier get `_2`, `_3`, … in creation order (then id order), so the first one keeps the plain
 * name. `taken` holds identifiers already in use (e.g. reserved ones).
 */
export function assignAddresses<T extends Named>(objects: readonly T[], fallback: string, taken: Iterable<string> = []): Map<string, string> {
  const used = new Set(taken);
  const out = new Map<string, string>();
  const ordered = [...objects].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
  for (const o of ordered) {
    const base = identifierOf(o.name, fallback);
    let candidate = base;
    for (let n = 2; used.has(candidate); n++) candidate = `${base}_${n}`;
    used.add(candidate);
    out.set(o.id, candidate);
  }
  return out;
}

/** camelCase of a snake_case identifier, for TypeScript variable names. */
export function camelOf(identifier: string): string {
  return identifier.replace(/_+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
