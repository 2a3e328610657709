/**
 * The `keyform_oauth_authorization` resource. Project access and MCP grants belong to their own
 * resources; the authorization is authoritative over them by default: `unmanaged_grants` carries the
 * grants its refresh found that no keyform grant resource made (the server records each grant's
 * origin), the plan empties it, and apply removes them. `grants = "additive"` leaves them alone.
 *
 * With `secret_delivery` the issued client secret goes to a file or a command once and never into
 * state (which keeps its fingerprint). The API cannot rotate an authorization's secret, so a new
 * delivery destination replaces the authorization (planned with a warning that says so), and a
 * delivery that fails at creation deletes the authorization it just created: no secret that reached
 * no one stays valid, and the next apply creates and delivers afresh.
 */
import {
  DesiredAuthorization,
  MESSAGES,
  ObservedAuthorization,
  authorizationDeliveryFacts,
  checkAuthorizationConfig,
  checkChoice,
  describeDelivery,
  describeGrant,
  diffAuthorization,
} from '../../handler';
import { AttributePath, Diagnostic, ReplaceCondition, ResourceDefinition, TfObject } from '../framework';
import { blockSchema, passthroughState, typedModel, type ModelOf } from '../plugin/typed-model';
import { RESOURCE } from './type-names';
import { computedUnknown } from '../plugin/plan-pipeline';
import { KeyformContext, configuredProvider } from './context';
import { deliver, deliveryDeclared, deliveryDestinationChanged, deliveryInput, deliveryOf, secretDeliveryBlock } from './secret-delivery-block';
import { guardLive, guardMode, planDestroyByMode } from './live-guard';
import { diagnosed, fail, problemsToDiagnostics, sortedSet, str, strings } from './values';

/** The declared authorization of a planned (fully known) state. */
function desiredOf(p: TfObject): DesiredAuthorization {
  const m = AUTHORIZATION.get(p);
  return { name: m.name ?? '', kind: m.kind ?? 'oauth2', ownerId: m.ownerId ?? '', mode: m.mode ?? 'test', capabilities: sortedSet(m.capabilities ?? []) };
}

/** The authorization as the prior state records it (what Terraform believes the API holds). */
function observedOf(s: TfObject): ObservedAuthorization {
  const m = AUTHORIZATION.get(s);
  return {
    id: m.id ?? '',
    name: m.name ?? '',
    kind: m.kind ?? '',
    ownerId: m.ownerId ?? '',
    mode: m.mode ?? 'test',
    capabilities: sortedSet(m.capabilities ?? []),
    clientId: m.clientId ?? null,
    fingerprint: m.fingerprint ?? '',
    projectAccess: [],
    mcpServers: [],
    unmanaged: sortedSet(m.unmanagedGrants ?? []),
  };
}

/** The choices of `grants`: authoritative (the default, when null) or additive. */
export const GRANTS_MODES = ['authoritative', 'additive'] as const;

/** Whether a configuration or plan is authoritative over its grants (the default). */
function authoritative(s: TfObject): boolean {
  return (str(s.grants) ?? 'authoritative') === 'authoritative';
}

/** The state of an observed authorization; `base` keeps a null `capabilities` null while it has none. */
function stateOf(o: ObservedAuthorization, base: TfObject, secret: string | null): TfObject {
  const b = AUTHORIZATION.get(base);
  return AUTHORIZATION.state({
    ...o,
    capabilities: o.capabilities.length === 0 && b.capabilities === null ? null : [...o.capabilities],
    clientSecret: secret,
    grants: b.grants,
    unmanagedGrants: [...o.unmanaged],
    secretDelivery: b.secretDelivery,
  });
}

const where = (s: TfObject) => (str(s.id) ? `authorization ${str(s.id)}` : `authorization "${str(s.name) ?? '?'}"`);

/** State written before authorizations had a mode (refresh skipped) holds test ones: not a change. */
const modeChanged: ReplaceCondition<KeyformContext> = {
  description: 'Changing the mode replaces the authorization; a mode missing from older state is test.',
  when: ({ stateValue, planValue }) => (stateValue ?? 'test') !== planValue,
};

