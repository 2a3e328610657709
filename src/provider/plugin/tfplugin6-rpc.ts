/**
 * Typed requests and responses of every `tfplugin6.Provider` RPC this runtime serves: the decoded
 * form of the field tables in `tfplugin6-messages.ts` (snake_case field names as on the wire; a field
 * absent from the wire is undefined). {@link ProviderRpcs} maps each RPC to its pair, and
 * {@link ProviderRpcHandlers} is what a service must implement.
 */
import type { PathStep, ProtoDiagnostic } from './diagnostics';

/** tfplugin6 DynamicValue: a cty value as msgpack (or JSON). */
export interface DynamicValueMessage {
  readonly msgpack?: Buffer;
  readonly json?: Buffer;
}

/** tfplugin6 ClientCapabilities. */
export interface ClientCapabilitiesMessage {
  readonly deferral_allowed?: boolean;
  readonly write_only_attributes_allowed?: boolean;
}

/** tfplugin6 ServerCapabilities. */
export interface ServerCapabilitiesMessage {
  readonly plan_destroy: boolean;
  readonly get_provider_schema_optional: boolean;
  readonly move_resource_state: boolean;
}

/** tfplugin6 Schema.Attribute. */
export interface SchemaAttributeMessage {
  readonly name: string;
  readonly type: Buffer;
  readonly description: string;
  readonly required: boolean;
  readonly optional: boolean;
  readonly computed: boolean;
  readonly sensitive: boolean;
  readonly deprecated: boolean;
  readonly write_only: boolean;
}

/** tfplugin6 Schema.NestedBlock. */
export interface SchemaNestedBlockMessage {
  readonly type_name: string;
  readonly block: SchemaBlockMessage;
  readonly nesting: number;
  readonly min_items: number;
  readonly max_items: number;
}

/** tfplugin6 Schema.Block. */
export interface SchemaBlockMessage {
  readonly description: string;
  readonly attributes: readonly SchemaAttributeMessage[];
  readonly block_types: readonly SchemaNestedBlockMessage[];
}

/** tfplugin6 Schema. */
export interface SchemaMessage {
  readonly version: number;
  readonly block: SchemaBlockMessage;
}

/** tfplugin6 AttributePath. */
export interface AttributePathMessage {
  readonly steps: readonly PathStep[];
}

/** google.protobuf.Timestamp. */
export interface TimestampMessage {
  readonly seconds: number;
  readonly nanos: number;
}

/** Responses that carry only diagnostics. */
export interface DiagnosticsResponse {
  readonly diagnostics?: readonly ProtoDiagnostic[];
}

interface Typed {
  readonly type_name: string;
}
interface WithCapabilities {
  readonly client_capabilities?: ClientCapabilitiesMessage;
}
interface WithConfig {
  readonly config?: DynamicValueMessage;
}

/** Every RPC of `tfplugin6.Provider` served here: its request and response. */
export interface ProviderRpcs {
  GetMetadata: {
    req: Record<string, never>;
    res: DiagnosticsResponse & {
      readonly server_capabilities: ServerCapabilitiesMessage;
      readonly resources: readonly Typed[];
      readonly data_sources: readonly Typed[];
      readonly ephemeral_resources: readonly Typed[];
    };
  };
  GetProviderSchema: {
    req: Record<string, never>;
    res: DiagnosticsResponse & {
      readonly provider: SchemaMessage;
      readonly resource_schemas: Readonly<Record<string, SchemaMessage>>;
      readonly data_source_schemas: Readonly<Record<string, SchemaMessage>>;
      readonly ephemeral_resource_schemas: Readonly<Record<string, SchemaMessage>>;
      readonly server_capabilities: ServerCapabilitiesMessage;
    };
  };
  ValidateProviderConfig: { req: WithConfig; res: DiagnosticsResponse };
  ValidateResourceConfig: { req: Typed & WithConfig & WithCapabilities; res: DiagnosticsResponse };
  ValidateDataResourceConfig: { req: Typed & WithConfig; res: DiagnosticsResponse };
  ValidateEphemeralResourceConfig: { req: Typed & WithConfig; res: DiagnosticsResponse };
  UpgradeResourceState: {
    req: Typed & { readonly version?: number; readonly raw_state?: { readonly json?: Buffer } };
    res: DiagnosticsResponse & { readonly upgraded_state?: DynamicValueMessage };
  };
  ConfigureProvider: { req: WithConfig & WithCapabilities & { readonly terraform_version?: string }; res: DiagnosticsResponse };
  ReadResource: {
    req: Typed & WithCapabilities & { readonly current_state?: DynamicValueMessage; readonly private?: Buffer };
    res: DiagnosticsResponse & { readonly new_state?: DynamicValueMessage; readonly private?: Buffer };
  };
  PlanResourceChange: {
    req: Typed &
      WithConfig &
      WithCapabilities & { readonly prior_state?: DynamicValueMessage; readonly proposed_new_state?: DynamicValueMessage; readonly prior_private?: Buffer };
    res: DiagnosticsResponse & {
      readonly planned_state?: DynamicValueMessage;
      readonly requires_replace?: readonly AttributePathMessage[];
      readonly planned_private?: Buffer;
    };
  };
  ApplyResourceChange: {
    req: Typed & WithConfig & { readonly prior_state?: DynamicValueMessage; readonly planned_state?: DynamicValueMessage; readonly planned_private?: Buffer };
    res: DiagnosticsResponse & { readonly new_state?: DynamicValueMessage; readonly private?: Buffer };
  };
  ImportResourceState: {
    req: Typed & WithCapabilities & { readonly id?: string };
    res: DiagnosticsResponse & { readonly imported_resources?: readonly (Typed & { readonly state: DynamicValueMessage })[] };
  };
  MoveResourceState: { req: { readonly source_type_name?: string; readonly target_type_name?: string }; res: DiagnosticsResponse };
  ReadDataSource: {
    req: Typed & WithConfig & WithCapabilities;
    res: DiagnosticsResponse & { readonly state?: DynamicValueMessage };
  };
  OpenEphemeralResource: {
    req: Typed & WithConfig & WithCapabilities;
    res: DiagnosticsResponse & { readonly result?: DynamicValueMessage; readonly renew_at?: TimestampMessage; readonly private?: Buffer };
  };
  RenewEphemeralResource: {
    req: Typed & { readonly private?: Buffer };
    res: DiagnosticsResponse & { readonly renew_at?: TimestampMessage; readonly private?: Buffer };
  };
  CloseEphemeralResource: { req: Typed & { readonly private?: Buffer }; res: DiagnosticsResponse };
  GetFunctions: { req: Record<string, never>; res: DiagnosticsResponse & { readonly functions: Readonly<Record<string, never>> } };
  CallFunction: { req: { readonly name?: string }; res: { readonly error?: { readonly text: string } } };
  StopProvider: { req: Record<string, never>; res: { readonly Error?: string } };
}

/** The name of an RPC. */
export type RpcName = keyof ProviderRpcs;

/** A service answering every RPC: `rpc<Name>` per RPC, on decoded messages. */
export type ProviderRpcHandlers = {
  [K in RpcName as `rpc${K}`]: (req: ProviderRpcs[K]['req']) => Promise<ProviderRpcs[K]['res']>;
};
