/** Renders a review as Markdown for a pull-request comment. */
import { CLASS_INFO } from './change-class';
import type { Review } from './classify';
import type { Part } from './finding';
import { classCounts, reportSections, reportSummary, rowSentence } from './report-rows';
import { markdownCodeSpan, terminalSafeReport } from './safe-text';
import type { Scrubber } from './secret-scrub';

/** First line of every comment: lets CI find and update its previous comment. */
export const MARKDOWN_MARKER = '<!-- keyform-review -->';

function md(parts: readonly Part[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : 'code' in p ? markdownCodeSpan(p.code) : '_(known after apply)_')).join('');
}

/** The Markdown report; every string passes through `scrubber`, user data stays inside code spans. */
export function renderMarkdown(review: Review, scrubber: Scrubber): string {
  const sections = reportSections(review);
  const summary = reportSummary(review, sections);
  const lines = [MARKDOWN_MARKER, '### keyform review', ''];
  if (!sections.length) {
    lines.push('No keyform credential changes in this plan.');
    if (review.drift.length) lines.push('', `${review.drift.length} change(s) made outside Terraform were found; the configuration already matches them.`);
    return terminalSafeReport(scrubber.scrub(`${lines.join('\n')}\n`));
  }
  const liveNote = summary.live ? ` · **${summary.live} LIVE**` : '';
  const drift = reportSections(review, review.drift).flatMap((s) => s.rows);
  const driftNote = drift.length ? ` · ${drift.length} changed outside Terraform` : '';
  lines.push(
    `**${summary.resources} credential resource${summary.resources === 1 ? '' : 's'} change:** ${classCounts(summary)}${liveNote}${driftNote}`,
    '',
  );
  if (drift.length) {
    lines.push(`#### Changed outside Terraform since the last apply (${drift.length})`, '', '| Live | Class | Change | Resources |', '| --- | --- | --- | --- |');
    for (const r of drift) {
      const live = r.live === true ? '**LIVE**' : r.live === 'unknown' ? '?' : 'test';
      lines.push(`| ${live} | ${CLASS_INFO[r.class].title} | ${md(rowSentence(r))} | ${r.addresses.map(markdownCodeSpan).join('<br>')} |`);
    }
    lines.push('', '_The tables below say what this plan does, including reverting these changes._', '');
  }
  for (const s of sections) {
    lines.push(`#### ${s.title} (${s.rows.length})`, '', '| Live | Change | Resources |', '| --- | --- | --- |');
    for (const r of s.rows) {
      const live = r.live === true ? '**LIVE**' : r.live === 'unknown' ? '?' : 'test';
      lines.push(`| ${live} | ${md(rowSentence(r))} | ${r.addresses.map(markdownCodeSpan).join('<br>')} |`);
    }
    lines.push('');
  }
  lines.push('<sub>Secrets are never shown. Classes, highest risk first: see the keyform GitOps review guide.</sub>');
  return terminalSafeReport(scrubber.scrub(`${lines.join('\n')}\n`));
}
