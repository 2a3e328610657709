/**
 * Delivering a key's secret outside Terraform's state: once, to a file (mode 0600, written atomically
 * by rename) or to a command's standard input. Errors never include the secret.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { HandlerError, scrubSecrets } from './errors';
import { MESSAGES } from './messages';

/** Where a secret goes. */
export type SecretDelivery = { readonly file: string } | { readonly command: string };

/** Non-secret facts passed to a delivery command as environment variables. */
export interface DeliveryContext {
  readonly keyId: string;
  readonly prefix: string;
  readonly fingerprint: string;
  readonly version: number;
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

/** Runs `command` with a shell and writes `secret` (one line) to its standard input. */
export async function deliverToCommand(command: string, secret: string, ctx: DeliveryContext): Promise<void> {
  const result = await new Promise<{ code: number | null; error?: Error; stderr: string }>((resolve) => {
    const child = spawn('/bin/sh', ['-c', command], {
      stdio: ['pipe', 'ignore', 'pipe'],
      env: {
        ...process.env,
        KEYFORM_KEY_ID: ctx.keyId,
        KEYFORM_KEY_PREFIX: ctx.prefix,
        KEYFORM_KEY_FINGERPRINT: ctx.fingerprint,
        KEYFORM_KEY_VERSION: String(ctx.version),
      },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 2000) stderr += d.toString('utf8');
    });
    child.on('error', (error) => resolve({ code: null, error, stderr }));
    child.on('close', (code) => resolve({ code, stderr }));
    child.stdin.on('error', () => undefined); // a command that does not read its input is its own business
    child.stdin.end(`${secret}\n`);
  });
  if (result.error || result.code !== 0) {
    // The command's own output could echo its input: cut the secret out before reporting.
    const tail = scrubSecrets(result.stderr, [secret]).trim().slice(-500);
    const reason = result.error ? result.error.message : `exit status ${result.code}${tail ? `: ${tail}` : ''}`;
    throw new HandlerError(MESSAGES.secretDeliveryCommandFailed(reason), { path: ['secret_delivery', 'command'] });
  }
}

/** Delivers a secret as declared. */
export async function deliverSecret(delivery: SecretDelivery, secret: string, ctx: DeliveryContext): Promise<void> {
  if ('file' in delivery) await deliverToFile(delivery.file, secret);
  else await deliverToCommand(delivery.command, secret, ctx);
}
