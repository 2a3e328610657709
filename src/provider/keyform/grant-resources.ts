/** `keyform_project_access` and `keyform_mcp_server_grant`: one grant of an authorization each. */
import { LiveAction, MESSAGES, checkProjectAccessConfig, mcpServerGrantId, projectAccessId, splitPairId } from '../../handler';
import { AttributePath, ResourceDefinition, TfObject, UNKNOWN } from '../framework';
import { KeyformContext, contextOf } from './context';
import { authorizationMode, guardLive } from './live-guard';
import { changed, diagnosed, fail, problemsToDiagnostics, str } from './values';

function planPair(prior: TfObject | null, proposed: TfObject, second: 'project_id' | 'mcp_server_id') {
  const planned: TfObject = { ...proposed };
  const a = str(proposed.authorization_id);
  const b = str(proposed[second]);
  planned.id = a && b ? `${a}/${b}` : UNKNOWN;
  if (!prior) return { planned };
  const requiresReplace: AttributePath[] = (['authorization_id', second] as const).filter((x) => changed(prior[x], planned[x])).map((x) => [x]);
  return { planned, requiresReplace };
}

/** The live guard of a grant: a grant of a live authorization is a live mutation. */
async function guardGrant(k: KeyformContext, s: TfObject, action: LiveAction, what: string): Promise<void> {
  if (k.settings.allowLive) return;
  const id = str(s.authorization_id);
  guardLive([await authorizationMode(k, id)], k, action, `${what} of authorization ${id ?? '?'}`);
}

/** The `keyform_project_access` resource: access of an authorization to one project at a role. */
export const projectAccessResource: ResourceDefinition<KeyformContext> = {
  version: 0,
  schema: {
    description: 'Access of an authorization to one project, at a role (viewer, editor, admin).',
    attributes: {
      id: { type: 'string', computed: true, description: '<authorization_id>/<project_id>.' },
      authorization_id: { type: 'string', requiresReplace: true, required: true, description: 'The authorization. Changing it replaces the grant.' },
      project_id: { type: 'string', requiresReplace: true, required: true, description: 'The project. Changing it replaces the grant.' },
      role: { type: 'string', required: true, description: 'viewer, editor or admin; never above the owner’s own role.' },
    },
  },

  validate(config) {
    return problemsToDiagnostics(checkProjectAccessConfig({ role: str(config.role) }));
  },

  async plan({ prior, proposed }, ctx) {
    const k = contextOf(ctx);
    const result = planPair(prior, proposed, 'project_id');
    const changing = !prior || changed(prior.role, proposed.role) || !!result.requiresReplace?.length;
    if (!changing) return result;
    await guardGrant(k, proposed, prior ? 'update' : 'create', 'project access');
    // The owner must hold the role; say so now rather than with a 403 at apply.
    const authorizationId = str(proposed.authorization_id);
    const projectId = str(proposed.project_id);
    const role = str(proposed.role);
    if (authorizationId && projectId && role && k.owners) {
      const owner = (await k.authorizations.observe(authorizationId, `authorization ${authorizationId}`))?.ownerId;
      const short = owner ? await k.owners.shortfall(owner, { projects: [{ projectId, role }] }, prior !== null) : [];
      if (short.length) {
        const m = MESSAGES.ownerLacks(`project access ${authorizationId}/${projectId}`, short);
        return { ...result, diagnostics: [{ severity: 'error' as const, summary: m.summary, detail: `${m.detail} [${m.code}]`, attribute: ['role'] }] };
      }
    }
    return result;
  },

  async planDestroy({ prior }, ctx) {
    await guardGrant(contextOf(ctx), prior, 'destroy', 'project access');
    return [];
  },

  async create({ planned }, ctx) {
    const k = contextOf(ctx);
    return diagnosed(async () => {
      const v = { authorizationId: str(planned.authorization_id) ?? '', projectId: str(planned.project_id) ?? '', role: str(planned.role) ?? '' };
      await k.grants.putProjectAccess(v, `project access ${projectAccessId(v)}`);
      return { state: { ...planned, id: projectAccessId(v) } };
    });
  },

  async read({ state }, ctx) {
    const k = contextOf(ctx);
    return diagnosed(async () => {
      const authorizationId = str(state.authorization_id) ?? '';
      const projectId = str(state.project_id) ?? '';
      const found = await k.grants.observeProjectAccess(authorizationId, projectId, `project access ${authorizationId}/${projectId}`);
      return { state: found ? { id: projectAccessId(found), authorization_id: authorizationId, project_id: projectId, role: found.role } : null };
    });
  },

  async update({ planned }, ctx) {
    const k = contextOf(ctx);
    return diagnosed(async () => {
      const v = { authorizationId: str(planned.authorization_id) ?? '', projectId: str(planned.project_id) ?? '', role: str(planned.role) ?? '' };
      await k.grants.putProjectAccess(v, `project access ${projectAccessId(v)}`);
      return { state: { ...planned, id: projectAccessId(v) } };
    });
  },

  async delete({ prior }, ctx) {
    const k = contextOf(ctx);
    const authorizationId = str(prior.authorization_id) ?? '';
    const projectId = str(prior.project_id) ?? '';
    await diagnosed(() => k.grants.deleteProjectAccess(authorizationId, projectId, `project access ${authorizationId}/${projectId}`));
  },

  async import({ id }) {
    const pair = splitPairId(id);
    if (!pair) fail(MESSAGES.invalidImportId('keyform_project_access', '<authorization_id>/<project_id>', id));
    return { id, authorization_id: pair[0], project_id: pair[1], role: null };
  },
};

