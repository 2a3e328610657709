/** The Terraform type names of keyform's provider: every resource, data source and ephemeral resource. */

/** Managed resource types. */
export const RESOURCE = {
  apiKey: 'keyform_api_key',
  authorization: 'keyform_oauth_authorization',
  projectAccess: 'keyform_project_access',
  mcpServerGrant: 'keyform_mcp_server_grant',
} as const;

/** Data source types. */
export const DATA_SOURCE = {
  scopes: 'keyform_scopes',
  projects: 'keyform_projects',
  mcpServers: 'keyform_mcp_servers',
  apiKey: 'keyform_api_key',
} as const;

/** Ephemeral resource types. */
export const EPHEMERAL = {
  accessToken: 'keyform_access_token',
} as const;
