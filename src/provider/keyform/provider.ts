/** keyform's provider definition: its config and every resource and data source type. */
import type { ProviderDefinition } from '../framework';
import { accessTokenEphemeral } from './access-token-ephemeral';
import { apiKeyResource } from './api-key-resource';
import { authorizationResource } from './authorization-resource';
import { KeyformContext, createContext } from './context';
import { apiKeyDataSource, mcpServersDataSource, projectsDataSource, scopesDataSource } from './data-sources';
import { mcpServerGrantResource, projectAccessResource } from './grant-resources';
import { PROVIDER_SCHEMA, resolveSettings } from './provider-config';
import { DATA_SOURCE, EPHEMERAL, RESOURCE } from './type-names';

/** The keyform provider (type `keyform`, source `keyform/keyform`). */
export const keyformProvider: ProviderDefinition<KeyformContext> = {
  schema: PROVIDER_SCHEMA,
  async configure(config, meta) {
    return createContext(resolveSettings(config), meta.terraformVersion);
  },
  resources: {
    [RESOURCE.apiKey]: apiKeyResource,
    [RESOURCE.authorization]: authorizationResource,
    [RESOURCE.projectAccess]: projectAccessResource,
    [RESOURCE.mcpServerGrant]: mcpServerGrantResource,
  },
  ephemeralResources: {
    [EPHEMERAL.accessToken]: accessTokenEphemeral,
  },
  dataSources: {
    [DATA_SOURCE.scopes]: scopesDataSource,
    [DATA_SOURCE.projects]: projectsDataSource,
    [DATA_SOURCE.mcpServers]: mcpServersDataSource,
    [DATA_SOURCE.apiKey]: apiKeyDataSource,
  },
  async close(k) {
    await k?.api.close();
  },
};
