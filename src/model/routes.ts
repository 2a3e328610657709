/** The route table of the Key Management API: method, path, who may call it, and its zod schemas. */
import { z } from 'zod';
import * as k from './api-key';
import * as a from './authorization';
import * as d from './directory';
import { TokenRenewRequest, TokenRenewResponse, TokenRequest, TokenResponse, TokenRevokeRequest } from './auth';
import { AuditPage } from './audit';
import { ApiKeyUsage, ApiKeyUsageQuery } from './usage';

/** Who may call a route: any valid bearer, a bearer holding a scope, or only the admin OAuth client. */
export type RouteAccess = { kind: 'public' } | { kind: 'any' } | { kind: 'scope'; scope: string } | { kind: 'admin' };

/** One route of the Key Management API v1: the single description the server, client and OpenAPI share. */
export interface RouteSpec {
  /** Stable operation id, also the client method's name. */
  readonly id: string;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path with `{param}` placeholders. */
  readonly path: string;
  readonly summary: string;
  readonly access: RouteAccess;
  readonly body?: z.ZodType;
  readonly query?: z.ZodType;
  /** Success status and body schema (undefined for an empty body). */
  readonly success: { status: number; body?: z.ZodType };
  /** Whether `Idempotency-Key` is honoured. */
  readonly idempotent?: boolean;
  /**
   * The body authenticates an OAuth client (`client_id`/`client_secret`, or HTTP Basic) and may be
   * form-encoded, as OAuth clients send it (RFC 6749, RFC 7009).
   */
  readonly clientAuth?: boolean;
  /** Whether the body may also be form-encoded (`application/x-www-form-urlencoded`), as OAuth clients send it. */
  readonly form?: boolean;
}

const scope = (s: string): RouteAccess => ({ kind: 'scope', scope: s });

/** `GET /healthz`: this instance and its store answer (a load balancer's health check). */
export const Health = z.strictObject({ status: z.literal('ok') }).meta({ id: 'Health' });

