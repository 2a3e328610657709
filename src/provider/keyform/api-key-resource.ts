/**
 * The `keyform_api_key` resource: schema, plan (replacement, rotation, live guard) and lifecycle.
 *
 * A secret that changed outside Terraform (a manual rotation, or an apply that died after rotating
 * but before saving the state) is detected on refresh by its fingerprint and remembered in the
 * resource's private state; the plan then rotates the key again, so the value Terraform holds or
 * delivered is always the current one.
 *
 * A due rotation is decided the same way: on refresh, against the schedule already applied, and
 * carried to the plan in private state. Terraform plans a resource twice (at plan time and again at
 * apply time, possibly hours later from a saved plan); deciding "due" from the clock in the plan
 * itself would let the due time fall between the two and fail the apply with an inconsistent plan.
 * An expired key (the server's status, found on refresh) is planned as a replacement.
 *
 * `last_used_at` is read-only and changes on the server whenever a consumer uses the key, so it is
 * never part of a planned change: refresh records it, plans copy it from the refreshed state (a new
 * key plans null, never "known after apply"), and apply returns the planned value, not the newer one
 * the API may answer with. A plan is therefore never non-empty because a key was used.
 */
import { KEY_PREFIXES } from '../../model/catalog';
import { DEFAULT_GRACE_PERIOD } from '../../model/rules';
import {
  DesiredApiKey,
  MESSAGES,
  ObservedApiKey,
  checkKeyConfig,
  describeDelivery,
  diffApiKey,
  keyDeliveryFacts,
  parseDuration,
  rotationDueSince,
  sameInstant,
} from '../../handler';
import { AttributePath, Diagnostic, ModifyPlanRequest, PlanModifier, PlanResult, ResourceDefinition, TfObject, UNKNOWN } from '../framework';
import { blockSchema, passthroughState, typedModel, type ModelOf } from '../plugin/typed-model';
import { RESOURCE } from './type-names';
import { planResourceChange } from '../plugin/plan-pipeline';
import { KeyformContext, configuredProvider } from './context';
import { deliver, deliveryDeclared, deliveryDestinationChanged, deliveryInput, deliveryOf, secretDeliveryBlock } from './secret-delivery-block';
import { guardLive, guardMode, planDestroyByMode } from './live-guard';
import { block, diagnosed, fail, problemsToDiagnostics, sortedSet, str, strings } from './values';

/** Grace period of a rotation whose block does not set one (the rulebook's default). */
export { DEFAULT_GRACE_PERIOD };

/** The config-only view of a key, for validation (unknown values skipped). */
function configInput(c: TfObject) {
  const rotation = block(c.rotation);
  return {
    name: str(c.name),
    description: str(c.description),
    type: str(c.type),
    mode: str(c.mode),
    scopes: strings(c.scopes),
    expiresAt: str(c.expires_at),
    rotationEvery: str(rotation?.every),
    rotationGrace: str(rotation?.grace_period),
    delivery: deliveryInput(c.secret_delivery),
  };
}

/** The declared key of a planned (fully known) state. */
function desiredOf(p: TfObject): DesiredApiKey {
  const { mid, name, type, mode, scopes, description, expiresAt } = observedOf(p);
  const rotation = API_KEY.get(p).rotation;
  return {
    ...{ mid, name, scopes, description, expiresAt },
    type: type || 'secret',
    mode: mode || 'test',
    rotation: rotation
      ? { everySeconds: parseDuration(rotation.every ?? '') ?? 0, graceSeconds: parseDuration(rotation.gracePeriod ?? DEFAULT_GRACE_PERIOD) ?? 0 }
      : null,
  };
}

/** The key as the prior state records it (what Terraform believes the API holds). */
function observedOf(s: TfObject): ObservedApiKey {
  const m = API_KEY.get(s);
  return {
    id: m.id ?? '',
    mid: m.mid ?? '',
    name: m.name ?? '',
    type: m.type ?? '',
    mode: m.mode ?? '',
    scopes: sortedSet(m.scopes ?? []),
    description: m.description ?? null,
    expiresAt: m.expiresAt ?? null,
    prefix: m.prefix ?? '',
    fingerprint: m.fingerprint ?? '',
    version: m.version ?? 0,
    createdAt: m.createdAt ?? '',
    rotatedAt: m.rotatedAt ?? null,
    status: 'active',
    metadata: {},
  };
}

