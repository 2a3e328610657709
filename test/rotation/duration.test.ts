import { DurationError, formatDuration, parseDuration, requireDuration } from '../../src/rotation/duration';

describe('parseDuration and requireDuration', () => {
  it.each([
    { reason: 'days', text: '90d', seconds: 90 * 86400 },
    { reason: 'hours', text: '720h', seconds: 720 * 3600 },
    { reason: 'minutes', text: '30m', seconds: 1800 },
    { reason: 'hours and minutes combine', text: '1h30m', seconds: 5400 },
    { reason: 'weeks', text: '2w', seconds: 14 * 86400 },
    { reason: 'every unit at once, largest first', text: '1w2d3h4m5s', seconds: 604800 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5 },
    { reason: 'surrounding spaces are ignored', text: ' 24h ', seconds: 86400 },
    { reason: 'zero is a valid grace period', text: '0s', seconds: 0 },
  ])('$reason: $text', ({ text, seconds }) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each([
    { reason: 'a number without a unit is ambiguous', text: '90', message: '"90" has no unit' },
    { reason: 'unknown unit', text: '3y', message: 'unknown unit "y"' },
    { reason: 'upper-case units are not units', text: '90D', message: 'unknown unit "D"' },
    { reason: 'units out of order', text: '30m1h', message: 'units must appear once each, largest first' },
    { reason: 'a repeated unit', text: '1h1h', message: 'units must appear once each, largest first' },
    { reason: 'a negative duration', text: '-5d', message: 'unexpected "-5d"' },
    { reason: 'words with a space', text: '90 days', message: 'no spaces inside' },
    { reason: 'empty', text: '', message: 'empty' },
  ])('refuses $reason ($text) and says how to write it', ({ text, message }) => {
    let err: unknown;
    try {
      requireDuration(text, 'rotation.every');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DurationError);
    expect((err as Error).message).toContain('Invalid rotation.every');
    expect((err as Error).message).toContain(message);
    expect((err as Error).message).toContain('such as 90d, 720h, 30m or 1h30m');
  });

  it('parseDuration returns undefined instead of throwing', () => {
    expect(parseDuration('1h')).toBe(3600);
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseDuration(undefined)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it.each([
    { reason: 'whole days', seconds: 90 * 86400, text: '90d' },
    { reason: 'mixed units', seconds: 5400, text: '1h30m' },
    { reason: 'weeks are written as days', seconds: 14 * 86400, text: '14d' },
    { reason: 'zero', seconds: 0, text: '0s' },
  ])('$reason', ({ seconds, text }) => {
    expect(formatDuration(seconds)).toBe(text);
    expect(parseDuration(text)).toBe(seconds);
  });
});
