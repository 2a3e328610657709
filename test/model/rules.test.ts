/**
 * The rulebook's rules as pure functions: each rule's passing and failing cases, with the code and
 * the API message every layer repeats (test/rulebook/cross-layer.test.ts checks that they do).
 */
import { ALL_SCOPES, CAPABILITIES, KEY_TYPES } from '../../src/model/catalog';
import {
  DEFAULT_GRACE_PERIOD,
  DEFAULT_GRACE_PERIOD_SECONDS,
  MAX_GRACE_PERIOD_SECONDS,
  RULE_MESSAGES,
  capabilitiesRule,
  choiceRule,
  descriptionRule,
  didYouMean,
  durationRule,
  findingText,
  formatDuration,
  isTimestamp,
  nameRule,
  parseDuration,
  rotationDue,
  rotationRule,
  scopesRule,
  timestampRule,
} from '../../src/model/rules';

const codes = (v: readonly { code: string }[]) => v.map((f) => f.code);

describe('nameRule', () => {
  it.each([
    { reason: 'a plain name passes', name: 'support-assistant', codes: [] },
    { reason: 'exactly 200 characters pass', name: 'a'.repeat(200), codes: [] },
    { reason: '200 emoji are 200 characters (code points, not UTF-16 units)', name: '🔑'.repeat(200), codes: [] },
    { reason: 'an empty name is blank', name: '', codes: ['KF-RULE-001'] },
    { reason: 'a name of spaces is blank', name: '   ', codes: ['KF-RULE-001'] },
    { reason: 'a name of tabs and newlines is blank', name: '\t\n', codes: ['KF-RULE-001'] },
    { reason: '201 characters are too long', name: 'a'.repeat(201), codes: ['KF-RULE-002'] },
    { reason: '< or > is refused (seed 004)', name: 'a<b>', codes: ['KF-RULE-003'] },
    { reason: 'an ESC control character is refused', name: 'a\u001b[2Jb', codes: ['KF-RULE-004'] },
    { reason: 'a lone surrogate is refused', name: 'a\ud800b', codes: ['KF-RULE-005'] },
    { reason: 'only the first problem is reported', name: `<${'a'.repeat(300)}`, codes: ['KF-RULE-002'] },
  ])('$reason', ({ name, codes: expected }) => {
    expect(codes(nameRule(name))).toEqual(expected);
  });

  it('names the length and the fix', () => {
    const [f] = nameRule('a'.repeat(201));
    expect(findingText(f)).toBe('Name is 201 characters long, more than 200. Shorten it to at most 200 characters.');
    expect(f.api).toBe('Invalid name value: at most 200 characters.');
  });
});

describe('descriptionRule', () => {
  it.each([
    { reason: 'empty is fine', text: '', codes: [] },
    { reason: 'line breaks and tabs are fine', text: 'line one\n\tline two', codes: [] },
    { reason: 'over 1000 characters', text: 'x'.repeat(1001), codes: ['KF-RULE-006'] },
    { reason: 'a bell character', text: 'ding\u0007', codes: ['KF-RULE-004'] },
  ])('$reason', ({ text, codes: expected }) => {
    expect(codes(descriptionRule(text))).toEqual(expected);
  });
});

describe('scopesRule', () => {
  it.each([
    { reason: 'known scopes pass', scopes: ['customers:read', 'refunds:write'], codes: [] },
    { reason: 'no scopes pass (full access is the policy\'s business)', scopes: [], codes: [] },
    { reason: 'an unknown value (a reference) is skipped', scopes: [undefined, 'customers:read'], codes: [] },
    { reason: 'an empty entry', scopes: [''], codes: ['KF-RULE-010'] },
    { reason: 'an unknown scope', scopes: ['customer:read'], codes: ['KF-RULE-011'] },
    { reason: 'a duplicate', scopes: ['charges:read', 'charges:read'], codes: ['KF-RULE-012'] },
  ])('$reason', ({ scopes, codes: expected }) => {
    expect(codes(scopesRule(scopes))).toEqual(expected);
  });

  it('suggests the closest scope in the fix, never in the API message', () => {
    const [f] = scopesRule(['custmers:read']);
    expect(f.fix).toContain('did you mean "customers:read"?');
    expect(f.api).toBe('Invalid scope value.');
  });
});

