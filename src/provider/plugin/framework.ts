/**
 * The contract between this tfplugin6 runtime and a provider definition: the runtime speaks gRPC,
 * msgpack/cty and the handshake; the definition describes schemas and implements the resource
 * lifecycle on plain JavaScript values.
 *
 * Values crossing this boundary are plain JS decoded from cty:
 * - `null` for a null value, {@link UNKNOWN} for an unknown ("known after apply") value,
 * - string / number / boolean for primitives (big numbers as `number` when safe, else `string`),
 * - arrays for lists and sets (sets sorted as Terraform sends them), objects for maps, objects and
 *   nested blocks (a `single` block is an object or null; `list`/`set` blocks are arrays).
 * Every attribute of a schema is present in every object value (null when absent).
 */

/** The marker of an unknown value. */
export const UNKNOWN: unique symbol = Symbol.for('tfplugin6.unknown');
/** Type of the unknown marker. */
export type Unknown = typeof UNKNOWN;

/** A decoded Terraform value. */
export type TfValue = null | Unknown | string | number | boolean | TfValue[] | { [key: string]: TfValue };
/** An object value (a resource's state, config or plan). */
export type TfObject = { [key: string]: TfValue };

/** A cty type, written as Terraform writes it in JSON. */
export type CtyType =
  | 'string'
  | 'number'
  | 'bool'
  | 'dynamic'
  | ['list', CtyType]
  | ['set', CtyType]
  | ['map', CtyType]
  | ['object', { [attr: string]: CtyType }];

/**
 * What an attribute's plan modifier sees: one attribute of one PlanResourceChange (create or update,
 * never destroy), with the enclosing object's prior, planned and configured values.
 */
export interface AttributePlanRequest<C = unknown> {
  /** The attribute's path from the resource's root. */
  readonly path: AttributePath;
  /** The configured value (null when not set, UNKNOWN when known only after apply). */
  readonly configValue: TfValue;
  /** The prior value; null on create. */
  readonly stateValue: TfValue;
  /** The planned value so far (after the runtime's and earlier modifiers' steps). */
  readonly planValue: TfValue;
  /** The enclosing object before the change; null on create. */
  readonly prior: TfObject | null;
  /** The enclosing object as planned so far (earlier attributes' modifiers already applied). */
  readonly planned: TfObject;
  /** The enclosing object's configuration. */
  readonly config: TfObject | null;
  readonly ctx: CallContext<C>;
}

/** What an attribute's plan modifier decides; an absent field changes nothing. */
export interface AttributePlanResponse {
  /** The new planned value of the attribute. */
  readonly planValue?: TfValue;
  /** True: the change of this attribute forces replacement (false never undoes an earlier true). */
  readonly requiresReplace?: boolean;
  readonly diagnostics?: readonly Diagnostic[];
}

/**
 * A custom plan modifier of one attribute. Runs after the attribute's `default` and
 * `useStateForUnknown`, in declaration order, and before the replacement checks (which judge the
 * final planned value). Synchronous: anything needing I/O belongs to the resource's `modifyPlan`.
 * May throw a {@link DiagnosticError}.
 */
export interface PlanModifier<C = unknown> {
  /** What it does, for people reading the schema. */
  readonly description: string;
  modify(req: AttributePlanRequest<C>): AttributePlanResponse | undefined;
}

/** The condition of a `requiresReplaceIf`: asked only on update when planned and prior values differ. */
export interface ReplaceCondition<C = unknown> {
  /** When the change forces replacement, for people reading the schema. */
  readonly description: string;
  when(req: AttributePlanRequest<C>): boolean;
}

/**
 * One attribute of a schema block. Exactly one of required / optional / computed (optional may pair
 * with computed). Its plan modifiers run in this order on create and update: `default`,
 * `useStateForUnknown` and `planModifiers` decide the planned value, then `requiresReplace` and
 * `requiresReplaceIf` judge whether that value forces replacement.
 */
export interface AttributeSchema<C = unknown> {
  readonly type: CtyType;
  readonly description: string;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly sensitive?: boolean;
  readonly deprecated?: boolean;
  /** The planned value when the configuration leaves the attribute null (optional and computed only). */
  readonly default?: TfValue;
  /**
   * On update, a planned value left unknown (a computed attribute of a changed object) becomes the
   * prior value, null included: the attribute changes only when `modifyPlan` says so.
   */
  readonly useStateForUnknown?: boolean;
  /** A change of this attribute on an existing object forces replacement. */
  readonly requiresReplace?: boolean;
  /** A change of this attribute on an existing object forces replacement when the condition holds. */
  readonly requiresReplaceIf?: ReplaceCondition<C>;
  /** Custom plan modifiers, after `default` and `useStateForUnknown`, before the replacement checks. */
  readonly planModifiers?: readonly PlanModifier<C>[];
  /**
   * Write-only (Terraform 1.11+): the value reaches the provider in the configuration of validate,
   * plan, create and update, and is null in every state and plan the provider returns (the runtime
   * nulls it whatever the definition returns). Not with `computed`, and not inside a set block. A
   * configuration that sets it is refused when the calling Terraform cannot handle write-only values.
   */
  readonly writeOnly?: boolean;
}

