/** Durations as users write them in rotation blocks: `90d`, `720h`, `30m`, `45s`, `2w`, `1h30m`. */

const UNIT_SECONDS: Readonly<Record<string, number>> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };

/** Parses a duration such as `90d` or `1h30m` into whole seconds; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^(\d+[wdhms])+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const m of trimmed.matchAll(/(\d+)([wdhms])/g)) total += Number(m[1]) * UNIT_SECONDS[m[2]];
  return Number.isSafeInteger(total) ? total : undefined;
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