describe('capabilitiesRule', () => {
  it.each([
    { reason: 'apps:admin with apps:view passes', caps: ['apps:admin', 'apps:view'], codes: [] },
    { reason: 'apps:admin without apps:view misses its prerequisite', caps: ['apps:admin'], codes: ['KF-RULE-022'] },
    { reason: 'an unknown entry may be the prerequisite: not judged', caps: ['apps:admin', undefined], codes: [] },
    { reason: 'an unknown capability', caps: ['root'], codes: ['KF-RULE-020'] },
    { reason: 'a duplicate', caps: ['mcp', 'mcp'], codes: ['KF-RULE-021'] },
  ])('$reason', ({ caps, codes: expected }) => {
    expect(codes(capabilitiesRule(caps))).toEqual(expected);
  });

  it('gives the server its exact prerequisite message', () => {
    expect(capabilitiesRule(['apps:admin'])[0].api).toBe('Capability apps:admin requires apps:view: add apps:view to capabilities.');
    expect(capabilitiesRule(['root'])[0].api).toBe(`Invalid capability value. Use one of: ${CAPABILITIES.join(', ')}.`);
  });
});

describe('choiceRule', () => {
  it('passes a choice and refuses anything else with a suggestion', () => {
    expect(choiceRule('type', 'secret', KEY_TYPES)).toEqual([]);
    const [f] = choiceRule('type', 'secrte', KEY_TYPES);
    expect(f.code).toBe('KF-RULE-030');
    expect(f.fix).toContain('did you mean "secret"?');
    expect(f.api).toBe('Invalid type value. Use one of: secret, public, tokenization.');
  });
});

describe('didYouMean: one threshold for every catalog', () => {
  it.each([
    { reason: 'a one-letter typo', word: 'refund:write', match: 'refunds:write' },
    { reason: 'case is ignored', word: 'Customers:Read', match: 'customers:read' },
    { reason: 'a wrong access word keeps the resource', word: 'customers:view', match: 'customers:read' },
    { reason: 'a misspelt capability', word: 'secret:edit', match: 'secrets:edit', candidates: CAPABILITIES },
    { reason: 'nothing close: no suggestion', word: 'zzzzzzzzzzzzzzzzzz:qqqqqqqq', match: undefined },
    { reason: 'a short word far from every scope', word: 'xyz', match: undefined },
  ])('$reason', ({ word, match, candidates }) => {
    expect(didYouMean(word, candidates ?? ALL_SCOPES)).toBe(match);
  });
});

describe('timestampRule: RFC 3339 as the API reads it', () => {
  it.each([
    { reason: 'UTC', text: '2030-01-31T00:00:00Z', ok: true },
    { reason: 'an offset', text: '2030-01-31T00:00:00+01:00', ok: true },
    { reason: 'fractional seconds', text: '2030-01-31T00:00:00.123456Z', ok: true },
    { reason: 'a leap day', text: '2028-02-29T00:00:00Z', ok: true },
    { reason: '30 February is not a day (it passed synth and validate before the rulebook)', text: '2030-02-30T00:00:00Z', ok: false },
    { reason: '29 February of a common year', text: '2030-02-29T00:00:00Z', ok: false },
    { reason: 'hour 24', text: '2030-01-31T24:00:00Z', ok: false },
    { reason: 'a leap second', text: '2030-01-31T23:59:60Z', ok: false },
    { reason: 'no offset', text: '2030-01-31T00:00:00', ok: false },
    { reason: 'a lower-case z', text: '2030-01-31T00:00:00z', ok: false },
    { reason: 'an offset without a colon', text: '2030-01-31T00:00:00+0100', ok: false },
    { reason: 'an offset hour past 23', text: '2030-01-31T00:00:00+24:00', ok: false },
    { reason: 'a date only', text: '2030-01-31', ok: false },
    { reason: 'words', text: 'tomorrow', ok: false },
  ])('$reason: $text', ({ text, ok }) => {
    expect(isTimestamp(text)).toBe(ok);
    expect(codes(timestampRule('expires_at', text))).toEqual(ok ? [] : ['KF-RULE-040']);
  });
});

