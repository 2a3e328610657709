/** Shared pieces of the zod model: the error body, timestamps, pages, metadata and the field-naming validation of every layer. */
import { z } from 'zod';
import type { Verdict } from './rules/finding';
import { timestampRule } from './rules/timestamp';

/** The body of every error response: one message per problem. */
export const ErrorBody = z
  .object({ errors: z.array(z.string()).min(1) })
  .meta({ id: 'ErrorBody', description: 'Every error response: one plain-language message per problem.' });
/** Every error response body. */
export type ErrorBody = z.infer<typeof ErrorBody>;

/**
 * A zod refinement that asks a rule of the rulebook (src/model/rules): each finding becomes an issue
 * whose message is the finding's API message, so the server answers with the rulebook's words.
 */
export function byRule<T>(rule: (value: T) => Verdict): (value: T, ctx: z.RefinementCtx) => void {
  return (value, ctx) => {
    for (const f of rule(value)) ctx.addIssue({ code: 'custom', message: f.api, params: { rule: f.code } });
  };
}

/** An RFC 3339 timestamp of the attribute `field`, checked by the rulebook's timestamp rule. */
export function timestampOf(field: string) {
  return z
    .string({ error: `Invalid ${field} value: must be an RFC 3339 timestamp such as 2030-01-31T00:00:00Z.` })
    .superRefine(byRule((v: string) => timestampRule(field, v)))
    .meta({ format: 'date-time' });
}

/** An RFC 3339 timestamp with an offset, as the API returns them. */
export const Timestamp = timestampOf('timestamp');

/** Query parameters shared by every list route. */
export const PageQuery = z.strictObject({
  limit: z.coerce
    .number({ error: 'Invalid limit value: must be an integer from 1 to 1000.' })
    .int({ error: 'Invalid limit value: must be an integer from 1 to 1000.' })
    .min(1, { error: 'Invalid limit value: must be an integer from 1 to 1000.' })
    .max(1000, { error: 'Invalid limit value: must be an integer from 1 to 1000.' })
    .optional(),
  cursor: z.string({ error: 'Invalid cursor value.' }).max(200, { error: 'Invalid cursor value.' }).optional(),
});

/** Largest page a list route returns. */
export const MAX_PAGE_SIZE = 1000;
/** Page size when `limit` is not given. */
export const DEFAULT_PAGE_SIZE = 100;

/** A page of a list route: `data`, whether more follow, and the cursor of the next page. */
export function page<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    has_more: z.boolean(),
    next_cursor: z.string().nullable(),
  });
}

/** Free-form string metadata attached to an object. */
export const Metadata = z
  .record(
    z.string().min(1).max(40, { error: 'Invalid metadata: keys are at most 40 characters.' }),
    z.string({ error: 'Invalid metadata: values must be strings.' }).max(500, { error: 'Invalid metadata: values are at most 500 characters.' }),
    { error: 'Invalid metadata: must be an object of string values.' },
  )
  .refine((m) => Object.keys(m).length <= 50, { error: 'Invalid metadata: at most 50 keys.' });

/** A JSON merge patch of metadata: a string sets a key, null removes it. */
export const MetadataPatch = z
  .record(
    z.string().min(1).max(40, { error: 'Invalid metadata: keys are at most 40 characters.' }),
    z
      .string({ error: 'Invalid metadata: values must be strings (or null to remove a key).' })
      .max(500, { error: 'Invalid metadata: values are at most 500 characters.' })
      .nullable(),
    { error: 'Invalid metadata: must be an object of string (or null) values.' },
  )
  .refine((m) => Object.keys(m).length <= 50, { error: 'Invalid metadata: at most 50 keys.' });

/** Turns a path such as `['project_access', 0, 'role']` into `project_access[0].role`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

function lookup(input: unknown, path: readonly PropertyKey[]): { present: boolean } {
  let cur: unknown = input;
  for (const part of path) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, part as PropertyKey)) return { present: false };
    cur = (cur as Record<PropertyKey, unknown>)[part as PropertyKey];
  }
  return { present: cur !== undefined };
}

/**
 * Formats a zod failure of `input` as the API's error messages: one message per problem, in field
 * order, with `Missing required field: <field>.` for absent fields and `Unknown field: <field>.` for
 * extra ones. Identical messages are reported once.
 */
export function formatIssues(error: z.ZodError, input: unknown): string[] {
  const out: string[] = [];
  for (const issue of error.issues) {
    let message: string;
    if (issue.path.length === 0 && issue.code === 'invalid_type') {
      message = 'Invalid request body: expected a JSON object.';
    } else if (issue.path.length > 0 && issue.code !== 'unrecognized_keys' && !lookup(input, issue.path).present) {
      message = `Missing required field: ${fieldPath(issue.path)}.`;
    } else if (issue.code === 'unrecognized_keys') {
      message = issue.keys.map((k) => `Unknown field: ${fieldPath([...issue.path, k])}.`).join(' ');
    } else if (issue.message && /[.!]$/.test(issue.message) && /^[A-Z]/.test(issue.message)) {
      message = issue.message; // a message written for users in the schema
    } else {
      const where = issue.path.length ? fieldPath(issue.path) : 'body';
      message = `Invalid ${where} value: ${issue.message}.`;
    }
    if (!out.includes(message)) out.push(message);
  }
  return out;
}

/** Parses `input` with `schema`; returns the value or the API's error messages. */
export function validate<T extends z.ZodType>(
  schema: T,
  input: unknown,
): { ok: true; value: z.infer<T> } | { ok: false; errors: string[] } {
  const result = schema.safeParse(input);
  return result.success ? { ok: true, value: result.data } : { ok: false, errors: formatIssues(result.error, input) };
}