/**
 * The state of an observed key. `base` (config, plan or prior state) decides representation only:
 * a null `scopes` stays null while the key has none, and a timestamp keeps its spelling while it
 * denotes the same instant, so refreshes never show noise.
 */
function stateOf(o: ObservedApiKey, base: TfObject, value: string | null, lastUsedAt: string | null = o.lastUsedAt ?? null): TfObject {
  const b = API_KEY.get(base);
  const expires = b.expiresAt ?? null;
  return API_KEY.state({
    ...o,
    scopes: o.scopes.length === 0 && b.scopes === null ? null : [...o.scopes],
    description: o.description === null && b.description === '' ? '' : o.description,
    expiresAt: sameInstant(expires, o.expiresAt) ? expires : o.expiresAt,
    rotation: b.rotation,
    secretDelivery: b.secretDelivery,
    value,
    lastUsedAt,
  });
}

/** Private data of a key: what its last refresh found that the plan must act on. */
interface KeyPrivate {
  /** The secret changed outside Terraform (a crash mid-rotation, a manual rotation). */
  readonly staleSecret?: { readonly rotatedAt: string | null };
  /** The applied rotation schedule was due at the refresh: since when. */
  readonly rotationDueSince?: string;
  /** The server reported the key expired at the refresh (its `expires_at`, or true without one). */
  readonly expired?: string | true;
}

function readPrivate(data: Uint8Array | undefined): KeyPrivate {
  if (!data || data.length === 0) return {};
  try {
    return JSON.parse(Buffer.from(data).toString('utf8')) as KeyPrivate;
  } catch {
    return {};
  }
}

function writePrivate(p: KeyPrivate): Uint8Array {
  return Object.keys(p).length ? Buffer.from(JSON.stringify(p), 'utf8') : new Uint8Array(0);
}

const where = (s: TfObject) => (str(s.id) ? `API key ${str(s.id)}` : `API key "${str(s.name) ?? '?'}"`);

async function deliverIfDeclared(state: TfObject, observed: ObservedApiKey, value: string): Promise<string | null> {
  if (!deliveryOf(state)) return value;
  await deliver(state, value, keyDeliveryFacts(observed), where(state));
  return null;
}

/** `mid` left unset: the provider's mid (on update too, so a new provider mid replaces the key). */
const providerMid: PlanModifier<KeyformContext> = {
  description: 'Defaults to the provider mid.',
  modify({ configValue, ctx }) {
    if (configValue !== null) return undefined;
    const k = configuredProvider(ctx);
    if (!k.settings.mid) fail(MESSAGES.missingMid(), ['mid']);
    return { planValue: k.settings.mid };
  },
};

/** A new key's prefix follows from its type and mode, so the plan shows it. */
const prefixOfTypeAndMode: PlanModifier<KeyformContext> = {
  description: 'Known at plan time from type and mode.',
  modify({ prior, planned }) {
    if (prior) return undefined;
    const type = str(planned.type);
    const mode = str(planned.mode);
    const prefix = type && mode ? KEY_PREFIXES[type as keyof typeof KEY_PREFIXES]?.[mode as 'test' | 'live'] : undefined;
    return prefix ? { planValue: prefix } : undefined;
  },
};

/** A value only refresh records: every plan copies it from the refreshed state (a new object: null). */
const refreshedOnly: PlanModifier<KeyformContext> = {
  description: 'Read-only: never a planned change.',
  modify({ stateValue }) {
    return { planValue: stateValue };
  },
};

/**
 * The key's own plan step, after the schema's (defaults, kept computed values, replacement): the live
 * guard, the full-access warning, an expired key's replacement, due and forced rotations.
 */
