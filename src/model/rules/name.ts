/**
 * The name rule of keys and authorizations: not blank, at most {@link MAX_NAME_LENGTH} characters,
 * no `<` or `>` (seed 004's `^[^<>]*$`), and the text rule. Constructs, provider and server all
 * answer with this function, so a name that passes synth also passes `terraform validate` and the API.
 */
import { MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH } from './defaults';
import { PASS, type Verdict } from './finding';
import { RULE_MESSAGES } from './messages';
import { characterCount, textRule } from './text';

/** The name rule: at most one finding, the first problem in the order blank, length, `<>`, text. */
export function nameRule(name: string): Verdict {
  if (name.trim() === '') return [RULE_MESSAGES.nameBlank()];
  const length = characterCount(name);
  if (length > MAX_NAME_LENGTH) return [RULE_MESSAGES.nameTooLong(length)];
  if (/[<>]/.test(name)) return [RULE_MESSAGES.nameAngleBrackets(name)];
  return textRule('name', name);
}

/** The description rule: at most {@link MAX_DESCRIPTION_LENGTH} characters of multi-line text (empty is fine). */
export function descriptionRule(description: string): Verdict {
  const length = characterCount(description);
  if (length > MAX_DESCRIPTION_LENGTH) return [RULE_MESSAGES.descriptionTooLong(length)];
  const text = textRule('description', description, { multiline: true });
  return text.length ? text : PASS;
}
