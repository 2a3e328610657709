import { parseDuration } from '../../src/handler/duration';
import { tryParseDuration } from '../../src/rotation/duration';

describe('the handler reads rotation durations with the rotation report grammar', () => {
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
    expect(parseDuration(text)).toBe(tryParseDuration(text));
  });
});