/** Every route of the API. */
export const ROUTES: readonly RouteSpec[] = [
  { id: 'createToken', method: 'POST', path: '/oauth2/token', summary: 'Exchange client credentials for a short-lived bearer token.', access: { kind: 'public' }, body: TokenRequest, success: { status: 200, body: TokenResponse }, clientAuth: true },
  { id: 'revokeToken', method: 'POST', path: '/oauth2/revoke', summary: 'Revoke an access token (RFC 7009); succeeds for unknown, expired and other clients\' tokens without touching them.', access: { kind: 'public' }, body: TokenRevokeRequest, success: { status: 200 }, clientAuth: true },
  { id: 'renewToken', method: 'POST', path: '/oauth2/renew', summary: 'Extend a live access token by the token lifetime; only the client it was issued to may.', access: { kind: 'public' }, body: TokenRenewRequest, success: { status: 200, body: TokenRenewResponse }, clientAuth: true },
  { id: 'introspectToken', method: 'POST', path: '/oauth2/introspect', summary: "What an authorization's token may reach now (RFC 7662): its grants intersected with the owner's current permissions; inactive tokens answer only {\"active\": false}.", access: scope('authorizations:read'), body: a.IntrospectionRequest, success: { status: 200, body: a.IntrospectionResponse }, form: true },
  { id: 'getHealth', method: 'GET', path: '/healthz', summary: 'Health check for a load balancer, without a bearer: 200 when this instance and its store answer, 503 when the store does not.', access: { kind: 'public' }, query: z.strictObject({}), success: { status: 200, body: Health } },
  { id: 'listScopes', method: 'GET', path: '/v1/scopes', summary: 'The scope catalog.', access: { kind: 'any' }, success: { status: 200, body: d.ScopeCatalog } },
  { id: 'createApiKey', method: 'POST', path: '/v1/api-keys', summary: 'Create an API key; its value is returned only in this response.', access: scope('api_keys:write'), body: k.CreateApiKeyRequest, success: { status: 201, body: k.ApiKeyWithValue }, idempotent: true },
  { id: 'listApiKeys', method: 'GET', path: '/v1/api-keys', summary: 'List API keys (paginated; filter by mid, mode, name, status).', access: scope('api_keys:read'), query: k.ListApiKeysQuery, success: { status: 200, body: k.ApiKeyPage } },
  { id: 'getApiKey', method: 'GET', path: '/v1/api-keys/{id}', summary: 'Retrieve an API key (never its value).', access: scope('api_keys:read'), success: { status: 200, body: k.ApiKey } },
  { id: 'updateApiKey', method: 'PATCH', path: '/v1/api-keys/{id}', summary: 'Update name, description, scopes, expires_at or metadata; type and mode are immutable.', access: scope('api_keys:write'), body: k.UpdateApiKeyRequest, success: { status: 200, body: k.ApiKey } },
  { id: 'revokeApiKey', method: 'DELETE', path: '/v1/api-keys/{id}', summary: 'Revoke an API key (with cascade=true also every key it minted, transitively); revoking a revoked key succeeds.', access: scope('api_keys:write'), query: k.RevokeApiKeyQuery, success: { status: 200, body: k.ApiKey } },
  { id: 'rotateApiKey', method: 'POST', path: '/v1/api-keys/{id}/rotate', summary: 'Issue a new value; the previous one keeps working for the grace period.', access: scope('api_keys:write'), body: k.RotateApiKeyRequest, success: { status: 200, body: k.ApiKeyWithValue }, idempotent: true },
  { id: 'listApiKeyLogs', method: 'GET', path: '/v1/api-keys/{id}/logs', summary: 'Requests made with this key, newest first.', access: scope('request_logs:read'), query: z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).optional(), cursor: z.string().max(200).optional() }), success: { status: 200, body: k.RequestLogPage } },
  { id: 'getApiKeyUsage', method: 'GET', path: '/v1/api-keys/{id}/usage', summary: 'Requests made with this key by scope per day (a daily aggregate; retention in the server docs).', access: scope('request_logs:read'), query: ApiKeyUsageQuery, success: { status: 200, body: ApiKeyUsage } },
  { id: 'createAuthorization', method: 'POST', path: '/v1/authorizations', summary: 'Create an authorization owned by a user; it never exceeds the owner.', access: scope('authorizations:write'), body: a.CreateAuthorizationRequest, success: { status: 201, body: a.AuthorizationWithSecret }, idempotent: true },
  { id: 'listAuthorizations', method: 'GET', path: '/v1/authorizations', summary: 'List authorizations (paginated; filter by owner_id, name).', access: scope('authorizations:read'), query: z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).optional(), cursor: z.string().max(200).optional(), owner_id: z.string().max(64).optional(), name: z.string().max(200).optional() }), success: { status: 200, body: a.AuthorizationPage } },
  { id: 'getAuthorization', method: 'GET', path: '/v1/authorizations/{id}', summary: 'Retrieve an authorization.', access: scope('authorizations:read'), success: { status: 200, body: a.Authorization } },
  { id: 'updateAuthorization', method: 'PATCH', path: '/v1/authorizations/{id}', summary: 'Change name, capabilities, project access or MCP servers.', access: scope('authorizations:write'), body: a.UpdateAuthorizationRequest, success: { status: 200, body: a.Authorization } },
  { id: 'deleteAuthorization', method: 'DELETE', path: '/v1/authorizations/{id}', summary: 'Revoke an authorization; deleting a deleted one succeeds.', access: scope('authorizations:write'), success: { status: 204 } },
  { id: 'putProjectAccess', method: 'PUT', path: '/v1/authorizations/{id}/projects/{project_id}', summary: 'Grant (or change) access to one project at a role.', access: scope('authorizations:write'), body: a.PutProjectAccessRequest, success: { status: 200, body: a.Authorization } },
  { id: 'deleteProjectAccess', method: 'DELETE', path: '/v1/authorizations/{id}/projects/{project_id}', summary: 'Remove access to one project; refused while an MCP server of it is granted.', access: scope('authorizations:write'), success: { status: 200, body: a.Authorization } },
  { id: 'putMcpServerGrant', method: 'PUT', path: '/v1/authorizations/{id}/mcp-servers/{mcp_server_id}', summary: 'Grant access to one MCP server; needs the mcp capability and access to its project.', access: scope('authorizations:write'), body: a.PutMcpServerGrantRequest.optional(), success: { status: 200, body: a.Authorization } },
  { id: 'deleteMcpServerGrant', method: 'DELETE', path: '/v1/authorizations/{id}/mcp-servers/{mcp_server_id}', summary: 'Remove access to one MCP server.', access: scope('authorizations:write'), success: { status: 200, body: a.Authorization } },
  { id: 'listProjects', method: 'GET', path: '/v1/projects', summary: 'The project catalog.', access: scope('authorizations:read'), query: z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).optional(), cursor: z.string().max(200).optional() }), success: { status: 200, body: d.ProjectPage } },
  { id: 'listMcpServers', method: 'GET', path: '/v1/mcp-servers', summary: 'The MCP-server catalog (filter by project_id).', access: scope('authorizations:read'), query: z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).optional(), cursor: z.string().max(200).optional(), project_id: z.string().max(64).optional() }), success: { status: 200, body: d.McpServerPage } },
  { id: 'listAuditLog', method: 'GET', path: '/v1/audit-log', summary: 'Every mutation with the credential that made it, newest first.', access: scope('audit_log:read'), query: z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).optional(), cursor: z.string().max(200).optional(), target_id: z.string().max(64).optional() }), success: { status: 200, body: AuditPage } },
  { id: 'adminCreateMerchant', method: 'POST', path: '/v1/admin/merchants', summary: 'Create or update a merchant (admin client only).', access: { kind: 'admin' }, body: d.CreateMerchantRequest, success: { status: 201, body: d.Merchant } },
  { id: 'adminListMerchants', method: 'GET', path: '/v1/admin/merchants', summary: 'List merchants (admin client only).', access: { kind: 'admin' }, success: { status: 200, body: d.MerchantPage } },
  { id: 'adminCreateProject', method: 'POST', path: '/v1/admin/projects', summary: 'Create or update a project (admin client only).', access: { kind: 'admin' }, body: d.CreateProjectRequest, success: { status: 201, body: d.Project } },
  { id: 'adminCreateMcpServer', method: 'POST', path: '/v1/admin/mcp-servers', summary: 'Create or update an MCP server (admin client only).', access: { kind: 'admin' }, body: d.CreateMcpServerRequest, success: { status: 201, body: d.McpServer } },
  { id: 'adminCreateUser', method: 'POST', path: '/v1/admin/users', summary: 'Create or update a user with roles and capabilities (admin client only).', access: { kind: 'admin' }, body: d.CreateUserRequest, success: { status: 201, body: d.User } },
  { id: 'adminDeleteUser', method: 'DELETE', path: '/v1/admin/users/{id}', summary: "Remove a user (admin client only): every token of the user's authorizations stops at once; the id is never reused.", access: { kind: 'admin' }, success: { status: 204 } },
  { id: 'adminListUsers', method: 'GET', path: '/v1/admin/users', summary: 'List users (admin client only).', access: { kind: 'admin' }, success: { status: 200, body: d.UserPage } },
];

/** Finds a route by its operation id; throws on a typo so callers fail loudly in tests. */
export function route(id: string): RouteSpec {
  const r = ROUTES.find((x) => x.id === id);
  if (!r) throw new Error(`unknown route id ${id}`);
  return r;
}
