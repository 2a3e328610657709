/** The `keyform_oauth_authorization` resource. Project access and MCP grants belong to their own resources. */
import { DesiredAuthorization, MESSAGES, ObservedAuthorization, checkAuthorizationConfig, diffAuthorization } from '../../handler';
import { AttributePath, ResourceDefinition, TfObject, TfValue, UNKNOWN } from '../framework';
import { KeyformContext, contextOf } from './context';
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
      client_secret: { type: 'string', computed: true, sensitive: true, description: 'The issued secret; only known from creation (null after import).' },
      fingerprint: { type: 'string', computed: true, description: 'Identifies the issued secret without revealing it.' },
    },
  },

  validate(config) {
    return problemsToDiagnostics(checkAuthorizationConfig({ name: str(config.name), kind: str(config.kind), capabilities: strings(config.capabilities) }));
  },

  async plan({ prior, proposed, config }, ctx) {
    const k = contextOf(ctx);
    // In state: a journal entry of its create is done (also when refresh was skipped). Local only.
    if (prior && str(prior.id)) await k.authorizations.confirm(str(prior.id)!);
    const planned: TfObject = { ...proposed, kind: config.kind === null ? 'oauth2' : config.kind };
    const replacing = prior !== null && FORCES_REPLACEMENT.some((a) => changed(prior[a], planned[a]));
    guardLive([str(prior?.mode), str(planned.mode)], k, !prior ? 'create' : replacing ? 'replace' : 'manage', where(prior ?? planned));
    if (!prior) {
      for (const a of COMPUTED) planned[a] = UNKNOWN;
      return { planned };
    }
    for (const a of COMPUTED) planned[a] = prior[a] ?? null;
    const requiresReplace: AttributePath[] = FORCES_REPLACEMENT.filter((a) => changed(prior[a], planned[a])).map((a) => [a]);
    return { planned, requiresReplace };
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
      return { state: stateOf(observed, planned, secret) };
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
      return { state: stateOf(observed, planned, prior.client_secret ?? null) };
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
    state.id = id;
    return state;
  },
};
