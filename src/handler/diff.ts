/**
 * The typed result of comparing what is declared with what the API holds: what kind of change, which
 * fields, and why. Pure data: the provider plans from it and the handler applies it.
 */

/** What reconciling one object takes. */
export type DiffKind = 'create' | 'update' | 'replace' | 'rotate' | 'noop' | 'delete';

/** One field that differs. Sets carry what is added and removed. */
export interface FieldChange {
  readonly field: string;
  readonly before: string | number | boolean | null | readonly string[];
  readonly after: string | number | boolean | null | readonly string[];
  /** The change cannot be made in place: the object is replaced. */
  readonly forcesReplacement?: boolean;
  /** For sets: members gained and lost. */
  readonly added?: readonly string[];
  readonly removed?: readonly string[];
}

/** A diff of one object. */
export interface Diff {
  readonly kind: DiffKind;
  readonly changes: readonly FieldChange[];
  /** Plain-language reasons, e.g. "type cannot change in place", "rotation due since …". */
  readonly reasons: readonly string[];
}

/** Compares two scalars; returns a change or nothing. */
export function scalarChange(field: string, before: string | number | boolean | null, after: string | number | boolean | null, forcesReplacement = false): FieldChange[] {
  if (before === after) return [];
  return [{ field, before, after, ...(forcesReplacement ? { forcesReplacement } : {}) }];
}

/** Compares two sets of strings (order does not matter); returns a change or nothing. */
export function setChange(field: string, before: readonly string[], after: readonly string[]): FieldChange[] {
  const b = new Set(before);
  const a = new Set(after);
  const added = [...a].filter((x) => !b.has(x)).sort();
  const removed = [...b].filter((x) => !a.has(x)).sort();
  if (!added.length && !removed.length) return [];
  return [{ field, before: [...b].sort(), after: [...a].sort(), added, removed }];
}
