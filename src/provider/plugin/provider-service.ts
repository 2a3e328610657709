/**
 * The tfplugin6 Provider service on decoded protobuf messages: dispatches every RPC to the provider
 * definition, converts values with the cty codec and errors to diagnostics. Independent of gRPC so it
 * can be tested directly.
 */
import type {
  BlockSchema,
  CallContext,
  ClientCapabilities,
  DataSourceDefinition,
  Diagnostic,
  EphemeralResourceDefinition,
  ProviderDefinition,
  ResourceDefinition,
  TfObject,
} from './framework';
import { blockFromJson, decodeBlock, encodeBlock, formatPath } from './cty-codec';
import type { EphemeralRuntime } from './ephemeral-service';
import { errorToDiagnostics, hasError, messageDiagnostic, pathToSteps, toProtoDiagnostic, type ProtoDiagnostic } from './diagnostics';
import { NO_REDACTION, type Logger, type Redactor } from './logger';
import { MESSAGES } from './messages';
import { planResourceChange } from './plan-pipeline';
import { findUnknown } from './tf-values';
import { NESTING } from './tfplugin6-messages';
import type { ProtoMessage } from './protobuf-wire';
import type {
  ClientCapabilitiesMessage,
  DynamicValueMessage,
  ProviderRpcHandlers,
  ProviderRpcs,
  RpcName,
  SchemaBlockMessage,
  SchemaMessage,
  ServerCapabilitiesMessage,
} from './tfplugin6-rpc';
import { nullWriteOnly, writeOnlyPathsSet, writeOnlySchemaProblems } from './write-only';

type Req<K extends RpcName> = ProviderRpcs[K]['req'];
type Res<K extends RpcName> = Promise<ProviderRpcs[K]['res']>;

function schemaToProto(block: BlockSchema, version = 0): SchemaMessage {
  return { version, block: blockToProto(block) };
}

function blockToProto(block: BlockSchema): SchemaBlockMessage {
  return {
    description: block.description,
    attributes: Object.entries(block.attributes).map(([name, a]) => ({
      name,
      type: Buffer.from(JSON.stringify(a.type), 'utf8'),
      description: a.description,
      required: a.required ?? false,
      optional: a.optional ?? false,
      computed: a.computed ?? false,
      sensitive: a.sensitive ?? false,
      deprecated: a.deprecated ?? false,
      write_only: a.writeOnly ?? false,
    })),
    block_types: Object.entries(block.blocks ?? {}).map(([name, b]) => ({
      type_name: name,
      block: blockToProto(b.block),
      nesting: NESTING[b.nesting],
      min_items: b.minItems ?? 0,
      max_items: b.maxItems ?? 0,
    })),
  };
}

const dv = (msgpack: Buffer): DynamicValueMessage => ({ msgpack });
const nonEmpty = (data: Buffer | undefined) => (data && data.length > 0 ? data : undefined);

/** The capabilities of a request; undefined when the field is absent (older Terraform). */
function capabilitiesOf(req: object): ClientCapabilities | undefined {
  const c = (req as { readonly client_capabilities?: ClientCapabilitiesMessage }).client_capabilities;
  if (!c) return undefined;
  return { deferralAllowed: c.deferral_allowed === true, writeOnlyAttributesAllowed: c.write_only_attributes_allowed === true };
}

const lazyEphemeral = () => import('./ephemeral-service');

/** The Provider service: one method per RPC, taking and returning decoded messages. */
export class ProviderService<C> implements ProviderRpcHandlers {
  private provider: C | undefined;
  private configuredCapabilities: ClientCapabilities | undefined;
  private closed = false;
  private readonly ephemeralRuntime: EphemeralRuntime = {
    encodeBlock,
    formatPath,
    findUnknown,
    hasError,
    messageDiagnostic,
    toProtoDiagnostic: (d, schema) => toProtoDiagnostic(d, schema, this.redact),
    messages: MESSAGES,
  };

  /**
   * @param redact scrubs every diagnostic's text on its way to Terraform (the logger redacts its own
   * lines); a provider that handles secrets must pass one.
   */
  constructor(
    private readonly def: ProviderDefinition<C>,
    private readonly log: Logger,
    private readonly redact: Redactor = NO_REDACTION,
  ) {}

