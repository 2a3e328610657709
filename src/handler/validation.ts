/**
 * Plan-time checks of desired credentials, with the attribute each problem belongs to. Pure: they read
 * only the catalogs, so `terraform validate` catches mistakes before any API call.
 */
import { ALL_SCOPES, CAPABILITIES, CAPABILITY_PREREQUISITES, KEY_MODES, KEY_TYPES, AUTHORIZATION_KINDS, ROLES } from '../model/catalog';
import { MAX_GRACE_SECONDS } from './limits';
import { isTimestamp, parseDuration } from './duration';
import { HandlerMessage, LiveAction, MESSAGES } from './messages';

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
  readonly deliveryFile?: string;
  readonly deliveryCommand?: string;
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
  if (c.deliveryFile !== undefined && c.deliveryCommand !== undefined) out.push({ path: ['secret_delivery'], message: MESSAGES.secretDeliveryBoth() });
  return out;
}

/** Every config-only problem of a `keyform_oauth_authorization`. */
export function checkAuthorizationConfig(c: { name?: string; kind?: string; capabilities?: readonly string[] }): Problem[] {
  return [...checkName(c.name), ...checkChoice('kind', c.kind, AUTHORIZATION_KINDS), ...checkCapabilities(c.capabilities)];
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
