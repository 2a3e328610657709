/**
 * The scopes rule of API keys: every entry names a scope of the catalog, once. An empty list is
 * allowed (full access to the merchant, seed 000): the credential policy makes that loud, not this rule.
 */
import { ALL_SCOPES } from '../catalog';
import { didYouMean } from './did-you-mean';
import type { Finding, Verdict } from './finding';
import { RULE_MESSAGES } from './messages';

/**
 * The scopes rule. An entry that is undefined is not known yet (a Terraform reference, an unknown
 * value at plan time) and is skipped. Findings in list order: empty, unknown (with a suggestion),
 * listed twice.
 */
export function scopesRule(scopes: readonly (string | undefined)[]): Verdict {
  const out: Finding[] = [];
  const seen = new Set<string>();
  scopes.forEach((scope, index) => {
    if (scope === undefined) return;
    if (scope.trim() === '') {
      out.push(RULE_MESSAGES.scopeEmpty(index));
      return;
    }
    if (!ALL_SCOPES.includes(scope)) out.push(RULE_MESSAGES.scopeUnknown(scope, didYouMean(scope, ALL_SCOPES)));
    else if (seen.has(scope)) out.push(RULE_MESSAGES.scopeDuplicate(scope));
    seen.add(scope);
  });
  return out;
}