  private ctx(typeName: string, req?: object): CallContext<C> {
    const clientCapabilities = (req && capabilitiesOf(req)) ?? this.configuredCapabilities;
    return { provider: this.provider, typeName, ...(clientCapabilities ? { clientCapabilities } : {}) };
  }

  /** Encodes a state or plan of a resource with every write-only attribute null. */
  private encodeState(schema: BlockSchema, value: TfObject | null): DynamicValueMessage {
    return dv(encodeBlock(schema, nullWriteOnly(schema, value)));
  }

  /** Errors for write-only attributes a configuration sets when the client cannot handle them. */
  private writeOnlyRefusals(schema: BlockSchema, config: TfObject | null, req: object): Diagnostic[] {
    if (capabilitiesOf(req)?.writeOnlyAttributesAllowed) return [];
    return writeOnlyPathsSet(schema, config).map((p) => messageDiagnostic(MESSAGES.writeOnlyNotAllowed(formatPath(p)), p));
  }

  private diags(list: readonly Diagnostic[], schema?: BlockSchema): ProtoDiagnostic[] {
    return list.map((d) => toProtoDiagnostic(d, schema, this.redact));
  }

  private decode(schema: BlockSchema, value: DynamicValueMessage | undefined, what: string): TfObject | null {
    try {
      return decodeBlock(schema, value?.msgpack);
    } catch (err) {
      throw new PluginFault(messageDiagnostic(MESSAGES.invalidRequestValue(what, err instanceof Error ? err.message : String(err))));
    }
  }

  /** The definition of a type of one kind; a runtime fault naming the kind when there is none. */
  private lookup<D>(kind: string, table: { readonly [typeName: string]: D } | undefined, typeName: string): D {
    const d = table && Object.prototype.hasOwnProperty.call(table, typeName) ? table[typeName] : undefined;
    if (!d) throw new PluginFault(messageDiagnostic(MESSAGES.unknownResourceType(kind, typeName)));
    return d;
  }

  private resource(typeName: string): ResourceDefinition<C> {
    return this.lookup('resource', this.def.resources, typeName);
  }

  private ephemeral(typeName: string): EphemeralResourceDefinition<C> {
    return this.lookup('ephemeral resource', this.def.ephemeralResources, typeName);
  }

  private dataSource(typeName: string): DataSourceDefinition<C> {
    return this.lookup('data source', this.def.dataSources, typeName);
  }

  /** Decodes the prior state, the new (proposed or planned) state and the config of a resource change. */
  private decodeChange(schema: BlockSchema, prior: DynamicValueMessage | undefined, next: DynamicValueMessage | undefined, nextName: string, config: DynamicValueMessage | undefined) {
    return {
      prior: this.decode(schema, prior, 'prior state'),
      next: this.decode(schema, next, nextName),
      config: this.decode(schema, config, 'resource configuration'),
    };
  }

  /** Runs one RPC; thrown errors become diagnostics in the response's `diagnostics` field. */
  async handle(method: string, req: ProtoMessage): Promise<ProtoMessage> {
    const started = Date.now();
    const typeName = typeof req.type_name === 'string' ? req.type_name : undefined;
    this.log.log('debug', `${method} started`, { tf_rpc: method, ...(typeName ? { tf_resource_type: typeName } : {}) });
    let res: ProtoMessage;
    const fn = (this as unknown as Record<string, (r: ProtoMessage) => Promise<ProtoMessage>>)[`rpc${method}`];
    try {
      res = await fn.call(this, req);
    } catch (err) {
      const schema = typeName ? this.schemaOf(typeName) : undefined;
      const diags = err instanceof PluginFault ? [err.diagnostic] : errorToDiagnostics(err);
      if (!(err instanceof PluginFault) && !(err instanceof Error && err.name === 'DiagnosticError')) {
        this.log.log('warn', `${method} failed`, { tf_rpc: method, error: err instanceof Error ? err.message : String(err) });
      }
      res = { diagnostics: this.diags(diags, schema) };
    }
    this.log.log('debug', `${method} finished`, {
      tf_rpc: method,
      duration_ms: Date.now() - started,
      diagnostics: Array.isArray(res.diagnostics) ? res.diagnostics.length : 0,
    });
    return res;
  }

