/**
 * Plan-time checks of desired credentials, with the attribute each problem belongs to. Pure: they read
 * only the catalogs, so `terraform validate` catches mistakes before any API call.
 */
import { ALL_SCOPES, CAPABILITIES, CAPABILITY_PREREQUISITES, KEY_MODES, KEY_TYPES, AUTHORIZATION_KINDS, ROLES } from '../model/catalog';
import { MAX_GRACE_SECONDS } from './api-limits';
import { isTimestamp, parseDuration } from './duration';
import { HandlerMessage, LiveAction, MESSAGES } from './messages';
import { MAX_DELIVERY_TIMEOUT_SECONDS } from './secret-delivery';

/** One problem found, with the attribute path it belongs to. */
export interface Problem {
  readonly path: ReadonlyArray<string | number>;
  readonly message: HandlerMessage;
}

/** Edit distance between two strings (small inputs only). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/** The catalog entry closest to `word`, when it is close enough to be a plausible typo. */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  // Also catch a right resource with a wrong access word (`customers:view`) or the reverse.
  const [resource] = word.split(':');
  const sameResource = candidates.find((c) => c.startsWith(`${resource}:`));
  if (bestDistance > Math.max(3, Math.floor(word.length / 3))) return sameResource;
  return best;
}

/** Checks a name: non-empty, at most 200 characters, no `<` or `>` (seed 004). */
export function checkName(name: string | undefined, path: readonly string[] = ['name']): Problem[] {
  if (name === undefined) return [];
  if (name.length === 0) return [{ path, message: MESSAGES.emptyName() }];
  if (name.length > 200) return [{ path, message: MESSAGES.longName() }];
  if (/[<>]/.test(name)) return [{ path, message: MESSAGES.invalidName(name) }];
  return [];
}

/** Checks each scope against the catalog; the message suggests a close match. */
export function checkScopes(scopes: readonly string[] | undefined): Problem[] {
  if (!scopes) return [];
  return scopes
    .filter((s) => !ALL_SCOPES.includes(s))
    .map((s) => ({ path: ['scopes'], message: MESSAGES.unknownScope(s, closestMatch(s, ALL_SCOPES)) }));
}

/** Checks capabilities: known, and each one's prerequisite held too. */
export function checkCapabilities(capabilities: readonly string[] | undefined): Problem[] {
  if (!capabilities) return [];
  const out: Problem[] = [];
  for (const c of capabilities) {
    if (!(CAPABILITIES as readonly string[]).includes(c)) out.push({ path: ['capabilities'], message: MESSAGES.unknownCapability(c, CAPABILITIES) });
  }
  for (const c of capabilities) {
    const needed = CAPABILITY_PREREQUISITES[c as keyof typeof CAPABILITY_PREREQUISITES];
    if (needed && !capabilities.includes(needed)) out.push({ path: ['capabilities'], message: MESSAGES.capabilityPrerequisite(c, needed) });
  }
  return out;
}

/** Checks a value against a fixed list of choices. */
export function checkChoice(attribute: string, value: string | undefined, choices: readonly string[], path: readonly (string | number)[] = [attribute]): Problem[] {
  if (value === undefined || choices.includes(value)) return [];
  return [{ path, message: MESSAGES.invalidChoice(attribute, value, choices) }];
}

/** The known parts of a key's desired config; undefined means null or not yet known. */
export interface KeyConfigInput {
  readonly name?: string;
  readonly type?: string;
  readonly mode?: string;
  readonly scopes?: readonly string[];
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

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Every config-only problem of a `secret_delivery` block. */
export function checkDeliveryConfig(d: DeliveryConfigInput | undefined): Problem[] {
  if (!d) return [];
  const out: Problem[] = [];
  if (d.file !== undefined && d.command !== undefined) out.push({ path: ['secret_delivery'], message: MESSAGES.secretDeliveryBoth() });
  else if (d.file === undefined && d.command === undefined && d.fullyKnown !== false) out.push({ path: ['secret_delivery'], message: MESSAGES.secretDeliveryNone() });
  for (const [attribute, names] of [['env', d.envNames], ['inherit_env', d.inheritEnv]] as const) {
    if (!names) continue;
    if (names.length && d.file !== undefined) out.push({ path: ['secret_delivery', attribute], message: MESSAGES.secretDeliveryEnvWithoutCommand(attribute) });
    for (const name of names) {
      if (!ENV_NAME.test(name)) out.push({ path: ['secret_delivery', attribute], message: MESSAGES.secretDeliveryInvalidEnvName(attribute, name) });
      else if (/^KEYFORM_/i.test(name)) out.push({ path: ['secret_delivery', attribute], message: MESSAGES.secretDeliveryReservedEnv(attribute, name) });
    }
  }
  if (d.timeout !== undefined) {
    const seconds = parseDuration(d.timeout);
    if (seconds === undefined || seconds < 1 || seconds > MAX_DELIVERY_TIMEOUT_SECONDS) out.push({ path: ['secret_delivery', 'timeout'], message: MESSAGES.secretDeliveryInvalidTimeout(d.timeout) });
    else if (d.file !== undefined) out.push({ path: ['secret_delivery', 'timeout'], message: MESSAGES.secretDeliveryEnvWithoutCommand('timeout') });
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
  if (c.expiresAt !== undefined && !isTimestamp(c.expiresAt)) out.push({ path: ['expires_at'], message: MESSAGES.invalidTimestamp('expires_at', c.expiresAt) });
  if (c.rotationEvery !== undefined) {
    const every = parseDuration(c.rotationEvery);
    if (every === undefined || every === 0) out.push({ path: ['rotation', 'every'], message: MESSAGES.invalidDuration('every', c.rotationEvery) });
  }
  if (c.rotationGrace !== undefined) {
    const grace = parseDuration(c.rotationGrace);
    if (grace === undefined) out.push({ path: ['rotation', 'grace_period'], message: MESSAGES.invalidDuration('grace_period', c.rotationGrace) });
    else if (grace > MAX_GRACE_SECONDS) out.push({ path: ['rotation', 'grace_period'], message: MESSAGES.gracePeriodTooLong(c.rotationGrace) });
  }
  out.push(...checkDeliveryConfig(c.delivery));
  return out;
}

/** Every config-only problem of a `keyform_oauth_authorization`. */
export function checkAuthorizationConfig(c: { name?: string; kind?: string; mode?: string; capabilities?: readonly string[]; delivery?: DeliveryConfigInput }): Problem[] {
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
