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
import { AttributePath, Diagnostic, DiagnosticError, PlanResult, ResourceDefinition, TfObject, TfValue, UNKNOWN } from '../framework';
import { KeyformContext, contextOf } from './context';
import { deliver, deliveryDeclared, deliveryDestinationChanged, deliveryInput, deliveryOf, secretDeliveryBlock } from './secret-delivery-block';
import { guardLive } from './live-guard';
import { block, changed, diagnosed, fail, num, problemsToDiagnostics, sortedSet, str, strings } from './values';

/** Grace period of a rotation whose block does not set one (the rulebook's default). */
export { DEFAULT_GRACE_PERIOD };

const COMPUTED = ['id', 'value', 'prefix', 'fingerprint', 'created_at', 'rotated_at', 'version'] as const;
const FORCES_REPLACEMENT = ['mid', 'type', 'mode'] as const;

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
  const rotation = block(p.rotation);
  return {
    mid: str(p.mid) ?? '',
    name: str(p.name) ?? '',
    type: str(p.type) ?? 'secret',
    mode: str(p.mode) ?? 'test',
    scopes: sortedSet(strings(p.scopes) ?? []),
    description: str(p.description) ?? null,
    expiresAt: str(p.expires_at) ?? null,
    rotation: rotation
      ? { everySeconds: parseDuration(str(rotation.every) ?? '') ?? 0, graceSeconds: parseDuration(str(rotation.grace_period) ?? DEFAULT_GRACE_PERIOD) ?? 0 }
      : null,
  };
}

/** The key as the prior state records it (what Terraform believes the API holds). */
function observedOf(s: TfObject): ObservedApiKey {
  return {
    id: str(s.id) ?? '',
    mid: str(s.mid) ?? '',
    name: str(s.name) ?? '',
    type: str(s.type) ?? '',
    mode: str(s.mode) ?? '',
    scopes: sortedSet(strings(s.scopes) ?? []),
    description: str(s.description) ?? null,
    expiresAt: str(s.expires_at) ?? null,
    prefix: str(s.prefix) ?? '',
    fingerprint: str(s.fingerprint) ?? '',
    version: num(s.version) ?? 0,
    createdAt: str(s.created_at) ?? '',
    rotatedAt: str(s.rotated_at) ?? null,
    status: 'active',
    metadata: {},
  };
}

/**
 * The state of an observed key. `base` (config, plan or prior state) decides representation only:
 * a null `scopes` stays null while the key has none, and a timestamp keeps its spelling while it
 * denotes the same instant, so refreshes never show noise.
 */
