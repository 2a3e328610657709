/** Renders the hygiene report as text, Markdown or JSON; every output is scrubbed of secrets. */
import { Scrubber } from '../review/secret-scrub';
import { FINDING_KINDS, type Finding, type HygieneReport } from './report';

/** Output formats. */
export const HYGIENE_FORMATS = ['text', 'markdown', 'json'] as const;
/** An output format. */
export type HygieneFormat = (typeof HYGIENE_FORMATS)[number];

const LABEL: Record<Finding['kind'], string> = {
  'key-expired': 'expired key',
  'owner-missing': 'owner removed',
  'owner-lacks-access': 'owner lacks access',
  'rotation-overdue': 'rotation overdue',
  'live-secret-key-without-expiry-or-rotation': 'live key, no expiry or rotation',
  'key-never-used': 'never used',
  'key-unused': 'unused key',
  'unused-scopes': 'unused scopes',
  'key-expiring': 'expiring key',
  'rotation-due': 'rotation due',
  'owned-by': 'owned',
};

/** A one-line, printable form of user data (names can hold anything but < and >). */
function inline(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
}

function who(f: Finding): string {
  const s = f.subject;
  const ref = [s.id, s.address].filter(Boolean).join(', ');
  return `${s.type === 'api_key' ? 'key' : 'authorization'} "${inline(s.name)}"${ref ? ` (${ref})` : ''}${s.mode === 'live' ? ' LIVE' : ''}`;
}

function summaryLine(r: HygieneReport): string {
  const counts = FINDING_KINDS.filter((k) => r.summary.findings[k]).map((k) => `${r.summary.findings[k]} ${LABEL[k]}`);
  return `${r.summary.keys} key(s), ${r.summary.authorizations} authorization(s); ${r.findings.length ? counts.join(', ') : 'no findings'} (unused after ${r.window.unused_after}, usage since ${r.window.since})`;
}

function text(r: HygieneReport): string {
  const out = [`keyform hygiene: ${summaryLine(r)}`];
  for (const n of r.notices) out.push(`note: ${n}`);
  if (r.findings.length) out.push('');
  for (const f of r.findings) out.push(`[${f.severity}] ${LABEL[f.kind]}: ${who(f)}: ${inline(f.message)}`);
  if (r.owners.length) {
    out.push('', 'Authorizations by owner:');
    for (const o of r.owners) out.push(`  ${o.owner_id}: ${o.authorizations.map((a) => `"${inline(a.name)}" (${a.id ?? '?'})`).join(', ')}${o.findings ? ` — ${o.findings} finding(s)` : ''}`);
  }
  for (const s of r.suggestions) out.push('', `Suggested change for ${s.address}:`, s.diff.trimEnd());
  return `${out.join('\n')}\n`;
}

const md = (t: string) => inline(t).replace(/\|/g, '\\|').replace(/`/g, "'");

function markdown(r: HygieneReport): string {
  const out = ['### keyform hygiene', '', `**${md(summaryLine(r))}**`, ''];
  for (const n of r.notices) out.push(`> ${md(n)}`, '');
  if (r.findings.length) {
    out.push('| Severity | Finding | Subject | What to do |', '| --- | --- | --- | --- |');
    for (const f of r.findings) out.push(`| ${f.severity === 'high' ? '**high**' : f.severity} | ${LABEL[f.kind]} | ${md(who(f))} | ${md(f.message)} |`);
    out.push('');
  }
  if (r.owners.length) {
    out.push('#### Authorizations by owner', '');
    for (const o of r.owners) out.push(`- \`${md(o.owner_id)}\`: ${o.authorizations.map((a) => `${md(a.name)} (${a.id ?? '?'})`).join(', ')}${o.findings ? ` — ${o.findings} finding(s)` : ''}`);
    out.push('');
  }
  for (const s of r.suggestions) out.push(`#### Suggested change for \`${s.address}\``, '', '```diff', s.diff.trimEnd(), '```', '');
  return `${out.join('\n')}\n`;
}

type StackRow = NonNullable<HygieneReport['stacks']>[number];

const inStack = (f: Finding, row: StackRow) => (f.subject.stack ?? null) === (row.source === null ? null : row.name);

function stackCounts(row: StackRow): string {
  const n = Object.values(row.findings).reduce((a, b) => a + b, 0);
  const counts = FINDING_KINDS.filter((k) => row.findings[k]).map((k) => `${row.findings[k]} ${LABEL[k]}`);
  return `${row.keys} key(s), ${row.authorizations} authorization(s); ${n ? counts.join(', ') : 'no findings'}`;
}