async function modifyApiKeyPlan(req: ModifyPlanRequest, k: KeyformContext, now: Date): Promise<PlanResult> {
  const { prior, config } = req;
  const diagnostics: Diagnostic[] = [];
  const planned: TfObject = { ...req.planned };
  const action = !prior ? 'create' : req.requiresReplace.length ? 'replace' : 'manage';
  guardLive([str(prior?.mode), str(planned.mode)], k, action, where(prior ?? planned));
  const delivered = deliveryDeclared(config);

  // In state: a journal entry of its create is done (also when refresh was skipped). Local only.
  if (prior && str(prior.id) && k.keys) await k.keys.confirm(str(prior.id)!);
  if (!prior) {
    const scopes = planned.scopes;
    if (str(planned.type) === 'secret' && (scopes === null || (Array.isArray(scopes) && scopes.length === 0)) && typeof planned.mid === 'string') {
      const m = MESSAGES.fullAccessKey(planned.mid);
      diagnostics.push({ severity: 'warning', summary: m.summary, detail: `${m.detail} [${m.code}]`, attribute: ['scopes'] });
    }
    if (delivered) planned.value = null;
    return { planned, diagnostics };
  }

  const requiresReplace: AttributePath[] = [];
  const expired = readPrivate(req.privateData).expired;
  if (expired !== undefined) {
    // Nothing declared changed, but the key is dead: a new id (and secret) replaces it.
    const m = MESSAGES.keyExpired(expired === true ? null : expired);
    diagnostics.push({ severity: 'warning', summary: `${where(prior)}: ${m.summary}`, detail: `${m.detail} [${m.code}]` });
    const expiresAt = str(planned.expires_at);
    if (expiresAt && Date.parse(expiresAt) <= now.getTime()) {
      const e = MESSAGES.replacementExpiresInPast(expiresAt);
      diagnostics.push({ severity: 'error', summary: `${where(prior)}: ${e.summary}`, detail: `${e.detail} [${e.code}]`, attribute: ['expires_at'] });
    }
    planned.id = UNKNOWN;
    requiresReplace.push(['id']);
  }
  if (req.requiresReplace.length || requiresReplace.length) return { planned, requiresReplace, diagnostics };
  // A secret delivered elsewhere is not kept in state.
  if (delivered) planned.value = null;
  const every = everySeconds(planned);
  const found = readPrivate(req.privateData);
  const stale = found.staleSecret;
  let dueSince: string | null = null;
  if (every && every === everySeconds(prior)) dueSince = found.rotationDueSince ?? null;
  else if (every) {
    // A new or changed schedule: the refresh could not judge it, and judging it by this plan's clock
    // could disagree with the apply's re-plan. Record it now; the next plan's refresh rotates.
    const wouldBeDue = rotationDueSince(observedOf(prior), every, now);
    if (wouldBeDue) {
      const m = MESSAGES.rotationDueUnderNewSchedule(wouldBeDue);
      diagnostics.push({ severity: 'warning', summary: `${where(prior)}: ${m.summary}`, detail: `${m.detail} [${m.code}]`, attribute: ['rotation'] });
    }
  }
  // A new destination gets a working secret only through a rotation: the old destination keeps the
  // previous secret through the grace period, so neither consumer is cut off.
  const redeliver = deliveryDestinationChanged(prior, planned);
  if (redeliver) {
    const grace = str(block(planned.rotation)?.grace_period) ?? DEFAULT_GRACE_PERIOD;
    const to = deliveryDeclared(planned) && !deliveryOf(planned) ? 'a destination known only after apply' : describeDelivery(deliveryOf(planned));
    const m = MESSAGES.deliveryChanged(where(prior), describeDelivery(deliveryOf(prior)), to, grace);
    diagnostics.push({ severity: 'warning', summary: m.summary, detail: `${m.detail} [${m.code}]`, attribute: ['secret_delivery'] });
  }
  if (dueSince || stale || redeliver) {
    planned.version = UNKNOWN;
    planned.fingerprint = UNKNOWN;
    planned.rotated_at = UNKNOWN;
    planned.value = delivered ? null : UNKNOWN;
  }
  if (dueSince || stale) {
    const m = dueSince ? MESSAGES.rotationDue(dueSince) : MESSAGES.secretChangedOutside(stale?.rotatedAt ?? null);
    diagnostics.push({ severity: 'warning', summary: `${where(prior)}: ${m.summary}`, detail: `${m.detail} [${m.code}]` });
  }
  return { planned, diagnostics };
}

