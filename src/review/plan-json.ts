/**
 * The parts of Terraform's machine-readable plan (`terraform show -json <planfile>`) that the review
 * reads. Terraform documents this format as "JSON Output Format"; only the fields used here are typed.
 */

/** A JSON value as Terraform writes it. */
export type Json = null | string | number | boolean | Json[] | { [key: string]: Json };

/** One of Terraform's change actions. */
export type PlanAction = 'no-op' | 'create' | 'read' | 'update' | 'delete' | 'forget';

/** The change of one resource instance. */
export interface PlanChange {
  readonly actions: readonly PlanAction[];
  readonly before?: Json;
  readonly after?: Json;
  /** Mirrors `after`; `true` where the value is known only after apply (such keys are absent from `after`). */
  readonly after_unknown?: Json;
  /** Mirrors `before`; `true` where the value is sensitive. */
  readonly before_sensitive?: Json;
  /** Mirrors `after`; `true` where the value is sensitive. */
  readonly after_sensitive?: Json;
  /** Attribute paths whose change forces the replacement. */
  readonly replace_paths?: ReadonlyArray<ReadonlyArray<string | number>>;
}

/** One entry of `resource_changes`. */
export interface ResourceChange {
  readonly address: string;
  readonly module_address?: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly change: PlanChange;
  /** Why Terraform plans this action, e.g. `replace_because_cannot_update`, `replace_by_request`. */
  readonly action_reason?: string;
}

/** One resource block of `configuration`. */
export interface ConfigResource {
  readonly address: string;
  readonly mode?: string;
  readonly type: string;
  readonly name: string;
  readonly expressions?: { readonly [attr: string]: { readonly references?: readonly string[] } | unknown };
}

/** A module of `configuration`. */
export interface ConfigModule {
  readonly resources?: readonly ConfigResource[];
  readonly module_calls?: { readonly [name: string]: { readonly module?: ConfigModule } };
}

/** A resource of `prior_state.values` / `planned_values`. */
export interface StateResource {
  readonly address: string;
  readonly mode: string;
  readonly type: string;
  readonly name: string;
  readonly values?: { readonly [attr: string]: Json };
}

/** A module of state values. */
export interface StateModule {
  readonly resources?: readonly StateResource[];
  readonly child_modules?: readonly StateModule[];
}

/** The plan document. */
export interface PlanJson {
  readonly format_version: string;
  readonly terraform_version?: string;
  readonly resource_changes?: readonly ResourceChange[];
  /** Changes made outside Terraform since the last apply, found by refresh (same shape). */
  readonly resource_drift?: readonly ResourceChange[];
  readonly prior_state?: { readonly values?: { readonly root_module?: StateModule } };
  readonly configuration?: { readonly root_module?: ConfigModule };
}

/** Every resource of a state module tree, depth first. */
export function stateResources(module: StateModule | undefined): StateResource[] {
  if (!module) return [];
  return [...(module.resources ?? []), ...(module.child_modules ?? []).flatMap((m) => stateResources(m))];
}
