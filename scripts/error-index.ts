/**
 * The error-code index: collects every message catalog (the `messages.ts` of each layer, the
 * credential policy's rules and keyform_access_token's messages) into one list of entries (code, layer, catalog entry, text, fix) and
 * renders it as docs/errors.md. Each message is rendered by calling its catalog function with
 * placeholders named after its parameters (`<path>`, `<scope>`), so the index shows the real text.
 *
 *   npx tsx scripts/error-index.ts           rewrites docs/errors.md
 *   npx tsx scripts/error-index.ts --check   exits 1 when docs/errors.md is stale
 *
 * Both `--check` and test/docs/error-index.test.ts fail on any of {@link indexProblems}: a code used by
 * two messages, a message without a code, with a code outside the one format (`KF-<LAYER>-<NNN>`) or
 * without a fix, or a docs/errors.md that is not what this script writes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MESSAGES as CLIENT_MESSAGES } from '../src/client/messages';
import { RULE_MESSAGES } from '../src/model/rules/messages';
import { VALIDATION } from '../src/constructs/messages';
import { RULES } from '../src/constructs/policy-rules';
import { MESSAGES as HANDLER_MESSAGES } from '../src/handler/messages';
import { INSTALL_MESSAGES } from '../src/provider/install/messages';
import { ACCESS_TOKEN_MESSAGES } from '../src/provider/keyform/access-token-ephemeral';
import { MESSAGES as PLUGIN_MESSAGES } from '../src/provider/plugin/messages';
import { adoptMessages } from '../src/adopt/messages';
import { hygieneMessages } from '../src/hygiene/messages';
import { reviewMessages } from '../src/review/messages';
import { rotationMessages } from '../src/rotation/messages';
import { MESSAGES as SERVER_MESSAGES } from '../src/server/messages';
import { CODE_FORMAT } from '../src/message-catalog';

/** One message of the index. */
export interface ErrorEntry {
  /** The stable code users see. */
  readonly code: string;
  /** The layer (folder) whose catalog holds it. */
  readonly layer: string;
  /** Where it is defined: `<file> <catalog>.<entry>`. */
  readonly source: string;
  /** What it says, with placeholders for what varies. */
  readonly text: string;
  /** How to fix it ('' when the message says none). */
  readonly fix: string;
}

/** Parameter names whose values are numbers in every catalog (so `index + 1` stays a number). */
const NUMERIC = new Set(['index', 'seconds', 'max', 'limit', 'due', 'overdue', 'version', 'current', 'n', 'total']);

/**
 * A stand-in for one argument, shown as `<name>`: it reads as a string (template, `.trim()`,
 * `.toUpperCase()`) and as a list of one (`.join()`, `.slice()`, `.length`), so a catalog function
 * renders whatever its parameter's type.
 */
function placeholder(name: string): unknown {
  const text = `<${name}>`;
  return new Proxy([text], {
    get(target, prop, receiver) {
      if (prop === Symbol.toPrimitive || prop === 'toString' || prop === 'valueOf' || prop === 'toJSON') return () => text;
      if (prop in target) return Reflect.get(target, prop, receiver);
      const method = (String.prototype as unknown as Record<PropertyKey, unknown>)[prop];
      return typeof method === 'function' ? method.bind(text) : undefined;
    },
  });
}

/** The parameter names of a catalog function, from its source. */
function parameterNames(fn: (...args: never[]) => unknown): string[] {
  const src = fn.toString();
  const open = src.indexOf('(');
  const arrow = src.indexOf('=>');
  const list = open >= 0 && (arrow < 0 || open < arrow) ? src.slice(open + 1, src.indexOf(')', open)) : src.slice(0, arrow);
  return list
    .split(',')
    .map((p) => p.replace(/[:=].*$/s, '').trim())
    .filter((p) => p !== '');
}