/**
 * The whole plan of a key (the runtime's pipeline with the key's schema and `modifyPlan`) at a given
 * time, without Terraform: for tests and tools that plan a key directly.
 */
export async function planApiKey(
  req: { prior: TfObject | null; proposed: TfObject; config: TfObject; privateData?: Uint8Array },
  k: KeyformContext,
  now: Date = new Date(),
): Promise<PlanResult> {
  const at: ResourceDefinition<KeyformContext> = { ...apiKeyResource, modifyPlan: (r) => modifyApiKeyPlan(r, k, now) };
  const { planned, requiresReplace, diagnostics } = await planResourceChange(at, req, { provider: k, typeName: RESOURCE.apiKey });
  return { planned, diagnostics, ...(requiresReplace.length ? { requiresReplace } : {}) };
}

/** The rotation period of a state or plan in seconds; undefined without a (valid) rotation block. */
function everySeconds(s: TfObject): number | undefined {
  const rotation = block(s.rotation);
  return rotation ? parseDuration(str(rotation.every) ?? '') : undefined;
}

/** The schema of `keyform_api_key`. */
const API_KEY_SCHEMA = blockSchema({
  description: 'A merchant-bound API key: scoped, test or live, optionally rotated on a schedule.',
  attributes: {
    id: { type: 'string', computed: true, useStateForUnknown: true, description: 'Key id.' },
    mid: {
      type: 'string',
      optional: true,
      computed: true,
      planModifiers: [providerMid],
      requiresReplace: true,
      description: 'Merchant id; defaults to the provider mid. Changing it replaces the key.',
    },
    name: { type: 'string', required: true, description: 'Name (no < or >).' },
    type: { type: 'string', required: true, requiresReplace: true, description: 'secret, public or tokenization. Changing it replaces the key.' },
    mode: { type: 'string', optional: true, computed: true, default: 'test', requiresReplace: true, description: 'test (default) or live. Changing it replaces the key.' },
    scopes: { type: ['set', 'string'], optional: true, description: 'Scopes such as customers:read; none means full access to the merchant.' },
    description: { type: 'string', optional: true, description: 'Free text.' },
    expires_at: { type: 'string', optional: true, description: 'RFC 3339 expiry, e.g. 2030-01-31T00:00:00Z.' },
    value: { type: 'string', computed: true, sensitive: true, useStateForUnknown: true, description: 'The secret; null when delivered through secret_delivery or after import.' },
    prefix: { type: 'string', computed: true, useStateForUnknown: true, planModifiers: [prefixOfTypeAndMode], description: 'Type and mode prefix of the value, e.g. fsk_test_.' },
    fingerprint: { type: 'string', computed: true, useStateForUnknown: true, description: 'Identifies the current value without revealing it.' },
    created_at: { type: 'string', computed: true, useStateForUnknown: true, description: 'Creation time.' },
    rotated_at: { type: 'string', computed: true, useStateForUnknown: true, description: 'Time of the last rotation, null before the first.' },
    version: { type: 'number', computed: true, useStateForUnknown: true, description: '1 on creation, incremented by each rotation.' },
    last_used_at: {
      type: 'string',
      computed: true,
      planModifiers: [refreshedOnly],
      description: 'When the key last authenticated a request, as of the last refresh (null if never). Read-only: it never causes a planned change.',
    },
  },
  blocks: {
    rotation: {
      nesting: 'single',
      block: {
        description: 'Rotate the key on a schedule; the previous value keeps working for the grace period.',
        attributes: {
          every: { type: 'string', required: true, description: 'Rotation period, e.g. 90d or 720h.' },
          grace_period: { type: 'string', optional: true, description: `How long the previous value keeps working (default ${DEFAULT_GRACE_PERIOD}).` },
        },
      },
    },
    secret_delivery: secretDeliveryBlock("the key's secret"),
  },
});

/** A key as its resource's state, plan or config holds it. */
export type ApiKeyModel = ModelOf<typeof API_KEY_SCHEMA>;
const API_KEY = typedModel(API_KEY_SCHEMA);

