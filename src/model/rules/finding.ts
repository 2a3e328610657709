/**
 * What a rule of the rulebook answers: a list of findings, empty when the value passes. A finding
 * carries everything every layer needs to say the same thing in its own words: the stable code, a
 * short summary (a provider diagnostic's title), the problem and the fix (a construct's synth error,
 * a diagnostic's detail) and the API's error message (the server's 400 text).
 *
 * Like every file of the rulebook this one imports nothing outside it but the catalogs, and no zod,
 * so the jsii constructs call the same functions as the provider and the server.
 */

/** One problem a rule found with a value. */
export interface Finding {
  /** Stable code, `KF-RULE-<NNN>` (docs/errors.md lists them). */
  readonly code: string;
  /** A short title, e.g. `Invalid name` or `Unknown scope "customer:read"`. */
  readonly summary: string;
  /** What is wrong, one clause without a final period, e.g. `name is blank`. */
  readonly problem: string;
  /** How to fix it, one clause without a final period, e.g. `give it a descriptive name`. */
  readonly fix: string;
  /** The Key Management API's error message for it, a full sentence. */
  readonly api: string;
}

/**
 * A rule's answer: every finding, in the order a user should fix them; empty means the value passes.
 * A rule never throws on a value it was given.
 */
export type Verdict = readonly Finding[];

/** The verdict of a value that passes. */
export const PASS: Verdict = Object.freeze([]) as Verdict;

/** Whether a verdict passes. */
export function passes(verdict: Verdict): boolean {
  return verdict.length === 0;
}

const upper = (s: string) => (s ? s[0].toUpperCase() + s.slice(1) : s);

/** A finding as two sentences, problem then fix: `Name is blank. Give it a descriptive name.` */
export function findingText(f: Finding): string {
  return `${upper(f.problem)}. ${upper(f.fix)}.`;
}
