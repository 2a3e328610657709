import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CredentialPolicy } from '../../src';
import { VALIDATION } from '../../src/constructs/messages';
import { RULE_MESSAGES } from '../../src/model/rules/messages';

const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'policy-rules.md'), 'utf8');

describe('docs/policy-rules.md', () => {
  test.each(CredentialPolicy.rules())('lists rule $id with its level and title', (rule) => {
    const row = doc.split('\n').find((line) => line.startsWith(`| \`${rule.id}\` |`));
    expect(row).toBeDefined();
    expect(row).toContain(`| ${rule.level} | ${rule.title} |`);
  });

  test('lists no rule that does not exist', () => {
    const documented = [...doc.matchAll(/^\| `(KF\d{3})` \|/gm)].map((m) => m[1]);
    expect(documented).toEqual(CredentialPolicy.rules().map((r) => r.id));
  });

  test('lists every validation code', () => {
    const codes = Object.values(VALIDATION).map((fn) => /KF-CONSTRUCT-\d{3}/.exec((fn as (...a: unknown[]) => string)('p', 'x', ['y'], 'z'))![0]);
    const documented = [...doc.matchAll(/^\| `(KF-CONSTRUCT-\d{3})` \|/gm)].map((m) => m[1]);
    expect(documented).toEqual([...new Set(codes)].sort());
  });

  test('lists every code of the rulebook the constructs share with the provider and the API', () => {
    const codes = Object.values(RULE_MESSAGES).map((fn) => (fn as (...a: unknown[]) => { code: string })('x', 'y', ['z'], undefined).code);
    const documented = [...doc.matchAll(/^\| `(KF-RULE-\d{3})` \|/gm)].map((m) => m[1]);
    expect(documented).toEqual([...new Set(codes)].sort());
  });
});