/** The `keyform_api_key` resource. */
export const apiKeyResource: ResourceDefinition<KeyformContext> = {
  version: 0,
  schema: API_KEY_SCHEMA,

  validate(config) {
    return problemsToDiagnostics(checkKeyConfig(configInput(config)));
  },

  async modifyPlan(req, ctx) {
    return modifyApiKeyPlan(req, configuredProvider(ctx), new Date());
  },

  planDestroy: planDestroyByMode(where),

  async create({ planned }, ctx) {
    const k = configuredProvider(ctx);
    guardMode(k, 'create', where(planned), planned);
    return diagnosed(async () => {
      const created = await k.keys.create(desiredOf(planned), where(planned));
      let value: string | null;
      try {
        value = await deliverIfDeclared(planned, created.observed, created.value);
      } catch (err) {
        // The secret went to a destination that failed (and may have echoed or half-stored it): revoke
        // the key rather than leave it, or hand the same secret out again on the next apply. The next
        // apply creates a fresh key and delivers it; the create journal drops the revoked key's entry.
        await k.keys.revoke(created.observed.id, where(planned)).catch(() => undefined);
        throw err;
      }
      return { state: stateOf(created.observed, planned, value, null) };
    });
  },

  async read({ state, privateData }, ctx) {
    const k = configuredProvider(ctx);
    return diagnosed(async () => {
      const observed = await k.keys.observe(str(state.id) ?? '', str(state.mid) ?? null, where(state));
      if (!observed) return { state: null };
      const before = readPrivate(privateData);
      const known = str(state.fingerprint);
      // A secret that changed since Terraform last saw it makes the held (or delivered) one stale:
      // remembered privately so the plan rotates it again, until an apply clears it.
      const stale = known !== undefined && known !== observed.fingerprint ? { rotatedAt: observed.rotatedAt } : before.staleSecret;
      const every = everySeconds(state);
      const due = every ? rotationDueSince(observed, every, new Date()) : null;
      const expired: KeyPrivate = observed.status === 'expired' ? { expired: observed.expiresAt ?? true } : {};
      const after: KeyPrivate = { ...(stale ? { staleSecret: stale } : {}), ...(due ? { rotationDueSince: due } : {}), ...expired };
      return { state: stateOf(observed, state, str(state.value) ?? null), privateData: writePrivate(after) };
    });
  },

  async update({ prior, planned }, ctx) {
    const k = configuredProvider(ctx);
    guardMode(k, planned.version === UNKNOWN ? 'rotate' : 'update', where(prior), prior, planned);
    return diagnosed(async () => {
      const id = str(prior.id) ?? '';
      const diff = diffApiKey(desiredOf(planned), observedOf(prior), new Date());
      let observed = (await k.keys.update(id, diff, where(prior))) ?? observedOf(prior);
      // A secret in state stays there only while no delivery is declared; a changed destination was
      // planned as a rotation (below), so the new destination never receives the state's old secret.
      let value = deliveryOf(planned) ? null : (str(prior.value) ?? null);
      if (planned.version === UNKNOWN) {
        const grace = desiredOf(planned).rotation?.graceSeconds ?? parseDuration(DEFAULT_GRACE_PERIOD)!;
        const rotated = await k.keys.rotate(id, observed.version, grace, where(prior));
        observed = rotated.observed;
        value = await deliverIfDeclared(planned, observed, rotated.value);
      }
      // Whatever the last refresh found (a stale secret, a due rotation) was acted on by this plan, or
      // was found under a schedule this apply replaced: none of it carries over.
      return { state: stateOf(observed, planned, value, str(planned.last_used_at) ?? null), privateData: writePrivate({}) };
    });
  },

  async delete({ prior }, ctx) {
    const k = configuredProvider(ctx);
    guardMode(k, 'destroy', where(prior), prior);
    await diagnosed(() => k.keys.revoke(str(prior.id) ?? '', where(prior)));
  },

  async import({ id }) {
    if (!id.trim()) fail(MESSAGES.invalidImportId(RESOURCE.apiKey, 'a key id', id));
    return passthroughState(API_KEY_SCHEMA, id);
  },
};
