import { VALIDATION } from './messages';

const UNIT_SECONDS: Readonly<Record<string, number>> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };

/**
 * A length of time for rotation intervals and grace periods, rendered the way the provider reads it:
 * `2w`, `90d`, `24h`, `30m`, `45s`.
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

  /** Parses `<whole number><w|d|h|m|s>`, e.g. `90d` or `24h`. */
  public static parse(text: string): Duration {
    const match = /^(\d+)([wdhms])$/.exec(text.trim());
    if (!match) throw new Error(VALIDATION.invalidDuration(JSON.stringify(text), 'expected a whole number followed by w, d, h, m or s'));
    return new Duration(Number(match[1]), match[2]);
  }

  /** The number of units. */
  public readonly amount: number;
  /** The unit: `w`, `d`, `h`, `m` or `s`. */
  public readonly unit: string;

  private constructor(amount: number, unit: string) {
    if (!Number.isInteger(amount) || amount <= 0) {
      throw new Error(VALIDATION.invalidDuration(`${amount}${unit}`, 'the amount must be a positive whole number'));
    }
    this.amount = amount;
    this.unit = unit;
  }

  /** The length in seconds. */
  public toSeconds(): number {
    return this.amount * UNIT_SECONDS[this.unit];
  }

  /** The provider's notation, e.g. `90d`. */
  public toString(): string {
    return `${this.amount}${this.unit}`;
  }
}