/** The schema of `keyform_oauth_authorization`. */
const AUTHORIZATION_SCHEMA = blockSchema({
  description: 'A delegated access from a user to a tool: its capabilities. Grant projects and MCP servers with keyform_project_access and keyform_mcp_server_grant.',
  attributes: {
    id: { type: 'string', computed: true, useStateForUnknown: true, description: 'Authorization id.' },
    name: { type: 'string', required: true, description: 'Name (no < or >).' },
    kind: {
      type: 'string',
      optional: true,
      computed: true,
      default: 'oauth2',
      requiresReplace: true,
      description: 'oauth2 (default) or api_key. Changing it replaces the authorization.',
    },
    owner_id: {
      type: 'string',
      required: true,
      requiresReplace: true,
      description: 'The user who delegates; the authorization never exceeds their permissions. Changing it replaces the authorization.',
    },
    mode: {
      type: 'string',
      optional: true,
      computed: true,
      default: 'test',
      requiresReplaceIf: modeChanged,
      description: 'test (default) or live: the data every token of this authorization may reach. live needs allow_live on the provider. Changing it replaces the authorization.',
    },
    capabilities: { type: ['set', 'string'], optional: true, description: 'Capabilities: mcp, api, apps:view, apps:admin, flows:edit, secrets:edit, endpoints:access.' },
    client_id: { type: 'string', computed: true, useStateForUnknown: true, description: 'OAuth2 client id (null for api_key).' },
    client_secret: { type: 'string', computed: true, sensitive: true, useStateForUnknown: true, description: 'The issued secret; only known from creation (null after import, and null when secret_delivery is set).' },
    fingerprint: { type: 'string', computed: true, useStateForUnknown: true, description: 'Identifies the issued secret without revealing it.' },
    grants: {
      type: 'string',
      optional: true,
      description:
        'authoritative (default): project access and MCP-server grants that no keyform resource of this configuration declares are drift, shown by plan and removed by apply. additive: grants made by hand are left alone.',
    },
    unmanaged_grants: {
      type: ['set', 'string'],
      computed: true,
      description: 'Grants found that no keyform grant resource made (project:<id>:<role>, mcp_server:<id>); emptied by apply unless grants = "additive".',
    },
  },
  blocks: {
    secret_delivery: secretDeliveryBlock('the issued client secret'),
  },
});

/** An authorization as its resource's state, plan or config holds it. */
export type AuthorizationModel = ModelOf<typeof AUTHORIZATION_SCHEMA>;
const AUTHORIZATION = typedModel(AUTHORIZATION_SCHEMA);

