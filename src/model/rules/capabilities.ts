/**
 * The capabilities rule of authorizations: every entry is a capability of the catalog, listed once,
 * and each one's prerequisite (`apps:admin` needs `apps:view`) is held too.
 */
import { CAPABILITIES, CAPABILITY_PREREQUISITES } from '../catalog';
import { didYouMean } from './did-you-mean';
import type { Finding, Verdict } from './finding';
import { RULE_MESSAGES } from './messages';

/** The capability a capability requires, if any. */
export function prerequisiteOf(capability: string): string | undefined {
  return CAPABILITY_PREREQUISITES[capability as keyof typeof CAPABILITY_PREREQUISITES];
}

/**
 * The capabilities rule. An undefined entry is not known yet and is skipped; while one is, a missing
 * prerequisite is not judged (the unknown entry may be it). Findings: unknown and duplicate entries in
 * list order, then missing prerequisites.
 */
export function capabilitiesRule(capabilities: readonly (string | undefined)[]): Verdict {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const capability of capabilities) {
    if (capability === undefined) continue;
    if (!(CAPABILITIES as readonly string[]).includes(capability)) out.push(RULE_MESSAGES.capabilityUnknown(capability, didYouMean(capability, CAPABILITIES), CAPABILITIES));
    else if (seen.has(capability)) out.push(RULE_MESSAGES.capabilityDuplicate(capability));
    seen.add(capability);
  }
  if (capabilities.every((c) => c !== undefined)) {
    for (const capability of seen) {
      const prerequisite = prerequisiteOf(capability);
      if (prerequisite && !seen.has(prerequisite)) out.push(RULE_MESSAGES.capabilityPrerequisite(capability, prerequisite));
    }
  }
  return out;
}
