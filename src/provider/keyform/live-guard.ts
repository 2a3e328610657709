/**
 * The live guard of every keyform resource: one check (`checkLiveAllowed`), one message, at plan
 * (create, update, rotation, replacement, destroy and the removal of a resource block, which Terraform
 * plans as a destroy) and again at apply.
 */
import { LiveAction, checkLiveAllowed } from '../../handler';
import { DiagnosticError, type CallContext, type Diagnostic, type TfObject } from '../framework';
import { configuredProvider, type KeyformContext } from './context';
import { problemsToDiagnostics, str } from './values';

/** Refuses the operation when the object is live before or after it and the provider does not allow live. */
export function guardLive(modes: ReadonlyArray<string | undefined>, k: KeyformContext, action: LiveAction, where: string): void {
  const problems = checkLiveAllowed(modes, k.settings.allowLive, action, where);
  if (problems.length) throw new DiagnosticError(problemsToDiagnostics(problems));
}

/** Guards an operation on an object whose own `mode` (before and, when given, after) decides whether it is live. */
export function guardMode(k: KeyformContext, action: LiveAction, where: string, before: TfObject, after?: TfObject): void {
  guardLive(after ? [str(before.mode), str(after.mode)] : [str(before.mode)], k, action, where);
}

/** The `planDestroy` of a resource with a `mode`: destroying a live object needs allow_live. */
export function planDestroyByMode(where: (s: TfObject) => string): (req: { prior: TfObject }, ctx: CallContext<KeyformContext>) => Promise<Diagnostic[]> {
  return async ({ prior }, ctx) => {
    guardMode(configuredProvider(ctx), 'destroy', where(prior), prior);
    return [];
  };
}

/** The mode of the authorization a grant belongs to (read through the cache); undefined when unknown. */
export async function authorizationMode(k: KeyformContext, authorizationId: string | undefined): Promise<string | undefined> {
  if (!authorizationId || !k.authorizations) return undefined;
  const a = await k.authorizations.observe(authorizationId, `authorization ${authorizationId}`);
  return a?.mode ?? undefined;
}
