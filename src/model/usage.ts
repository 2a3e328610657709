/** The zod model of per-key usage: daily aggregates of requests and the scopes they used. */
import { z } from 'zod';
import { Timestamp } from './common';

/** A calendar day in UTC, `YYYY-MM-DD`. */
export const Day = z
  .string({ error: 'Invalid day value: use YYYY-MM-DD.' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'Invalid day value: use YYYY-MM-DD, e.g. 2030-01-31.' })
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), {
    error: 'Invalid day value: not a calendar day.',
  });

/** Query of `GET /v1/api-keys/{id}/usage`: an inclusive window of UTC days. */
export const ApiKeyUsageQuery = z.strictObject({
  /** First day (default: the first day kept, see the server's retention). */
  since: Day.optional(),
  /** Last day (default: today). */
  until: Day.optional(),
});
/** Query of the usage route. */
export type ApiKeyUsageQuery = z.infer<typeof ApiKeyUsageQuery>;

/** Requests a key made on one day under one scope. */
export const UsageDay = z
  .object({
    day: z.string(),
    /** The scope the route required, or null for routes any valid bearer may call. */
    scope: z.string().nullable(),
    /** Requests that passed the scope check. */
    requests: z.number().int(),
    /** Of those, how many answered an error status (4xx/5xx). */
    errors: z.number().int(),
  })
  .meta({ id: 'UsageDay' });
/** One day of usage under one scope. */
export type UsageDay = z.infer<typeof UsageDay>;

/** The usage of one scope over the window. */
export const ScopeUsage = z
  .object({
    scope: z.string().nullable(),
    requests: z.number().int(),
    errors: z.number().int(),
    first_day: z.string(),
    last_day: z.string(),
    /** The last request under this scope in the window. */
    last_used_at: Timestamp,
  })
  .meta({ id: 'ScopeUsage' });
/** The usage of one scope. */
export type ScopeUsage = z.infer<typeof ScopeUsage>;

/**
 * A key's usage by scope per day: what the key actually exercised, kept as a small daily aggregate
 * (not only raw request logs) so least-privilege suggestions scale.
 */
export const ApiKeyUsage = z
  .object({
    object: z.literal('api_key_usage'),
    key_id: z.string(),
    since: z.string(),
    until: z.string(),
    /** The earliest day the server still keeps (older days were pruned). */
    retained_since: z.string(),
    /** Per scope over the window, most used first. */
    scopes: z.array(ScopeUsage),
    /** Per day and scope, newest day first. */
    days: z.array(UsageDay),
  })
  .meta({ id: 'ApiKeyUsage' });
/** A key's usage. */
export type ApiKeyUsage = z.infer<typeof ApiKeyUsage>;
