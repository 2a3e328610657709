/** Time values of rotation blocks and key expiry, as the handler reads them from configuration. */
import { tryParseDuration } from '../rotation/duration';

/**
 * Parses a duration such as `90d` or `1h30m` into whole seconds; undefined when it is not one.
 * The same grammar as `keyform rotation-report` (units w d h m s, largest first, each once), so the
 * provider never accepts a schedule the report would reject.
 */
export function parseDuration(text: string): number | undefined {
  return tryParseDuration(text);
}

/** Whether a string is an RFC 3339 timestamp with an offset (as the API accepts them). */
export function isTimestamp(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text) && !Number.isNaN(Date.parse(text));
}

/** Whether two timestamps denote the same instant (the API may reformat what it was given). */
export function sameInstant(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  return Number.isNaN(ta) || Number.isNaN(tb) ? a === b : ta === tb;
}
