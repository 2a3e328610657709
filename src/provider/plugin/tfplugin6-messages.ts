/**
 * The tfplugin6 (protocol 6.10, Terraform 1.11) and go-plugin messages this runtime reads and writes,
 * as field tables for `protobuf-wire.ts`. Field numbers are facts of the wire format; only the
 * fields the runtime uses are listed (unknown fields are skipped when decoding).
 */
import { f, type MessageSpec } from './protobuf-wire';

/** Diagnostic.Severity values. */
export const SEVERITY = { ERROR: 1, WARNING: 2 } as const;
/** Schema.NestedBlock.NestingMode values. */
export const NESTING = { single: 1, list: 2, set: 3, map: 4, group: 5 } as const;

/** DynamicValue: msgpack or JSON encoded cty value. */
export const DynamicValue: MessageSpec = { msgpack: f.bytes(1), json: f.bytes(2) };

/** AttributePath.Step: one of attribute_name / element_key_string / element_key_int. */
export const AttributePathStep: MessageSpec = {
  attribute_name: f.string(1),
  element_key_string: f.string(2),
  element_key_int: f.int64(3),
};
/** AttributePath. */
export const AttributePath: MessageSpec = { steps: f.repeated(1, () => AttributePathStep) };

/** Diagnostic. */
export const Diagnostic: MessageSpec = {
  severity: f.enum(1),
  summary: f.string(2),
  detail: f.string(3),
  attribute: f.msg(4, () => AttributePath),
};

/** RawState (json form only is used). */
export const RawState: MessageSpec = { json: f.bytes(1), flatmap: f.map(2, 'string') };

/** Schema.Attribute. */
export const SchemaAttribute: MessageSpec = {
  name: f.string(1),
  type: f.bytes(2),
  description: f.string(3),
  required: f.bool(4),
  optional: f.bool(5),
  computed: f.bool(6),
  sensitive: f.bool(7),
  description_kind: f.enum(8),
  deprecated: f.bool(9),
  write_only: f.bool(11),
};
/** Schema.NestedBlock. */
export const SchemaNestedBlock: MessageSpec = {
  type_name: f.string(1),
  block: f.msg(2, () => SchemaBlock),
  nesting: f.enum(3),
  min_items: f.int64(4),
  max_items: f.int64(5),
};
/** Schema.Block. */
export const SchemaBlock: MessageSpec = {
  version: f.int64(1),
  attributes: f.repeated(2, () => SchemaAttribute),
  block_types: f.repeated(3, () => SchemaNestedBlock),
  description: f.string(4),
  description_kind: f.enum(5),
  deprecated: f.bool(6),
};
/** Schema. */
export const Schema: MessageSpec = { version: f.int64(1), block: f.msg(2, () => SchemaBlock) };

/** ServerCapabilities. */
export const ServerCapabilities: MessageSpec = {
  plan_destroy: f.bool(1),
  get_provider_schema_optional: f.bool(2),
  move_resource_state: f.bool(3),
};

/** ClientCapabilities: what the Terraform calling this RPC can handle. */
export const ClientCapabilities: MessageSpec = {
  deferral_allowed: f.bool(1),
  write_only_attributes_allowed: f.bool(2),
};

/** google.protobuf.Timestamp. */
export const Timestamp: MessageSpec = { seconds: f.int64(1), nanos: f.int64(2) };

/** Deferred: why a change is deferred (never sent by this runtime; listed so responses decode in tests). */
export const Deferred: MessageSpec = { reason: f.enum(1) };

const TypeNameOnly: MessageSpec = { type_name: f.string(1) };
const caps = (no: number) => f.msg(no, () => ClientCapabilities);
const Diagnostics1: MessageSpec = { diagnostics: f.repeated(1, () => Diagnostic) };
const Empty: MessageSpec = {};