/** The `keyform_oauth_authorization` resource. */
export const authorizationResource: ResourceDefinition<KeyformContext> = {
  version: 0,
  schema: AUTHORIZATION_SCHEMA,

  validate(config) {
    return problemsToDiagnostics([
      ...checkAuthorizationConfig({ name: str(config.name), kind: str(config.kind), mode: str(config.mode), capabilities: strings(config.capabilities), delivery: deliveryInput(config.secret_delivery) }),
      ...checkChoice('grants', str(config.grants), GRANTS_MODES),
    ]);
  },

  async modifyPlan(req, ctx) {
    const { prior, config } = req;
    const k = configuredProvider(ctx);
    // In state: a journal entry of its create is done (also when refresh was skipped). Local only.
    if (prior && str(prior.id)) await k.authorizations.confirm(str(prior.id)!);
    const planned: TfObject = { ...req.planned };
    const delivered = deliveryDeclared(config);
    // A new delivery destination replaces an authorization (its secret cannot be rotated).
    const redeliver = prior !== null && deliveryDestinationChanged(prior, planned);
    const replacing = req.requiresReplace.length > 0 || redeliver;
    guardLive([str(prior?.mode), str(planned.mode)], k, !prior ? 'create' : replacing ? 'replace' : 'manage', where(prior ?? planned));
    const diagnostics: Diagnostic[] = [];
    // The owner must hold every declared capability; say which one is missing now, not a 403 at apply.
    const ownerId = str(planned.owner_id);
    const caps = strings(planned.capabilities) ?? [];
    const newCaps = prior ? caps.filter((c) => !(strings(prior.capabilities) ?? []).includes(c)) : caps;
    if (ownerId && newCaps.length && k.owners) {
      const short = await k.owners.shortfall(ownerId, { capabilities: newCaps }, prior !== null);
      if (short.length) {
        const m = MESSAGES.ownerLacks(where(prior ?? planned), short);
        return { planned, diagnostics: [{ severity: 'error', summary: m.summary, detail: `${m.detail} [${m.code}]`, attribute: ['capabilities'] }] };
      }
    }
    if (!prior) {
      if (delivered) planned.client_secret = null;
      // A new authorization holds no grants but those its grant resources will make.
      planned.unmanaged_grants = [];
      return { planned, diagnostics };
    }
    const found = strings(prior.unmanaged_grants) ?? [];
    planned.unmanaged_grants = authoritative(planned) ? [] : (prior.unmanaged_grants ?? null);
    if (authoritative(planned) && found.length && !replacing) {
      const m = MESSAGES.unmanagedGrantsRemoved(where(prior), found.map(describeGrant));
      diagnostics.push({ severity: 'warning', summary: m.summary, detail: `${m.detail} [${m.code}]`, attribute: ['unmanaged_grants'] });
    }
    const requiresReplace: AttributePath[] = [];
    if (redeliver) {
      // No rotation exists for an authorization's secret: the new destination gets a new authorization.
      requiresReplace.push(['secret_delivery']);
      const to = delivered && !deliveryOf(planned) ? 'a destination known only after apply' : describeDelivery(deliveryOf(planned));
      const m = MESSAGES.authorizationDeliveryChanged(where(prior), describeDelivery(deliveryOf(prior)), to);
      diagnostics.push({ severity: 'warning', summary: m.summary, detail: `${m.detail} [${m.code}]`, attribute: ['secret_delivery'] });
    }
    if (replacing) {
      // The new authorization's values are known only after apply; it starts with no grants.
      Object.assign(planned, computedUnknown(authorizationResource.schema), { unmanaged_grants: [] });
      if (delivered) planned.client_secret = null;
    }
    return { planned, requiresReplace, diagnostics };
  },

  planDestroy: planDestroyByMode(where),

  async create({ planned }, ctx) {
    const k = configuredProvider(ctx);
    guardMode(k, 'create', where(planned), planned);
    return diagnosed(async () => {
      const { observed, secret } = await k.authorizations.create(desiredOf(planned), where(planned));
      if (!deliveryOf(planned)) return { state: stateOf(observed, planned, secret) };
      try {
        await deliver(planned, secret, authorizationDeliveryFacts(observed), where(planned));
      } catch (err) {
        // The secret reached no one: delete the authorization rather than leave a live secret behind.
        await k.authorizations.delete(observed.id, where(planned)).catch(() => undefined);
        throw err;
      }
      return { state: stateOf(observed, planned, null) };
    });
  },

  async read({ state }, ctx) {
    const k = configuredProvider(ctx);
    return diagnosed(async () => {
      const observed = await k.authorizations.observe(str(state.id) ?? '', where(state));
      await k.authorizations.confirm(str(state.id) ?? '');
      return { state: observed ? stateOf(observed, state, str(state.client_secret) ?? null) : null };
    });
  },

  async update({ prior, planned }, ctx) {
    const k = configuredProvider(ctx);
    guardMode(k, 'update', where(prior), prior, planned);
    return diagnosed(async () => {
      const id = str(prior.id) ?? '';
      const diff = diffAuthorization(desiredOf(planned), observedOf(prior));
      let observed = (await k.authorizations.update(id, diff, where(prior))) ?? observedOf(prior);
      if (authoritative(planned) && (strings(prior.unmanaged_grants) ?? []).length) {
        observed = (await k.authorizations.removeUnmanagedGrants(id, where(prior))) ?? observed;
      }
      // The plan said what becomes of grants made by hand: none (authoritative) or those found (additive).
      const state = stateOf(observed, planned, deliveryDeclared(planned) ? null : (str(prior.client_secret) ?? null));
      state.unmanaged_grants = planned.unmanaged_grants ?? null;
      return { state };
    });
  },

  async delete({ prior }, ctx) {
    const k = configuredProvider(ctx);
    guardMode(k, 'destroy', where(prior), prior);
    await diagnosed(() => k.authorizations.delete(str(prior.id) ?? '', where(prior)));
  },

  async import({ id }, ctx) {
    if (!id.trim()) fail(MESSAGES.invalidImportId(RESOURCE.authorization, 'an authorization id', id));
    const state = passthroughState(AUTHORIZATION_SCHEMA, id);
    // Importing never takes access away: an authorization holding grants made by hand is imported as
    // additive, so a configuration that declares `grants = "additive"` (what `keyform adopt` writes)
    // plans imports only, and one that does not shows the switch to authoritative, with the grants it
    // would remove, in the plan. Reads only.
    const observed = ctx.provider ? await diagnosed(() => configuredProvider(ctx).authorizations.observe(id, `authorization ${id}`)) : null;
    if (observed && observed.unmanaged.length) state.grants = 'additive';
    return state;
  },
};
