/**
 * The `keyform_oauth_authorization` resource. Project access and MCP grants belong to their own resources.
 *
 * With `secret_delivery` the issued client secret goes to a file or a command once and never into
 * state (which keeps its fingerprint). The API cannot rotate an authorization's secret, so a new
 * delivery destination replaces the authorization (planned with a warning that says so), and a
 * delivery that fails at creation deletes the authorization it just created: no secret that reached
 * no one stays valid, and the next apply creates and delivers afresh.
 */
import { DesiredAuthorization, MESSAGES, ObservedAuthorization, authorizationDeliveryFacts, checkAuthorizationConfig, describeDelivery, diffAuthorization } from '../../handler';
import { AttributePath, Diagnostic, ResourceDefinition, TfObject, TfValue, UNKNOWN } from '../framework';
import { KeyformContext, contextOf } from './context';
import { deliver, deliveryDeclared, deliveryDestinationChanged, deliveryInput, deliveryOf, secretDeliveryBlock } from './secret-delivery-block';
import { guardLive } from './live-guard';
import { changed, diagnosed, fail, problemsToDiagnostics, sortedSet, str, strings } from './values';

const COMPUTED = ['id', 'client_id', 'client_secret', 'fingerprint'] as const;
const FORCES_REPLACEMENT = ['kind', 'owner_id'] as const;

function desiredOf(p: TfObject): DesiredAuthorization {
  return { name: str(p.name) ?? '', kind: str(p.kind) ?? 'oauth2', ownerId: str(p.owner_id) ?? '', capabilities: sortedSet(strings(p.capabilities) ?? []) };
}

function observedOf(s: TfObject): ObservedAuthorization {
  return {
    id: str(s.id) ?? '',
    name: str(s.name) ?? '',
    kind: str(s.kind) ?? '',
    ownerId: str(s.owner_id) ?? '',
    capabilities: sortedSet(strings(s.capabilities) ?? []),
    clientId: str(s.client_id) ?? null,
    fingerprint: str(s.fingerprint) ?? '',
    mode: str(s.mode) ?? null,
    projectAccess: [],
    mcpServers: [],
  };
}

function stateOf(o: ObservedAuthorization, base: TfObject, secret: TfValue): TfObject {
  return {
    id: o.id,
    name: o.name,
    kind: o.kind,
    owner_id: o.ownerId,
    capabilities: o.capabilities.length === 0 && (base.capabilities === null || base.capabilities === undefined) ? null : [...o.capabilities],
    client_id: o.clientId,
    client_secret: secret,
    fingerprint: o.fingerprint,
    secret_delivery: base.secret_delivery ?? null,
  };
}

const where = (s: TfObject) => (str(s.id) ? `authorization ${str(s.id)}` : `authorization "${str(s.name) ?? '?'}"`);

