/**
 * Every message of the rulebook, one function per stable code (`KF-RULE-<NNN>`). Each returns a
 * {@link Finding}: the summary, the problem and its fix (constructs and provider) and the API's own
 * error message (the server). Values users wrote are quoted in the problem, never in `api`, except
 * where the API has always named them; no message ever contains a secret.
 */
import { MAX_DESCRIPTION_LENGTH, MAX_GRACE_PERIOD_SECONDS, MAX_NAME_LENGTH } from './defaults';
import type { Finding } from './finding';

const MAX_GRACE_DAYS = MAX_GRACE_PERIOD_SECONDS / 86400;

const finding = (code: string, summary: string, problem: string, fix: string, api: string): Finding => ({ code, summary, problem, fix, api });
const quote = (s: string) => JSON.stringify(s);
/** A fix that leads with a suggestion when there is one: `did you mean "x"? Use …`. */
const suggesting = (suggestion: string | undefined, fix: string) => (suggestion ? `did you mean ${quote(suggestion)}? ${fix[0].toUpperCase()}${fix.slice(1)}` : fix);

/** A text attribute longer than its limit, in characters. */
const tooLong = (code: string, field: string, length: number, max: number): Finding =>
  finding(code, `Invalid ${field}`, `${field} is ${length} characters long, more than ${max}`, `shorten it to at most ${max} characters`, `Invalid ${field} value: at most ${max} characters.`);

