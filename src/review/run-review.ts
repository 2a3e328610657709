/** The whole review: load, classify, render, scrub, and decide the exit code. */
import type { ChangeClass } from './change-class';
import { isChangeClass } from './change-class';
import { reviewPlan } from './classify';
import { loadPlan } from './load-plan';
import { EXIT_FAIL_ON, reviewMessages } from './messages';
import { renderJson } from './render-json';
import { renderMarkdown } from './render-markdown';
import { renderText } from './render-text';
import { Scrubber, collectSecrets } from './secret-scrub';

/** Output formats. */
export type ReviewFormat = 'markdown' | 'text' | 'json';

/** Options of {@link runReview}. */
export interface ReviewOptions {
  readonly format?: string;
  /** Comma list of classes that make the exit code {@link EXIT_FAIL_ON}. */
  readonly failOn?: string;
  readonly terraform?: string;
  readonly stdin?: NodeJS.ReadableStream;
}

/** What the command prints and its exit code. */
export interface ReviewOutput {
  readonly report: string;
  readonly exitCode: number;
  /** A line for stderr when --fail-on matched. */
  readonly notice?: string;
}

/** Parses a `--fail-on` list. */
export function parseFailOn(text: string | undefined): ChangeClass[] {
  if (!text) return [];
  const items = text.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = items.filter((s) => !isChangeClass(s));
  if (bad.length) throw reviewMessages.badFailOn(bad);
  return items as ChangeClass[];
}

/** Reviews the plan at `path` (or `-`). */
export async function runReview(path: string, opts: ReviewOptions = {}): Promise<ReviewOutput> {
  const format = (opts.format ?? 'markdown') as ReviewFormat;
  if (!['markdown', 'text', 'json'].includes(format)) throw reviewMessages.badFormat(String(opts.format));
  const failOn = parseFailOn(opts.failOn);
  const { plan, raw } = await loadPlan(path, { terraform: opts.terraform, stdin: opts.stdin });
  const review = reviewPlan(plan);
  const scrubber = new Scrubber(collectSecrets(raw));
  const report = format === 'json' ? renderJson(review, scrubber) : format === 'text' ? renderText(review, scrubber) : renderMarkdown(review, scrubber);
  const hit = failOn.filter((c) => review.findings.some((f) => f.class === c));
  return hit.length ? { report, exitCode: EXIT_FAIL_ON, notice: reviewMessages.failOnHit(hit) } : { report, exitCode: 0 };
}
