/** Renders a review for a terminal. */
import type { Review } from './classify';
import type { Part } from './finding';
import { classCounts, reportSections, reportSummary, rowSentence } from './report-rows';
import { terminalSafe, terminalSafeReport } from './safe-text';
import type { Scrubber } from './secret-scrub';

/**
 * A sentence as plain text: identifiers as they are but with control characters shown as escapes
 * (a name cannot move the cursor or break the line), unknowns as "(known after apply)".
 */
export function plainText(parts: readonly Part[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : 'code' in p ? terminalSafe(p.code) : '(known after apply)')).join('');
}

/** The terminal report; every string passes through `scrubber`, no user data can act on the terminal. */
export function renderText(review: Review, scrubber: Scrubber): string {
  const sections = reportSections(review);
  const summary = reportSummary(review, sections);
  if (!sections.length) return scrubber.scrub('keyform review: no keyform credential changes in this plan.\n');
  const lines = [
    `keyform review: ${summary.resources} credential resource${summary.resources === 1 ? '' : 's'} change: ${classCounts(summary)}${summary.live ? ` (${summary.live} LIVE)` : ''}`,
  ];
  const drift = reportSections(review, review.drift).flatMap((s) => s.rows);
  if (drift.length) {
    lines.push('', `CHANGED OUTSIDE TERRAFORM SINCE THE LAST APPLY (${drift.length})`);
    for (const r of drift) {
      const tag = r.live === true ? 'LIVE ' : r.live === 'unknown' ? 'LIVE?' : 'test ';
      lines.push(`  ${tag} [${r.class}] ${plainText(rowSentence(r))}`, `        ${r.addresses.map(terminalSafe).join(', ')}`);
    }
  }
  for (const s of sections) {
    lines.push('', `${s.title.toUpperCase()} (${s.rows.length})`);
    for (const r of s.rows) {
      const tag = r.live === true ? 'LIVE ' : r.live === 'unknown' ? 'LIVE?' : 'test ';
      lines.push(`  ${tag} ${plainText(rowSentence(r))}`, `        ${r.addresses.map(terminalSafe).join(', ')}`);
    }
  }
  return terminalSafeReport(scrubber.scrub(`${lines.join('\n')}\n`));
}
