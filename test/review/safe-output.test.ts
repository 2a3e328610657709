/**
 * Review output is safe to print and to render: names, descriptions, ids and addresses come from
 * whoever wrote the plan, so none of their terminal escapes, bidi overrides or Markdown may act in any
 * format, and an attacker's name cannot hide the real rows of the report.
 */
import { reviewPlan } from '../../src/review/classify';
import { renderJson } from '../../src/review/render-json';
import { renderMarkdown } from '../../src/review/render-markdown';
import { renderText } from '../../src/review/render-text';
import { renderSarif } from '../../src/review/render-sarif';
import { NO_SOURCES } from '../../src/review/stack-sources';
import { UNSAFE_CHARS, markdownCodeSpan, terminalSafe } from '../../src/review/safe-text';
import { Scrubber } from '../../src/review/secret-scrub';
import { authz, change, key, plan } from './plan-builder';

const ESC = '\u001b';
/** Erases the line, moves the cursor up and erases again: rewrites what was printed before. */
const ERASE_UP = `${ESC}[2K${ESC}[1A${ESC}[2K\r`;
const FAKE_ALL_CLEAR = 'keyform review: no keyform credential changes in this plan.';

/** Hostile names, each with why it is hostile. */
const HOSTILE = [
  { reason: 'ESC sequences that erase lines and print a fake all-clear', name: `${ERASE_UP}${ERASE_UP}${ERASE_UP}${FAKE_ALL_CLEAR}\n` },
  { reason: 'a line break that starts a fake report line', name: `x\n${FAKE_ALL_CLEAR}\n  LIVE  nothing to see` },
  { reason: 'a Markdown link, emphasis and an APPROVED badge', name: '[click](https://evil.example/x) **APPROVED** _ok_' },
  { reason: 'backticks that try to close the code span, then a link', name: '`` ` ``` [click](https://evil.example) **APPROVED** `' },
  { reason: 'a table pipe and raw HTML', name: 'a | **APPROVED** | <img src=x onerror=alert(1)> <a href="https://evil.example">ok</a>' },
  { reason: 'a bidi override that reverses the rest of the line', name: `safe\u202e etirw:sdnufer` },
  { reason: 'a C1 CSI control, BEL and DEL', name: `a\u009b2Kb\u0007c\u007fd` },
  { reason: 'an OSC 8 hyperlink', name: `${ESC}]8;;https://evil.example${ESC}\\click${ESC}]8;;${ESC}\\` },
  { reason: 'a leading and trailing backtick and spaces', name: '` x `' },
];

/** A plan where the hostile name is on a harmless test key and a real escalation sits beside it. */
function hostilePlan(name: string) {
  return plan([
    change('keyform_api_key.bait', ['create'], null, key({ name, mode: 'test', description: name }), { after_unknown: { id: true, value: true } }),
    change('keyform_api_key.pay', ['update'], key(), key({ scopes: ['charges:read', 'refunds:write'] })),
    change('keyform_oauth_authorization.cc', ['update'], authz(), authz({ name: `cc${name}`, capabilities: ['mcp', 'secrets:edit'] })),
    change(`keyform_api_key.many["${name.replace(/["\\]/g, '')}"]`, ['delete'], key({ name: 'legacy', mode: 'test' }), null),
  ]);
}

/** Characters that act instead of print, other than the report's own line breaks. */
function activeChars(text: string): string[] {
  return [...text.replace(/\n/g, '').matchAll(UNSAFE_CHARS)].map((m) => m[0]);
}

/** GitHub splits a table row at pipes not preceded by a backslash, before it parses the cells. */
function tableCells(row: string): string[] {
  return row
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.replace(/\\\|/g, '|').trim());
}

// CommonMark's reference implementation (a dependency of the jsii toolchain); GitHub's Markdown is
// CommonMark plus tables, whose cells are split first (tableCells) and then parsed like this.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const commonmark = require('commonmark') as { Parser: new () => { parse(s: string): unknown }; HtmlRenderer: new (o?: object) => { render(n: unknown): string } };
const md = new commonmark.HtmlRenderer({ safe: false });
function inlineHtml(cell: string): string {
  return md.render(new commonmark.Parser().parse(cell));
}