  private schemaOf(typeName: string): BlockSchema | undefined {
    return this.def.resources[typeName]?.schema ?? this.def.dataSources[typeName]?.schema ?? this.def.ephemeralResources?.[typeName]?.schema;
  }

  async rpcGetMetadata(): Res<'GetMetadata'> {
    return {
      server_capabilities: this.capabilities(),
      resources: Object.keys(this.def.resources).map((type_name) => ({ type_name })),
      data_sources: Object.keys(this.def.dataSources).map((type_name) => ({ type_name })),
      ephemeral_resources: Object.keys(this.def.ephemeralResources ?? {}).map((type_name) => ({ type_name })),
    };
  }

  private capabilities(): ServerCapabilitiesMessage {
    return { plan_destroy: true, get_provider_schema_optional: true, move_resource_state: false };
  }

  async rpcGetProviderSchema(): Res<'GetProviderSchema'> {
    const resource_schemas: Record<string, SchemaMessage> = {};
    for (const [name, r] of Object.entries(this.def.resources)) resource_schemas[name] = schemaToProto(r.schema, r.version);
    const data_source_schemas: Record<string, SchemaMessage> = {};
    for (const [name, d] of Object.entries(this.def.dataSources)) data_source_schemas[name] = schemaToProto(d.schema);
    const ephemeral_resource_schemas: Record<string, SchemaMessage> = {};
    for (const [name, e] of Object.entries(this.def.ephemeralResources ?? {})) ephemeral_resource_schemas[name] = schemaToProto(e.schema);
    const problems: Diagnostic[] = [];
    for (const [name, r] of Object.entries(this.def.resources)) {
      for (const p of writeOnlySchemaProblems(r.schema)) problems.push(messageDiagnostic(MESSAGES.invalidWriteOnlySchema(`${name}.${p.path}`, p.why)));
    }
    return {
      provider: schemaToProto(this.def.schema),
      resource_schemas,
      data_source_schemas,
      ephemeral_resource_schemas,
      server_capabilities: this.capabilities(),
      diagnostics: this.diags(problems),
    };
  }

  async rpcValidateProviderConfig(req: Req<'ValidateProviderConfig'>): Res<'ValidateProviderConfig'> {
    const config = this.decode(this.def.schema, req.config, 'provider configuration');
    const diags = config && this.def.validate ? await this.def.validate(config) : [];
    return { diagnostics: this.diags(diags, this.def.schema) };
  }

  async rpcValidateResourceConfig(req: Req<'ValidateResourceConfig'>): Res<'ValidateResourceConfig'> {
    const r = this.resource(req.type_name);
    const config = this.decode(r.schema, req.config, 'resource configuration');
    const refused = this.writeOnlyRefusals(r.schema, config, req);
    const diags = config && r.validate ? await r.validate(config, this.ctx(req.type_name, req)) : [];
    return { diagnostics: this.diags([...refused, ...diags], r.schema) };
  }

  async rpcValidateDataResourceConfig(req: Req<'ValidateDataResourceConfig'>): Res<'ValidateDataResourceConfig'> {
    const d = this.dataSource(req.type_name);
    const config = this.decode(d.schema, req.config, 'data source configuration');
    const diags = config && d.validate ? await d.validate(config, this.ctx(req.type_name, req)) : [];
    return { diagnostics: this.diags(diags, d.schema) };
  }

  async rpcValidateEphemeralResourceConfig(req: Req<'ValidateEphemeralResourceConfig'>): Res<'ValidateEphemeralResourceConfig'> {
    const typeName = req.type_name;
    const e = this.ephemeral(typeName);
    const config = this.decode(e.schema, req.config, 'ephemeral resource configuration');
    return (await lazyEphemeral()).validateEphemeral(this.ephemeralRuntime, e, config, this.ctx(typeName, req));
  }

  async rpcOpenEphemeralResource(req: Req<'OpenEphemeralResource'>): Res<'OpenEphemeralResource'> {
    const typeName = req.type_name;
    const e = this.ephemeral(typeName);
    const config = this.decode(e.schema, req.config, 'ephemeral resource configuration');
    return (await lazyEphemeral()).openEphemeral(this.ephemeralRuntime, e, config ?? {}, this.ctx(typeName, req));
  }