describe('parseDuration: one contract (whole seconds, or undefined; never throws)', () => {
  it.each([
    { reason: 'days', text: '90d', seconds: 90 * 86400 },
    { reason: 'units largest first combine', text: '1w2d3h4m5s', seconds: 604800 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5 },
    { reason: 'surrounding spaces are ignored', text: ' 24h ', seconds: 86400 },
    { reason: 'zero is a duration', text: '0s', seconds: 0 },
    { reason: 'no unit', text: '90', seconds: undefined },
    { reason: 'a unit twice', text: '1h1h', seconds: undefined },
    { reason: 'units out of order', text: '30m1h', seconds: undefined },
    { reason: 'upper case', text: '90D', seconds: undefined },
    { reason: 'negative', text: '-5d', seconds: undefined },
    { reason: 'empty', text: '', seconds: undefined },
    { reason: 'not a string', text: 42, seconds: undefined },
  ])('$reason', ({ text, seconds }) => {
    expect(parseDuration(text)).toBe(seconds);
    if (typeof text === 'string') expect(codes(durationRule('rotation.every', text))).toEqual(seconds === undefined ? ['KF-RULE-050'] : []);
  });

  it('formats seconds back the way users write them', () => {
    expect(formatDuration(5400)).toBe('1h30m');
    expect(formatDuration(0)).toBe('0s');
  });
});

describe('rotationRule', () => {
  it.each([
    { reason: 'a schedule with the default grace period', input: { every: '90d' }, codes: [] },
    { reason: 'a grace period of 30 days is the most', input: { every: '90d', gracePeriod: '30d' }, codes: [] },
    { reason: 'a grace period as long as the interval is allowed, as the API allows it', input: { every: '1d', gracePeriod: '2d' }, codes: [] },
    { reason: 'a zero grace period is allowed', input: { every: '1d', gracePeriod: '0s' }, codes: [] },
    { reason: 'an interval that is not a duration', input: { every: 'quarterly' }, codes: ['KF-RULE-050'] },
    { reason: 'a zero interval', input: { every: '0d' }, codes: ['KF-RULE-051'] },
    { reason: 'a grace period over 30 days', input: { every: '90d', gracePeriod: '31d' }, codes: ['KF-RULE-052'] },
  ])('$reason', ({ input, codes: expected }) => {
    expect(codes(rotationRule(input))).toEqual(expected);
  });

  it('uses the caller\'s field names', () => {
    const [f] = rotationRule({ gracePeriod: '31d' }, { every: 'rotation.every', gracePeriod: 'rotation.gracePeriod' });
    expect(f.summary).toBe('Invalid rotation.gracePeriod');
  });
});

describe('defaults and due dates', () => {
  it('has one default grace period, in both notations, within the maximum', () => {
    expect(parseDuration(DEFAULT_GRACE_PERIOD)).toBe(DEFAULT_GRACE_PERIOD_SECONDS);
    expect(DEFAULT_GRACE_PERIOD_SECONDS).toBeLessThanOrEqual(MAX_GRACE_PERIOD_SECONDS);
  });

  it('computes due and overdue from the last rotation', () => {
    expect(rotationDue('2030-01-01T00:00:00Z', 86400, 3600)).toEqual({ dueAt: '2030-01-02T00:00:00Z', overdueAt: '2030-01-02T01:00:00Z' });
    expect(rotationDue(null, 86400, 0)).toBeUndefined();
    expect(rotationDue('not a time', 86400, 0)).toBeUndefined();
  });
});

describe('the catalog', () => {
  it('gives every message a distinct code, a summary, a problem, a fix and an API message', () => {
    const seen = new Map<string, string>();
    for (const [name, fn] of Object.entries(RULE_MESSAGES)) {
      const f = (fn as (...a: unknown[]) => { code: string; summary: string; problem: string; fix: string; api: string })('x', 'y', ['z'], undefined);
      expect(f.code).toMatch(/^KF-RULE-\d{3}$/);
      expect(seen.get(f.code) ?? name).toBe(name);
      seen.set(f.code, name);
      for (const part of [f.summary, f.problem, f.fix, f.api]) expect(part.length).toBeGreaterThan(0);
      expect(f.api).toMatch(/[.!?]$/);
    }
  });
});