function stateOf(o: ObservedApiKey, base: TfObject, value: TfValue, lastUsedAt: TfValue = o.lastUsedAt ?? null): TfObject {
  const baseScopes = base.scopes;
  const expires = str(base.expires_at) ?? null;
  return {
    id: o.id,
    mid: o.mid,
    name: o.name,
    type: o.type,
    mode: o.mode,
    scopes: o.scopes.length === 0 && (baseScopes === null || baseScopes === undefined) ? null : [...o.scopes],
    description: o.description === null && str(base.description) === '' ? '' : o.description,
    expires_at: sameInstant(expires, o.expiresAt) ? expires : o.expiresAt,
    rotation: base.rotation ?? null,
    secret_delivery: base.secret_delivery ?? null,
    value,
    prefix: o.prefix,
    fingerprint: o.fingerprint,
    created_at: o.createdAt,
    rotated_at: o.rotatedAt,
    version: o.version,
    last_used_at: lastUsedAt,
  };
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

async function deliverIfDeclared(state: TfObject, observed: ObservedApiKey, value: string): Promise<TfValue> {
  if (!deliveryOf(state)) return value;
  await deliver(state, value, keyDeliveryFacts(observed), where(state));
  return null;
}

/** Plans a key: defaults, the live guard, forced replacement and due rotations. */
export async function planApiKey(
  req: { prior: TfObject | null; proposed: TfObject; config: TfObject; privateData?: Uint8Array },
  k: KeyformContext,
  now: Date = new Date(),
): Promise<PlanResult> {
  const { prior, proposed, config } = req;
  const diagnostics: Diagnostic[] = [];
  const planned: TfObject = { ...proposed };
  planned.mode = config.mode === null ? 'test' : config.mode;
  if (config.mid === null) {
    if (!k.settings.mid) fail(MESSAGES.missingMid(), ['mid']);
    planned.mid = k.settings.mid;
  } else planned.mid = config.mid;
  const action = !prior ? 'create' : FORCES_REPLACEMENT.some((a) => changed(prior[a], planned[a])) ? 'replace' : 'manage';
  guardLive([str(prior?.mode), str(planned.mode)], k, action, where(prior ?? planned));
  const delivered = deliveryDeclared(config);
  const type = str(planned.type);
  const mode = str(planned.mode);
  const prefix = type && mode ? KEY_PREFIXES[type as keyof typeof KEY_PREFIXES]?.[mode as 'test' | 'live'] : undefined;

  // In state: a journal entry of its create is done (also when refresh was skipped). Local only.
  if (prior && str(prior.id) && k.keys) await k.keys.confirm(str(prior.id)!);
  if (!prior) {
    const scopes = planned.scopes;
    if (type === 'secret' && (scopes === null || (Array.isArray(scopes) && scopes.length === 0)) && typeof planned.mid === 'string') {
      const m = MESSAGES.fullAccessKey(planned.mid);
      diagnostics.push({ severity: 'warning', summary: m.summary, detail: `${m.detail} [${m.code}]`, attribute: ['scopes'] });
    }
    for (const a of COMPUTED) planned[a] = UNKNOWN;
    planned.value = delivered ? null : UNKNOWN;
    if (prefix) planned.prefix = prefix;
    // A new key has never been used.
    planned.last_used_at = null;
    return { planned, diagnostics };
  }

  for (const a of COMPUTED) planned[a] = prior[a] ?? null;
  planned.last_used_at = prior.last_used_at ?? null;
  const requiresReplace: AttributePath[] = FORCES_REPLACEMENT.filter((a) => changed(prior[a], planned[a])).map((a) => [a]);
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
  if (requiresReplace.length) return { planned, requiresReplace, diagnostics };
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

/** The rotation period of a state or plan in seconds; undefined without a (valid) rotation block. */
function everySeconds(s: TfObject): number | undefined {
  const rotation = block(s.rotation);
  return rotation ? parseDuration(str(rotation.every) ?? '') : undefined;
}

/** The `keyform_api_key` resource. */
export const apiKeyResource: ResourceDefinition<KeyformContext> = {
  version: 0,
  schema: {
    description: 'A merchant-bound API key: scoped, test or live, optionally rotated on a schedule.',
    attributes: {
      id: { type: 'string', computed: true, description: 'Key id.' },
      mid: { type: 'string', requiresReplace: true, optional: true, computed: true, description: 'Merchant id; defaults to the provider mid. Changing it replaces the key.' },
      name: { type: 'string', required: true, description: 'Name (no < or >).' },
      type: { type: 'string', requiresReplace: true, required: true, description: 'secret, public or tokenization. Changing it replaces the key.' },
      mode: { type: 'string', requiresReplace: true, optional: true, computed: true, description: 'test (default) or live. Changing it replaces the key.' },
      scopes: { type: ['set', 'string'], optional: true, description: 'Scopes such as customers:read; none means full access to the merchant.' },
      description: { type: 'string', optional: true, description: 'Free text.' },
      expires_at: { type: 'string', optional: true, description: 'RFC 3339 expiry, e.g. 2030-01-31T00:00:00Z.' },
      value: { type: 'string', computed: true, sensitive: true, description: 'The secret; null when delivered through secret_delivery or after import.' },
      prefix: { type: 'string', computed: true, description: 'Type and mode prefix of the value, e.g. fsk_test_.' },
      fingerprint: { type: 'string', computed: true, description: 'Identifies the current value without revealing it.' },
      created_at: { type: 'string', computed: true, description: 'Creation time.' },
      rotated_at: { type: 'string', computed: true, description: 'Time of the last rotation, null before the first.' },
      version: { type: 'number', computed: true, description: '1 on creation, incremented by each rotation.' },
      last_used_at: {
        type: 'string',
        computed: true,
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
  },

  validate(config) {
    return problemsToDiagnostics(checkKeyConfig(configInput(config)));
  },

  async plan(req, ctx) {
    return planApiKey(req, contextOf(ctx));
  },

  async planDestroy({ prior }, ctx) {
    guardLive([str(prior.mode)], contextOf(ctx), 'destroy', where(prior));
    return [];
  },

  async create({ planned }, ctx) {
    const k = contextOf(ctx);
    guardLive([str(planned.mode)], k, 'create', where(planned));
    return diagnosed(async () => {
      const created = await k.keys.create(desiredOf(planned), where(planned));
      let value: TfValue;
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
    const k = contextOf(ctx);
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
      return { state: stateOf(observed, state, state.value ?? null), privateData: writePrivate(after) };
    });
  },

  async update({ prior, planned }, ctx) {
    const k = contextOf(ctx);
    guardLive([str(prior.mode), str(planned.mode)], k, planned.version === UNKNOWN ? 'rotate' : 'update', where(prior));
    return diagnosed(async () => {
      const id = str(prior.id) ?? '';
      const diff = diffApiKey(desiredOf(planned), observedOf(prior), new Date());
      let observed = (await k.keys.update(id, diff, where(prior))) ?? observedOf(prior);
      // A secret in state stays there only while no delivery is declared; a changed destination was
      // planned as a rotation (below), so the new destination never receives the state's old secret.
      let value: TfValue = deliveryOf(planned) ? null : (prior.value ?? null);
      if (planned.version === UNKNOWN) {
        const grace = desiredOf(planned).rotation?.graceSeconds ?? parseDuration(DEFAULT_GRACE_PERIOD)!;
        const rotated = await k.keys.rotate(id, observed.version, grace, where(prior));
        observed = rotated.observed;
        value = await deliverIfDeclared(planned, observed, rotated.value);
      }
      // Whatever the last refresh found (a stale secret, a due rotation) was acted on by this plan, or
      // was found under a schedule this apply replaced: none of it carries over.
      return { state: stateOf(observed, planned, value, planned.last_used_at ?? null), privateData: writePrivate({}) };
    });
  },

  async delete({ prior }, ctx) {
    const k = contextOf(ctx);
    guardLive([str(prior.mode)], k, 'destroy', where(prior));
    await diagnosed(() => k.keys.revoke(str(prior.id) ?? '', where(prior)));
  },

  async import({ id }) {
    if (!id.trim()) fail(MESSAGES.invalidImportId('keyform_api_key', 'a key id', id));
    const state: TfObject = Object.fromEntries(Object.keys(apiKeyResource.schema.attributes).map((a) => [a, null]));
    state.rotation = null;
    state.secret_delivery = null;
    state.id = id;
    return state;
  },
};
