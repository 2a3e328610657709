/** `Duration`: rotation intervals and grace periods, in the rulebook's duration grammar. */
import { durationRule, parseDuration } from '../model/rules/duration';

/**
 * A length of time for rotation intervals, grace periods and timeouts, rendered the way the provider
 * reads it: `2w`, `90d`, `24h`, `30m`, `45s`. It follows the rulebook's duration rule (a whole number
 * of a unit, zero included); a rotation interval must also be longer than zero (checked at synth).
 */
export class Duration {
  /** A number of weeks (`2w`). */
  public static weeks(amount: number): Duration {
    return new Duration(amount, 'w');
  }

  /** A number of days (`90d`). */
  public static days(amount: number): Duration {
    return new Duration(amount, 'd');
  }

  /** A number of hours (`24h`). */
  public static hours(amount: number): Duration {
    return new Duration(amount, 'h');
  }

  /** A number of minutes (`30m`). */
  public static minutes(amount: number): Duration {
    return new Duration(amount, 'm');
  }

  /** A number of seconds (`45s`). */
  public static seconds(amount: number): Duration {
    return new Duration(amount, 's');
  }

  /**
   * Parses a duration as the provider reads it, e.g. `90d`, `24h` or `1h30m` (a combination is kept
   * in seconds: `5400s`).
   */
  public static parse(text: string): Duration {
    const seconds = parseDuration(text);
    if (seconds === undefined) throw new Error(durationError(text));
    const single = /^(\d+)([wdhms])$/.exec(text.trim());
    return single ? new Duration(Number(single[1]), single[2]) : new Duration(seconds, 's');
  }

  /** The number of units. */
  public readonly amount: number;
  /** The unit: `w`, `d`, `h`, `m` or `s`. */
  public readonly unit: string;

  private constructor(amount: number, unit: string) {
    if (!Number.isSafeInteger(amount) || parseDuration(`${amount}${unit}`) === undefined) throw new Error(durationError(`${amount}${unit}`));
    this.amount = amount;
    this.unit = unit;
  }

  /** The length in seconds. */
  public toSeconds(): number {
    return parseDuration(this.toString()) as number;
  }

  /** The provider's notation, e.g. `90d`. */
  public toString(): string {
    return `${this.amount}${this.unit}`;
  }
}

/** The rulebook's finding about a text that is not a duration, as the error a construct API throws. */
function durationError(text: string): string {
  const [f] = durationRule('duration', text);
  return `${f.code}: ${f.problem}. Fix: ${f.fix}, e.g. Duration.days(90) or Duration.parse('24h').`;
}
