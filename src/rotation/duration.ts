/**
 * Durations the reports' users type on the command line (`--every 30d`): the rulebook's grammar and
 * `parseDuration` (src/model/rules/duration.ts), plus {@link requireDuration}, which refuses a bad one
 * with a message naming the flag and how to write it.
 */
import { durationFlaw, parseDuration } from '../model/rules/duration';

export { formatDuration, parseDuration } from '../model/rules/duration';

/** A duration the user must give right, refused with a message that says how to write it instead. */
export class DurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DurationError';
  }
}

const HOW = 'write a whole number and a unit, such as 90d, 720h, 30m or 1h30m (units: w, d, h, m, s, largest first)';

/**
 * A duration in whole seconds, or a DurationError naming `field` (e.g. `--every`) and how to fix it.
 * @param text the duration, e.g. `1h30m`
 * @param field the setting's name, used in the error message
 */
export function requireDuration(text: string, field = 'duration'): number {
  const flaw = durationFlaw(text);
  if (flaw === 'empty') throw new DurationError(`Invalid ${field}: empty; ${HOW}.`);
  if (flaw !== undefined) throw new DurationError(`Invalid ${field} "${text}": ${flaw}; ${HOW}.`);
  return parseDuration(text) as number;
}