/** Calls a catalog function with placeholders named after its parameters. */
function render<T>(entry: unknown): T {
  if (typeof entry !== 'function') return entry as T;
  const args = parameterNames(entry as (...a: never[]) => unknown).map((name) => (NUMERIC.has(name) ? 1 : placeholder(name)));
  return (entry as (...a: unknown[]) => T)(...args);
}

/** Verbs a fix starts with after a colon (`Invalid --now "x": use an RFC 3339 time ...`). */
const FIX_AFTER_COLON = /: (?=(?:use|add|set|create|send|list|grant|remove|retry|choose|pass|shorten|write|read|obtain|check|call)\b)/;

/**
 * Splits a one-string message into what happened and the fix: the sentences after the first, or
 * the instruction after a colon.
 */
function sentences(text: string): { text: string; fix: string } {
  const at = text.search(/[.!?]\s+(?=[A-Z`(])/);
  if (at >= 0) return { text: text.slice(0, at + 1), fix: text.slice(at + 1).trim() };
  const colon = FIX_AFTER_COLON.exec(text);
  return colon ? { text: text.slice(0, colon.index), fix: text.slice(colon.index + 2) } : { text, fix: '' };
}

/** Every entry of every catalog, in catalog order. */
export function collectErrors(): ErrorEntry[] {
  const out: ErrorEntry[] = [];
  const add = (layer: string, source: string, code: string, text: string, fix: string) =>
    out.push({ code, layer, source, text: text.trim(), fix: fix.trim() });

  for (const [name, fn] of Object.entries(RULE_MESSAGES)) {
    const f = render<{ code: string; summary: string; problem: string; fix: string; api: string }>(fn);
    add('model', `src/model/rules/messages.ts RULE_MESSAGES.${name}`, f.code, `${f.problem} (API: ${f.api})`, f.fix);
  }
  for (const [name, fn] of Object.entries(VALIDATION)) {
    const full = render<string>(fn);
    const m = /^(KF-CONSTRUCT-\d{3})(?::| at <path>:) ([\s\S]*?)(?:\. Fix: ([\s\S]*?)\.?)?$/.exec(full);
    add('constructs', `src/constructs/messages.ts VALIDATION.${name}`, m?.[1] ?? '', m?.[2] ?? full, m?.[3] ?? '');
  }
  for (const rule of RULES) {
    add('constructs', `src/constructs/policy-rules.ts RULES ${rule.id}`, rule.id, `${rule.title} (${rule.level}): ${rule.explanation}`, rule.fix);
  }
  for (const [name, fn] of Object.entries(HANDLER_MESSAGES)) {
    const m = render<{ code: string; summary: string; detail: string }>(fn);
    add('handler', `src/handler/messages.ts MESSAGES.${name}`, m.code, m.summary, m.detail);
  }
  for (const [name, fn] of Object.entries(PLUGIN_MESSAGES)) {
    const m = render<{ code: string; summary: string; detail: string }>(fn);
    add('provider', `src/provider/plugin/messages.ts MESSAGES.${name}`, m.code, m.summary, m.detail);
  }
  for (const [name, fn] of Object.entries(ACCESS_TOKEN_MESSAGES)) {
    const m = render<{ code: string; summary: string; detail: string }>(fn);
    add('provider', `src/provider/keyform/access-token-ephemeral.ts ACCESS_TOKEN_MESSAGES.${name}`, m.code, m.summary, m.detail);
  }
  for (const [name, fn] of Object.entries(INSTALL_MESSAGES)) {
    const full = render<string>(fn);
    const m = /^(KF-INSTALL-\d{3}): ([\s\S]*)$/.exec(full);
    if (!m) continue; // progress lines (installed, unchanged, ...) report success, not a problem
    const s = sentences(m[2]);
    add('provider', `src/provider/install/messages.ts INSTALL_MESSAGES.${name}`, m[1], s.text, s.fix);
  }
  for (const [code, m] of Object.entries(CLIENT_MESSAGES)) {
    add('client', `src/client/messages.ts MESSAGES['${code}']`, code, m.summary, m.hint);
  }
  for (const [code, fn] of Object.entries(SERVER_MESSAGES)) {
    const s = sentences(render<string>(fn));
    add('server', `src/server/messages.ts MESSAGES.${code}`, code, s.text, s.fix);
  }
  const thrown: Array<[string, string, Record<string, unknown>]> = [
    ['review', 'src/review/messages.ts reviewMessages', reviewMessages],
    ['rotation', 'src/rotation/messages.ts rotationMessages', rotationMessages],
    ['adopt', 'src/adopt/messages.ts adoptMessages', adoptMessages],
    ['hygiene', 'src/hygiene/messages.ts hygieneMessages', hygieneMessages],
  ];
  for (const [layer, source, catalog] of thrown) {
    for (const [name, fn] of Object.entries(catalog)) {
      const value = render<unknown>(fn);
      if (!(value instanceof Error)) continue; // notices (failOnHit, dueNotice, usageUnavailable) carry no code: they report, not fail
      const s = sentences(value.message);
      add(layer, `${source}.${name}`, (value as Error & { code: string }).code, s.text, s.fix);
    }
  }
  return out;
}

/**
 * Messages whose text names no fix today, each with the reason it is tolerated. The list is exact:
 * a new message without a fix is a problem, and so is an entry here once its message gains one.
 */
export const WITHOUT_FIX: Record<string, string> = {
  'KF-INSTALL-002': 'unsupported platform: there is nothing the user can change on that machine',
  MISSING_SCOPE: 'server (API) message: the scope it names is the fix',
  OTHER_MERCHANT: 'server (API) message: a refusal by design',
  SCOPE_EXCEEDS_CALLER: 'server (API) message: states the rule, the client layer adds the hint',
  INVALID_BASIC: 'server (API) message: states the expected encoding',
  NO_SUCH_ROUTE: 'server (API) message',
  BODY_TOO_LARGE: 'server (API) message: names the limit',
  BAD_REQUEST: 'server (API) message: wraps the validation detail',
  INVALID_CURSOR: 'server (API) message',
  NO_SUCH_KEY: 'server (API) message: the client layer adds the hint (KF-CLIENT-003)',
  NO_SUCH_AUTHORIZATION: 'server (API) message: the client layer adds the hint (KF-CLIENT-003)',
  NO_SUCH_USER: 'server (API) message: the client layer adds the hint (KF-CLIENT-003)',
  EXPIRES_IN_PAST: 'server (API) message: names the rule',
  IDEMPOTENCY_MISMATCH: 'server (API) message: the client layer adds the hint (KF-CLIENT-005)',
  EXCEEDS_OWNER_CAPABILITY: 'server (API) message: a refusal by design',
  EXCEEDS_OWNER_NO_PROJECT: 'server (API) message: a refusal by design',
  EXCEEDS_OWNER_ROLE: 'server (API) message: a refusal by design',
  'KF-ROTATION-007': 'passes the duration parser\'s own message through, which carries its fix',
  'KF-ROTATION-009': 'one sentence that is itself the instruction',
  'KF-HYGIENE-003': 'passes the duration parser\'s own message through, which carries its fix',
  'KF-HYGIENE-004': 'one sentence that is itself the instruction',
};

/**
 * Catalogs whose codes are not yet in the one format, each with the reason. Exact, like
 * {@link WITHOUT_FIX}: a catalog listed here whose codes all conform is a problem too.
 */
export const NOT_YET_IN_FORMAT: Record<string, string> = {
  'src/constructs/policy-rules.ts': 'KF<NNN>: policy rule ids, not error codes; users write them in acknowledgements (like cdk-nag rule ids), so they stay stable',
  'src/server/messages.ts': 'API message keys, never shown to users (they see the client code, e.g. KF-CLIENT-003); numbered after the store rewrite lands',
};

/** The catalog file an entry is defined in. */
const catalogOf = (e: ErrorEntry): string => e.source.split(' ')[0];

/**
 * Everything wrong with an index: reused, missing or malformed codes, messages without a fix, stale
 * exception lists, and (given the committed text) a stale docs/errors.md. Empty when all is well.
 */
export function indexProblems(entries: readonly ErrorEntry[], committed?: string, withoutFix = WITHOUT_FIX, notYetInFormat = NOT_YET_IN_FORMAT): string[] {
  const problems: string[] = [];
  const byCode = new Map<string, ErrorEntry[]>();
  for (const e of entries) byCode.set(e.code, [...(byCode.get(e.code) ?? []), e]);
  for (const [code, es] of byCode) {
    if (code === '') problems.push(`no code: ${es.map((e) => e.source).join(', ')}`);
    else if (es.length > 1) problems.push(`${code} is used by ${es.length} messages: ${es.map((e) => e.source).join(', ')}`);
  }
  for (const e of entries) {
    if (e.code !== '' && !CODE_FORMAT.test(e.code) && !(catalogOf(e) in notYetInFormat)) problems.push(`${e.code} is not in the format KF-<LAYER>-<NNN>: ${e.source}`);
    if (e.fix === '' && !(e.code in withoutFix)) problems.push(`${e.code} says no fix: ${e.source}`);
    if (e.fix !== '' && e.code in withoutFix) problems.push(`${e.code} now has a fix: remove it from WITHOUT_FIX`);
  }
  for (const code of Object.keys(withoutFix)) if (!byCode.has(code)) problems.push(`${code} is listed in WITHOUT_FIX but no message has it`);
  for (const catalog of Object.keys(notYetInFormat)) {
    const own = entries.filter((e) => catalogOf(e) === catalog);
    if (own.every((e) => CODE_FORMAT.test(e.code))) problems.push(`${catalog} is in the format now: remove it from NOT_YET_IN_FORMAT`);
  }
  if (committed !== undefined && committed !== renderErrorIndex(entries)) problems.push('docs/errors.md is stale: run `npx tsx scripts/error-index.ts` and commit the result');
  return problems;
}

/** Escapes text for a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n+/g, ' ').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The docs/errors.md text of a list of entries. */
export function renderErrorIndex(entries: readonly ErrorEntry[]): string {
  const layers = [...new Set(entries.map((e) => e.layer))];
  const lines = [
    '# Error codes',
    '',
    'Every message keyform shows a user, by layer: its code, what it says (`<name>` stands for what',
    'varies) and how to fix it. Generated from the message catalogs (`src/*/messages.ts`, the',
    "rulebook's `src/model/rules/messages.ts`, and `src/constructs/policy-rules.ts` for the credential",
    'policy) by `npx tsx scripts/error-index.ts`; do not edit by hand. Codes are `KF-<LAYER>-<NNN>`.',
    'A test fails when this file is stale, when a code names two different messages, or when a message',
    'has no code, a code of another format or no fix.',
    '',
  ];
  for (const layer of layers) {
    lines.push(`## ${layer}`, '', '| code | message | fix | defined in |', '| --- | --- | --- | --- |');
    for (const e of entries.filter((x) => x.layer === layer)) {
      lines.push(`| \`${e.code}\` | ${cell(e.text)} | ${cell(e.fix) || '—'} | \`${e.source}\` |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** Where the index is written. */
export const ERROR_INDEX_PATH = join(__dirname, '..', 'docs', 'errors.md');

if (require.main === module) {
  const entries = collectErrors();
  if (process.argv.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(ERROR_INDEX_PATH, 'utf8');
    } catch {
      // a missing file is stale
    }
    const problems = indexProblems(entries, committed);
    if (problems.length) {
      process.stderr.write(`${problems.join('\n')}\n`);
      process.exit(1);
    }
  } else {
    writeFileSync(ERROR_INDEX_PATH, renderErrorIndex(entries));
  }
}