/** The `keyform_mcp_server_grant` resource: access of an authorization to one MCP server. */
export const mcpServerGrantResource: ResourceDefinition<KeyformContext> = {
  version: 0,
  schema: {
    description: 'Access of an authorization to one MCP server; needs the mcp capability and access to the server’s project.',
    attributes: {
      id: { type: 'string', computed: true, description: '<authorization_id>/<mcp_server_id>.' },
      authorization_id: { type: 'string', requiresReplace: true, required: true, description: 'The authorization. Changing it replaces the grant.' },
      mcp_server_id: { type: 'string', requiresReplace: true, required: true, description: 'The MCP server. Changing it replaces the grant.' },
    },
  },

  async plan({ prior, proposed }, ctx) {
    const result = planPair(prior, proposed, 'mcp_server_id');
    if (!prior || result.requiresReplace?.length) await guardGrant(contextOf(ctx), proposed, prior ? 'replace' : 'create', 'MCP server grant');
    return result;
  },

  async planDestroy({ prior }, ctx) {
    await guardGrant(contextOf(ctx), prior, 'destroy', 'MCP server grant');
    return [];
  },

  async create({ planned }, ctx) {
    const k = contextOf(ctx);
    return diagnosed(async () => {
      const v = { authorizationId: str(planned.authorization_id) ?? '', mcpServerId: str(planned.mcp_server_id) ?? '' };
      await k.grants.putMcpServerGrant(v.authorizationId, v.mcpServerId, `MCP server grant ${mcpServerGrantId(v)}`);
      return { state: { ...planned, id: mcpServerGrantId(v) } };
    });
  },

  async read({ state }, ctx) {
    const k = contextOf(ctx);
    return diagnosed(async () => {
      const v = { authorizationId: str(state.authorization_id) ?? '', mcpServerId: str(state.mcp_server_id) ?? '' };
      const held = await k.grants.observeMcpServerGrant(v.authorizationId, v.mcpServerId, `MCP server grant ${mcpServerGrantId(v)}`);
      return { state: held ? { id: mcpServerGrantId(v), authorization_id: v.authorizationId, mcp_server_id: v.mcpServerId } : null };
    });
  },

  async update({ planned }) {
    // Every argument forces replacement: an update only ever refreshes the id.
    return { state: { ...planned } };
  },

  async delete({ prior }, ctx) {
    const k = contextOf(ctx);
    const v = { authorizationId: str(prior.authorization_id) ?? '', mcpServerId: str(prior.mcp_server_id) ?? '' };
    await diagnosed(() => k.grants.deleteMcpServerGrant(v.authorizationId, v.mcpServerId, `MCP server grant ${mcpServerGrantId(v)}`));
  },

  async import({ id }) {
    const pair = splitPairId(id);
    if (!pair) fail(MESSAGES.invalidImportId('keyform_mcp_server_grant', '<authorization_id>/<mcp_server_id>', id));
    return { id, authorization_id: pair[0], mcp_server_id: pair[1] };
  },
};
