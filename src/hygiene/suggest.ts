/**
 * The change that applies a narrower scope set, as a unified diff of the configuration in a
 * directory: the `scopes` of a `resource "keyform_api_key"` block in its *.tf files, or the `scopes`
 * of the `ApiKey` construct in a cdktf main.ts. Only the scopes line(s) change; nothing is written.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Suggestion } from './report';

/** One replaced range of a file. */
interface Edit {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
  readonly lines: readonly string[];
}

/** A unified diff of one edit with three lines of context. */
export function unifiedDiff(file: string, lines: readonly string[], edit: Edit): string {
  const from = Math.max(0, edit.start - 3);
  const to = Math.min(lines.length, edit.end + 3);
  const before = lines.slice(from, edit.start).map((l) => ` ${l}`);
  const removed = lines.slice(edit.start, edit.end).map((l) => `-${l}`);
  const added = edit.lines.map((l) => `+${l}`);
  const after = lines.slice(edit.end, to).map((l) => ` ${l}`);
  const oldCount = to - from;
  const newCount = oldCount - (edit.end - edit.start) + edit.lines.length;
  return [`--- a/${file}`, `+++ b/${file}`, `@@ -${from + 1},${oldCount} +${from + 1},${newCount} @@`, ...before, ...removed, ...added, ...after].join('\n') + '\n';
}

/** Index of the line closing the bracket opened at or after `start` (counting `open`/`close` characters, ignoring strings). */
function closing(lines: readonly string[], start: number, open: string, close: string): number {
  let depth = 0;
  for (let i = start; i < lines.length; i++) {
    const text = lines[i].replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
    for (const ch of text) {
      if (ch === open) depth++;
      if (ch === close) depth--;
    }
    if (depth <= 0 && i >= start && text.includes(close)) return i;
  }
  return -1;
}

const escapeRe = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The edit of a `resource "keyform_api_key" "<name>"` block's scopes in HCL lines, or undefined. */
export function hclScopesEdit(lines: readonly string[], name: string, scopes: readonly string[]): Edit | undefined {
  const head = new RegExp(`^\\s*resource\\s+"keyform_api_key"\\s+"${escapeRe(name)}"\\s*\\{`);
  const start = lines.findIndex((l) => head.test(l));
  if (start < 0) return undefined;
  const end = closing(lines, start, '{', '}');
  if (end < 0) return undefined;
  const value = `[${scopes.map((x) => JSON.stringify(x)).join(', ')}]`;
  for (let i = start + 1; i < end; i++) {
    const m = /^(\s*)scopes(\s*)=/.exec(lines[i]);
    if (!m) continue;
    const last = lines[i].includes('[') ? closing(lines, i, '[', ']') : i;
    return { start: i, end: last + 1, lines: [`${m[1]}scopes${m[2]}= ${value}`] };
  }
  // Full access: no scopes attribute yet; add one after `type` (or the block's first line).
  const typeLine = lines.findIndex((l, i) => i > start && i < end && /^\s*type\s*=/.test(l));
  const at = typeLine >= 0 ? typeLine + 1 : start + 1;
  const indent = /^(\s*)/.exec(lines[typeLine >= 0 ? typeLine : start + 1] ?? '  ')![1] || '  ';
  return { start: at, end: at, lines: [`${indent}scopes = ${value}`] };
}

function scopeExpr(scope: string): string {
  const m = /^([a-z_]+):(read|write)$/.exec(scope);
  return m ? `Scope.${m[2]}('${m[1]}')` : `Scope.parse(${JSON.stringify(scope)})`;
}

/** The edit of the scopes of `new ApiKey(scope, '<id>', {…})` (or `ApiKey.readOnly`) in TypeScript lines, or undefined. */
export function tsScopesEdit(lines: readonly string[], id: string, scopes: readonly string[]): Edit | undefined {
  const head = new RegExp(`ApiKey(?:\\.readOnly)?\\(\\s*[\\w.]+\\s*,\\s*(['"])${escapeRe(id)}\\1`);
  const start = lines.findIndex((l) => head.test(l));
  if (start < 0) return undefined;
  const end = closing(lines, start, '(', ')');
  if (end < 0) return undefined;
  const value = `[${scopes.map(scopeExpr).join(', ')}]`;
  for (let i = start; i <= end; i++) {
    const m = /^(\s*)scopes:/.exec(lines[i]);
    if (!m) continue;
    const last = closing(lines, i, '[', ']');
    if (last < 0) return undefined;
    return { start: i, end: last + 1, lines: [`${m[1]}scopes: ${value},`] };
  }
  const nameLine = lines.findIndex((l, i) => i > start && i <= end && /^\s*name:/.test(l));
  if (nameLine < 0) return undefined;
  const indent = /^(\s*)/.exec(lines[nameLine])![1];
  return { start: nameLine + 1, end: nameLine + 1, lines: [`${indent}scopes: ${value},`] };
}

/**
 * Suggestions for keys of `dir` by state address (`keyform_api_key.<name>` in the root module): a
 * diff of the *.tf file that declares it, or of main.ts when the directory is a cdktf project.
 */
export function suggestScopeChanges(dir: string, changes: ReadonlyArray<{ address: string; scopes: readonly string[] }>): Suggestion[] {
  const out: Suggestion[] = [];
  const isCdktf = existsSync(join(dir, 'main.ts'));
  const files = isCdktf ? ['main.ts'] : readdirSync(dir).filter((f) => f.endsWith('.tf')).sort();
  const texts = new Map(files.map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
  for (const c of changes) {
    const m = /^keyform_api_key\.([A-Za-z0-9_-]+)$/.exec(c.address);
    if (!m) continue;
    for (const file of files) {
      const lines = texts.get(file)!.split('\n');
      const edit = isCdktf ? tsScopesEdit(lines, m[1], c.scopes) : hclScopesEdit(lines, m[1], c.scopes);
      if (!edit) continue;
      out.push({ address: c.address, file, diff: unifiedDiff(file, lines, edit) });
      break;
    }
  }
  return out;
}
