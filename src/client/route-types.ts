/** The request and response types of every API route, inferred from the model's zod schemas, for the client's typed methods. */
import { z } from 'zod';
import * as m from '../model';

/**
 * The schemas of every route of `ROUTES`, keyed by route id, kept as their own types so that client
 * methods are typed with `z.infer`. A test checks that each schema here is the very object the route
 * table holds, so the two cannot drift apart.
 */
export const ROUTE_SCHEMAS = {
  createToken: { body: m.TokenRequest, response: m.TokenResponse },
  introspectToken: { body: m.IntrospectionRequest, response: m.IntrospectionResponse },
  revokeToken: { body: m.TokenRevokeRequest },
  renewToken: { body: m.TokenRenewRequest, response: m.TokenRenewResponse },
  getHealth: { response: m.Health },
  listScopes: { response: m.ScopeCatalog },
  createApiKey: { body: m.CreateApiKeyRequest, response: m.ApiKeyWithValue },
  listApiKeys: { response: m.ApiKeyPage },
  getApiKey: { response: m.ApiKey },
  updateApiKey: { body: m.UpdateApiKeyRequest, response: m.ApiKey },
  revokeApiKey: { response: m.ApiKey },
  rotateApiKey: { body: m.RotateApiKeyRequest, response: m.ApiKeyWithValue },
  listApiKeyLogs: { response: m.RequestLogPage },
  getApiKeyUsage: { response: m.ApiKeyUsage },
  createAuthorization: { body: m.CreateAuthorizationRequest, response: m.AuthorizationWithSecret },
  listAuthorizations: { response: m.AuthorizationPage },
  getAuthorization: { response: m.Authorization },
  updateAuthorization: { body: m.UpdateAuthorizationRequest, response: m.Authorization },
  deleteAuthorization: {},
  putProjectAccess: { body: m.PutProjectAccessRequest, response: m.Authorization },
  deleteProjectAccess: { response: m.Authorization },
  putMcpServerGrant: { response: m.Authorization },
  deleteMcpServerGrant: { response: m.Authorization },
  listProjects: { response: m.ProjectPage },
  listMcpServers: { response: m.McpServerPage },
  listAuditLog: { response: m.AuditPage },
  adminCreateMerchant: { body: m.CreateMerchantRequest, response: m.Merchant },
  adminListMerchants: { response: m.MerchantPage },
  adminCreateProject: { body: m.CreateProjectRequest, response: m.Project },
  adminCreateMcpServer: { body: m.CreateMcpServerRequest, response: m.McpServer },
  adminCreateUser: { body: m.CreateUserRequest, response: m.User },
  adminListUsers: { response: m.UserPage },
  adminDeleteUser: {},
} as const satisfies Record<string, { body?: z.ZodType; response?: z.ZodType }>;

/** Id of a route, which is also the name of its client method. */
export type RouteId = keyof typeof ROUTE_SCHEMAS;

type Schemas<K extends RouteId> = (typeof ROUTE_SCHEMAS)[K];

/** The parsed success body of a route (`void` for an empty body). */
export type ResponseOf<K extends RouteId> = Schemas<K> extends { response: infer S extends z.ZodType } ? z.infer<S> : void;

/** The request body of a route (`never` when it takes none). */
export type BodyOf<K extends RouteId> = Schemas<K> extends { body: infer S extends z.ZodType } ? z.input<S> : never;

/** `limit` and `cursor`, shared by every list route. */
export interface PageQuery {
  /** Page size, 1 to 1000 (server default 100). */
  readonly limit?: number;
  /** `next_cursor` of the previous page. */
  readonly cursor?: string;
}

/** Query of `listApiKeys`. */
export type ApiKeyListQuery = PageQuery & Omit<m.ListApiKeysQuery, 'limit' | 'cursor'>;
/** Query of `listAuthorizations`. */
export type AuthorizationListQuery = PageQuery & { readonly owner_id?: string; readonly name?: string };
/** Query of `listMcpServers`. */
export type McpServerListQuery = PageQuery & { readonly project_id?: string };
/** Query of `listAuditLog`. */
export type AuditLogQuery = PageQuery & { readonly target_id?: string };

/** A query value the client can put in a URL. */
export type QueryValue = string | number | boolean | undefined | null;

/** The item type of a paginated route's `data`. */
export type ItemOf<K extends RouteId> = ResponseOf<K> extends { data: Array<infer T> } ? T : never;
