/**
 * Durations as written in keyform configuration: `rotation { every = "90d", grace_period = "24h" }`,
 * `secret_delivery { timeout = "2m" }` and the reports' `--every`. A duration is one or more
 * `<whole number><unit>` parts, units largest first, each at most once: `w` (weeks), `d` (days), `h`,
 * `m`, `s`. Examples: `90d`, `720h`, `30m`, `1h30m`, `2w`.
 *
 * One contract: {@link parseDuration} answers whole seconds or undefined; {@link durationRule} says
 * why a text is not a duration, as a finding.
 */
import { PASS, type Verdict } from './finding';
import { RULE_MESSAGES } from './messages';

const UNIT_SECONDS = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 } as const;
type Unit = keyof typeof UNIT_SECONDS;
const UNIT_ORDER: readonly Unit[] = ['w', 'd', 'h', 'm', 's'];

/** Reads a duration: its seconds, or why it is not one. */
function read(text: string): { seconds: number } | { reason: string } {
  if (typeof text !== 'string' || text.trim() === '') return { reason: 'empty' };
  const s = text.trim();
  if (/\s/.test(s)) return { reason: 'no spaces inside' };
  const part = /(\d+)([a-zA-Z]*)/y;
  let total = 0;
  let lastUnit = -1;
  let pos = 0;
  while (pos < s.length) {
    part.lastIndex = pos;
    const m = part.exec(s);
    if (!m) return { reason: `unexpected ${JSON.stringify(s.slice(pos))}` };
    const [, digits, unit] = m;
    if (unit === '') return { reason: part.lastIndex < s.length ? `unexpected ${JSON.stringify(s.slice(part.lastIndex))}` : `${JSON.stringify(digits)} has no unit` };
    if (!(unit in UNIT_SECONDS)) return { reason: `unknown unit ${JSON.stringify(unit)}` };
    const rank = UNIT_ORDER.indexOf(unit as Unit);
    if (rank <= lastUnit) return { reason: 'units must appear once each, largest first' };
    lastUnit = rank;
    total += Number(digits) * UNIT_SECONDS[unit as Unit];
    if (!Number.isSafeInteger(total)) return { reason: 'too long' };
    pos = part.lastIndex;
  }
  return { seconds: total };
}

/** A duration in whole seconds, or undefined when `text` is not a duration. Never throws. */
export function parseDuration(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const r = read(text);
  return 'seconds' in r ? r.seconds : undefined;
}

/** Why `text` is not a duration (e.g. `unknown unit "y"`), or undefined when it is one. */
export function durationFlaw(text: string): string | undefined {
  const r = read(text);
  return 'reason' in r ? r.reason : undefined;
}

/** The duration rule for the value of `field`: one finding saying why `text` is not a duration. */
export function durationRule(field: string, text: string): Verdict {
  const flaw = durationFlaw(text);
  return flaw !== undefined ? [RULE_MESSAGES.invalidDuration(field, text, flaw)] : PASS;
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
