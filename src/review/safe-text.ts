/**
 * Makes user data (key and authorization names, descriptions, delivery targets, ids, addresses) safe
 * to print and to render. Names reach the reviewer from the plan, and the plan comes from whoever
 * wrote the pull request: an ESC sequence in a name could erase the report's real lines in a
 * terminal, a bidi override could reverse what a line appears to say, and Markdown in a name could
 * leave its code span and render a link or an "APPROVED" in the PR comment.
 *
 * Every control or invisible character is shown as a visible escape (`\x1b`, `\u202e`), so the
 * reviewer sees that the name holds one, and nothing in a name is ever interpreted.
 */

/**
 * Characters that act instead of print, or print nothing: C0 controls (ESC, BEL, CR, LF, ...), DEL,
 * C1 controls (CSI 0x9b acts like ESC [ in many terminals), the Arabic letter mark, zero-width and
 * directional marks, line and paragraph separators, bidi embeddings, overrides and isolates,
 * invisible operators and deprecated formatting characters, and the byte order mark.
 */
export const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g;

function visible(ch: string): string {
  const n = ch.charCodeAt(0);
  return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
}

/** The text with every unsafe character replaced by its visible escape (`\x1b`, `\u202e`). */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE_CHARS, visible);
}

/**
 * A whole report made safe as a last net: every unsafe character except the report's own line breaks
 * becomes visible. User data is already escaped part by part (its line breaks too).
 */
export function terminalSafeReport(report: string): string {
  return report
    .split('\n')
    .map((line) => terminalSafe(line))
    .join('\n');
}

/** A deep copy of a JSON-like value with every string (keys too) passed through {@link terminalSafe}. */
export function terminalSafeDeep<T>(value: T): T {
  if (typeof value === 'string') return terminalSafe(value) as unknown as T;
  if (Array.isArray(value)) return value.map((v) => terminalSafeDeep(v)) as unknown as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[terminalSafe(k)] = terminalSafeDeep(v);
    return out as T;
  }
  return value;
}

/**
 * A Markdown code span holding `text` literally, safe inside a GitHub table cell: user data first
 * made terminal-safe (so no line break can end the row), table pipes escaped (GitHub splits cells
 * before it parses code spans), and a fence longer than any backtick run inside, padded with spaces
 * when the text starts or ends with a backtick or a space, so the text can never close the span.
 * Inside a code span nothing is a link, emphasis or HTML.
 */
export function markdownCodeSpan(text: string): string {
  const flat = terminalSafe(text).replace(/\|/g, '\\|');
  if (flat === '') return '` `';
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = longest > 0 || /^[ `]|[ `]$/.test(flat) ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
