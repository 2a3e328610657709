/**
 * Delivering a secret (an API key's value, an authorization's client secret) outside Terraform's
 * state: once, to a file (mode 0600, written atomically by rename) or to a command's standard input.
 *
 * The command is untrusted plumbing, so it gets as little as possible and gives back nothing secret:
 * - environment: only PATH and HOME of the provider's, the variables named in `inherit_env`, the
 *   literal `env` map, and the non-secret facts of the credential (id, prefix, fingerprint, version).
 *   Never the provider's own credentials (KEYFORM_CLIENT_SECRET, KEYFORM_TOKEN) or anything else the
 *   provider happens to hold (cloud credentials of the CI job);
 * - the secret only on standard input, never in argv or the environment;
 * - a timeout (default 60 s): the command's whole process group is stopped when it passes;
 * - its error output is redacted (the secret in any form, and any fragment of 8 or more characters of
 *   it) before it goes anywhere: the diagnostic carries the exit status and the first redacted line,
 *   the full redacted output goes only to the provider's debug log (TF_LOG=debug).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { HandlerError, scrubSecrets } from './errors';
import { MESSAGES } from './messages';

/** Seconds a delivery command may run when its block sets no `timeout`. */
export const DEFAULT_DELIVERY_TIMEOUT_SECONDS = 60;
/** The longest `timeout` a delivery block accepts (one hour): the rulebook's. */
export { MAX_DELIVERY_TIMEOUT_SECONDS } from '../model/rules/delivery';
/** Environment variables a delivery command gets from the provider without being asked for. */
export const BASE_DELIVERY_ENV = ['PATH', 'HOME'] as const;
/** Shortest run of a secret's characters that counts as a leaked fragment. */
const FRAGMENT = 8;
/** Most error output kept from a delivery command. */
const MAX_STDERR = 16_384;

/** A delivery command and what it runs with. */
export interface CommandDelivery {
  readonly command: string;
  /** Literal variables (not secret: they are configuration, so they are in plan and state). */
  readonly env?: Readonly<Record<string, string>>;
  /** Names of the provider's environment variables passed through (e.g. the secret store's token). */
  readonly inheritEnv?: readonly string[];
  /** Seconds before the command is stopped; default {@link DEFAULT_DELIVERY_TIMEOUT_SECONDS}. */
  readonly timeoutSeconds?: number;
}

/** Where a secret goes. */
export type SecretDelivery = { readonly file: string } | CommandDelivery;

/** Non-secret facts of the delivered credential, passed to a command as environment variables. */
export type DeliveryFacts = Readonly<Record<string, string>>;

/** The facts of an API key: KEYFORM_KEY_ID, KEYFORM_KEY_PREFIX, KEYFORM_KEY_FINGERPRINT, KEYFORM_KEY_VERSION. */
export function keyDeliveryFacts(k: { id: string; prefix: string; fingerprint: string; version: number }): DeliveryFacts {
  return { KEYFORM_KEY_ID: k.id, KEYFORM_KEY_PREFIX: k.prefix, KEYFORM_KEY_FINGERPRINT: k.fingerprint, KEYFORM_KEY_VERSION: String(k.version) };
}

/** The facts of an authorization: KEYFORM_AUTHORIZATION_ID, KEYFORM_OAUTH_CLIENT_ID (when issued), KEYFORM_SECRET_FINGERPRINT. */
export function authorizationDeliveryFacts(a: { id: string; clientId: string | null; fingerprint: string }): DeliveryFacts {
  return { KEYFORM_AUTHORIZATION_ID: a.id, ...(a.clientId ? { KEYFORM_OAUTH_CLIENT_ID: a.clientId } : {}), KEYFORM_SECRET_FINGERPRINT: a.fingerprint };
}

/** Where the debug log of a delivery goes (the provider's TF_LOG logger); nothing by default. */
export type DeliveryLog = (message: string, fields: Record<string, string | number>) => void;

/** Options of a delivery. */
export interface DeliveryOptions {
  /** Receives the command's full error output, redacted (the provider logs it at debug level). */
  readonly debug?: DeliveryLog;
  /** The provider's environment (default process.env): where PATH, HOME and `inherit_env` come from. */
  readonly environment?: NodeJS.ProcessEnv;
}

/** A human description of a destination, for plans and messages (delivery targets are not secret). */
export function describeDelivery(d: SecretDelivery | undefined): string {
  if (!d) return 'Terraform state (value)';
  if ('file' in d) return `file "${d.file}"`;
  const extras = [
    ...(d.env && Object.keys(d.env).length ? [`env ${Object.keys(d.env).sort().map((k) => `${k}=${JSON.stringify(d.env![k])}`).join(' ')}`] : []),
    ...(d.inheritEnv && d.inheritEnv.length ? [`inherit_env ${[...d.inheritEnv].sort().join(',')}`] : []),
  ];
  return `command "${d.command}"${extras.length ? ` (${extras.join('; ')})` : ''}`;
}

/**
 * The identity of a destination: what decides where the secret ends up (file, command, its env and
 * inherited variable names), not how long it may take. Two deliveries with the same identity send the
 * secret to the same place.
 */
export function deliveryIdentity(d: SecretDelivery | undefined): string {
  if (!d) return 'state';
  if ('file' in d) return JSON.stringify({ file: d.file });
  const env = d.env ? Object.fromEntries(Object.entries(d.env).sort(([a], [b]) => (a < b ? -1 : 1))) : {};
  return JSON.stringify({ command: d.command, env, inheritEnv: [...new Set(d.inheritEnv ?? [])].sort() });
}

