/**
 * The `secret_delivery` block shared by `keyform_api_key` and `keyform_oauth_authorization`: one
 * schema, one reading of it, one validation, one delivery (with the provider's debug log for the
 * command's redacted error output), and the plan-time comparison that makes a changed destination a
 * re-delivery.
 */
import { DeliveryConfigInput, DeliveryFacts, SecretDelivery, deliverSecret, deliveryIdentity, parseDuration } from '../../handler';
import type { NestedBlockSchema, TfObject, TfValue } from '../framework';
import { createLogger, levelFromEnv, type Logger } from '../plugin/logger';
import { KEYFORM_SERVE_OPTIONS } from './serve-options';
import { block, fullyKnown, str, strings } from './values';

/** The schema of the `secret_delivery` block. */
export function secretDeliveryBlock(what: string): NestedBlockSchema {
  return {
    nesting: 'single',
    block: {
      description: `Deliver ${what} once, to a file or a command, instead of keeping it in state (state keeps only its fingerprint and version). A change of destination is a re-delivery.`,
      attributes: {
        file: { type: 'string', optional: true, description: 'Write the secret to this file (mode 0600, atomic). Relative paths are relative to the Terraform working directory.' },
        command: {
          type: 'string',
          optional: true,
          description: 'Pipe the secret to this shell command on stdin. It runs with only PATH, HOME, inherit_env and env, and the credential\'s non-secret facts (KEYFORM_KEY_* or KEYFORM_AUTHORIZATION_*).',
        },
        env: { type: ['map', 'string'], optional: true, description: 'Literal environment variables of the command (configuration: not for secrets).' },
        inherit_env: {
          type: ['list', 'string'],
          optional: true,
          description: 'Names of the provider\'s environment variables the command receives, e.g. ["VAULT_TOKEN"] (never KEYFORM_*).',
        },
        timeout: { type: 'string', optional: true, description: 'How long the command may run before it is stopped and the apply fails, e.g. 30s or 2m (default 60s, at most 1h).' },
      },
    },
  };
}

/** The validation input of a config's block (unknown values skipped). */
export function deliveryInput(v: TfValue | undefined): DeliveryConfigInput | undefined {
  const d = block(v);
  if (!d) return undefined;
  const env = block(d.env);
  return {
    file: str(d.file),
    command: str(d.command),
    envNames: env ? Object.keys(env) : undefined,
    inheritEnv: strings(d.inherit_env),
    timeout: str(d.timeout),
    fullyKnown: fullyKnown(d),
  };
}

/** The declared delivery of a config, plan or state; undefined without one. */
export function deliveryOf(s: TfObject): SecretDelivery | undefined {
  const d = block(s.secret_delivery);
  if (!d) return undefined;
  const file = str(d.file);
  if (file) return { file };
  const command = str(d.command);
  if (!command) return undefined;
  const env = block(d.env);
  const timeout = str(d.timeout);
  return {
    command,
    ...(env ? { env: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string')) } : {}),
    ...(strings(d.inherit_env) ? { inheritEnv: strings(d.inherit_env) } : {}),
    ...(timeout ? { timeoutSeconds: parseDuration(timeout) } : {}),
  };
}

/** Whether a block is declared at all (known or not). */
export function deliveryDeclared(s: TfObject): boolean {
  return block(s.secret_delivery) !== undefined;
}

/**
 * Whether the destination of `next` differs from `prior`'s: added, removed, another file or command,
 * other env or inherited names, or not yet known. A changed timeout alone is not a new destination.
 */
export function deliveryDestinationChanged(prior: TfObject, next: TfObject): boolean {
  const p = block(prior.secret_delivery);
  const n = block(next.secret_delivery);
  if (!p && !n) return false;
  if (!p || !n) return true;
  if (!fullyKnown(n)) return true;
  return deliveryIdentity(deliveryOf(prior)) !== deliveryIdentity(deliveryOf(next));
}

let logger: Logger | undefined;

/** The provider's logger (hclog JSON on stderr, re-emitted by Terraform under TF_LOG). */
function log(): Logger {
  logger ??= createLogger(KEYFORM_SERVE_OPTIONS.module, levelFromEnv(process.env), undefined, KEYFORM_SERVE_OPTIONS.redact);
  return logger;
}

/** Delivers `secret` as `s` declares; the command's redacted error output goes to the debug log only. */
export async function deliver(s: TfObject, secret: string, facts: DeliveryFacts, where: string): Promise<void> {
  const d = deliveryOf(s);
  if (!d) return;
  await deliverSecret(d, secret, facts, {
    debug: (message, fields) => log().log('debug', `${where}: ${message}`, fields),
  });
}
