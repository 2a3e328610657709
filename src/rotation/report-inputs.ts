/**
 * What the two read-only reports (`keyform rotation-report` and `keyform hygiene`, which contains it)
 * both take: where the keys come from (a state, a Terraform directory, the API), the merchant, the
 * output format and the time to assess at; and the one check of each, failing with the report's own
 * coded error.
 */
import type { ApiCredentials } from '../client/api-source';
import { Timestamp } from '../model/common';

/** The inputs both reports share. */
export interface ReportInputs extends ApiCredentials {
  /** A state file (raw or `terraform show -json`). */
  readonly state?: string;
  /** A Terraform working directory (or cdktf project) whose state is read. */
  readonly dir?: string;
  /** Terraform executable used with `dir`. */
  readonly terraform?: string;
  /** The Key Management API to list from. */
  readonly endpoint?: string;
  /** Only objects of this merchant. */
  readonly mid?: string;
  /** Output format, one of the report's formats (default text). */
  readonly format?: string;
  /** The time to assess at (RFC 3339); default the current time. */
  readonly now?: string;
}

/** The report's format: `format` (default text) when it is one of `formats`, else `bad(format)` is thrown. */
export function reportFormat<F extends string>(formats: readonly F[], format: string | undefined, bad: (format: string) => Error): F {
  const chosen = format ?? 'text';
  if (!(formats as readonly string[]).includes(chosen)) throw bad(chosen);
  return chosen as F;
}

/** The time to assess at: `now` when it is an RFC 3339 time (the API's rule), else `bad(now)` is thrown; default the current time. */
export function reportTime(now: string | undefined, bad: (text: string) => Error): Date {
  if (now === undefined) return new Date();
  if (!Timestamp.safeParse(now).success) throw bad(now);
  return new Date(now);
}
