/**
 * The `secretDelivery` of keys and authorizations at synth time: validation, and the Terraform value.
 *
 * A relative `file` is relative to the app's directory (the working directory of the synth, which is
 * where cdktf.json is), never to the stack's output folder: Terraform runs in
 * `<outdir>/stacks/<stack>/`, a build output, so the path is written as `${path.module}/<way back to
 * the app>/<file>`. It stays relative, so the same synth output works on every checkout.
 */
import { isAbsolute, posix, relative, resolve, sep } from 'node:path';
import { IConstruct } from 'constructs';
import { App, TerraformStack } from 'cdktf';
import type { ApiKeySecretDelivery } from './api-key';
import { unresolved } from './checks';
import { VALIDATION } from './messages';

/** Synth-time problems of a delivery block, named by construct path. */
export function deliveryProblems(path: string, delivery: ApiKeySecretDelivery | undefined): string[] {
  if (!delivery) return [];
  const targets = [delivery.file, delivery.command].filter((t) => t !== undefined && t !== '');
  const errors: string[] = [];
  if (targets.length !== 1) errors.push(VALIDATION.secretDeliveryTarget(path));
  const commandOnly = [delivery.env && Object.keys(delivery.env).length ? 'env' : undefined, delivery.inheritEnv?.length ? 'inheritEnv' : undefined, delivery.timeout ? 'timeout' : undefined];
  if (delivery.file !== undefined && delivery.command === undefined) {
    for (const field of commandOnly) if (field) errors.push(VALIDATION.secretDeliveryCommandOnly(path, field));
  }
  for (const name of [...Object.keys(delivery.env ?? {}), ...(delivery.inheritEnv ?? [])]) {
    if (unresolved(name)) continue;
    if (/^KEYFORM_/i.test(name)) errors.push(VALIDATION.secretDeliveryReservedEnv(path, name));
    else if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) errors.push(VALIDATION.secretDeliveryEnvName(path, name));
  }
  if (delivery.timeout && (delivery.timeout.toSeconds() > 3600 || delivery.timeout.toSeconds() < 1)) errors.push(VALIDATION.secretDeliveryTimeout(path, delivery.timeout.toString()));
  return errors;
}

/** The directory a relative delivery file is relative to: the app's (the synth's working directory). */
export function appDirectory(): string {
  return process.cwd();
}

/**
 * The Terraform value of a delivery file: a relative path re-rooted from the stack's working
 * directory to the app's; absolute paths, Terraform expressions and tokens as given.
 */
export function deliveryFile(scope: IConstruct, file: string): string {
  if (unresolved(file) || isAbsolute(file) || file.includes('${')) return file;
  const stack = TerraformStack.of(scope);
  const app = App.of(scope);
  const stackDir = resolve(appDirectory(), app.outdir, 'stacks', stack.node.id);
  const back = relative(stackDir, appDirectory()).split(sep).join(posix.sep);
  // Joined outside ${path.module}: a normalizing join would cancel it against the first `..`.
  return `\${path.module}/${posix.join(back, file.split(sep).join(posix.sep))}`;
}

/** The Terraform value of a `secretDelivery`. */
export function deliveryToTerraform(scope: IConstruct, delivery: ApiKeySecretDelivery | undefined): { [name: string]: any } | undefined {
  if (!delivery) return undefined;
  return {
    file: delivery.file === undefined ? undefined : deliveryFile(scope, delivery.file),
    command: delivery.command,
    env: delivery.env,
    inherit_env: delivery.inheritEnv,
    timeout: delivery.timeout?.toString(),
  };
}