function stackTitle(row: StackRow): string {
  return row.source === null ? `${row.name} (the API has them, no given stack declares them)` : `stack ${inline(row.name)}`;
}

/** Text over several stacks: the summary over all, one line per stack, then a section per stack. */
function textStacks(r: HygieneReport, stacks: readonly StackRow[]): string {
  const out = [`keyform hygiene: ${stacks.filter((s) => s.source !== null).length} stacks, ${summaryLine(r)}`];
  for (const n of r.notices) out.push(`note: ${n}`);
  out.push('');
  for (const s of stacks) out.push(`  ${s.source === null ? s.name : inline(s.name)}: ${stackCounts(s)}`);
  for (const s of stacks) {
    out.push('', `== ${stackTitle(s)}: ${stackCounts(s)}`);
    for (const f of r.findings.filter((x) => inStack(x, s))) out.push(`[${f.severity}] ${LABEL[f.kind]}: ${who(f)}: ${inline(f.message)}`);
  }
  if (r.owners.length) {
    out.push('', 'Authorizations by owner:');
    for (const o of r.owners) out.push(`  ${o.owner_id}: ${o.authorizations.map((a) => `"${inline(a.name)}" (${a.id ?? '?'})`).join(', ')}${o.findings ? ` — ${o.findings} finding(s)` : ''}`);
  }
  for (const s of r.suggestions) out.push('', `Suggested change for ${s.address}${s.stack ? ` in stack ${inline(s.stack)}` : ''}:`, s.diff.trimEnd());
  return `${out.join('\n')}\n`;
}

/** Markdown over several stacks: the summary over all, a table of stacks, then a section per stack. */
function markdownStacks(r: HygieneReport, stacks: readonly StackRow[]): string {
  const out = ['### keyform hygiene', '', `**${stacks.filter((s) => s.source !== null).length} stacks, ${md(summaryLine(r))}**`, ''];
  for (const n of r.notices) out.push(`> ${md(n)}`, '');
  out.push('| Stack | Highest severity | Keys | Authorizations | Findings |', '| --- | --- | --- | --- | --- |');
  for (const s of stacks) {
    const n = Object.values(s.findings).reduce((a, b) => a + b, 0);
    out.push(`| ${s.source === null ? 'Not in any stack' : `\`${md(s.name)}\``} | ${s.highest_severity === 'high' ? '**high**' : (s.highest_severity ?? '-')} | ${s.keys} | ${s.authorizations} | ${n} |`);
  }
  out.push('');
  for (const s of stacks) {
    const mine = r.findings.filter((x) => inStack(x, s));
    out.push(`#### ${s.source === null ? 'Not in any stack' : `Stack \`${md(s.name)}\``}`, '', md(stackCounts(s)), '');
    if (!mine.length) continue;
    out.push('| Severity | Finding | Subject | What to do |', '| --- | --- | --- | --- |');
    for (const f of mine) out.push(`| ${f.severity === 'high' ? '**high**' : f.severity} | ${LABEL[f.kind]} | ${md(who(f))} | ${md(f.message)} |`);
    out.push('');
  }
  if (r.owners.length) {
    out.push('#### Authorizations by owner', '');
    for (const o of r.owners) out.push(`- \`${md(o.owner_id)}\`: ${o.authorizations.map((a) => `${md(a.name)} (${a.id ?? '?'})`).join(', ')}${o.findings ? ` — ${o.findings} finding(s)` : ''}`);
    out.push('');
  }
  for (const s of r.suggestions) out.push(`#### Suggested change for \`${s.address}\`${s.stack ? ` in stack \`${md(s.stack)}\`` : ''}`, '', '```diff', s.diff.trimEnd(), '```', '');
  return `${out.join('\n')}\n`;
}

/** Renders a report (one section per stack when it covers several); `scrubber` removes anything secret-shaped. */
export function renderHygiene(r: HygieneReport, format: HygieneFormat, scrubber = new Scrubber()): string {
  if (format === 'json') return `${JSON.stringify(scrubber.scrubDeep(r), null, 2)}\n`;
  if (r.stacks) return scrubber.scrub(format === 'markdown' ? markdownStacks(r, r.stacks) : textStacks(r, r.stacks));
  return scrubber.scrub(format === 'markdown' ? markdown(r) : text(r));
}