  async rpcRenewEphemeralResource(req: Req<'RenewEphemeralResource'>): Res<'RenewEphemeralResource'> {
    const typeName = req.type_name;
    return (await lazyEphemeral()).renewEphemeral(this.ephemeralRuntime, this.ephemeral(typeName), req, this.ctx(typeName, req));
  }

  async rpcCloseEphemeralResource(req: Req<'CloseEphemeralResource'>): Res<'CloseEphemeralResource'> {
    const typeName = req.type_name;
    return (await lazyEphemeral()).closeEphemeral(this.ephemeralRuntime, this.ephemeral(typeName), req, this.ctx(typeName, req));
  }

  async rpcUpgradeResourceState(req: Req<'UpgradeResourceState'>): Res<'UpgradeResourceState'> {
    const typeName = req.type_name;
    const r = this.resource(typeName);
    const version = Number(req.version ?? 0);
    const raw = req.raw_state;
    if (!raw?.json || raw.json.length === 0) return { diagnostics: this.diags([messageDiagnostic(MESSAGES.stateNotJson)]) };
    if (version > r.version) return { diagnostics: this.diags([messageDiagnostic(MESSAGES.stateFromNewerProvider(typeName, version, r.version))]) };
    const json = JSON.parse(raw.json.toString('utf8')) as Record<string, unknown>;
    let state: TfObject | null;
    if (version < r.version) {
      if (!r.upgrade) return { diagnostics: this.diags([messageDiagnostic(MESSAGES.upgradeMissing(typeName, version))]) };
      state = r.upgrade({ version, state: json }, this.ctx(typeName));
    } else {
      try {
        state = blockFromJson(r.schema, json);
      } catch (err) {
        throw new PluginFault(messageDiagnostic(MESSAGES.invalidRequestValue('stored state', err instanceof Error ? err.message : String(err))));
      }
    }
    return { upgraded_state: this.encodeState(r.schema, state) };
  }

  async rpcConfigureProvider(req: Req<'ConfigureProvider'>): Res<'ConfigureProvider'> {
    const config = this.decode(this.def.schema, req.config, 'provider configuration');
    this.configuredCapabilities = capabilitiesOf(req);
    this.provider = await this.def.configure(config ?? {}, {
      terraformVersion: String(req.terraform_version ?? ''),
      ...(this.configuredCapabilities ? { clientCapabilities: this.configuredCapabilities } : {}),
    });
    return {};
  }

  async rpcReadResource(req: Req<'ReadResource'>): Res<'ReadResource'> {
    const typeName = req.type_name;
    const r = this.resource(typeName);
    const state = this.decode(r.schema, req.current_state, 'resource state');
    const priv = req.private;
    if (state === null) return { new_state: dv(encodeBlock(r.schema, null)), private: priv };
    const out = await r.read({ state, privateData: nonEmpty(priv) }, this.ctx(typeName, req));
    return { new_state: this.encodeState(r.schema, out.state), private: out.privateData ? Buffer.from(out.privateData) : priv };
  }

  async rpcPlanResourceChange(req: Req<'PlanResourceChange'>): Res<'PlanResourceChange'> {
    const typeName = req.type_name;
    const r = this.resource(typeName);
    const { prior, next: proposed, config } = this.decodeChange(r.schema, req.prior_state, req.proposed_new_state, 'proposed state', req.config);
    const priv = req.prior_private;
    if (proposed === null) {
      // Destroy: the planned state is the null object; the resource may refuse it.
      const refusal = prior && r.planDestroy ? await r.planDestroy({ prior, privateData: nonEmpty(priv) }, this.ctx(typeName, req)) : [];
      if (hasError(refusal)) return { diagnostics: this.diags(refusal, r.schema) };
      return { planned_state: dv(encodeBlock(r.schema, null)), planned_private: priv, diagnostics: this.diags(refusal, r.schema) };
    }
    const refused = this.writeOnlyRefusals(r.schema, config, req);
    if (refused.length) return { diagnostics: this.diags(refused, r.schema) };
    const { planned, requiresReplace, diagnostics: diags } = await planResourceChange(
      r,
      { prior, proposed, config: config ?? proposed, privateData: nonEmpty(priv) },
      this.ctx(typeName, req),
    );
    if (hasError(diags)) return { diagnostics: this.diags(diags, r.schema) };
    return {
      planned_state: this.encodeState(r.schema, planned),
      requires_replace: prior ? requiresReplace.map((p) => ({ steps: pathToSteps(p, r.schema) })) : [],
      planned_private: priv,
      diagnostics: this.diags(diags, r.schema),
    };
  }

