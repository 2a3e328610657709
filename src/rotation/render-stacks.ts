/**
 * The rotation report over several stacks: a summary over all of them, a table of stacks (most
 * urgent first), then a section per stack; keys the API lists that no given stack declares come last
 * as their own section. The JSON carries each key's `stack` and a `stacks` summary.
 */
import { Scrubber } from '../review/secret-scrub';
import { countStatuses, keyJson, markdownTable, mdCell, ROTATION_JSON_FORMAT, summaryLine, textTable, type ReportFormat } from './render-report';
import type { ReportStack } from './report-stacks';
import { ROTATION_STATUSES, type KeyAssessment } from './schedule';

/** The section name of keys the API lists but no given stack declares. */
export const NOT_IN_ANY_STACK = '(not in any stack)';

/** One stack's section: its rows (already most urgent first). */
export interface RotationStackSection {
  readonly name: string;
  /** The stack's state file or directory; null for {@link NOT_IN_ANY_STACK}. */
  readonly source: string | null;
  readonly rows: readonly KeyAssessment[];
}

const rank = (rows: readonly KeyAssessment[]) => Math.min(ROTATION_STATUSES.length, ...rows.map((r) => ROTATION_STATUSES.indexOf(r.status)));

/** Rows grouped by stack, most urgent stack first (then more overdue, more due, then by name). */
export function rotationSections(rows: readonly KeyAssessment[], stacks: readonly ReportStack[]): RotationStackSection[] {
  const sections: RotationStackSection[] = stacks.map((s) => ({ name: s.name, source: s.path, rows: rows.filter((r) => r.key.stack === s.name) }));
  const loose = rows.filter((r) => r.key.stack === undefined);
  if (loose.length) sections.push({ name: NOT_IN_ANY_STACK, source: null, rows: loose });
  const count = (s: RotationStackSection, status: string) => s.rows.filter((r) => r.status === status).length;
  return sections.sort((a, b) => rank(a.rows) - rank(b.rows) || count(b, 'overdue') - count(a, 'overdue') || count(b, 'due') - count(a, 'due') || a.name.localeCompare(b.name));
}

const inline = (t: string) => t.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');

function stackCounts(s: RotationStackSection): string {
  const c = countStatuses(s.rows);
  return `${s.rows.length} key${s.rows.length === 1 ? '' : 's'}${c.overdue ? `, ${c.overdue} overdue` : ''}${c.due ? `, ${c.due} due` : ''}`;
}

function text(sections: readonly RotationStackSection[], rows: readonly KeyAssessment[], now: Date, stackCount: number): string {
  const out = [`keyform rotation-report: ${stackCount} stacks, ${summaryLine(rows, now)}`, ''];
  for (const s of sections) out.push(`  ${inline(s.name)}: ${stackCounts(s)}`);
  for (const s of sections) {
    out.push('', `== ${s.name === NOT_IN_ANY_STACK ? s.name : `stack ${inline(s.name)}`}: ${summaryLine(s.rows, now)}`);
    if (s.rows.length) out.push('', ...textTable(s.rows));
    else out.push('No keyform_api_key resources found.');
  }
  return `${out.join('\n')}\n`;
}

function markdown(sections: readonly RotationStackSection[], rows: readonly KeyAssessment[], now: Date, stackCount: number): string {
  const out = ['### keyform rotation report', '', `**${stackCount} stacks, ${summaryLine(rows, now)}**`, '', '| Stack | Keys | Overdue | Due |', '| --- | --- | --- | --- |'];
  for (const s of sections) {
    const c = countStatuses(s.rows);
    out.push(`| \`${mdCell(s.name).replace(/`/g, "'")}\` | ${s.rows.length} | ${c.overdue ? `**${c.overdue}**` : 0} | ${c.due ? `**${c.due}**` : 0} |`);
  }
  for (const s of sections) {
    out.push('', `#### ${s.name === NOT_IN_ANY_STACK ? 'Not in any stack' : `Stack \`${mdCell(s.name).replace(/`/g, "'")}\``}`, '', `${summaryLine(s.rows, now)}`, '');
    if (s.rows.length) out.push(...markdownTable(s.rows));
    else out.push('No keyform_api_key resources found.');
  }
  return `${out.join('\n')}\n`;
}

function json(sections: readonly RotationStackSection[], rows: readonly KeyAssessment[], now: Date): string {
  return `${JSON.stringify(
    {
      format: ROTATION_JSON_FORMAT,
      now: now.toISOString(),
      summary: countStatuses(rows),
      stacks: sections.map((s) => ({ name: s.name, source: s.source, summary: countStatuses(s.rows) })),
      keys: sections.flatMap((s) => s.rows.map((r) => ({ stack: s.source === null ? null : s.name, ...keyJson(r) }))),
    },
    null,
    2,
  )}\n`;
}

/** Renders assessed keys of several stacks; `scrubber` removes anything secret-shaped. */
export function renderRotationStacks(rows: readonly KeyAssessment[], stacks: readonly ReportStack[], now: Date, format: ReportFormat, scrubber = new Scrubber()): string {
  const sections = rotationSections(rows, stacks);
  const out = format === 'json' ? json(sections, rows, now) : format === 'markdown' ? markdown(sections, rows, now, stacks.length) : text(sections, rows, now, stacks.length);
  return scrubber.scrub(out);
}
