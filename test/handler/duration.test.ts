import { parseDuration } from '../../src/handler/duration';
import { parseDuration as rulebookParseDuration } from '../../src/model/rules';
import { parseDuration as reportParseDuration, requireDuration } from '../../src/rotation/duration';

describe('one parseDuration: the handler, the reports and the rulebook read durations with the same function', () => {
  it('is the same function everywhere (one contract: whole seconds or undefined)', () => {
    expect(parseDuration).toBe(rulebookParseDuration);
    expect(reportParseDuration).toBe(rulebookParseDuration);
  });

  it.each([
    { text: '90d', seconds: 7776000, reason: 'a single unit' },
    { text: '1h30m', seconds: 5400, reason: 'units largest first' },
    { text: '2w', seconds: 1209600, reason: 'weeks' },
    { text: '1h2h', seconds: undefined, reason: 'a unit twice is refused, as rotation-report refuses it' },
    { text: '30m1h', seconds: undefined, reason: 'units out of order are refused' },
    { text: '90', seconds: undefined, reason: 'a number without a unit' },
    { text: '', seconds: undefined, reason: 'empty' },
  ])('$text: $reason', ({ text, seconds }) => {
    expect(parseDuration(text)).toBe(seconds);
    if (seconds === undefined) expect(() => requireDuration(text, '--every')).toThrow(/Invalid --every/);
    else expect(requireDuration(text, '--every')).toBe(seconds);
  });
});
