/**
 * The rules of a `secret_delivery` block (keys and authorizations): exactly one destination (a
 * `file` or a `command`); `env`, `inherit_env` and `timeout` only with a command; variable names that
 * are environment variable names and never `KEYFORM_*` (the provider's own credentials never reach a
 * delivery command, and keyform sets `KEYFORM_KEY_*` itself); a timeout from 1 second to 1 hour.
 * The constructs (`secretDelivery`) and the provider (`secret_delivery`) ask the same functions with
 * their own field names; the API never sees a delivery.
 */
import { durationRule, parseDuration } from './duration';
import { PASS, type Finding, type Verdict } from './finding';
import { RULE_MESSAGES } from './messages';

/** Longest a delivery command may run. */
export const MAX_DELIVERY_TIMEOUT_SECONDS = 3600;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Whether a destination is given: an empty file or command is none. */
const given = (v: string | undefined) => v !== undefined && v !== '';

/**
 * The destination rule: exactly one of `file` and `command`. `known` is false while some attribute of
 * the block is not known yet: then a missing destination is not judged (the unknown one may be it).
 */
export function deliveryTargetRule(block: string, file: string | undefined, command: string | undefined, known = true): Verdict {
  if (given(file) && given(command)) return [RULE_MESSAGES.deliveryBothTargets(block)];
  if (!given(file) && !given(command) && known) return [RULE_MESSAGES.deliveryNoTarget(block)];
  return PASS;
}

/** The command-only rule: an option that applies to a command (`field`, set) on a file delivery. */
export function deliveryCommandOnlyRule(field: string, set: boolean, file: string | undefined, command: string | undefined): Verdict {
  return set && given(file) && !given(command) ? [RULE_MESSAGES.deliveryCommandOnly(field)] : PASS;
}

/** The variable-name rule of `env` or `inherit_env` (`field`): names, never `KEYFORM_*`; undefined names are not known yet. */
export function deliveryEnvNamesRule(field: string, names: readonly (string | undefined)[]): Verdict {
  const out: Finding[] = [];
  for (const name of names) {
    if (name === undefined) continue;
    if (/^KEYFORM_/i.test(name)) out.push(RULE_MESSAGES.deliveryReservedEnv(field, name));
    else if (!ENV_NAME.test(name)) out.push(RULE_MESSAGES.deliveryEnvName(field, name));
  }
  return out;
}

/** The timeout rule: a duration from 1 second to {@link MAX_DELIVERY_TIMEOUT_SECONDS}. */
export function deliveryTimeoutRule(field: string, timeout: string): Verdict {
  const notDuration = durationRule(field, timeout);
  if (notDuration.length) return notDuration;
  const seconds = parseDuration(timeout) as number;
  return seconds < 1 || seconds > MAX_DELIVERY_TIMEOUT_SECONDS ? [RULE_MESSAGES.deliveryTimeoutRange(field, timeout)] : PASS;
}
