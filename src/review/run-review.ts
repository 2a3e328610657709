/** The whole review: load one or more plans, classify, render, scrub, and decide the exit code. */
import type { ChangeClass } from './change-class';
import { isChangeClass } from './change-class';
import { EXIT_FAIL_ON, reviewMessages } from './messages';
import { renderJsonStacks } from './render-json';
import { renderMarkdownStacks } from './render-markdown';
import { renderSarif } from './render-sarif';
import { renderTextStacks } from './render-text';
import { Scrubber, collectSecrets } from './secret-scrub';
import { loadStacks, rankStacks } from './stacks';

/** Output formats. */
export const REVIEW_FORMATS = ['markdown', 'text', 'json', 'sarif'] as const;

/** An output format. */
export type ReviewFormat = (typeof REVIEW_FORMATS)[number];

/** Options of {@link runReview}. */
export interface ReviewOptions {
  readonly format?: string;
  /** Comma list of classes that make the exit code {@link EXIT_FAIL_ON}. */
  readonly failOn?: string;
  readonly terraform?: string;
  readonly stdin?: NodeJS.ReadableStream;
  /** SARIF: file URIs are relative to this directory (default: the working directory). */
  readonly sourceRoot?: string;
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

/**
 * Reviews the plans at `paths` (files, stack directories, directories of stacks, or `-`) as one
 * report: stacks highest risk first, `--fail-on` over the union of their findings.
 */
export async function runReview(paths: string | readonly string[], opts: ReviewOptions = {}): Promise<ReviewOutput> {
  const format = (opts.format ?? 'markdown') as ReviewFormat;
  if (!(REVIEW_FORMATS as readonly string[]).includes(format)) throw reviewMessages.badFormat(String(opts.format));
  const failOn = parseFailOn(opts.failOn);
  const stacks = rankStacks(await loadStacks(typeof paths === 'string' ? [paths] : paths, { terraform: opts.terraform, stdin: opts.stdin }));
  const secrets = new Set<string>();
  for (const s of stacks) for (const v of collectSecrets(s.raw)) secrets.add(v);
  const scrubber = new Scrubber(secrets);
  const report =
    format === 'json'
      ? renderJsonStacks(stacks, scrubber)
      : format === 'text'
        ? renderTextStacks(stacks, scrubber)
        : format === 'sarif'
          ? renderSarif(stacks, scrubber, { sourceRoot: opts.sourceRoot })
          : renderMarkdownStacks(stacks, scrubber);
  const hit = failOn.filter((c) => stacks.some((s) => s.review.findings.some((f) => f.class === c)));
  return hit.length ? { report, exitCode: EXIT_FAIL_ON, notice: reviewMessages.failOnHit(hit) } : { report, exitCode: 0 };
}
