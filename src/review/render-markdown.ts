/** Renders a review as Markdown for a pull-request comment: one stack, or several in one comment. */
import { CLASS_INFO, riskRank } from './change-class';
import type { Review } from './classify';
import type { Part } from './finding';
import { classCounts, reportSections, reportSummary, rowSentence, type ReportSummary } from './report-rows';
import { markdownCodeSpan, terminalSafeReport } from './safe-text';
import type { Scrubber } from './secret-scrub';
import type { StackReview } from './stacks';
import { stackRisk } from './stacks';
import { unionSummary } from './union';

/** First line of every comment: lets CI find and update its previous comment. */
export const MARKDOWN_MARKER = '<!-- keyform-review -->';

const FOOTER = '<sub>Secrets are never shown. Classes, highest risk first: see the keyform GitOps review guide.</sub>';

function md(parts: readonly Part[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : 'code' in p ? markdownCodeSpan(p.code) : '_(known after apply)_')).join('');
}

function liveCell(live: true | false | 'unknown'): string {
  return live === true ? '**LIVE**' : live === 'unknown' ? '?' : 'test';
}

function summaryLine(summary: ReportSummary, driftRows: number, where = ''): string {
  const liveNote = summary.live ? ` · **${summary.live} LIVE**` : '';
  const driftNote = driftRows ? ` · ${driftRows} changed outside Terraform` : '';
  return `**${summary.resources} credential resource${summary.resources === 1 ? '' : 's'} change${where}:** ${classCounts(summary)}${liveNote}${driftNote}`;
}

/** The tables of one plan, headings at level `h`. */
function body(review: Review, h: string): string[] {
  const sections = reportSections(review);
  const lines: string[] = [];
  if (!sections.length) {
    lines.push('No keyform credential changes in this plan.');
    if (review.drift.length) lines.push('', `${review.drift.length} change(s) made outside Terraform were found; the configuration already matches them.`);
    return lines;
  }
  const drift = reportSections(review, review.drift).flatMap((s) => s.rows);
  lines.push(summaryLine(reportSummary(review, sections), drift.length), '');
  if (drift.length) {
    lines.push(`${h} Changed outside Terraform since the last apply (${drift.length})`, '', '| Live | Class | Change | Resources |', '| --- | --- | --- | --- |');
    for (const r of drift) lines.push(`| ${liveCell(r.live)} | ${CLASS_INFO[r.class].title} | ${md(rowSentence(r))} | ${r.addresses.map(markdownCodeSpan).join('<br>')} |`);
    lines.push('', '_The tables below say what this plan does, including reverting these changes._', '');
  }
  for (const s of sections) {
    lines.push(`${h} ${s.title} (${s.rows.length})`, '', '| Live | Change | Resources |', '| --- | --- | --- |');
    for (const r of s.rows) lines.push(`| ${liveCell(r.live)} | ${md(rowSentence(r))} | ${r.addresses.map(markdownCodeSpan).join('<br>')} |`);
    lines.push('');
  }
  return lines;
}

/** The Markdown report of one plan; every string passes through `scrubber`, user data stays inside code spans. */
export function renderMarkdown(review: Review, scrubber: Scrubber): string {
  const lines = [MARKDOWN_MARKER, '### keyform review', '', ...body(review, '####')];
  if (reportSections(review).length) lines.push(FOOTER);
  return terminalSafeReport(scrubber.scrub(`${lines.join('\n')}\n`));
}

/**
 * The Markdown report of several stacks (given highest risk first): a summary over all of them, a
 * table of stacks, then a section per stack. One stack renders exactly as {@link renderMarkdown}.
 */
export function renderMarkdownStacks(stacks: readonly StackReview[], scrubber: Scrubber): string {
  if (stacks.length === 1) return renderMarkdown(stacks[0].review, scrubber);
  const union = unionSummary(stacks);
  const changed = stacks.filter((s) => s.review.findings.length > 0).length;
  const lines = [MARKDOWN_MARKER, `### keyform review: ${stacks.length} stacks`, ''];
  lines.push(
    union.summary.rows ? summaryLine(union.summary, union.driftRows, ` in ${changed} of ${stacks.length} stacks`) : `No keyform credential changes in these ${stacks.length} plans.`,
    '',
    '| Stack | Highest risk | Changes | LIVE |',
    '| --- | --- | --- | --- |',
  );
  for (const s of stacks) {
    const risk = stackRisk(s);
    const sections = reportSections(s.review);
    const summary = reportSummary(s.review, sections);
    const title = sections.length ? CLASS_INFO[sections.find((x) => riskRank(x.class) === risk)?.class ?? sections[0].class].title : 'no changes';
    lines.push(`| ${markdownCodeSpan(s.name)} | ${title} | ${summary.resources} | ${summary.live ? `**${summary.live}**` : 0} |`);
  }
  lines.push('');
  for (const s of stacks) lines.push(`#### Stack ${markdownCodeSpan(s.name)}`, '', ...body(s.review, '#####'), '');
  lines.push(FOOTER);
  return terminalSafeReport(scrubber.scrub(`${lines.join('\n')}\n`));
}
