/**
 * The CDK line a keyform construct is built on must be the line of the stack it joins. cdktf and
 * cdktn recognise each other's stacks (shared `Symbol.for("cdktf/*")` markers), so a construct from
 * `keyform` (cdktf) is accepted into a cdktn stack and only crashes later, at `app.synth()`, with
 * `TypeError: e._resetResolveDiscoveredProviderFeatureUsage is not a function`. This check turns that
 * into a clear error at construction, before anything is added to the tree.
 */
import { IConstruct } from 'constructs';
import { TerraformElement, TerraformStack } from 'cdktf';
import { VALIDATION } from './messages';

type Line = 'cdktf' | 'cdktn';

/** cdktn's elements track provider-feature usage; cdktf 0.21 (its last release) has no such method. */
const OURS: Line = typeof (TerraformElement.prototype as any)._resetResolveDiscoveredProviderFeatureUsage === 'function' ? 'cdktn' : 'cdktf';

/** cdktn's stacks run a preparing resolve that cdktf's lack. */
function lineOf(stack: IConstruct): Line {
  return typeof (stack as any)._runPreparingResolve === 'function' ? 'cdktn' : 'cdktf';
}

/** Throws KF-CONSTRUCT-026 when `scope`'s stack belongs to the other CDK line; returns nothing otherwise. */
export function assertSameLine(scope: IConstruct, id: string): void {
  // Only a scope inside a stack can mismatch; outside one, the framework's own error applies.
  const stack = scope.node.scopes.find((s) => TerraformStack.isStack(s));
  if (!stack) return;
  const theirs = lineOf(stack);
  if (theirs !== OURS) throw new Error(VALIDATION.frameworkLineMismatch(scope.node.path ? `${scope.node.path}/${id}` : id, OURS, theirs));
}