/** A nested block of a schema block. */
export interface NestedBlockSchema<C = unknown> {
  readonly nesting: 'single' | 'list' | 'set';
  readonly block: BlockSchema<C>;
  readonly minItems?: number;
  readonly maxItems?: number;
}

/** A schema block: attributes and nested blocks. */
export interface BlockSchema<C = unknown> {
  readonly description: string;
  readonly attributes: { readonly [name: string]: AttributeSchema<C> };
  readonly blocks?: { readonly [name: string]: NestedBlockSchema<C> };
}

/** A path to an attribute: names for attributes and object keys, numbers for list indexes. */
export type AttributePath = ReadonlyArray<string | number>;

/** A diagnostic shown by Terraform. Never put a secret in summary or detail. */
export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail?: string;
  readonly attribute?: AttributePath;
}

/** Thrown by a definition to fail an operation with diagnostics; other errors become one error diagnostic. */
export class DiagnosticError extends Error {
  /** The diagnostics to report. */
  public readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => d.summary).join('; '));
    this.name = 'DiagnosticError';
    this.diagnostics = diagnostics;
  }
}

/** What the calling Terraform can handle (tfplugin6 ClientCapabilities); false when not sent. */
export interface ClientCapabilities {
  /** The client handles deferred responses. */
  readonly deferralAllowed: boolean;
  /** The client handles write-only attributes (Terraform 1.11+). */
  readonly writeOnlyAttributesAllowed: boolean;
}

/** What every call of a configured provider receives. `C` is what `configure` returned. */
export interface CallContext<C> {
  /** The configured provider state (e.g. an API client); undefined before ConfigureProvider. */
  readonly provider: C | undefined;
  /** The Terraform type name of the called resource, data source or ephemeral resource. */
  readonly typeName: string;
  /** The capabilities sent with this RPC, or else with ConfigureProvider; undefined when never sent. */
  readonly clientCapabilities?: ClientCapabilities;
}

/** Result of planning a change (and of a resource's `modifyPlan`). */
export interface PlanResult {
  /** The planned new state: config values plus computed values (UNKNOWN when known only after apply). */
  readonly planned: TfObject;
  /** Attributes whose change forces replacement (from `modifyPlan`: added to the schema's). */
  readonly requiresReplace?: readonly AttributePath[];
  readonly diagnostics?: readonly Diagnostic[];
}

/** What a resource's `modifyPlan` receives: the plan after the schema's steps. */
export interface ModifyPlanRequest {
  /** The object before the change; null on create. */
  readonly prior: TfObject | null;
  /** The plan so far: computed nulls made unknown, then every attribute's modifiers applied. */
  readonly planned: TfObject;
  readonly config: TfObject;
  readonly privateData: Uint8Array | undefined;
  /** The paths the schema's modifiers found forcing replacement (empty on create). */
  readonly requiresReplace: readonly AttributePath[];
}

