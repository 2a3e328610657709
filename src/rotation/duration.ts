/**
 * Durations as written in keyform configuration: `rotation { every = "90d", grace_period = "24h" }`.
 * A duration is one or more `<whole number><unit>` parts, units in descending order, each at most
 * once: `w` (weeks), `d` (days), `h`, `m`, `s`. Examples: `90d`, `720h`, `30m`, `1h30m`, `2w`.
 */

const UNIT_SECONDS = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 } as const;
type Unit = keyof typeof UNIT_SECONDS;
const UNIT_ORDER: readonly Unit[] = ['w', 'd', 'h', 'm', 's'];

/** A parse failure with a message that says how to write it instead. */
export class DurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DurationError';
  }
}

const HOW = 'write a whole number and a unit, such as 90d, 720h, 30m or 1h30m (units: w, d, h, m, s, largest first)';

/**
 * Parses a duration into whole seconds.
 * @param text the duration, e.g. `1h30m`
 * @param field the setting's name, used in the error message (e.g. `rotation.every`)
 * @throws DurationError naming the field and how to fix it
 */
export function parseDuration(text: string, field = 'duration'): number {
  if (typeof text !== 'string' || text.trim() === '') throw new DurationError(`Invalid ${field}: empty; ${HOW}.`);
  const s = text.trim();
  if (/\s/.test(s)) throw new DurationError(`Invalid ${field} "${text}": no spaces inside; ${HOW}.`);
  const part = /(\d+)([a-zA-Z]*)/y;
  let total = 0;
  let lastUnit = -1;
  let pos = 0;
  while (pos < s.length) {
    part.lastIndex = pos;
    const m = part.exec(s);
    if (!m) throw new DurationError(`Invalid ${field} "${text}": unexpected "${s.slice(pos)}"; ${HOW}.`);
    const [, digits, unit] = m;
    if (unit === '') throw new DurationError(`Invalid ${field} "${text}": "${digits}" has no unit; ${HOW}.`);
    if (!(unit in UNIT_SECONDS)) throw new DurationError(`Invalid ${field} "${text}": unknown unit "${unit}"; ${HOW}.`);
    const rank = UNIT_ORDER.indexOf(unit as Unit);
    if (rank <= lastUnit) throw new DurationError(`Invalid ${field} "${text}": units must appear once each, largest first; ${HOW}.`);
    lastUnit = rank;
    total += Number(digits) * UNIT_SECONDS[unit as Unit];
    if (!Number.isSafeInteger(total)) throw new DurationError(`Invalid ${field} "${text}": too long; ${HOW}.`);
    pos = part.lastIndex;
  }
  return total;
}

/** Parses a duration, or returns undefined when it is not valid. */
export function tryParseDuration(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    return parseDuration(text);
  } catch {
    return undefined;
  }
}

/** Formats whole seconds the way a user would write them: `90d`, `1h30m`, `0s`. Weeks are not used. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return '0s';
  let rest = Math.floor(seconds);
  let out = '';
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const n = Math.floor(rest / UNIT_SECONDS[unit]);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * UNIT_SECONDS[unit];
    }
  }
  return out;
}
