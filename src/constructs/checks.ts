/**
 * The constructs' synth-time checks: the rulebook's rules (src/model/rules) asked with the values a
 * construct was given, each finding formatted with the construct path. Unresolved Terraform tokens
 * are not judged (their values are known only at plan or apply time; the provider judges them then).
 */
import { IConstruct } from 'constructs';
import { TerraformProvider, Token } from 'cdktf';
import { ROLES } from '../model/catalog';
import { Verdict, capabilitiesRule, choiceRule, descriptionRule, nameRule, rotationRule, scopesRule, timestampRule } from '../model/rules';
import { KeyMode } from './key-mode';
import { KeyformProvider } from './keyform-provider';
import { VALIDATION, ruleFinding } from './messages';

/** Whether a value is a Terraform token that is only known at plan or apply time. */
export function unresolved(value: unknown): boolean {
  return value !== undefined && value !== null && Token.isUnresolved(value);
}

const at = (path: string, verdict: Verdict): string[] => verdict.map((f) => ruleFinding(path, f));
const known = (values: readonly string[]): (string | undefined)[] => values.map((v) => (unresolved(v) ? undefined : v));

/** The name rule, for a key's or an authorization's name. */
export function checkName(path: string, name: string): string[] {
  return unresolved(name) ? [] : at(path, nameRule(name));
}

/** The description rule. */
export function checkDescription(path: string, description: string | undefined): string[] {
  return description === undefined || unresolved(description) ? [] : at(path, descriptionRule(description));
}

/** The scopes rule: known scopes of the catalog, once each. */
export function checkScopes(path: string, scopes: readonly string[]): string[] {
  return at(path, scopesRule(known(scopes)));
}

/** The capabilities rule: known, once each, prerequisites held. */
export function checkCapabilities(path: string, capabilities: readonly string[]): string[] {
  return at(path, capabilitiesRule(known(capabilities)));
}

/** The timestamp rule, for a construct's `expiresAt`. */
export function checkExpiresAt(path: string, expiresAt: string | undefined): string[] {
  return expiresAt === undefined || unresolved(expiresAt) ? [] : at(path, timestampRule('expiresAt', expiresAt));
}

/** The rotation rule, with the construct's field names (`rotation.every`, `rotation.gracePeriod`). */
export function checkRotation(path: string, every: string, gracePeriod: string | undefined): string[] {
  return at(path, rotationRule({ every, gracePeriod }, { every: 'rotation.every', gracePeriod: 'rotation.gracePeriod' }));
}

/** The choice rule for an attribute with fixed values (a key's type or mode, a kind, a role); undefined passes. */
export function checkChoice(path: string, field: string, value: string | undefined, choices: readonly string[]): string[] {
  return value === undefined || unresolved(value) ? [] : at(path, choiceRule(field, String(value), choices));
}

/** The choice rule for a project role. */
export function checkRole(path: string, role: string): string[] {
  return checkChoice(path, 'role', role, ROLES);
}

/**
 * The one live gate of the constructs: a live key or authorization needs `allowLive` on the keyform
 * provider it uses (its own `provider`, else the stack's default one).
 */
export function checkLiveAllowed(construct: IConstruct, mode: string | undefined, provider: TerraformProvider | undefined): string[] {
  if (mode !== KeyMode.LIVE) return [];
  return KeyformProvider.of(construct, provider)?.allowLive ? [] : [VALIDATION.liveWithoutAllowLive(construct.node.path)];
}
