/**
 * The one shape of keyform's message catalogs (each layer's `messages.ts`), after the errors-as-factories
 * pattern: a catalog is an object of factories named after the situation, each returning either a
 * {@link CodedError} to throw (commands) or a {@link CodedMessage} to show as a diagnostic (provider,
 * handler). Every message carries a stable code and says how to fix the problem; docs/errors.md indexes
 * them all (scripts/error-index.ts). This file imports nothing, so every layer, the plugin runtime
 * included, can use it.
 */

/**
 * The format of every code: `KF-`, the layer, `-`, a three-digit number (`KF-REVIEW-001`). The error
 * index test holds every catalog to it.
 */
export const CODE_FORMAT = /^KF-[A-Z]+-\d{3}$/;

/** A message shown as a diagnostic: stable code, one-line summary, and the detail that says how to fix it. */
export interface CodedMessage {
  /** Stable code, e.g. `KF-HANDLER-012`. */
  readonly code: string;
  /** One line saying what is wrong. */
  readonly summary: string;
  /** What happened and how to fix it. */
  readonly detail: string;
}

/** Builds a {@link CodedMessage}. */
export function codedMessage(code: string, summary: string, detail: string): CodedMessage {
  return { code, summary, detail };
}

/**
 * A failure a user can fix, thrown by a command: a stable code and a message that says what happened
 * and how to fix it. Each command has its own subclass (`ReviewError`, `AdoptError`, ...) so callers can
 * tell whose failure it is; `keyform <command>` prints any of them as `keyform <command>: <message> [<code>]`.
 */
export class CodedError extends Error {
  /** Stable code, e.g. `KF-REVIEW-002`. */
  public readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }
}
