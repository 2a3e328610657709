/**
 * Least privilege from usage: which scopes a key exercised, which it holds without using, and the
 * narrower set it could hold instead. The route → scope map is the route table's `access`: a request
 * is counted (server side) under the scope its route requires, so only scopes some route requires can
 * be observed at all; the others are kept, never suggested for removal on missing evidence.
 */
import { ALL_SCOPES, scopeSatisfies } from './catalog';
import { ROUTES } from './routes';

/** Scopes that some route of the API requires: the ones per-key usage can observe. */
export function observableScopes(): ReadonlySet<string> {
  return new Set(ROUTES.flatMap((r) => (r.access.kind === 'scope' ? [r.access.scope] : [])));
}

/** What a key's usage says about its scopes. */
export interface ScopeAdvice {
  /** The narrower set: exercised scopes at the lowest level used, plus held scopes usage cannot observe. */
  readonly narrower: readonly string[];
  /** Held scopes the narrower set drops or lowers (e.g. `refunds:write` when only `refunds:read` was used). */
  readonly unused: readonly string[];
  /** Held scopes no route of this API requires: usage cannot tell whether they are needed. */
  readonly unobservable: readonly string[];
  /** True when the key holds no scopes (full access to its merchant). */
  readonly fullAccess: boolean;
}

/**
 * Compares held scopes with the route scopes exercised. A key with no scopes holds everything: its
 * narrower set is what it used. Pure.
 * @param held the key's scopes (empty = full access)
 * @param exercised scopes of the routes the key called successfully past the scope check
 */
export function adviseScopes(held: readonly string[], exercised: readonly string[], observable: ReadonlySet<string> = observableScopes()): ScopeAdvice {
  const fullAccess = held.length === 0;
  const holds = (s: string) => fullAccess || scopeSatisfies(held, s);
  const used = new Set(exercised.filter(holds));
  const keep = new Set<string>();
  for (const s of used) {
    const [resource, access] = s.split(':');
    if (access === 'read' && used.has(`${resource}:write`)) continue;
    keep.add(s);
  }
  const unobservable = fullAccess ? [] : held.filter((s) => !observable.has(s) && !observable.has(s.replace(/:write$/, ':read')));
  for (const s of unobservable) keep.add(s);
  const narrower = ALL_SCOPES.filter((s) => keep.has(s));
  const unused = fullAccess ? [] : held.filter((s) => !keep.has(s));
  return { narrower, unused: [...unused].sort(), unobservable: [...unobservable].sort(), fullAccess };
}
