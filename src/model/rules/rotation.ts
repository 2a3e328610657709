/**
 * The rotation rules: a declared schedule (`every`, `grace_period`) and when a key is due. A
 * schedule rotates at a positive interval; its grace period is at most the API's 30 days. A grace
 * period as long as the interval or longer is allowed, as the API allows it (previous secrets then
 * overlap; the server keeps at most ten and refuses a rotation beyond, never cutting one off): the
 * credential policy warns about it (KF109), validation does not refuse it. The due date is computed
 * here once, for the provider's plan and the reports.
 */
import { MAX_GRACE_PERIOD_SECONDS } from './defaults';
import { durationRule, parseDuration } from './duration';
import { PASS, type Finding, type Verdict } from './finding';
import { RULE_MESSAGES } from './messages';
import { formatInstant } from './timestamp';

/** A rotation schedule as written; an undefined part is left out or not known yet (not judged). */
export interface RotationInput {
  /** The interval, e.g. `90d`. */
  readonly every?: string;
  /** The grace period, e.g. `24h` (left out: the default 24h, which passes). */
  readonly gracePeriod?: string;
}

/** Field names the findings use: the provider's (`rotation.every`) or a construct's (`rotation.gracePeriod`). */
export interface RotationFields {
  readonly every: string;
  readonly gracePeriod: string;
}

const PROVIDER_FIELDS: RotationFields = { every: 'rotation.every', gracePeriod: 'rotation.grace_period' };

/** The grace-period seconds rule (the API's `grace_period_seconds`): 0 to 30 days. */
export function gracePeriodSecondsRule(field: string, seconds: number, written: string = `${seconds}s`): Verdict {
  if (seconds < 0) return [RULE_MESSAGES.gracePeriodNegative(field)];
  if (seconds > MAX_GRACE_PERIOD_SECONDS) return [RULE_MESSAGES.gracePeriodTooLong(field, written)];
  return PASS;
}

/** The rotation rule of a declared schedule. */
export function rotationRule(r: RotationInput, fields: RotationFields = PROVIDER_FIELDS): Verdict {
  const out: Finding[] = [];
  if (r.every !== undefined) {
    out.push(...durationRule(fields.every, r.every));
    if (parseDuration(r.every) === 0) out.push(RULE_MESSAGES.rotationEveryZero(fields.every));
  }
  if (r.gracePeriod !== undefined) {
    out.push(...durationRule(fields.gracePeriod, r.gracePeriod));
    const grace = parseDuration(r.gracePeriod);
    if (grace !== undefined) out.push(...gracePeriodSecondsRule(fields.gracePeriod, grace, r.gracePeriod));
  }
  return out;
}

/** When a key with a schedule is due for rotation, and when it is overdue (the grace period on top). */
export interface RotationDue {
  /** `every` after the last rotation (or the creation). */
  readonly dueAt: string;
  /** The grace period after `dueAt`: a scheduled apply that had run would have rotated by then. */
  readonly overdueAt: string;
}

/**
 * The due dates of a key rotated every `everySeconds` since `since` (its last rotation, or its
 * creation); undefined when `since` is not a time.
 */
export function rotationDue(since: string | null, everySeconds: number, graceSeconds: number): RotationDue | undefined {
  const base = since === null ? NaN : Date.parse(since);
  if (Number.isNaN(base)) return undefined;
  const due = base + everySeconds * 1000;
  return { dueAt: formatInstant(due), overdueAt: formatInstant(due + graceSeconds * 1000) };
}
