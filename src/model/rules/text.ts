/**
 * The rule for free text users put into credentials (names, descriptions): no control characters
 * and no lone UTF-16 surrogates.
 *
 * Why: a name is shown to reviewers (terminals, Markdown) and stored as UTF-8; a control character can
 * rewrite what a terminal shows, and a lone surrogate cannot be stored as UTF-8 and comes back changed.
 */
import { PASS, type Verdict } from './finding';
import { RULE_MESSAGES } from './messages';

/** C0 controls (U+0000-U+001F), DEL (U+007F) and C1 controls (U+0080-U+009F). */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** The same, except tab, line feed and carriage return (allowed in multi-line text). */
const CONTROL_MULTILINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Options of {@link textRule}. */
export interface TextRuleOptions {
  /** Allow tab, line feed and carriage return (descriptions); default false (names). */
  readonly multiline?: boolean;
}

/** The text rule for the value of `field`: at most one finding (the first problem). */
export function textRule(field: string, value: string, opts: TextRuleOptions = {}): Verdict {
  const control = (opts.multiline ? CONTROL_MULTILINE : CONTROL).exec(value);
  if (control) {
    const codePoint = `U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    return [RULE_MESSAGES.controlCharacter(field, codePoint)];
  }
  if (LONE_SURROGATE.test(value)) return [RULE_MESSAGES.loneSurrogate(field)];
  return PASS;
}

/** Length in characters (Unicode code points), as users count them: an emoji is one. */
export function characterCount(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}
