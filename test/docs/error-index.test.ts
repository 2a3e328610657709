/**
 * The error-code index (docs/errors.md, written by scripts/error-index.ts from every message catalog):
 * one code names one message, every message says how to fix it, every catalog is indexed, and the
 * committed file is what the generator writes today.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { collectErrors, ERROR_INDEX_PATH, renderErrorIndex, type ErrorEntry } from '../../scripts/error-index';

const entries = collectErrors();

/**
 * Messages whose text names no fix today, each with the reason it is tolerated. The list is exact:
 * a new message without a fix fails, and so does an entry here once its message gains one.
 */
const WITHOUT_FIX: Record<string, string> = {
  KFI002: 'unsupported platform: there is nothing the user can change on that machine',
  MISSING_SCOPE: 'server (API) message: the scope it names is the fix',
  OTHER_MERCHANT: 'server (API) message: a refusal by design',
  SCOPE_EXCEEDS_CALLER: 'server (API) message: states the rule, the client layer adds the hint',
  INVALID_BASIC: 'server (API) message: states the expected encoding',
  NO_SUCH_ROUTE: 'server (API) message',
  BODY_TOO_LARGE: 'server (API) message: names the limit',
  BAD_REQUEST: 'server (API) message: wraps the validation detail',
  INVALID_CURSOR: 'server (API) message',
  NO_SUCH_KEY: 'server (API) message: the client layer adds the hint (KF_API_NOT_FOUND)',
  NO_SUCH_AUTHORIZATION: 'server (API) message: the client layer adds the hint (KF_API_NOT_FOUND)',
  NO_SUCH_USER: 'server (API) message: the client layer adds the hint (KF_API_NOT_FOUND)',
  EXPIRES_IN_PAST: 'server (API) message: names the rule',
  IDEMPOTENCY_MISMATCH: 'server (API) message: the client layer adds the hint (KF_API_CONFLICT)',
  EXCEEDS_OWNER_CAPABILITY: 'server (API) message: a refusal by design',
  EXCEEDS_OWNER_NO_PROJECT: 'server (API) message: a refusal by design',
  EXCEEDS_OWNER_ROLE: 'server (API) message: a refusal by design',
  'KF-ROTATION-007': 'passes the duration parser\'s own message through, which carries its fix',
  'KF-ROTATION-009': 'one sentence that is itself the instruction',
  'KF-HYGIENE-003': 'passes the duration parser\'s own message through, which carries its fix',
  'KF-HYGIENE-004': 'one sentence that is itself the instruction',
};

describe('error-code index', () => {
  test('reads every catalog: the rulebook (model), constructs, policy, handler, provider, client, server, review, rotation, adopt, hygiene', () => {
    expect([...new Set(entries.map((e) => e.layer))]).toEqual(['model', 'constructs', 'handler', 'provider', 'client', 'server', 'review', 'rotation', 'adopt', 'hygiene']);
    expect(entries.length).toBeGreaterThan(150);
  });

  test('every messages.ts under src is indexed (the demo narration has no errors)', () => {
    const catalogs: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (name === 'messages.ts') catalogs.push(p.slice(p.indexOf('src/')));
      }
    };
    walk(join(__dirname, '..', '..', 'src'));
    const indexed = new Set(entries.map((e) => e.source.split(' ')[0]));
    expect(catalogs.filter((c) => !indexed.has(c)).sort()).toEqual(['src/demo/messages.ts']);
  });

  test('every message has a code', () => {
    expect(entries.filter((e) => e.code === '').map((e) => e.source)).toEqual([]);
  });

  test('no code names two different messages', () => {
    const byCode = new Map<string, ErrorEntry[]>();
    for (const e of entries) byCode.set(e.code, [...(byCode.get(e.code) ?? []), e]);
    const reused = [...byCode].filter(([, es]) => es.length > 1).map(([code, es]) => `${code}: ${es.map((e) => e.source).join(', ')}`);
    expect(reused).toEqual([]);
  });

  test('every message says how to fix it, except the listed ones (and the list is exact)', () => {
    const withoutFix = entries.filter((e) => e.fix === '').map((e) => e.code);
    expect(withoutFix.sort()).toEqual(Object.keys(WITHOUT_FIX).sort());
  });

  test('a reused code would be caught: the check sees a second message under one code', () => {
    const doubled = [...entries, { ...entries[0], source: 'elsewhere' }];
    const codes = doubled.map((e) => e.code);
    expect(codes.length - new Set(codes).size).toBe(1);
  });

  test('docs/errors.md is what the generator writes (run `npx tsx scripts/error-index.ts` after changing a catalog)', () => {
    expect(readFileSync(ERROR_INDEX_PATH, 'utf8')).toBe(renderErrorIndex(entries));
  });

  test('the index lists each code once with its fix', () => {
    const doc = readFileSync(ERROR_INDEX_PATH, 'utf8');
    const row = doc.split('\n').find((l) => l.startsWith('| `KF-RULE-002` |'));
    expect(row).toContain('shorten it to at most 200 characters');
    expect(doc.split('\n').filter((l) => l.startsWith('| `KF-RULE-011` |'))).toHaveLength(1);
  });
});
