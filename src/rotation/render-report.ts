/** Renders the rotation report as text, Markdown or JSON. Every output is scrubbed of secrets. */
import { Scrubber } from '../review/secret-scrub';
import type { KeyAssessment, RotationStatus } from './schedule';
import { ROTATION_STATUSES } from './schedule';

/** Output formats of the report. */
export const REPORT_FORMATS = ['text', 'markdown', 'json'] as const;
/** An output format. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Format identifier written into the JSON document. */
export const ROTATION_JSON_FORMAT = 'keyform-rotation-report/1';

const LABEL: Record<RotationStatus, string> = {
  overdue: 'overdue',
  due: 'due',
  unknown: 'unknown',
  healthy: 'healthy',
  'no-rotation': 'no rotation',
};

/** Counts per status. */
export function countStatuses(rows: readonly KeyAssessment[]): Record<RotationStatus, number> {
  const out = Object.fromEntries(ROTATION_STATUSES.map((s) => [s, 0])) as Record<RotationStatus, number>;
  for (const r of rows) out[r.status] += 1;
  return out;
}

/** The counts line of a report (or of one stack's section). */
export function summaryLine(rows: readonly KeyAssessment[], now: Date): string {
  const c = countStatuses(rows);
  const parts = ROTATION_STATUSES.filter((s) => c[s]).map((s) => `${c[s]} ${s === 'no-rotation' ? 'without rotation' : LABEL[s]}`);
  return `${rows.length} API key${rows.length === 1 ? '' : 's'} at ${now.toISOString().replace(/\.\d{3}Z$/, 'Z')}${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

function note(r: KeyAssessment): string {
  const notes: string[] = [];
  if (r.status === 'overdue') notes.push(`overdue since ${r.overdueAt}: the scheduled apply has not rotated it`);
  if (r.status === 'due') notes.push(`due since ${r.dueAt}; overdue at ${r.overdueAt}`);
  if (r.status === 'healthy') notes.push(`next rotation due ${r.dueAt}`);
  if (r.status === 'unknown') notes.push(r.problem ?? 'cannot tell');
  if (r.status === 'no-rotation') notes.push(r.key.mode === 'live' && (r.key.type ?? 'secret') === 'secret' ? 'live secret key without rotation: declare rotation { every = "90d" }' : 'no rotation declared');
  if (r.policySource === 'default') notes.push('policy from --every');
  if (r.expired) notes.push(`expired at ${r.key.expiresAt}`);
  return notes.join('; ');
}

function cells(r: KeyAssessment): string[] {
  return [
    LABEL[r.status],
    r.key.name,
    r.key.mode === 'live' ? 'LIVE' : (r.key.mode ?? '?'),
    r.every ? `${r.every}${r.gracePeriod ? ` (+${r.gracePeriod})` : ''}` : '-',
    r.since ?? '-',
    r.dueAt ?? '-',
    note(r),
    r.key.address,
  ];
}

const HEAD = ['STATUS', 'KEY', 'MODE', 'EVERY (+GRACE)', 'SINCE', 'DUE', 'NOTE', 'ADDRESS'];

/** Rows as an aligned terminal table, header first. */
export function textTable(rows: readonly KeyAssessment[]): string[] {
  const table = [HEAD, ...rows.map(cells)];
  const widths = HEAD.map((_, i) => Math.max(...table.map((row) => row[i].length)));
  return table.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd());
}

function text(rows: readonly KeyAssessment[], now: Date): string {
  const lines = [`keyform rotation-report: ${summaryLine(rows, now)}`];
  if (!rows.length) return `${lines[0]}\nNo keyform_api_key resources found.\n`;
  lines.push('', ...textTable(rows));
  return `${lines.join('\n')}\n`;
}

/** A table cell of Markdown: one line, pipes escaped. */
export function mdCell(c: string): string {
  return c.replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|');
}

/** Rows as a Markdown table, header first. */
export function markdownTable(rows: readonly KeyAssessment[]): string[] {
  const lines = [`| ${['Status', 'Key', 'Mode', 'Every (+grace)', 'Since', 'Due', 'Note', 'Address'].join(' | ')} |`, `|${' --- |'.repeat(8)}`];
  for (const r of rows) {
    const c = cells(r).map(mdCell);
    c[0] = r.status === 'overdue' || r.status === 'due' ? `**${c[0]}**` : c[0];
    c[1] = `\`${c[1]}\``;
    c[7] = `\`${c[7]}\``;
    lines.push(`| ${c.join(' | ')} |`);
  }
  return lines;
}

function markdown(rows: readonly KeyAssessment[], now: Date): string {
  const lines = ['### keyform rotation report', '', `**${summaryLine(rows, now)}**`, ''];
  if (!rows.length) return `${lines.join('\n')}No keyform_api_key resources found.\n`;
  lines.push(...markdownTable(rows));
  return `${lines.join('\n')}\n`;
}

/** One key of the JSON report (with its stack in a report over several stacks). */
export function keyJson(r: KeyAssessment) {
  return {
    ...(r.key.stack !== undefined ? { stack: r.key.stack } : {}),
    status: r.status,
    address: r.key.address,
    id: r.key.id,
    name: r.key.name,
    mode: r.key.mode,
    type: r.key.type,
    mid: r.key.mid,
    every: r.every,
    grace_period: r.gracePeriod,
    policy: r.policySource,
    since: r.since,
    due_at: r.dueAt,
    overdue_at: r.overdueAt,
    expired: r.expired,
    version: r.key.version,
    ...(r.problem ? { problem: r.problem } : {}),
  };
}

function json(rows: readonly KeyAssessment[], now: Date): string {
  return `${JSON.stringify({ format: ROTATION_JSON_FORMAT, now: now.toISOString(), summary: countStatuses(rows), keys: rows.map(keyJson) }, null, 2)}\n`;
}

/** Renders assessed keys; `scrubber` removes anything secret-shaped (a name must never leak a value). */
export function renderRotationReport(rows: readonly KeyAssessment[], now: Date, format: ReportFormat, scrubber = new Scrubber()): string {
  const out = format === 'json' ? json(rows, now) : format === 'markdown' ? markdown(rows, now) : text(rows, now);
  return scrubber.scrub(out);
}
