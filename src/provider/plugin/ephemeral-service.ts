/**
 * The ephemeral-resource RPCs (ValidateEphemeralResourceConfig, OpenEphemeralResource,
 * RenewEphemeralResource, CloseEphemeralResource) on decoded messages. Loaded by the Provider service
 * on the first ephemeral RPC only, so plugin start and runs without ephemeral blocks do not pay for it.
 * It imports only types: the codec and diagnostics helpers (already loaded at start) come in as
 * {@link EphemeralRuntime}, so the bundler does not split them into a shared chunk the entry would
 * then have to load as an extra file.
 *
 * Terraform keeps an ephemeral result and its private data in memory for one run: the result never
 * enters state or a plan file. The runtime checks the result is wholly known and encodes `renewAt` as
 * a protobuf Timestamp; a definition without `renew` answers renewals with no next renewal.
 */
import type { BlockSchema, CallContext, Diagnostic, EphemeralRenewResult, EphemeralResourceDefinition, TfObject } from './framework';
import type { encodeBlock, formatPath } from './cty-codec';
import type { hasError, messageDiagnostic, toProtoDiagnostic } from './diagnostics';
import type { MESSAGES } from './messages';
import type { findUnknown } from './tf-values';
import type { ProviderRpcs, TimestampMessage } from './tfplugin6-rpc';

/** The runtime helpers the ephemeral RPCs use, handed in by the Provider service. */
export interface EphemeralRuntime {
  readonly encodeBlock: typeof encodeBlock;
  readonly formatPath: typeof formatPath;
  readonly findUnknown: typeof findUnknown;
  readonly hasError: typeof hasError;
  readonly messageDiagnostic: typeof messageDiagnostic;
  readonly toProtoDiagnostic: typeof toProtoDiagnostic;
  readonly messages: typeof MESSAGES;
}

/** A protobuf Timestamp of a date. */
export function toTimestamp(at: Date): TimestampMessage {
  const ms = at.getTime();
  if (!Number.isFinite(ms)) throw new Error('renewAt is not a valid date');
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
}

const diags = (rt: EphemeralRuntime, list: readonly Diagnostic[] | undefined, schema: BlockSchema) => (list ?? []).map((d) => rt.toProtoDiagnostic(d, schema));
const bytes = (data: Uint8Array | undefined) => (data && data.length > 0 ? Buffer.from(data) : undefined);
const privateOf = (req: { readonly private?: Buffer }) => bytes(req.private);

/** The fields open and renew answer alike: the next renewal, the private data and the diagnostics. */
function renewal(rt: EphemeralRuntime, schema: BlockSchema, out: EphemeralRenewResult) {
  return {
    ...(out.renewAt ? { renew_at: toTimestamp(out.renewAt) } : {}),
    private: bytes(out.privateData),
    diagnostics: diags(rt, out.diagnostics, schema),
  };
}

/** ValidateEphemeralResourceConfig. */
export async function validateEphemeral<C>(
  rt: EphemeralRuntime,
  def: EphemeralResourceDefinition<C>,
  config: TfObject | null,
  ctx: CallContext<C>,
): Promise<ProviderRpcs['ValidateEphemeralResourceConfig']['res']> {
  const list = config && def.validate ? await def.validate(config, ctx) : [];
  return { diagnostics: diags(rt, list, def.schema) };
}

/** OpenEphemeralResource: the result (wholly known), its renewal time and private data. */
export async function openEphemeral<C>(rt: EphemeralRuntime, def: EphemeralResourceDefinition<C>, config: TfObject, ctx: CallContext<C>): Promise<ProviderRpcs['OpenEphemeralResource']['res']> {
  const out = await def.open({ config }, ctx);
  if (rt.hasError(out.diagnostics ?? [])) return { diagnostics: diags(rt, out.diagnostics, def.schema) };
  const unknown = rt.findUnknown(out.result);
  if (unknown) return { diagnostics: diags(rt, [rt.messageDiagnostic(rt.messages.unknownAfterApply(rt.formatPath(unknown)))], def.schema) };
  return { result: { msgpack: rt.encodeBlock(def.schema, out.result) }, ...renewal(rt, def.schema, out) };
}

/** RenewEphemeralResource. */
export async function renewEphemeral<C>(
  rt: EphemeralRuntime,
  def: EphemeralResourceDefinition<C>,
  req: ProviderRpcs['RenewEphemeralResource']['req'],
  ctx: CallContext<C>,
): Promise<ProviderRpcs['RenewEphemeralResource']['res']> {
  if (!def.renew) return {};
  return renewal(rt, def.schema, await def.renew({ privateData: privateOf(req) }, ctx));
}

/** CloseEphemeralResource. */
export async function closeEphemeral<C>(
  _rt: EphemeralRuntime,
  def: EphemeralResourceDefinition<C>,
  req: ProviderRpcs['CloseEphemeralResource']['req'],
  ctx: CallContext<C>,
): Promise<ProviderRpcs['CloseEphemeralResource']['res']> {
  if (def.close) await def.close({ privateData: privateOf(req) }, ctx);
  return {};
}
