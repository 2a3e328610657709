/**
 * The rule for free text that users put into credentials (names, descriptions): no control characters
 * and no lone UTF-16 surrogates. Shared by the server's validation, the provider's checks and the
 * constructs' synth-time checks, so every layer refuses the same strings with the same words.
 *
 * Why: a name is shown to reviewers (terminals, Markdown) and stored as UTF-8; a control character can
 * rewrite what a terminal shows, and a lone surrogate cannot be stored as UTF-8 and comes back changed.
 * This file imports nothing, so the jsii constructs can use it.
 */

/** C0 controls (U+0000-U+001F), DEL (U+007F) and C1 controls (U+0080-U+009F). */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** The same, except tab, line feed and carriage return (allowed in multi-line text). */
const CONTROL_MULTILINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Options of {@link textProblem}. */
export interface TextRuleOptions {
  /** Allow tab, line feed and carriage return (descriptions); default false (names). */
  readonly multiline?: boolean;
}

/**
 * The problem with a user-supplied text value, as the API's error message naming `field`, or
 * undefined when the text is acceptable.
 */
export function textProblem(field: string, value: string, opts: TextRuleOptions = {}): string | undefined {
  const control = (opts.multiline ? CONTROL_MULTILINE : CONTROL).exec(value);
  if (control) {
    const code = `U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    return `Invalid ${field} value: must not contain control characters (found ${code}; ESC, BEL, NUL and the like are refused). Remove it.`;
  }
  if (LONE_SURROGATE.test(value)) {
    return `Invalid ${field} value: contains a lone UTF-16 surrogate, which is not valid Unicode text. Send valid UTF-8.`;
  }
  return undefined;
}
