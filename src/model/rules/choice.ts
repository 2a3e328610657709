/** The rule of an attribute with a fixed set of values: a key's type and mode, a kind, a role. */
import { didYouMean } from './did-you-mean';
import { PASS, type Verdict } from './finding';
import { RULE_MESSAGES } from './messages';

/** The choice rule: `value` is one of `choices` (exactly, case included), else one finding with a suggestion. */
export function choiceRule(field: string, value: string, choices: readonly string[]): Verdict {
  return choices.includes(value) ? PASS : [RULE_MESSAGES.invalidChoice(field, value, choices, didYouMean(value, choices))];
}

/** The API's message for an invalid value of a choice attribute (it never quotes the value). */
export function choiceApiMessage(field: string, choices: readonly string[]): string {
  return RULE_MESSAGES.invalidChoice(field, '', choices, undefined).api;
}