/**
 * Removes a secret from text a delivery command produced: every occurrence of the secret, of its
 * base64, base64url and hex forms, and any run of {@link FRAGMENT} or more characters of any of them;
 * then anything else shaped like a keyform secret, and control characters (terminal escapes).
 */
export function redactDeliveryOutput(text: string, secret: string): string {
  const windows = new Set<string>();
  const b = Buffer.from(secret, 'utf8');
  const forms = [secret, b.toString('base64').replace(/=+$/, ''), b.toString('base64url'), b.toString('hex')];
  for (const f of forms) for (let i = 0; i + FRAGMENT <= f.length; i++) windows.add(f.slice(i, i + FRAGMENT));
  const hit = new Uint8Array(text.length);
  for (let i = 0; i + FRAGMENT <= text.length; i++) {
    if (windows.has(text.slice(i, i + FRAGMENT)) || windows.has(text.slice(i, i + FRAGMENT).toLowerCase())) hit.fill(1, i, i + FRAGMENT);
  }
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (!hit[i]) out += text[i];
    else if (i === 0 || !hit[i - 1]) out += '[redacted]';
  }
  // eslint-disable-next-line no-control-regex
  return scrubSecrets(out, [secret]).replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '').replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, '');
}

/** Writes `secret` to `path` with mode 0600: a temporary file in the same folder, then a rename. */
export async function deliverToFile(path: string, secret: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await fs.mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await fs.writeFile(tmp, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    await fs.chmod(tmp, 0o600);
    await fs.rename(tmp, path);
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new HandlerError(MESSAGES.secretDeliveryFileFailed(path, String(reason)), { path: ['secret_delivery', 'file'] });
  }
}

/** The environment of a delivery command: PATH, HOME, inherited names, the `env` map, then the facts. */
export function deliveryEnvironment(d: CommandDelivery, facts: DeliveryFacts, environment: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of [...BASE_DELIVERY_ENV, ...(d.inheritEnv ?? [])]) {
    const v = environment[name];
    if (v !== undefined) env[name] = v;
  }
  return { ...env, ...(d.env ?? {}), ...facts };
}

/**
 * Runs the command with a shell in its own process group and writes `secret` (one line) to its
 * standard input. Fails with the exit status and the first redacted line of its error output, or when
 * it outlives its timeout (the whole group is stopped: TERM, then KILL a second later).
 */
export async function deliverToCommand(d: CommandDelivery, secret: string, facts: DeliveryFacts, opts: DeliveryOptions = {}): Promise<void> {
  const timeoutSeconds = d.timeoutSeconds ?? DEFAULT_DELIVERY_TIMEOUT_SECONDS;
  const result = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error; timedOut: boolean; stderr: string }>((resolve) => {
    const child = spawn('/bin/sh', ['-c', d.command], {
      stdio: ['pipe', 'ignore', 'pipe'],
      env: deliveryEnvironment(d, facts, opts.environment),
      detached: true,
    });
    let stderr = '';
    let timedOut = false;
    let settled = false;
    const finish = (r: { code: number | null; signal: NodeJS.Signals | null; error?: Error }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killer);
      resolve({ ...r, timedOut, stderr });
    };
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        // The group is already gone.
      }
    };
    let killer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      signalGroup('SIGTERM');
      killer = setTimeout(() => {
        signalGroup('SIGKILL');
        // A descendant that left the group may hold the pipes open: stop waiting for it.
        child.stderr?.destroy();
        finish({ code: null, signal: 'SIGKILL' });
      }, 1000);
    }, timeoutSeconds * 1000);
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < MAX_STDERR) stderr += chunk.toString('utf8');
    });
    child.on('error', (error) => finish({ code: null, signal: null, error }));
    child.on('close', (code, signal) => finish({ code, signal }));
    child.stdin.on('error', () => undefined); // a command that does not read its input is its own business
    child.stdin.end(`${secret}\n`);
  });
  const redacted = redactDeliveryOutput(result.stderr.slice(0, MAX_STDERR), secret);
  if (redacted.trim() && opts.debug) {
    opts.debug('secret_delivery command error output (redacted)', {
      exit_status: result.code ?? -1,
      ...(result.signal ? { signal: result.signal } : {}),
      stderr: redacted,
    });
  }
  if (result.timedOut) {
    throw new HandlerError(MESSAGES.secretDeliveryCommandTimedOut(timeoutSeconds), { path: ['secret_delivery', 'timeout'] });
  }
  if (result.error || result.code !== 0) {
    const firstLine = redacted.split('\n').find((l) => l.trim())?.trim().slice(0, 200) ?? '';
    const status = result.error
      ? `it could not be started (${scrubSecrets(result.error.message)})`
      : result.code === null
        ? `it was stopped by signal ${result.signal ?? 'unknown'}`
        : `exit status ${result.code}`;
    throw new HandlerError(MESSAGES.secretDeliveryCommandFailed(status, firstLine), { path: ['secret_delivery', 'command'] });
  }
}

/** Delivers a secret as declared. */
export async function deliverSecret(delivery: SecretDelivery, secret: string, facts: DeliveryFacts, opts: DeliveryOptions = {}): Promise<void> {
  if ('file' in delivery) await deliverToFile(delivery.file, secret);
  else await deliverToCommand(delivery, secret, facts, opts);
}
