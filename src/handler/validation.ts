/**
 * Plan-time checks of desired credentials, with the attribute each problem belongs to. Pure: they ask
 * the rulebook (src/model/rules) and read only the catalogs, so `terraform validate` catches mistakes
 * before any API call and gives the same verdict and code as synth and the API.
 */
import { AUTHORIZATION_KINDS, KEY_MODES, KEY_TYPES, ROLES } from '../model/catalog';
import {
  Finding,
  Verdict,
  capabilitiesRule,
  choiceRule,
  deliveryCommandOnlyRule,
  deliveryEnvNamesRule,
  deliveryTargetRule,
  deliveryTimeoutRule,
  descriptionRule,
  findingText,
  nameRule,
  rotationRule,
  scopesRule,
  timestampRule,
} from '../model/rules';
import { HandlerMessage, LiveAction, MESSAGES } from './messages';

/** One problem found, with the attribute path it belongs to. */
export interface Problem {
  readonly path: ReadonlyArray<string | number>;
  readonly message: HandlerMessage;
}

/** A rulebook finding as a handler message: its code, its summary, its problem and fix. */
export function ruleMessage(f: Finding): HandlerMessage {
  return { code: f.code, summary: f.summary, detail: findingText(f) };
}

/** A rule's verdict as problems at one attribute path. */
export function problemsAt(path: ReadonlyArray<string | number>, verdict: Verdict): Problem[] {
  return verdict.map((f) => ({ path, message: ruleMessage(f) }));
}

/** Checks a name with the rulebook's name rule. */
export function checkName(name: string | undefined, path: readonly string[] = ['name']): Problem[] {
  return name === undefined ? [] : problemsAt(path, nameRule(name));
}

/** Checks scopes with the rulebook's scopes rule (known, once each; a close match is suggested). */
export function checkScopes(scopes: readonly (string | undefined)[] | undefined): Problem[] {
  return scopes ? problemsAt(['scopes'], scopesRule(scopes)) : [];
}

/** Checks capabilities with the rulebook's capabilities rule: known, once each, prerequisites held. */
export function checkCapabilities(capabilities: readonly (string | undefined)[] | undefined): Problem[] {
  return capabilities ? problemsAt(['capabilities'], capabilitiesRule(capabilities)) : [];
}

/** Checks a value against a fixed list of choices. */
export function checkChoice(attribute: string, value: string | undefined, choices: readonly string[], path: readonly (string | number)[] = [attribute]): Problem[] {
  return value === undefined ? [] : problemsAt(path, choiceRule(attribute, value, choices));
}

/** The known parts of a key's desired config; undefined means null or not yet known. */
export interface KeyConfigInput {
  readonly name?: string;
  readonly description?: string;
  readonly type?: string;
  readonly mode?: string;
  readonly scopes?: readonly (string | undefined)[];
  readonly expiresAt?: string;
  readonly rotationEvery?: string;
  readonly rotationGrace?: string;
  /** The `secret_delivery` block, when one is declared. */
  readonly delivery?: DeliveryConfigInput;
}

/** The known parts of a `secret_delivery` block (keys and authorizations share it). */
export interface DeliveryConfigInput {
  readonly file?: string;
  readonly command?: string;
  /** Names of the `env` map (its values are free text). */
  readonly envNames?: readonly string[];
  readonly inheritEnv?: readonly string[];
  readonly timeout?: string;
  /** False while some attribute of the block is unknown (then "neither file nor command" is not judged). */
  readonly fullyKnown?: boolean;
}

/** Every config-only problem of a `secret_delivery` block: the rulebook's delivery rules. */
export function checkDeliveryConfig(d: DeliveryConfigInput | undefined): Problem[] {
  if (!d) return [];
  const out = problemsAt(['secret_delivery'], deliveryTargetRule('secret_delivery', d.file, d.command, d.fullyKnown !== false));
  for (const [attribute, names] of [['env', d.envNames], ['inherit_env', d.inheritEnv]] as const) {
    if (!names) continue;
    const path = ['secret_delivery', attribute];
    out.push(...problemsAt(path, deliveryCommandOnlyRule(attribute, names.length > 0, d.file, d.command)));
    out.push(...problemsAt(path, deliveryEnvNamesRule(attribute, names)));
  }
  if (d.timeout !== undefined) {
    const timeout = deliveryTimeoutRule('timeout', d.timeout);
    out.push(...problemsAt(['secret_delivery', 'timeout'], timeout.length ? timeout : deliveryCommandOnlyRule('timeout', true, d.file, d.command)));
  }
  return out;
}

/** Every config-only problem of a `keyform_api_key`. */
export function checkKeyConfig(c: KeyConfigInput): Problem[] {
  const out: Problem[] = [
    ...checkName(c.name),
    ...checkChoice('type', c.type, KEY_TYPES),
    ...checkChoice('mode', c.mode, KEY_MODES),
    ...checkScopes(c.scopes),
  ];
  if (c.description !== undefined) out.push(...problemsAt(['description'], descriptionRule(c.description)));
  if (c.expiresAt !== undefined) out.push(...problemsAt(['expires_at'], timestampRule('expires_at', c.expiresAt)));
  out.push(...problemsAt(['rotation', 'every'], rotationRule({ every: c.rotationEvery })));
  out.push(...problemsAt(['rotation', 'grace_period'], rotationRule({ gracePeriod: c.rotationGrace })));
  out.push(...checkDeliveryConfig(c.delivery));
  return out;
}

/** Every config-only problem of a `keyform_oauth_authorization`. */
export function checkAuthorizationConfig(c: { name?: string; kind?: string; mode?: string; capabilities?: readonly (string | undefined)[]; delivery?: DeliveryConfigInput }): Problem[] {
  return [...checkName(c.name), ...checkChoice('kind', c.kind, AUTHORIZATION_KINDS), ...checkChoice('mode', c.mode, KEY_MODES), ...checkCapabilities(c.capabilities), ...checkDeliveryConfig(c.delivery)];
}

/** Every config-only problem of a `keyform_project_access`. */
export function checkProjectAccessConfig(c: { role?: string }): Problem[] {
  return checkChoice('role', c.role, ROLES);
}

/**
 * The live guard, one check for every mutation of a credential: when the object is live before or
 * after (`modes`: prior and planned mode; undefined when absent), the provider must allow live.
 */
export function checkLiveAllowed(modes: ReadonlyArray<string | undefined>, allowLive: boolean, action: LiveAction, where: string): Problem[] {
  return modes.includes('live') && !allowLive ? [{ path: ['mode'], message: MESSAGES.liveNotAllowed(action, where) }] : [];
}
