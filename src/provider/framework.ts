/**
 * The contract between the generic tfplugin6 runtime (`src/provider/plugin`) and keyform's provider
 * definition (`src/provider/keyform`). The runtime speaks gRPC, msgpack/cty and the handshake; the
 * definition describes schemas and implements the resource lifecycle on plain JavaScript values.
 *
 * Values crossing this boundary are plain JS decoded from cty:
 * - `null` for a null value, {@link UNKNOWN} for an unknown ("known after apply") value,
 * - string / number / boolean for primitives (big numbers as `number` when safe, else `string`),
 * - arrays for lists and sets (sets sorted as Terraform sends them), objects for maps, objects and
 *   nested blocks (a `single` block is an object or null; `list`/`set` blocks are arrays).
 * Every attribute of a schema is present in every object value (null when absent).
 */

/** The marker of an unknown value. */
export const UNKNOWN: unique symbol = Symbol.for('keyform.unknown');
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

/** One attribute of a schema block. Exactly one of required / optional / computed (optional may pair with computed). */
export interface AttributeSchema {
  readonly type: CtyType;
  readonly description: string;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly sensitive?: boolean;
  readonly deprecated?: boolean;
  /**
   * A change of this attribute on an existing object forces replacement. The runtime adds the path to
   * `requires_replace` whenever prior and planned values differ, with or without a `plan` method.
   */
  readonly requiresReplace?: boolean;
  /**
   * Write-only (Terraform 1.11+): the value reaches the provider in the configuration of validate,
   * plan, create and update, and is null in every state and plan the provider returns (the runtime
   * nulls it whatever the definition returns). Not with `computed`, and not inside a set block. A
   * configuration that sets it is refused when the calling Terraform cannot handle write-only values.
   */
  readonly writeOnly?: boolean;
}

/** A nested block of a schema block. */
export interface NestedBlockSchema {
  readonly nesting: 'single' | 'list' | 'set';
  readonly block: BlockSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
}

/** A schema block: attributes and nested blocks. */
export interface BlockSchema {
  readonly description: string;
  readonly attributes: { readonly [name: string]: AttributeSchema };
  readonly blocks?: { readonly [name: string]: NestedBlockSchema };
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
  /** The Terraform resource type name, e.g. `keyform_api_key`. */
  readonly typeName: string;
  /** The capabilities sent with this RPC, or else with ConfigureProvider; undefined when never sent. */
  readonly clientCapabilities?: ClientCapabilities;
}

/** Result of planning a change. */
export interface PlanResult {
  /** The planned new state: config values plus computed values (UNKNOWN when known only after apply). */
  readonly planned: TfObject;
  /** Attributes whose change forces replacement. */
  readonly requiresReplace?: readonly AttributePath[];
  readonly diagnostics?: readonly Diagnostic[];
}

/** A managed resource type. */
export interface ResourceDefinition<C> {
  readonly schema: BlockSchema;
  /** Schema version, stored in state; bump with an `upgrade` when the shape changes. */
  readonly version: number;
  /** Config-only checks (ValidateResourceConfig); may see UNKNOWN values. */
  validate?(config: TfObject, ctx: CallContext<C>): Diagnostic[] | Promise<Diagnostic[]>;
  /**
   * PlanResourceChange for create and update (not destroy). Without it the runtime plans
   * `proposed` with computed nulls turned UNKNOWN on create and prior computed values kept on update.
   */
  plan?(req: { prior: TfObject | null; proposed: TfObject; config: TfObject; privateData: Uint8Array | undefined }, ctx: CallContext<C>): Promise<PlanResult>;
  /**
   * PlanResourceChange of a destroy (the resource block removed, `terraform destroy`, the delete half
   * of a replacement is planned through `plan`): diagnostics only; an error refuses the plan. The
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
