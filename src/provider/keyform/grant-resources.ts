/** `keyform_project_access` and `keyform_mcp_server_grant`: one grant of an authorization each. */
import { LiveAction, MESSAGES, checkProjectAccessConfig } from '../../handler';
import { BlockSchema, ResourceDefinition, TfObject } from '../framework';
import { compositeId, type CompositeId } from './composite-id';
import { KeyformContext, configuredProvider } from './context';
import { authorizationMode, guardLive } from './live-guard';
import { RESOURCE } from './type-names';
import { changed, diagnosed, problemsToDiagnostics, str } from './values';

/** The id of a project access: `<authorization_id>/<project_id>`. */
export const PROJECT_ACCESS_ID = compositeId(RESOURCE.projectAccess, 'authorization_id', 'project_id');
/** The id of an MCP-server grant: `<authorization_id>/<mcp_server_id>`. */
export const MCP_SERVER_GRANT_ID = compositeId(RESOURCE.mcpServerGrant, 'authorization_id', 'mcp_server_id');

/** The live guard of a grant: a grant of a live authorization is a live mutation. */
async function guardGrant(k: KeyformContext, s: TfObject, action: LiveAction, what: string): Promise<void> {
  if (k.settings.allowLive) return;
  const id = str(s.authorization_id);
  guardLive([await authorizationMode(k, id)], k, action, `${what} of authorization ${id ?? '?'}`);
}

/** The schema of a grant: its composite id, its authorization and the granted object (both forcing replacement), and more. */
function grantSchema(description: string, id: CompositeId<string, string>, second: string, what: string, more: BlockSchema['attributes'] = {}): BlockSchema {
  const joined = (d: string) => ({ type: 'string', required: true, requiresReplace: true, description: `${d} Changing it replaces the grant.` }) as const;
  return {
    description,
    attributes: {
      id: { type: 'string', computed: true, planModifiers: [id.planModifier], description: `${id.expected}.` },
      authorization_id: joined('The authorization.'),
      [second]: joined(what),
      ...more,
    },
  };
}

/** The `keyform_project_access` resource: access of an authorization to one project at a role. */
export const projectAccessResource: ResourceDefinition<KeyformContext> = {
  version: 0,
  schema: grantSchema('Access of an authorization to one project, at a role (viewer, editor, admin).', PROJECT_ACCESS_ID, 'project_id', 'The project.', {
    role: { type: 'string', required: true, description: 'viewer, editor or admin; never above the owner’s own role.' },
  }),

  validate(config) {
    return problemsToDiagnostics(checkProjectAccessConfig({ role: str(config.role) }));
  },

  async modifyPlan({ prior, planned, requiresReplace }, ctx) {
    const changing = !prior || changed(prior.role, planned.role) || requiresReplace.length > 0;
    if (!changing) return { planned };
    const k = configuredProvider(ctx);
    await guardGrant(k, planned, prior ? 'update' : 'create', 'project access');
    // The owner must hold the role; say so now rather than with a 403 at apply.
    const { authorization_id: authorizationId, project_id: projectId } = PROJECT_ACCESS_ID.of(planned);
    const role = str(planned.role);
    if (authorizationId && projectId && role && k.owners) {
      const owner = (await k.authorizations.observe(authorizationId, `authorization ${authorizationId}`))?.ownerId;
      const short = owner ? await k.owners.shortfall(owner, { projects: [{ projectId, role }] }, prior !== null) : [];
      if (short.length) {
        const m = MESSAGES.ownerLacks(`project access ${authorizationId}/${projectId}`, short);
        return { planned, diagnostics: [{ severity: 'error', summary: m.summary, detail: `${m.detail} [${m.code}]`, attribute: ['role'] }] };
      }
    }
    return { planned };
  },

  async planDestroy({ prior }, ctx) {
    await guardGrant(configuredProvider(ctx), prior, 'destroy', 'project access');
    return [];
  },

  async create({ planned }, ctx) {
    return putProjectAccess(planned, configuredProvider(ctx));
  },

  async read({ state }, ctx) {
    const k = configuredProvider(ctx);
    return diagnosed(async () => {
      const parts = PROJECT_ACCESS_ID.of(state);
      const id = PROJECT_ACCESS_ID.format(parts);
      const found = await k.grants.observeProjectAccess(parts.authorization_id, parts.project_id, `project access ${id}`);
      return { state: found ? { id, ...parts, role: found.role } : null };
    });
  },

  async update({ planned }, ctx) {
    return putProjectAccess(planned, configuredProvider(ctx));
  },

  async delete({ prior }, ctx) {
    const k = configuredProvider(ctx);
    const parts = PROJECT_ACCESS_ID.of(prior);
    await diagnosed(() => k.grants.deleteProjectAccess(parts.authorization_id, parts.project_id, `project access ${PROJECT_ACCESS_ID.format(parts)}`));
  },

  async import({ id }) {
    return { id, ...PROJECT_ACCESS_ID.parse(id), role: null };
  },
};