/** Request and response tables per RPC of `tfplugin6.Provider`. */
export const RPC: { readonly [method: string]: { readonly req: MessageSpec; readonly res: MessageSpec } } = {
  GetMetadata: {
    req: Empty,
    res: {
      server_capabilities: f.msg(1, () => ServerCapabilities),
      diagnostics: f.repeated(2, () => Diagnostic),
      data_sources: f.repeated(3, () => TypeNameOnly),
      resources: f.repeated(4, () => TypeNameOnly),
      ephemeral_resources: f.repeated(6, () => TypeNameOnly),
    },
  },
  GetProviderSchema: {
    req: Empty,
    res: {
      provider: f.msg(1, () => Schema),
      resource_schemas: f.map(2, () => Schema),
      data_source_schemas: f.map(3, () => Schema),
      diagnostics: f.repeated(4, () => Diagnostic),
      provider_meta: f.msg(5, () => Schema),
      server_capabilities: f.msg(6, () => ServerCapabilities),
      ephemeral_resource_schemas: f.map(8, () => Schema),
    },
  },
  ValidateProviderConfig: {
    req: { config: f.msg(1, () => DynamicValue) },
    res: { diagnostics: f.repeated(2, () => Diagnostic) },
  },
  ValidateResourceConfig: {
    req: { type_name: f.string(1), config: f.msg(2, () => DynamicValue), client_capabilities: caps(3) },
    res: Diagnostics1,
  },
  ValidateDataResourceConfig: {
    req: { type_name: f.string(1), config: f.msg(2, () => DynamicValue) },
    res: Diagnostics1,
  },
  ValidateEphemeralResourceConfig: {
    req: { type_name: f.string(1), config: f.msg(2, () => DynamicValue) },
    res: Diagnostics1,
  },
  UpgradeResourceState: {
    req: { type_name: f.string(1), version: f.int64(2), raw_state: f.msg(3, () => RawState) },
    res: { upgraded_state: f.msg(1, () => DynamicValue), diagnostics: f.repeated(2, () => Diagnostic) },
  },
  ConfigureProvider: {
    req: { terraform_version: f.string(1), config: f.msg(2, () => DynamicValue), client_capabilities: caps(3) },
    res: Diagnostics1,
  },
  ReadResource: {
    req: { type_name: f.string(1), current_state: f.msg(2, () => DynamicValue), private: f.bytes(3), client_capabilities: caps(5) },
    res: { new_state: f.msg(1, () => DynamicValue), diagnostics: f.repeated(2, () => Diagnostic), private: f.bytes(3) },
  },
  PlanResourceChange: {
    req: {
      type_name: f.string(1),
      prior_state: f.msg(2, () => DynamicValue),
      proposed_new_state: f.msg(3, () => DynamicValue),
      config: f.msg(4, () => DynamicValue),
      prior_private: f.bytes(5),
      client_capabilities: caps(7),
    },
    res: {
      planned_state: f.msg(1, () => DynamicValue),
      requires_replace: f.repeated(2, () => AttributePath),
      planned_private: f.bytes(3),
      diagnostics: f.repeated(4, () => Diagnostic),
    },
  },
  ApplyResourceChange: {
    req: {
      type_name: f.string(1),
      prior_state: f.msg(2, () => DynamicValue),
      planned_state: f.msg(3, () => DynamicValue),
      config: f.msg(4, () => DynamicValue),
      planned_private: f.bytes(5),
    },
    res: { new_state: f.msg(1, () => DynamicValue), private: f.bytes(2), diagnostics: f.repeated(3, () => Diagnostic) },
  },
  ImportResourceState: {
    req: { type_name: f.string(1), id: f.string(2), client_capabilities: caps(3) },
    res: {
      imported_resources: f.repeated(1, () => ({
        type_name: f.string(1),
        state: f.msg(2, () => DynamicValue),
        private: f.bytes(3),
      })),
      diagnostics: f.repeated(2, () => Diagnostic),
    },
  },
  MoveResourceState: {
    req: { source_type_name: f.string(2), target_type_name: f.string(5) },
    res: { target_state: f.msg(1, () => DynamicValue), diagnostics: f.repeated(2, () => Diagnostic) },
  },
  ReadDataSource: {
    req: { type_name: f.string(1), config: f.msg(2, () => DynamicValue), client_capabilities: caps(4) },
    res: { state: f.msg(1, () => DynamicValue), diagnostics: f.repeated(2, () => Diagnostic) },
  },
  OpenEphemeralResource: {
    req: { type_name: f.string(1), config: f.msg(2, () => DynamicValue), client_capabilities: caps(3) },
    res: {
      diagnostics: f.repeated(1, () => Diagnostic),
      renew_at: f.msg(2, () => Timestamp),
      result: f.msg(3, () => DynamicValue),
      private: f.bytes(4),
      deferred: f.msg(5, () => Deferred),
    },
  },
  RenewEphemeralResource: {
    req: { type_name: f.string(1), private: f.bytes(2) },
    res: { diagnostics: f.repeated(1, () => Diagnostic), renew_at: f.msg(2, () => Timestamp), private: f.bytes(3) },
  },
  CloseEphemeralResource: { req: { type_name: f.string(1), private: f.bytes(2) }, res: Diagnostics1 },
  GetFunctions: {
    req: Empty,
    res: { functions: f.map(1, () => Empty), diagnostics: f.repeated(2, () => Diagnostic) },
  },
  CallFunction: {
    req: { name: f.string(1) },
    res: { result: f.msg(1, () => DynamicValue), error: f.msg(2, () => ({ text: f.string(1) })) },
  },
  StopProvider: { req: Empty, res: { Error: f.string(1) } },
};
