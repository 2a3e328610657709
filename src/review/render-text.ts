/** Renders a review for a terminal: one stack, or several in one report. */
import { CLASS_INFO } from './change-class';
import type { Review } from './classify';
import type { Part } from './finding';
import { classCounts, reportSections, reportSummary, rowSentence } from './report-rows';
import { terminalSafe, terminalSafeReport } from './safe-text';
import type { Scrubber } from './secret-scrub';
import type { StackReview } from './stacks';
import { unionSummary } from './union';

/**
 * A sentence as plain text: identifiers as they are but with control characters shown as escapes
 * (a name cannot move the cursor or break the line), unknowns as "(known after apply)".
 */
export function plainText(parts: readonly Part[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : 'code' in p ? terminalSafe(p.code) : '(known after apply)')).join('');
}

const NO_CHANGES = 'no keyform credential changes in this plan.';

function tag(live: true | false | 'unknown'): string {
  return live === true ? 'LIVE ' : live === 'unknown' ? 'LIVE?' : 'test ';
}

/** The lines of one plan after its summary line, indented by `indent`. */
function body(review: Review, indent: string): string[] {
  const lines: string[] = [];
  const drift = reportSections(review, review.drift).flatMap((s) => s.rows);
  if (drift.length) {
    lines.push('', `${indent}CHANGED OUTSIDE TERRAFORM SINCE THE LAST APPLY (${drift.length})`);
    for (const r of drift) lines.push(`${indent}  ${tag(r.live)} [${r.class}] ${plainText(rowSentence(r))}`, `${indent}        ${r.addresses.map(terminalSafe).join(', ')}`);
  }
  for (const s of reportSections(review)) {
    lines.push('', `${indent}${s.title.toUpperCase()} (${s.rows.length})`);
    for (const r of s.rows) lines.push(`${indent}  ${tag(r.live)} ${plainText(rowSentence(r))}`, `${indent}        ${r.addresses.map(terminalSafe).join(', ')}`);
  }
  return lines;
}

function counts(review: Review): string {
  const summary = reportSummary(review, reportSections(review));
  return `${summary.resources} credential resource${summary.resources === 1 ? '' : 's'} change: ${classCounts(summary)}${summary.live ? ` (${summary.live} LIVE)` : ''}`;
}

/** The terminal report of one plan; every string passes through `scrubber`, no user data can act on the terminal. */
export function renderText(review: Review, scrubber: Scrubber): string {
  if (!reportSections(review).length) return terminalSafeReport(scrubber.scrub(`keyform review: ${NO_CHANGES}\n`));
  return terminalSafeReport(scrubber.scrub(`${[`keyform review: ${counts(review)}`, ...body(review, '')].join('\n')}\n`));
}

/** The terminal report of several stacks (given highest risk first); one stack renders as {@link renderText}. */
export function renderTextStacks(stacks: readonly StackReview[], scrubber: Scrubber): string {
  if (stacks.length === 1) return renderText(stacks[0].review, scrubber);
  const { summary } = unionSummary(stacks);
  const changed = stacks.filter((s) => s.review.findings.length > 0).length;
  const lines = [
    summary.rows
      ? `keyform review: ${stacks.length} stacks, ${summary.resources} credential resource${summary.resources === 1 ? '' : 's'} change in ${changed}: ${classCounts(summary)}${summary.live ? ` (${summary.live} LIVE)` : ''}`
      : `keyform review: ${stacks.length} stacks, no keyform credential changes in these plans.`,
  ];
  for (const s of stacks) {
    const sections = reportSections(s.review);
    lines.push('', `STACK ${terminalSafe(s.name)}: ${sections.length ? `${counts(s.review)}; highest risk: ${CLASS_INFO[sections[0].class].title.toLowerCase()}` : NO_CHANGES}`);
    lines.push(...body(s.review, '  '));
  }
  return terminalSafeReport(scrubber.scrub(`${lines.join('\n')}\n`));
}
