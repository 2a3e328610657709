/** Data sources: the scope, project and MCP-server catalogs, and one API key by id. */
import { observeApiKey, wrapApiError } from '../../handler';
import { DataSourceDefinition } from '../framework';
import { blockSchema, typedModel } from '../plugin/typed-model';
import { KeyformContext, configuredProvider } from './context';
import { diagnosed, str } from './values';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of items) out.push(x);
  return out;
}

/** `keyform_scopes`: every scope of the catalog. */
export const scopesDataSource: DataSourceDefinition<KeyformContext> = {
  schema: {
    description: 'The scope catalog of the Key Management API.',
    attributes: {
      scopes: { type: ['list', 'string'], computed: true, description: 'Every scope string, e.g. customers:read, in catalog order.' },
      items: {
        type: ['list', ['object', { scope: 'string', resource: 'string', access: 'string', description: 'string' }]],
        computed: true,
        description: 'Every scope with its resource, access level and meaning.',
      },
    },
  },
  async read(_req, ctx) {
    const k = configuredProvider(ctx);
    return diagnosed(async () => {
      const catalog = await k.api.listScopes().catch((err) => Promise.reject(wrapApiError(err, 'list', 'scopes')));
      return {
        scopes: catalog.data.map((s) => s.scope),
        items: catalog.data.map((s) => ({ scope: s.scope, resource: s.resource, access: s.access, description: s.description })),
      };
    });
  },
};

/** `keyform_projects`: every project. */
export const projectsDataSource: DataSourceDefinition<KeyformContext> = {
  schema: {
    description: 'The project catalog.',
    attributes: {
      ids: { type: ['list', 'string'], computed: true, description: 'Project ids, sorted.' },
      projects: { type: ['list', ['object', { id: 'string', name: 'string' }]], computed: true, description: 'Projects, sorted by id.' },
    },
  },
  async read(_req, ctx) {
    const k = configuredProvider(ctx);
    return diagnosed(async () => {
      const projects = await collect(k.api.iterateProjects({ limit: 1000 })).catch((err) => Promise.reject(wrapApiError(err, 'list', 'projects')));
      projects.sort((a, b) => a.id.localeCompare(b.id));
      return { ids: projects.map((p) => p.id), projects: projects.map((p) => ({ id: p.id, name: p.name })) };
    });
  },
};

/** `keyform_mcp_servers`: every MCP server, optionally of one project. */
export const mcpServersDataSource: DataSourceDefinition<KeyformContext> = {
  schema: {
    description: 'The MCP-server catalog.',
    attributes: {
      project_id: { type: 'string', optional: true, description: 'Only servers of this project.' },
      ids: { type: ['list', 'string'], computed: true, description: 'Server ids, sorted.' },
      servers: {
        type: ['list', ['object', { id: 'string', name: 'string', project_id: 'string' }]],
        computed: true,
        description: 'Servers, sorted by id.',
      },
    },
  },
  async read({ config }, ctx) {
    const k = configuredProvider(ctx);
    return diagnosed(async () => {
      const projectId = str(config.project_id);
      const servers = await collect(k.api.iterateMcpServers({ limit: 1000, ...(projectId ? { project_id: projectId } : {}) })).catch((err) =>
        Promise.reject(wrapApiError(err, 'list', 'MCP servers')),
      );
      servers.sort((a, b) => a.id.localeCompare(b.id));
      return {
        project_id: projectId ?? null,
        ids: servers.map((s) => s.id),
        servers: servers.map((s) => ({ id: s.id, name: s.name, project_id: s.project_id })),
      };
    });
  },
};

/** The schema of the `keyform_api_key` data source. */
const API_KEY_DATA_SCHEMA = blockSchema({
  description: 'One API key by id (never its secret).',
  attributes: {
    id: { type: 'string', required: true, description: 'Key id.' },
    mid: { type: 'string', computed: true, description: 'Merchant id.' },
    name: { type: 'string', computed: true, description: 'Name.' },
    type: { type: 'string', computed: true, description: 'secret, public or tokenization.' },
    mode: { type: 'string', computed: true, description: 'test or live.' },
    scopes: { type: ['set', 'string'], computed: true, description: 'Scopes; empty means full access.' },
    description: { type: 'string', computed: true, description: 'Description.' },
    expires_at: { type: 'string', computed: true, description: 'Expiry, or null.' },
    status: { type: 'string', computed: true, description: 'active, expired or revoked.' },
    prefix: { type: 'string', computed: true, description: 'Value prefix.' },
    fingerprint: { type: 'string', computed: true, description: 'Fingerprint of the current value.' },
    version: { type: 'number', computed: true, description: 'Rotation version.' },
    created_at: { type: 'string', computed: true, description: 'Creation time.' },
    rotated_at: { type: 'string', computed: true, description: 'Last rotation, or null.' },
    last_used_at: { type: 'string', computed: true, description: 'When the key last authenticated a request, or null if never.' },
  },
});
const API_KEY_DATA = typedModel(API_KEY_DATA_SCHEMA);

/** `keyform_api_key` (data): one key by id, every attribute but its secret. */
export const apiKeyDataSource: DataSourceDefinition<KeyformContext> = {
  schema: API_KEY_DATA_SCHEMA,
  async read({ config }, ctx) {
    const k = configuredProvider(ctx);
    return diagnosed(async () => {
      const id = str(config.id) ?? '';
      const key = await k.api.getApiKey(id).catch((err) => Promise.reject(wrapApiError(err, 'read', `API key ${id}`)));
      const o = observeApiKey(key);
      return API_KEY_DATA.state({ ...o, scopes: [...o.scopes], lastUsedAt: o.lastUsedAt ?? null });
    });
  },
};
