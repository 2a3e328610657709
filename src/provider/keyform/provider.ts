/** keyform's provider definition: its config and every resource and data source type. */
import type { ProviderDefinition } from '../framework';
import { accessTokenEphemeral } from './access-token-ephemeral';
import { apiKeyResource } from './api-key-resource';
import { authorizationResource } from './authorization-resource';
import { KeyformContext, createContext } from './context';
import { apiKeyDataSource, mcpServersDataSource, projectsDataSource, scopesDataSource } from './data-sources';
import { mcpServerGrantResource, projectAccessResource } from './grant-resources';
import { PROVIDER_SCHEMA, resolveSettings } from './provider-config';

/** The keyform provider (type `keyform`, source `keyform/keyform`). */
export const keyformProvider: ProviderDefinition<KeyformContext> = {
  schema: PROVIDER_SCHEMA,
  async configure(config, meta) {
    return createContext(resolveSettings(config), meta.terraformVersion);
  },
  resources: {
    keyform_api_key: apiKeyResource,
    keyform_oauth_authorization: authorizationResource,
    keyform_project_access: projectAccessResource,
    keyform_mcp_server_grant: mcpServerGrantResource,
  },
  ephemeralResources: {
    keyform_access_token: accessTokenEphemeral,
  },
  dataSources: {
    keyform_scopes: scopesDataSource,
    keyform_projects: projectsDataSource,
    keyform_mcp_servers: mcpServersDataSource,
    keyform_api_key: apiKeyDataSource,
  },
  async close(k) {
    await k?.api.close();
  },
};
