import { Token } from 'cdktf';
import { ALL_SCOPES, CAPABILITIES, CAPABILITY_PREREQUISITES } from '../model/catalog';
import { VALIDATION } from './messages';

/** Whether a value is a Terraform token that is only known at plan or apply time. */
export function unresolved(value: unknown): boolean {
  return value !== undefined && value !== null && Token.isUnresolved(value);
}

/** Problems with a credential's name (empty, `<` or `>`); tokens are skipped. */
export function checkName(path: string, what: string, name: string): string[] {
  if (unresolved(name)) return [];
  if (name.trim() === '') return [VALIDATION.emptyName(path, what)];
  if (/[<>]/.test(name)) return [VALIDATION.nameHasAngleBrackets(path, what, name)];
  return [];
}

/** Problems with a list of scope strings: empty entries, unknown scopes, duplicates. */
export function checkScopes(path: string, scopes: readonly string[]): string[] {
  const errors: string[] = [];
  const seen = new Set<string>();
  scopes.forEach((scope, index) => {
    if (unresolved(scope)) return;
    if (scope.trim() === '') {
      errors.push(VALIDATION.emptyScope(path, index));
      return;
    }
    if (!ALL_SCOPES.includes(scope)) errors.push(VALIDATION.unknownScope(path, scope, closest(scope, ALL_SCOPES)));
    if (seen.has(scope)) errors.push(VALIDATION.duplicateScope(path, scope));
    seen.add(scope);
  });
  return errors;
}

/** Problems with a list of capability names: unknown, duplicate, missing prerequisite. */
export function checkCapabilities(path: string, capabilities: readonly string[]): string[] {
  const errors: string[] = [];
  const known = capabilities.filter((c) => !unresolved(c));
  const seen = new Set<string>();
  for (const capability of known) {
    if (!(CAPABILITIES as readonly string[]).includes(capability)) errors.push(VALIDATION.unknownCapability(path, capability));
    if (seen.has(capability)) errors.push(VALIDATION.duplicateCapability(path, capability));
    seen.add(capability);
  }
  // A token among the capabilities might be the prerequisite: only judge fully known lists.
  if (known.length === capabilities.length) {
    for (const capability of seen) {
      const prerequisite = CAPABILITY_PREREQUISITES[capability as (typeof CAPABILITIES)[number]];
      if (prerequisite && !seen.has(prerequisite)) errors.push(VALIDATION.capabilityPrerequisite(path, capability, prerequisite));
    }
  }
  return errors;
}

/** The candidate nearest to `input` by edit distance, when it is close enough to be a typo. */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(input, candidate);
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(input.length / 4)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