/** Create and update of a project access: both put the planned role. */
function putProjectAccess(planned: TfObject, k: KeyformContext): Promise<{ state: TfObject }> {
  return diagnosed(async () => {
    const parts = PROJECT_ACCESS_ID.of(planned);
    const id = PROJECT_ACCESS_ID.format(parts);
    await k.grants.putProjectAccess({ authorizationId: parts.authorization_id, projectId: parts.project_id, role: str(planned.role) ?? '' }, `project access ${id}`);
    return { state: { ...planned, id } };
  });
}

/** The `keyform_mcp_server_grant` resource: access of an authorization to one MCP server. */
export const mcpServerGrantResource: ResourceDefinition<KeyformContext> = {
  version: 0,
  schema: grantSchema(
    'Access of an authorization to one MCP server; needs the mcp capability and access to the server’s project.',
    MCP_SERVER_GRANT_ID,
    'mcp_server_id',
    'The MCP server.',
  ),

  async modifyPlan({ prior, planned, requiresReplace }, ctx) {
    if (!prior || requiresReplace.length) await guardGrant(configuredProvider(ctx), planned, prior ? 'replace' : 'create', 'MCP server grant');
    return { planned };
  },

  async planDestroy({ prior }, ctx) {
    await guardGrant(configuredProvider(ctx), prior, 'destroy', 'MCP server grant');
    return [];
  },

  async create({ planned }, ctx) {
    const k = configuredProvider(ctx);
    return diagnosed(async () => {
      const parts = MCP_SERVER_GRANT_ID.of(planned);
      const id = MCP_SERVER_GRANT_ID.format(parts);
      await k.grants.putMcpServerGrant(parts.authorization_id, parts.mcp_server_id, `MCP server grant ${id}`);
      return { state: { ...planned, id } };
    });
  },

  async read({ state }, ctx) {
    const k = configuredProvider(ctx);
    return diagnosed(async () => {
      const parts = MCP_SERVER_GRANT_ID.of(state);
      const id = MCP_SERVER_GRANT_ID.format(parts);
      const held = await k.grants.observeMcpServerGrant(parts.authorization_id, parts.mcp_server_id, `MCP server grant ${id}`);
      return { state: held ? { id, ...parts } : null };
    });
  },

  async update({ planned }) {
    // Every argument forces replacement: an update only ever refreshes the id.
    return { state: { ...planned } };
  },

  async delete({ prior }, ctx) {
    const k = configuredProvider(ctx);
    const parts = MCP_SERVER_GRANT_ID.of(prior);
    await diagnosed(() => k.grants.deleteMcpServerGrant(parts.authorization_id, parts.mcp_server_id, `MCP server grant ${MCP_SERVER_GRANT_ID.format(parts)}`));
  },

  async import({ id }) {
    return { id, ...MCP_SERVER_GRANT_ID.parse(id) };
  },
};
