/**
 * keyform's construct library (the jsii entry point): CDKTF constructs for API keys, OAuth
 * authorizations, project access and MCP-server grants, plus the credential policy aspect.
 * Only jsii-compatible symbols are exported here.
 */
export * from './constructs/api-key';
export * from './constructs/authorization-kind';
export * from './constructs/capability';
export * from './constructs/credential-policy';
export * from './constructs/data-keyform-api-key';
export * from './constructs/data-keyform-mcp-servers';
export * from './constructs/data-keyform-projects';
export * from './constructs/data-keyform-scopes';
export * from './constructs/duration';
export * from './constructs/key-mode';
export * from './constructs/key-type';
export * from './constructs/keyform-provider';
export * from './constructs/mcp-server-grant';
export * from './constructs/oauth-authorization';
export * from './constructs/project-access';
export * from './constructs/project-role';
export * from './constructs/scope';