/** A managed resource type. */
export interface ResourceDefinition<C> {
  readonly schema: BlockSchema<C>;
  /** Schema version, stored in state; bump with an `upgrade` when the shape changes. */
  readonly version: number;
  /** Config-only checks (ValidateResourceConfig); may see UNKNOWN values. */
  validate?(config: TfObject, ctx: CallContext<C>): Diagnostic[] | Promise<Diagnostic[]>;
  /**
   * The last step of PlanResourceChange for create and update (not destroy), after the runtime's:
   * computed attributes the configuration leaves null become UNKNOWN when the object changes, then
   * each attribute's declared modifiers run (see {@link AttributeSchema}). Returns the final plan;
   * its `requiresReplace` paths are added to the schema's. Without it the schema's plan is final.
   */
  modifyPlan?(req: ModifyPlanRequest, ctx: CallContext<C>): Promise<PlanResult>;
  /**
   * PlanResourceChange of a destroy (the resource block removed, `terraform destroy`, the delete half
   * of a replacement is planned through `modifyPlan`): diagnostics only; an error refuses the plan. The
   * runtime announces the `plan_destroy` capability so that Terraform asks.
   */
  planDestroy?(req: { prior: TfObject; privateData: Uint8Array | undefined }, ctx: CallContext<C>): Promise<readonly Diagnostic[]>;
  /** Create from a planned state; returns the new state (every attribute known). */
  create(req: { planned: TfObject; config: TfObject }, ctx: CallContext<C>): Promise<{ state: TfObject; privateData?: Uint8Array }>;
  /** Refresh; return null when the object is gone (Terraform then plans a create). */
  read(req: { state: TfObject; privateData: Uint8Array | undefined }, ctx: CallContext<C>): Promise<{ state: TfObject | null; privateData?: Uint8Array }>;
  /** Update in place. */
  update(req: { prior: TfObject; planned: TfObject; config: TfObject; privateData: Uint8Array | undefined }, ctx: CallContext<C>): Promise<{ state: TfObject; privateData?: Uint8Array }>;
  /** Destroy; must succeed when the object is already gone. */
  delete(req: { prior: TfObject }, ctx: CallContext<C>): Promise<void>;
  /** ImportResourceState: from an id to a state that `read` then refreshes. */
  import?(req: { id: string }, ctx: CallContext<C>): Promise<TfObject>;
  /** UpgradeResourceState from an older schema version (raw JSON state). */
  upgrade?(req: { version: number; state: Record<string, unknown> }, ctx: CallContext<C>): TfObject;
}

/** A data source type. */
export interface DataSourceDefinition<C> {
  readonly schema: BlockSchema;
  validate?(config: TfObject, ctx: CallContext<C>): Diagnostic[] | Promise<Diagnostic[]>;
  read(req: { config: TfObject }, ctx: CallContext<C>): Promise<TfObject>;
}

/** What opening an ephemeral resource produced. */
export interface EphemeralOpenResult {
  /** The result object (every attribute known); Terraform keeps it in memory only, never in state or plan. */
  readonly result: TfObject;
  /** When Terraform should call `renew` (if the resource is still open then); absent: never. */
  readonly renewAt?: Date;
  /** Opaque data Terraform hands back to `renew` and `close` (kept in memory only). */
  readonly privateData?: Uint8Array;
  readonly diagnostics?: readonly Diagnostic[];
}

/** What renewing an ephemeral resource produced. */
export interface EphemeralRenewResult {
  /** The next renewal time; absent: no further renewal. */
  readonly renewAt?: Date;
  /** Replaces the private data; absent: Terraform keeps none. */
  readonly privateData?: Uint8Array;
  readonly diagnostics?: readonly Diagnostic[];
}

/**
 * An ephemeral resource type (Terraform 1.10+): opened when a run needs its result, renewed at
 * `renewAt` while still needed, closed when the run is done. Its result never enters state or plan.
 */
export interface EphemeralResourceDefinition<C> {
  readonly schema: BlockSchema;
  /** Config-only checks (ValidateEphemeralResourceConfig); may see UNKNOWN values. */
  validate?(config: TfObject, ctx: CallContext<C>): Diagnostic[] | Promise<Diagnostic[]>;
  /** OpenEphemeralResource: the configuration is wholly known. */
  open(req: { config: TfObject }, ctx: CallContext<C>): Promise<EphemeralOpenResult>;
  /** RenewEphemeralResource; without it a renew_at is never honoured beyond answering empty. */
  renew?(req: { privateData: Uint8Array | undefined }, ctx: CallContext<C>): Promise<EphemeralRenewResult>;
  /** CloseEphemeralResource: release what `open` obtained; must succeed when it is already gone. */
  close?(req: { privateData: Uint8Array | undefined }, ctx: CallContext<C>): Promise<void>;
}

/** A whole provider: its own config schema, how to configure it, and its types. */
export interface ProviderDefinition<C> {
  readonly schema: BlockSchema;
  validate?(config: TfObject): Diagnostic[] | Promise<Diagnostic[]>;
  /** ConfigureProvider: returns the state every later call receives as `ctx.provider`. */
  configure(config: TfObject, meta: { terraformVersion: string; clientCapabilities?: ClientCapabilities }): Promise<C>;
  readonly resources: { readonly [typeName: string]: ResourceDefinition<C> };
  readonly dataSources: { readonly [typeName: string]: DataSourceDefinition<C> };
  /** Ephemeral resource types (`ephemeral "<type>" "<name>"` blocks). */
  readonly ephemeralResources?: { readonly [typeName: string]: EphemeralResourceDefinition<C> };
  /** Called on GRPCController.Shutdown / StopProvider before the process exits. */
  close?(provider: C | undefined): Promise<void>;
}
