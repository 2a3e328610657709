import { IConstruct } from 'constructs';
import { App, TerraformStack, Testing } from 'cdktf';
import { KeyformProvider, KeyformProviderConfig } from '../../../src';

/** A fresh app and stack, with a keyform provider unless `provider` is false. */
export function newStack(provider: KeyformProviderConfig | false = {}): { app: App; stack: TerraformStack } {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  if (provider !== false) new KeyformProvider(stack, 'keyform', provider);
  return { app, stack };
}

/** Every validation message in the stack, in tree order. */
export function validationErrors(stack: TerraformStack): string[] {
  return stack.node.findAll().flatMap((c) => c.node.validate());
}

/** The synthesized Terraform JSON of a stack (aspects invoked, validations run). */
export function synthJson(stack: TerraformStack): any {
  return JSON.parse(Testing.synth(stack, true));
}

/** The annotations of a construct subtree as `[level, message]` pairs (after aspects ran). */
export function annotations(scope: IConstruct): Array<[string, string]> {
  return scope.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => m.type.startsWith('@cdktf/')).map((m) => [m.type.replace('@cdktf/', ''), String(m.data)] as [string, string]));
}