describe.each(HOSTILE)('a name holding $reason', ({ name }) => {
  const review = reviewPlan(hostilePlan(name));

  it('prints as text with no active character and every real row still there', () => {
    const out = renderText(review, new Scrubber());
    expect(activeChars(out)).toEqual([]);
    // Nothing the name says can stand on a line of its own.
    expect(out.split('\n').filter((l) => l.trim() === FAKE_ALL_CLEAR || l.startsWith('keyform review: no'))).toEqual([]);
    expect(out).toContain('payments-svc (LIVE) gains refunds:write');
    expect(out).toContain(`authorization cc${terminalSafe(name)} (LIVE) gains secrets:edit`);
    expect(out).toContain('ESCALATION (2)');
    expect(out).toContain(`${terminalSafe(name)} is a new secret key`);
  });

  it('renders as Markdown with the name inside its code span: no link, emphasis, HTML or extra cell', () => {
    const out = renderMarkdown(review, new Scrubber());
    expect(activeChars(out)).toEqual([]);
    const rows = out.split('\n').filter((l) => l.startsWith('| '));
    expect(rows.length).toBeGreaterThan(4);
    for (const row of rows) {
      const cells = tableCells(row);
      expect(cells).toHaveLength(3);
      for (const cell of cells) {
        const html = inlineHtml(cell);
        expect(html).not.toMatch(/<a |<img|<em>|<strong>(?!LIVE<)|<script|<html/);
      }
    }
    expect(out).toContain('| **LIVE** | `payments-svc` (LIVE) gains `refunds:write` |');
    // The name is shown, literally, inside one code span.
    const bait = rows.find((r) => r.includes('keyform_api_key.bait'))!;
    const html = inlineHtml(tableCells(bait)[1]);
    expect(html).toContain('<code>');
    expect(html.replace(/<\/?code>/g, '')).toContain(escapeHtml(terminalSafe(name)).trim());
  });

  it('stays SARIF whose strings hold no active character', () => {
    const doc = JSON.parse(renderSarif([{ name: `stack${name}`, planPath: 'tfplan', review, sources: NO_SOURCES, raw: {} }], new Scrubber()));
    const text = JSON.stringify(doc);
    expect(text).not.toMatch(/\\u00(1b|0d|0a|07)/i);
    expect(activeChars(doc.runs[0].results.map((r: { message: { text: string } }) => r.message.text).join(''))).toEqual([]);
    expect(activeChars(JSON.stringify(doc.runs[0].properties))).toEqual([]);
  });

  it('stays JSON whose strings hold no active character', () => {
    const out = renderJson(review, new Scrubber());
    const doc = JSON.parse(out);
    const strings: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string') strings.push(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') Object.entries(v).forEach(([k, x]) => (strings.push(k), walk(x)));
    };
    walk(doc);
    expect(strings.flatMap(activeChars)).toEqual([]);
    expect(strings.flatMap((s) => [...s.matchAll(/\n/g)])).toEqual([]);
    expect(doc.summary.classes.escalation).toBe(2);
  });
});

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

describe('markdownCodeSpan', () => {
  it.each([
    { reason: 'plain text needs one backtick', text: 'payments-svc', want: '`payments-svc`' },
    { reason: 'a backtick inside needs a longer fence and padding', text: 'a`b', want: '`` a`b ``' },
    { reason: 'a leading backtick is padded so it cannot join the fence', text: '`x', want: '`` `x ``' },
    { reason: 'a leading space is padded so CommonMark keeps it', text: ' x', want: '`  x `' },
    { reason: 'an empty name still renders a span', text: '', want: '` `' },
    { reason: 'a pipe is escaped for the table', text: 'a|b', want: '`a\\|b`' },
    { reason: 'a line break becomes a visible escape', text: 'a\r\nb', want: '`a\\x0d\\x0ab`' },
  ])('$reason', ({ text, want }) => {
    expect(markdownCodeSpan(text)).toBe(want);
  });

  it.each(HOSTILE)('renders $reason back as the literal (escaped) text', ({ name }) => {
    const html = inlineHtml(markdownCodeSpan(name).replace(/\\\|/g, '|'));
    expect(html).toBe(`<p><code>${escapeHtml(terminalSafe(name))}</code></p>\n`);
  });
});

describe('terminalSafe', () => {
  it.each([
    { reason: 'ESC becomes \\x1b', text: `${ESC}[2K`, want: '\\x1b[2K' },
    { reason: 'CR and LF become visible', text: 'a\r\nb', want: 'a\\x0d\\x0ab' },
    { reason: 'the C1 CSI becomes visible', text: '\u009b', want: '\\x9b' },
    { reason: 'a right-to-left override becomes visible', text: '\u202e', want: '\\u202e' },
    { reason: 'a bidi isolate becomes visible', text: '\u2066x\u2069', want: '\\u2066x\\u2069' },
    { reason: 'a zero-width space becomes visible', text: 'a\u200bb', want: 'a\\u200bb' },
    { reason: 'ordinary non-ASCII letters stay', text: 'zahlungs-dienst-ü-名前', want: 'zahlungs-dienst-ü-名前' },
  ])('$reason', ({ text, want }) => {
    expect(terminalSafe(text)).toBe(want);
  });
});