  async rpcApplyResourceChange(req: Req<'ApplyResourceChange'>): Res<'ApplyResourceChange'> {
    const typeName = req.type_name;
    const r = this.resource(typeName);
    const { prior, next: planned, config } = this.decodeChange(r.schema, req.prior_state, req.planned_state, 'planned state', req.config);
    const privIn = req.planned_private;
    const priv = nonEmpty(privIn);
    const ctx = this.ctx(typeName);
    let out: { state: TfObject; privateData?: Uint8Array };
    try {
      if (planned === null) {
        if (prior !== null) await r.delete({ prior }, ctx);
        return { new_state: dv(encodeBlock(r.schema, null)) };
      }
      out = prior === null
        ? await r.create({ planned, config: config ?? planned }, ctx)
        : await r.update({ prior, planned, config: config ?? planned, privateData: priv }, ctx);
    } catch (err) {
      // A failed update or delete leaves the prior object in state so the user can retry;
      // a failed create leaves nothing.
      return {
        new_state: this.encodeState(r.schema, prior),
        private: privIn,
        diagnostics: this.diags(errorToDiagnostics(err), r.schema),
      };
    }
    const unknown = findUnknown(out.state);
    if (unknown) {
      return { diagnostics: this.diags([messageDiagnostic(MESSAGES.unknownAfterApply(formatPath(unknown)))], r.schema) };
    }
    return { new_state: this.encodeState(r.schema, out.state), private: out.privateData ? Buffer.from(out.privateData) : privIn };
  }

  async rpcImportResourceState(req: Req<'ImportResourceState'>): Res<'ImportResourceState'> {
    const typeName = req.type_name;
    const r = this.resource(typeName);
    if (!r.import) return { diagnostics: this.diags([messageDiagnostic(MESSAGES.importUnsupported(typeName))]) };
    const state = await r.import({ id: String(req.id ?? '') }, this.ctx(typeName, req));
    return { imported_resources: [{ type_name: typeName, state: this.encodeState(r.schema, state) }] };
  }

  async rpcMoveResourceState(): Res<'MoveResourceState'> {
    return { diagnostics: this.diags([messageDiagnostic(MESSAGES.moveUnsupported)]) };
  }

  async rpcReadDataSource(req: Req<'ReadDataSource'>): Res<'ReadDataSource'> {
    const typeName = req.type_name;
    const d = this.dataSource(typeName);
    const config = this.decode(d.schema, req.config, 'data source configuration');
    const state = await d.read({ config: config ?? {} }, this.ctx(typeName, req));
    const unknown = findUnknown(state);
    if (unknown) return { diagnostics: this.diags([messageDiagnostic(MESSAGES.unknownAfterApply(formatPath(unknown)))], d.schema) };
    return { state: dv(encodeBlock(d.schema, state)) };
  }

  async rpcGetFunctions(): Res<'GetFunctions'> {
    return { functions: {} };
  }

  async rpcCallFunction(req: Req<'CallFunction'>): Res<'CallFunction'> {
    return { error: { text: MESSAGES.functionsUnsupported(String(req.name ?? '')).summary } };
  }

  async rpcStopProvider(): Res<'StopProvider'> {
    await this.close();
    return {};
  }

  /** Calls the definition's `close` once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.def.close?.(this.provider);
    } catch (err) {
      this.log.log('warn', 'close failed', { error: err instanceof Error ? err.message : String(err) });
    }
  }
}

/** A failure of the runtime itself, carrying its diagnostic. */
class PluginFault extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.summary);
  }
}
