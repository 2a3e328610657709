/**
 * The hygiene report as data: its JSON shape is this zod schema (`docs/hygiene-report.schema.json`
 * is generated from it, and a test keeps the two equal).
 */
import { z } from 'zod';

/** Format identifier written into the JSON document. */
export const HYGIENE_JSON_FORMAT = 'keyform-hygiene-report/1';

/** Kinds of finding, most urgent first. */
export const FINDING_KINDS = [
  'key-expired',
  'owner-missing',
  'owner-lacks-access',
  'rotation-overdue',
  'live-secret-key-without-expiry-or-rotation',
  'key-never-used',
  'key-unused',
  'unused-scopes',
  'key-expiring',
  'rotation-due',
  'owned-by',
] as const;
/** A kind of finding. */
export type FindingKind = (typeof FINDING_KINDS)[number];

/** What a finding is about. */
export const Subject = z.object({
  type: z.enum(['api_key', 'authorization']),
  id: z.string().nullable(),
  name: z.string(),
  /** Terraform address when a state was given. */
  address: z.string().nullable(),
  mid: z.string().nullable(),
  mode: z.string().nullable(),
  owner_id: z.string().nullable(),
  /** In a report over several stacks: the stack that declares it; null when only the API has it. */
  stack: z.string().nullable().optional(),
});

/** One finding. */
export const Finding = z.object({
  kind: z.enum(FINDING_KINDS),
  severity: z.enum(['high', 'medium', 'info']),
  subject: Subject,
  /** One plain-language sentence, with what to do. */
  message: z.string(),
  /** For unused scopes: held, exercised, the narrower set, and what usage cannot observe. */
  scopes: z
    .object({
      held: z.array(z.string()),
      full_access: z.boolean(),
      exercised: z.array(z.string()),
      narrower: z.array(z.string()),
      unused: z.array(z.string()),
      unobservable: z.array(z.string()),
    })
    .optional(),
  /** For owner checks: declared grants the owner can no longer back. */
  missing_access: z.array(z.string()).optional(),
});
/** One finding. */
export type Finding = z.infer<typeof Finding>;

/** A suggested change of the configuration, as a unified diff. */
export const Suggestion = z.object({ address: z.string(), file: z.string(), diff: z.string(), stack: z.string().optional() });
/** A suggested change. */
export type Suggestion = z.infer<typeof Suggestion>;

/** The whole report. */
export const HygieneReport = z.object({
  format: z.literal(HYGIENE_JSON_FORMAT),
  generated_at: z.string(),
  /** Keys unused since this time are reported; usage is read from this day on. */
  window: z.object({ unused_after: z.string(), since: z.string(), expiring_within: z.string() }),
  sources: z.object({ api: z.string().nullable(), state: z.string().nullable() }),
  /** Checks that could not run, and why. */
  notices: z.array(z.string()),
  summary: z.object({ keys: z.number().int(), authorizations: z.number().int(), findings: z.record(z.string(), z.number().int()) }),
  findings: z.array(Finding),
  /** Authorizations grouped by owner, with the number of findings of each owner. */
  owners: z.array(z.object({ owner_id: z.string(), authorizations: z.array(z.object({ id: z.string().nullable(), name: z.string() })), findings: z.number().int() })),
  suggestions: z.array(Suggestion),
  /**
   * In a report over several stacks: each stack (highest risk first) with its counts; findings of
   * objects no given stack declares are counted under the name `(not in any stack)` with a null source.
   */
  stacks: z
    .array(
      z.object({
        name: z.string(),
        source: z.string().nullable(),
        keys: z.number().int(),
        authorizations: z.number().int(),
        highest_severity: z.enum(['high', 'medium', 'info']).nullable(),
        findings: z.record(z.string(), z.number().int()),
      }),
    )
    .optional(),
});
/** The whole report. */
export type HygieneReport = z.infer<typeof HygieneReport>;

/** The JSON schema of the report (checked in as docs/hygiene-report.schema.json). */
export function hygieneReportJsonSchema(): unknown {
  return { title: 'keyform hygiene report', ...(z.toJSONSchema(HygieneReport) as object) };
}
