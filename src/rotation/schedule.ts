/**
 * When each key is due for rotation. A key with `rotation { every, grace_period }` is due `every`
 * after its last rotation (or creation): the next `terraform plan` then shows the rotation. It is
 * overdue once the grace period has passed on top of that, meaning the scheduled apply did not run.
 */
import { DEFAULT_GRACE_PERIOD, rotationDue } from '../model/rules';
import { requireDuration } from './duration';
import type { KeyRecord } from './state-keys';

export { DEFAULT_GRACE_PERIOD } from '../model/rules';

/** Status of one key, most urgent first. */
export const ROTATION_STATUSES = ['overdue', 'due', 'unknown', 'healthy', 'no-rotation'] as const;
/** Status of one key. */
export type RotationStatus = (typeof ROTATION_STATUSES)[number];

/** The assessment of one key. */
export interface KeyAssessment {
  readonly key: KeyRecord;
  readonly status: RotationStatus;
  /** The policy applied, as written. */
  readonly every: string | null;
  readonly gracePeriod: string | null;
  /** Where the policy came from: the key's `rotation` block, or the report's `--every` default. */
  readonly policySource: 'declared' | 'default' | null;
  /** Last rotation, or creation when never rotated. */
  readonly since: string | null;
  readonly dueAt: string | null;
  readonly overdueAt: string | null;
  /** Whether the key's own `expires_at` has passed. */
  readonly expired: boolean;
  /** Why the status is `unknown`. */
  readonly problem?: string;
}

/** A policy applied to keys without a declared rotation (the API listing has none). */
export interface DefaultPolicy {
  readonly every: string;
  readonly gracePeriod?: string;
}

/** Assesses one key at `now`. Pure. */
export function assessKey(key: KeyRecord, now: Date, fallback?: DefaultPolicy): KeyAssessment {
  const expired = key.expiresAt !== null && Date.parse(key.expiresAt) <= now.getTime();
  const declared = key.rotation;
  const every = declared?.every ?? fallback?.every ?? null;
  const gracePeriod = declared ? (declared.gracePeriod ?? DEFAULT_GRACE_PERIOD) : fallback ? (fallback.gracePeriod ?? DEFAULT_GRACE_PERIOD) : null;
  const policySource = declared ? 'declared' : fallback ? 'default' : null;
  const since = key.rotatedAt ?? key.createdAt;
  const base = { key, every, gracePeriod, policySource, since, expired } as const;
  if (every === null) return { ...base, status: 'no-rotation', dueAt: null, overdueAt: null };
  let everyS: number;
  let graceS: number;
  try {
    everyS = requireDuration(every, 'rotation.every');
    graceS = requireDuration(gracePeriod ?? DEFAULT_GRACE_PERIOD, 'rotation.grace_period');
  } catch (e) {
    return { ...base, status: 'unknown', dueAt: null, overdueAt: null, problem: (e as Error).message };
  }
  const due = rotationDue(since, everyS, graceS);
  if (!due) {
    return { ...base, status: 'unknown', dueAt: null, overdueAt: null, problem: 'no creation or rotation time recorded (refresh the state with `terraform apply -refresh-only`)' };
  }
  const t = now.getTime();
  const status: RotationStatus = t >= Date.parse(due.overdueAt) ? 'overdue' : t >= Date.parse(due.dueAt) ? 'due' : 'healthy';
  return { ...base, status, ...due };
}

/** Assesses keys and orders them most urgent first, then by due date, then by name. */
export function assessKeys(keys: readonly KeyRecord[], now: Date, fallback?: DefaultPolicy): KeyAssessment[] {
  const rank = (s: RotationStatus) => ROTATION_STATUSES.indexOf(s);
  return keys
    .map((k) => assessKey(k, now, fallback))
    .sort((a, b) => rank(a.status) - rank(b.status) || (a.dueAt ?? '').localeCompare(b.dueAt ?? '') || a.key.name.localeCompare(b.key.name) || a.key.address.localeCompare(b.key.address));
}