/** The rulebook's catalog. */
export const RULE_MESSAGES = {
  nameBlank: () =>
    finding('KF-RULE-001', 'Invalid name', 'name is blank', 'give it a descriptive name such as "support-assistant"', 'Invalid name value: must not be blank (empty or only spaces).'),
  nameTooLong: (length: number) => tooLong('KF-RULE-002', 'name', length, MAX_NAME_LENGTH),
  nameAngleBrackets: (name: string) =>
    finding('KF-RULE-003', 'Invalid name', `name ${quote(name)} contains "<" or ">"`, 'remove "<" and ">" from the name (the API requires ^[^<>]*$)', 'Invalid name value: must not contain < or >.'),
  controlCharacter: (field: string, codePoint: string) =>
    finding(
      'KF-RULE-004',
      `Invalid ${field}`,
      `${field} contains the control character ${codePoint} (ESC, BEL, NUL and the like can rewrite what a terminal or a review shows)`,
      'remove it',
      `Invalid ${field} value: must not contain control characters (found ${codePoint}; ESC, BEL, NUL and the like are refused). Remove it.`,
    ),
  loneSurrogate: (field: string) =>
    finding(
      'KF-RULE-005',
      `Invalid ${field}`,
      `${field} contains a lone UTF-16 surrogate, which is not valid Unicode text`,
      'write valid Unicode text',
      `Invalid ${field} value: contains a lone UTF-16 surrogate, which is not valid Unicode text. Send valid UTF-8.`,
    ),
  descriptionTooLong: (length: number) => tooLong('KF-RULE-006', 'description', length, MAX_DESCRIPTION_LENGTH),
  scopeEmpty: (index: number) =>
    finding('KF-RULE-010', 'Empty scope', `scope #${index + 1} is empty`, "remove the empty entry or name a scope such as customers:read (Scope.read('customers'))", 'Invalid scope value: a scope must not be empty.'),
  scopeUnknown: (scope: string, suggestion: string | undefined) =>
    finding(
      'KF-RULE-011',
      `Unknown scope ${quote(scope)}`,
      `unknown scope ${quote(scope)}`,
      suggesting(suggestion, 'scopes are <resource>:read or <resource>:write over the catalog (the keyform_scopes data source and DataKeyformScopes list it)'),
      'Invalid scope value.',
    ),
  scopeDuplicate: (scope: string) =>
    finding('KF-RULE-012', `Duplicate scope ${quote(scope)}`, `scope ${quote(scope)} is listed more than once`, 'list each scope once', 'Invalid scopes value: each scope may appear only once.'),
  capabilityUnknown: (capability: string, suggestion: string | undefined, choices: readonly string[]) =>
    finding(
      'KF-RULE-020',
      `Unknown capability ${quote(capability)}`,
      `unknown capability ${quote(capability)}`,
      suggesting(suggestion, `use one of ${choices.join(', ')}`),
      `Invalid capability value. Use one of: ${choices.join(', ')}.`,
    ),
  capabilityDuplicate: (capability: string) =>
    finding(
      'KF-RULE-021',
      `Duplicate capability ${quote(capability)}`,
      `capability ${quote(capability)} is listed more than once`,
      'list each capability once',
      'Invalid capabilities value: each capability may appear only once.',
    ),
  capabilityPrerequisite: (capability: string, prerequisite: string) =>
    finding(
      'KF-RULE-022',
      `Capability ${quote(capability)} needs ${quote(prerequisite)}`,
      `capability ${quote(capability)} requires capability ${quote(prerequisite)}`,
      `add ${quote(prerequisite)} to the capabilities, or remove ${quote(capability)}`,
      `Capability ${capability} requires ${prerequisite}: add ${prerequisite} to capabilities.`,
    ),
  invalidChoice: (field: string, value: string, choices: readonly string[], suggestion: string | undefined) =>
    finding(
      'KF-RULE-030',
      `Invalid ${field}`,
      `${quote(value)} is not a valid ${field}`,
      suggesting(suggestion, `use one of ${choices.join(', ')}`),
      `Invalid ${field} value. Use one of: ${choices.join(', ')}.`,
    ),
  invalidTimestamp: (field: string, value: string) =>
    finding(
      'KF-RULE-040',
      `Invalid ${field}`,
      `${field} ${quote(value)} is not an RFC 3339 timestamp`,
      'write it like 2030-01-31T00:00:00Z (a real calendar date, hours 00-23, an uppercase T and Z or an offset such as +01:00)',
      `Invalid ${field} value: must be an RFC 3339 timestamp such as 2030-01-31T00:00:00Z.`,
    ),
  invalidDuration: (field: string, value: string, reason: string) =>
    finding(
      'KF-RULE-050',
      `Invalid ${field}`,
      `${field} ${quote(value)} is not a duration (${reason})`,
      'write a whole number and a unit, such as 90d, 720h, 30m or 1h30m (units w, d, h, m, s, largest first, each once)',
      `Invalid ${field} value: must be a duration such as 90d, 720h or 1h30m.`,
    ),
  rotationEveryZero: (field: string) =>
    finding('KF-RULE-051', `Invalid ${field}`, `${field} is zero`, 'rotate at a positive interval such as 90d', `Invalid ${field} value: must be longer than zero.`),
  gracePeriodTooLong: (field: string, value: string) =>
    finding(
      'KF-RULE-052',
      `Invalid ${field}`,
      `grace period ${value} is longer than the API's ${MAX_GRACE_DAYS} days`,
      `shorten it to at most ${MAX_GRACE_DAYS}d`,
      `Invalid ${field} value: at most ${MAX_GRACE_PERIOD_SECONDS} (${MAX_GRACE_DAYS} days).`,
    ),
  gracePeriodNegative: (field: string) =>
    finding('KF-RULE-053', `Invalid ${field}`, `${field} is negative`, 'use 0 or more seconds', `Invalid ${field} value: must not be negative.`),
  deliveryBothTargets: (block: string) =>
    finding(
      'KF-RULE-060',
      `Invalid ${block}`,
      `${block} names both a file and a command`,
      `set exactly one of ${block}.file or ${block}.command`,
      `Invalid ${block} value: set exactly one of file or command.`,
    ),
  deliveryNoTarget: (block: string) =>
    finding('KF-RULE-061', `Invalid ${block}`, `${block} names neither a file nor a command`, `set one of ${block}.file or ${block}.command`, `Invalid ${block} value: set one of file or command.`),
  deliveryCommandOnly: (field: string) =>
    finding(
      'KF-RULE-062',
      `${field} needs a command`,
      `${field} applies to a delivery command, and this delivery writes a file (which runs nothing)`,
      `remove ${field}, or deliver to a command`,
      `Invalid ${field} value: applies to a delivery command only.`,
    ),
  deliveryReservedEnv: (field: string, name: string) =>
    finding(
      'KF-RULE-063',
      `Reserved ${field} variable`,
      `${field} variable ${quote(name)} is reserved: the provider's own settings and credentials (KEYFORM_*) never reach a delivery command, and keyform sets KEYFORM_KEY_* and KEYFORM_AUTHORIZATION_* itself`,
      'remove it',
      `Invalid ${field} value: KEYFORM_* variables are reserved.`,
    ),
  deliveryEnvName: (field: string, name: string) =>
    finding(
      'KF-RULE-064',
      `Invalid ${field} variable name`,
      `${field} variable name ${quote(name)} is not an environment variable name`,
      'use letters, digits and _ (not starting with a digit)',
      `Invalid ${field} value: not an environment variable name.`,
    ),
  deliveryTimeoutRange: (field: string, value: string) =>
    finding(
      'KF-RULE-065',
      `Invalid ${field}`,
      `${field} ${value} is not between 1 second and 1 hour`,
      'choose e.g. 30s or 2m (Duration.seconds(30), Duration.minutes(2)); the default is 60 seconds',
      `Invalid ${field} value: between 1s and 1h.`,
    ),
} as const;