/** The `keyform_oauth_authorization` resource. */
export const authorizationResource: ResourceDefinition<KeyformContext> = {
  version: 0,
  schema: {
    description: 'A delegated access from a user to a tool: its capabilities. Grant projects and MCP servers with keyform_project_access and keyform_mcp_server_grant.',
    attributes: {
      id: { type: 'string', computed: true, description: 'Authorization id.' },
      name: { type: 'string', required: true, description: 'Name (no < or >).' },
      kind: { type: 'string', requiresReplace: true, optional: true, computed: true, description: 'oauth2 (default) or api_key. Changing it replaces the authorization.' },
      owner_id: { type: 'string', requiresReplace: true, required: true, description: 'The user who delegates; the authorization never exceeds their permissions. Changing it replaces the authorization.' },
      capabilities: { type: ['set', 'string'], optional: true, description: 'Capabilities: mcp, api, apps:view, apps:admin, flows:edit, secrets:edit, endpoints:access.' },
      client_id: { type: 'string', computed: true, description: 'OAuth2 client id (null for api_key).' },
      client_secret: { type: 'string', computed: true, sensitive: true, description: 'The issued secret; only known from creation (null after import, and null when secret_delivery is set).' },
      fingerprint: { type: 'string', computed: true, description: 'Identifies the issued secret without revealing it.' },
    },
    blocks: {
      secret_delivery: secretDeliveryBlock('the issued client secret'),
    },
  },

  validate(config) {
    return problemsToDiagnostics(
      checkAuthorizationConfig({ name: str(config.name), kind: str(config.kind), capabilities: strings(config.capabilities), delivery: deliveryInput(config.secret_delivery) }),
    );
  },

  async plan({ prior, proposed, config }, ctx) {
    const k = contextOf(ctx);
    // In state: a journal entry of its create is done (also when refresh was skipped). Local only.
    if (prior && str(prior.id)) await k.authorizations.confirm(str(prior.id)!);
    const planned: TfObject = { ...proposed, kind: config.kind === null ? 'oauth2' : config.kind };
    const delivered = deliveryDeclared(config);
    // A new delivery destination replaces an authorization (its secret cannot be rotated).
    const replacing = prior !== null && (FORCES_REPLACEMENT.some((a) => changed(prior[a], planned[a])) || deliveryDestinationChanged(prior, planned));
    guardLive([str(prior?.mode), str(planned.mode)], k, !prior ? 'create' : replacing ? 'replace' : 'manage', where(prior ?? planned));
    if (!prior) {
      for (const a of COMPUTED) planned[a] = UNKNOWN;
      if (delivered) planned.client_secret = null;
      return { planned };
    }
    for (const a of COMPUTED) planned[a] = prior[a] ?? null;
    const requiresReplace: AttributePath[] = FORCES_REPLACEMENT.filter((a) => changed(prior[a], planned[a])).map((a) => [a]);
    const diagnostics: Diagnostic[] = [];
    if (deliveryDestinationChanged(prior, planned)) {
      // No rotation exists for an authorization's secret: the new destination gets a new authorization.
      requiresReplace.push(['secret_delivery']);
      const to = delivered && !deliveryOf(planned) ? 'a destination known only after apply' : describeDelivery(deliveryOf(planned));
      const m = MESSAGES.authorizationDeliveryChanged(where(prior), describeDelivery(deliveryOf(prior)), to);
      diagnostics.push({ severity: 'warning', summary: m.summary, detail: `${m.detail} [${m.code}]`, attribute: ['secret_delivery'] });
    }
    if (requiresReplace.length) {
      for (const a of COMPUTED) planned[a] = UNKNOWN;
      if (delivered) planned.client_secret = null;
    }
    return { planned, requiresReplace, diagnostics };
  },

  async planDestroy({ prior }, ctx) {
    guardLive([str(prior.mode)], contextOf(ctx), 'destroy', where(prior));
    return [];
  },

  async create({ planned }, ctx) {
    const k = contextOf(ctx);
    guardLive([str(planned.mode)], k, 'create', where(planned));
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
    const k = contextOf(ctx);
    return diagnosed(async () => {
      const observed = await k.authorizations.observe(str(state.id) ?? '', where(state));
      await k.authorizations.confirm(str(state.id) ?? '');
      return { state: observed ? stateOf(observed, state, state.client_secret ?? null) : null };
    });
  },

  async update({ prior, planned }, ctx) {
    const k = contextOf(ctx);
    guardLive([str(prior.mode), str(planned.mode)], k, 'update', where(prior));
    return diagnosed(async () => {
      const diff = diffAuthorization(desiredOf(planned), observedOf(prior));
      const observed = (await k.authorizations.update(str(prior.id) ?? '', diff, where(prior))) ?? observedOf(prior);
      return { state: stateOf(observed, planned, deliveryDeclared(planned) ? null : (prior.client_secret ?? null)) };
    });
  },

  async delete({ prior }, ctx) {
    const k = contextOf(ctx);
    guardLive([str(prior.mode)], k, 'destroy', where(prior));
    await diagnosed(() => k.authorizations.delete(str(prior.id) ?? '', where(prior)));
  },

  async import({ id }) {
    if (!id.trim()) fail(MESSAGES.invalidImportId('keyform_oauth_authorization', 'an authorization id', id));
    const state: TfObject = Object.fromEntries(Object.keys(authorizationResource.schema.attributes).map((a) => [a, null]));
    state.secret_delivery = null;
    state.id = id;
    return state;
  },
};
