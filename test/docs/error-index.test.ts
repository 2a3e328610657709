/**
 * The error-code index (docs/errors.md, written by scripts/error-index.ts from every message catalog):
 * one code names one message, every code has the one format `KF-<LAYER>-<NNN>`, every message says how
 * to fix it, every catalog is indexed, and the committed file is what the generator writes today. Each
 * check is also shown to fail on an index that breaks it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { collectErrors, ERROR_INDEX_PATH, indexProblems, renderErrorIndex, type ErrorEntry } from '../../scripts/error-index';

const entries = collectErrors();
const committed = readFileSync(ERROR_INDEX_PATH, 'utf8');
const handlerEntry = entries.find((e) => e.code === 'KF-HANDLER-019')!;

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

  test('the index has no problem: codes unique, present and in the format, each message with its fix, docs/errors.md current', () => {
    expect(indexProblems(entries, committed)).toEqual([]);
  });

  test('the index lists each code once with its fix', () => {
    const row = committed.split('\n').find((l) => l.startsWith('| `KF-RULE-002` |'));
    expect(row).toContain('shorten it to at most 200 characters');
    expect(committed.split('\n').filter((l) => l.startsWith('| `KF-RULE-011` |'))).toHaveLength(1);
    expect(committed.split('\n').filter((l) => l.startsWith('| `KF-HANDLER-019` |'))).toHaveLength(1);
  });

  describe('each check fails when broken', () => {
    const broken = (change: (list: ErrorEntry[]) => ErrorEntry[]) => indexProblems(change([...entries]));

    test.each([
      {
        reason: 'a code used by a second message',
        change: (l: ErrorEntry[]) => [...l, { ...handlerEntry, source: 'src/review/messages.ts reviewMessages.copy' }],
        problem: /^KF-HANDLER-019 is used by 2 messages/,
      },
      { reason: 'a message without a code', change: (l: ErrorEntry[]) => [...l, { ...handlerEntry, code: '', source: 'src/adopt/messages.ts x' }], problem: /^no code: src\/adopt/ },
      {
        reason: 'a code in another format',
        change: (l: ErrorEntry[]) => [...l, { ...handlerEntry, code: 'KF_REVIEW_NEW', source: 'src/review/messages.ts reviewMessages.x' }],
        problem: /^KF_REVIEW_NEW is not in the format/,
      },
      {
        reason: 'a message without a fix (undocumented)',
        change: (l: ErrorEntry[]) => l.map((e) => (e.code === 'KF-HANDLER-019' ? { ...e, fix: '' } : e)),
        problem: /^KF-HANDLER-019 says no fix/,
      },
      {
        reason: 'a tolerated message that gained a fix',
        change: (l: ErrorEntry[]) => l.map((e) => (e.code === 'KF-INSTALL-002' ? { ...e, fix: 'Use Linux.' } : e)),
        problem: /^KF-INSTALL-002 now has a fix/,
      },
      {
        reason: 'a tolerated message that is gone',
        change: (l: ErrorEntry[]) => l.filter((e) => e.code !== 'KF-INSTALL-002'),
        problem: /^KF-INSTALL-002 is listed in WITHOUT_FIX but no message has it/,
      },
      {
        reason: 'a catalog excused from the format whose codes all conform',
        change: (l: ErrorEntry[]) => l.map((e) => (e.source.startsWith('src/constructs/policy-rules.ts') ? { ...e, code: e.code.replace(/^KF(\d{3})$/, 'KF-POLICY-$1') } : e)),
        problem: /^src\/constructs\/policy-rules\.ts is in the format now/,
      },
    ])('$reason', ({ change, problem }) => {
      expect(broken(change)).toEqual([expect.stringMatching(problem)]);
    });

    test('a code the committed docs/errors.md does not list (a new message before regenerating)', () => {
      const added = [...entries, { ...handlerEntry, code: 'KF-HANDLER-999', source: 'src/handler/messages.ts MESSAGES.added' }];
      expect(indexProblems(added, committed)).toEqual([expect.stringMatching(/^docs\/errors\.md is stale/)]);
      expect(indexProblems(added, renderErrorIndex(added))).toEqual([]);
    });
  });
});
