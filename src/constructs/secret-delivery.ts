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
import { Verdict, deliveryCommandOnlyRule, deliveryEnvNamesRule, deliveryTargetRule, deliveryTimeoutRule } from '../model/rules';
import { ruleFinding } from './messages';

/** Synth-time problems of a delivery block, named by construct path: the rulebook's delivery rules. */
export function deliveryProblems(path: string, delivery: ApiKeySecretDelivery | undefined): string[] {
  if (!delivery) return [];
  const { file, command } = delivery;
  const known = (v: string | undefined) => (v !== undefined && unresolved(v) ? 'unresolved' : v);
  const envNames = Object.keys(delivery.env ?? {});
  const inherit = delivery.inheritEnv ?? [];
  const verdicts: Verdict[] = [
    deliveryTargetRule('secretDelivery', known(file), known(command)),
    deliveryCommandOnlyRule('secretDelivery.env', envNames.length > 0, file, command),
    deliveryCommandOnlyRule('secretDelivery.inheritEnv', inherit.length > 0, file, command),
    deliveryEnvNamesRule('secretDelivery.env', envNames.map((n) => (unresolved(n) ? undefined : n))),
    deliveryEnvNamesRule('secretDelivery.inheritEnv', inherit.map((n) => (unresolved(n) ? undefined : n))),
    delivery.timeout ? timeoutVerdict(delivery.timeout.toString(), file, command) : [],
  ];
  return verdicts.flatMap((v) => v.map((f) => ruleFinding(path, f)));
}

/** A timeout out of range, else one on a file delivery (the order the provider reports them in). */
function timeoutVerdict(timeout: string, file: string | undefined, command: string | undefined): Verdict {
  const range = deliveryTimeoutRule('secretDelivery.timeout', timeout);
  return range.length ? range : deliveryCommandOnlyRule('secretDelivery.timeout', true, file, command);
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
