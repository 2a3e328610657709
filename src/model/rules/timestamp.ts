/**
 * The RFC 3339 rule for times users write (`expires_at`): `YYYY-MM-DDTHH:MM:SS[.fraction]` with `Z`
 * or a `±HH:MM` offset, a real calendar date (no 30 February), hours 00-23, no leap second, an
 * uppercase `T` and `Z`. The API stores and compares instants, so every layer refuses what it cannot
 * read as one; before the rulebook, `2030-02-30T00:00:00Z` passed synth and `terraform validate`
 * and failed only at apply.
 */
import { PASS, type Verdict } from './finding';
import { RULE_MESSAGES } from './messages';

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|([+-])(\d{2}):(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Whether `text` is an RFC 3339 timestamp the API accepts. */
export function isTimestamp(text: string): boolean {
  const m = RFC3339.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  if (hour > 23 || minute > 59 || second > 59) return false;
  if (m[8] !== 'Z' && (Number(m[10]) > 23 || Number(m[11]) > 59)) return false;
  return true;
}

/** The timestamp rule for the value of `field` (e.g. `expires_at`, or `expiresAt` in a construct). */
export function timestampRule(field: string, value: string): Verdict {
  return isTimestamp(value) ? PASS : [RULE_MESSAGES.invalidTimestamp(field, value)];
}

/** Whether two timestamps denote the same instant (the API may reformat what it was given). */
export function sameInstant(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  return Number.isNaN(ta) || Number.isNaN(tb) ? a === b : ta === tb;
}

/** An instant as the API writes it: `2030-01-31T00:00:00Z` (milliseconds only when there are some). */
export function formatInstant(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}
