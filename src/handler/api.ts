/**
 * The part of the keyform API client the handler uses. `KeyformClient` (src/client) satisfies it; the
 * handler depends on this shape only, so it stays testable and light to load.
 */
import type {
  ApiKey,
  ApiKeyWithValue,
  Authorization,
  AuthorizationWithSecret,
  CreateApiKeyRequest,
  CreateAuthorizationRequest,
  ListApiKeysQuery,
  McpServer,
  Project,
  RotateApiKeyRequest,
  ScopeCatalog,
  UpdateApiKeyRequest,
  UpdateAuthorizationRequest,
  User,
} from '../model';

/** Options of a create-like call. */
export interface IdempotentOptions {
  readonly idempotencyKey?: string;
}

/** The API surface the handler calls. */
export interface KeyformApi {
  createApiKey(body: CreateApiKeyRequest, opts?: IdempotentOptions): Promise<ApiKeyWithValue>;
  getApiKey(id: string): Promise<ApiKey>;
  /** `ifMatch`: the ETag a read-modify-write is based on (412 when the key changed since). */
  updateApiKey(id: string, body: UpdateApiKeyRequest, options?: { readonly ifMatch?: string }): Promise<ApiKey>;
  revokeApiKey(id: string): Promise<ApiKey>;
  rotateApiKey(id: string, body: RotateApiKeyRequest, opts?: IdempotentOptions): Promise<ApiKeyWithValue>;
  iterateApiKeys(query: ListApiKeysQuery): AsyncIterable<ApiKey>;
  createAuthorization(body: CreateAuthorizationRequest, opts?: IdempotentOptions): Promise<AuthorizationWithSecret>;
  getAuthorization(id: string): Promise<Authorization>;
  /** `ifMatch`: the ETag a read-modify-write is based on (412 when the authorization changed since). */
  updateAuthorization(id: string, body: UpdateAuthorizationRequest, options?: { readonly ifMatch?: string }): Promise<Authorization>;
  deleteAuthorization(id: string): Promise<unknown>;
  iterateAuthorizations(query: { owner_id?: string; name?: string; limit?: number }): AsyncIterable<Authorization>;
  putProjectAccess(id: string, projectId: string, body: { role: string; origin?: 'keyform' }): Promise<Authorization>;
  deleteProjectAccess(id: string, projectId: string): Promise<Authorization>;
  putMcpServerGrant(id: string, serverId: string, body?: { origin?: 'keyform' }): Promise<Authorization>;
  deleteMcpServerGrant(id: string, serverId: string): Promise<Authorization>;
  listScopes(): Promise<ScopeCatalog>;
  /** The admin user listing; optional (only the admin client may call it). */
  adminListUsers?(): Promise<{ data: User[] }>;
  iterateProjects(query?: { limit?: number }): AsyncIterable<Project>;
  iterateMcpServers(query: { project_id?: string; limit?: number }): AsyncIterable<McpServer>;
  close(): Promise<void>;
}

/** The fields of the client's errors the handler reads (`KeyformApiError`). */
export interface ApiErrorLike {
  readonly status?: number;
  readonly code?: string;
  readonly messages?: readonly string[];
  readonly message?: string;
}

/** The HTTP status of a client error, if it has one. */
export function errorStatus(err: unknown): number | undefined {
  const s = (err as ApiErrorLike | null)?.status;
  return typeof s === 'number' ? s : undefined;
}

/** Whether a client error means "this object does not exist". */
export function isNotFound(err: unknown): boolean {
  return errorStatus(err) === 404;
}
