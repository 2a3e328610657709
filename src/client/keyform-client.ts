/**
 * The typed client of the Key Management API v1 (undici): one method per route, responses parsed
 * with the route's schema, retries with backoff, Idempotency-Key on creates, the client-credentials
 * token cached and renewed, and failures as the coded errors of errors.ts.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { z } from 'zod';
import { ErrorBody, RouteSpec, fieldPath, route } from '../model';
import type * as m from '../model';
import { VERSION } from '../version';
import {
  ApiErrorDetails,
  ClientClosedError,
  ClientConfigError,
  ConnectionError,
  KeyformApiError,
  ResponseParseError,
  TimeoutError,
  errorForStatus,
} from './errors';
import { CONFIG_MESSAGES, HINTS } from './messages';
import { DEFAULT_RETRY, RetryOptions, isRetryableErrorCode, isRetryableStatus, nextDelay, parseRetryAfter } from './retry-policy';
import {
  ApiKeyListQuery,
  AuditLogQuery,
  AuthorizationListQuery,
  BodyOf,
  ItemOf,
  McpServerListQuery,
  PageQuery,
  QueryValue,
  ResponseOf,
  RouteId,
} from './route-types';
import { TokenCache } from './token-cache';

/** One attempt of one request, reported to `onRequest` (never headers or bodies). */
export interface RequestEvent {
  /** Route id, e.g. `createApiKey`. */
  readonly routeId: RouteId;
  /** HTTP method. */
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  /** HTTP status, undefined when no response arrived. */
  readonly status: number | undefined;
  /** 1 for the first attempt, 2 for the first retry, ... */
  readonly attempt: number;
  /** Duration of this attempt in milliseconds. */
  readonly ms: number;
  /** Error code when the attempt failed without a response, e.g. `ECONNREFUSED` or `TIMEOUT`. */
  readonly errorCode?: string;
}

/** Options of {@link KeyformClient}. */
export interface KeyformClientOptions {
  /** Base URL of the Key Management API, e.g. `http://127.0.0.1:8080` (a path prefix is kept). */
  readonly endpoint: string;
  /** A static bearer: an API key (`fsk_...`) or a token from `/oauth2/token`. */
  readonly token?: string;
  /** OAuth client id; with `clientSecret` the client fetches and refreshes its own token. */
  readonly clientId?: string;
  /** OAuth client secret. */
  readonly clientSecret?: string;
  /** Retries after the first attempt (default 4). */
  readonly maxRetries?: number;
  /** Time limit of one attempt, response body included (default 30000 ms). */
  readonly timeoutMs?: number;
  /** Largest number of sockets to the endpoint (default 10). */
  readonly connections?: number;
  /** `User-Agent` header (default `keyform/<version> node/<version>`). */
  readonly userAgent?: string;
  /** Called after every attempt, e.g. to count requests in benchmarks. Exceptions are ignored. */
  readonly onRequest?: (event: RequestEvent) => void;
  /** Fine tuning of backoff and time budgets; `maxRetries` above wins over `retry.maxRetries`. */
  readonly retry?: Partial<RetryOptions>;
}

/** Options of a create or rotate call. */
export interface IdempotentCallOptions {
  /** Reuse a key to make a repeated logical call return the first result (default: a fresh UUID per call). */
  readonly idempotencyKey?: string;
}

/** Options of a call that changes one object (PATCH, DELETE, rotate). */
export interface ConditionalCallOptions {
  /**
   * The ETag of the object as last read ({@link etagOf}): the server applies the change only if the
   * object is still that version, else the call fails with `PreconditionFailedError` (412).
   */
  readonly ifMatch?: string;
}

// ETags of parsed responses, kept beside the objects so that the typed results stay plain values.
const ETAGS = new WeakMap<object, string>();

/**
 * The ETag the server sent with an object this client returned (a get, create, update, rotate or
 * revoke result), for a later `ifMatch`; undefined when the server sent none.
 */
export function etagOf(value: unknown): string | undefined {
  return value !== null && typeof value === 'object' ? ETAGS.get(value) : undefined;
}

/** Input of the generic {@link KeyformClient.request}. */
export interface RequestInput<K extends RouteId> {
  /** Values of the path's `{placeholders}`. */
  readonly params?: Readonly<Record<string, string>>;
  /** Query parameters; undefined and null values are left out. */
  readonly query?: Readonly<Record<string, QueryValue>>;
  /** JSON body. */
  readonly body?: BodyOf<K>;
  /** Idempotency-Key for routes that honour it (generated when absent). */
  readonly idempotencyKey?: string;
  /** `If-Match`: the ETag the change is based on (412 when the object changed since). */
  readonly ifMatch?: string;
}

/** Environment variables read by {@link KeyformClient.fromEnv}. */
export interface KeyformEnv {
  readonly KEYFORM_ENDPOINT?: string;
  readonly KEYFORM_TOKEN?: string;
  readonly KEYFORM_CLIENT_ID?: string;
  readonly KEYFORM_CLIENT_SECRET?: string;
  readonly [name: string]: string | undefined;
}

const TIMEOUT = Symbol('keyform-timeout');

/** What one attempt produced: a response, or a failure without one. */
type Attempt =
  | { kind: 'response'; status: number; headers: Record<string, string | string[] | undefined>; text: string }
  | { kind: 'failure'; errorCode: string; timedOut: boolean; cause: unknown };

/**
 * The typed client of the Key Management API v1: one method per route of `ROUTES`, named after its
 * id, parsing every success body with the route's schema. Retries transient failures with backoff,
 * keeps creates idempotent with `Idempotency-Key`, and never puts a secret into an error or a log.
 */
export class KeyformClient {
  readonly #pool: Pool;
  readonly #origin: string;
  readonly #basePath: string;
  readonly #token: string | undefined;
  readonly #tokens: TokenCache | undefined;
  readonly #clientId: string | undefined;
  readonly #clientSecret: string | undefined;
  readonly #retry: RetryOptions;
  readonly #timeoutMs: number;
  readonly #userAgent: string;
  readonly #onRequest: ((event: RequestEvent) => void) | undefined;
  #closed = false;

  /** Validates the options (throwing {@link ClientConfigError}) and opens a connection pool to the endpoint. */
  constructor(options: KeyformClientOptions) {
    if (!options || !options.endpoint) throw new ClientConfigError(CONFIG_MESSAGES.endpointMissing);
    let url: URL;
    try {
      url = new URL(options.endpoint);
    } catch {
      throw new ClientConfigError(CONFIG_MESSAGES.endpointInvalid);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ClientConfigError(CONFIG_MESSAGES.endpointInvalid);
    const { token, clientId, clientSecret } = options;
    if (token && (clientId || clientSecret)) throw new ClientConfigError(CONFIG_MESSAGES.credentialsConflict);
    if (clientId && !clientSecret) throw new ClientConfigError(CONFIG_MESSAGES.clientSecretMissing);
    if (clientSecret && !clientId) throw new ClientConfigError(CONFIG_MESSAGES.clientIdMissing);
    const number = (name: string, value: number | undefined, min: number, fallback: number): number => {
      if (value === undefined) return fallback;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < min) throw new ClientConfigError(CONFIG_MESSAGES.notANumber(name, min));
      return value;
    };
    const r = { ...DEFAULT_RETRY, ...options.retry };
    this.#retry = {
      maxRetries: Math.floor(number('maxRetries', options.maxRetries ?? options.retry?.maxRetries, 0, DEFAULT_RETRY.maxRetries)),
      baseDelayMs: number('retry.baseDelayMs', r.baseDelayMs, 0, DEFAULT_RETRY.baseDelayMs),
      maxDelayMs: number('retry.maxDelayMs', r.maxDelayMs, 0, DEFAULT_RETRY.maxDelayMs),
      maxRetryAfterMs: number('retry.maxRetryAfterMs', r.maxRetryAfterMs, 0, DEFAULT_RETRY.maxRetryAfterMs),
      maxElapsedMs: number('retry.maxElapsedMs', r.maxElapsedMs, 0, DEFAULT_RETRY.maxElapsedMs),
    };
    this.#timeoutMs = number('timeoutMs', options.timeoutMs, 1, 30_000);
    const connections = Math.floor(number('connections', options.connections, 1, 10));
    this.#origin = url.origin;
    this.#basePath = url.pathname.replace(/\/+$/, '');
    this.#token = token || undefined;
    this.#clientId = clientId || undefined;
    this.#clientSecret = clientSecret || undefined;
    this.#userAgent = options.userAgent ?? `keyform/${VERSION} node/${process.versions.node}`;
    this.#onRequest = options.onRequest;
    this.#tokens = this.#clientId ? new TokenCache(() => this.#fetchToken()) : undefined;
    this.#pool = new Pool(this.#origin, {
      connections,
      keepAliveTimeout: 10_000,
      // Undici's own timers are only a backstop; each attempt has its own abort timer.
      headersTimeout: this.#timeoutMs + 1_000,
      bodyTimeout: this.#timeoutMs + 1_000,
      connect: { timeout: Math.min(this.#timeoutMs, 10_000) },
    });
  }

  /**
   * A client configured from KEYFORM_ENDPOINT, KEYFORM_TOKEN, KEYFORM_CLIENT_ID and
   * KEYFORM_CLIENT_SECRET; explicit `options` win over the environment.
   */
  static fromEnv(env: KeyformEnv = process.env, options: Partial<KeyformClientOptions> = {}): KeyformClient {
    const explicitCredentials = options.token !== undefined || options.clientId !== undefined || options.clientSecret !== undefined;
    return new KeyformClient({
      ...options,
      endpoint: options.endpoint ?? env.KEYFORM_ENDPOINT ?? '',
      ...(explicitCredentials
        ? {}
        : env.KEYFORM_CLIENT_ID || env.KEYFORM_CLIENT_SECRET
          ? { clientId: env.KEYFORM_CLIENT_ID, clientSecret: env.KEYFORM_CLIENT_SECRET }
          : { token: env.KEYFORM_TOKEN }),
    });
  }

  /** Whether the client authenticates with client credentials (and so refreshes its own token). */
  get usesClientCredentials(): boolean {
    return this.#tokens !== undefined;
  }

  /** Closes every connection; calls made afterwards fail with {@link ClientClosedError}. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.destroy();
  }

  /**
   * Calls route `id`: fills the path, authenticates, retries what is transient and parses the success
   * body with the route's schema. The typed methods below are thin wrappers of this.
   */
  async request<K extends RouteId>(id: K, input: RequestInput<K> = {}): Promise<ResponseOf<K>> {
    const spec = route(id);
    const path = this.#basePath + fillPath(spec.path, input.params ?? {});
    const target = path + queryString(input.query);
    // The token routes take the standard OAuth form encoding; every other route takes JSON.
    const form = spec.clientAuth === true;
    const body =
      input.body === undefined
        ? undefined
        : form
          ? queryString(input.body as Record<string, QueryValue>).slice(1)
          : JSON.stringify(input.body);
    const idempotencyKey = spec.idempotent ? (input.idempotencyKey ?? randomUUID()) : undefined;
    const started = Date.now();
    let retry = 0;
    let reauthenticated = false;
    for (let attempt = 1; ; attempt++) {
      if (this.#closed) throw new ClientClosedError({ method: spec.method, path, attempts: attempt - 1 });
      const bearer = spec.access.kind === 'public' ? undefined : await this.#bearer();
      const headers: Record<string, string> = { accept: 'application/json', 'user-agent': this.#userAgent };
      if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
      if (body !== undefined) headers['content-type'] = form ? 'application/x-www-form-urlencoded' : 'application/json';
      if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
      if (input.ifMatch !== undefined) headers['if-match'] = input.ifMatch;

      const result = await this.#attempt(id, spec.method, path, target, headers, body, attempt);
      const details: ApiErrorDetails = { method: spec.method, path, attempts: attempt };

      if (result.kind === 'response') {
        const { status } = result;
        if (status >= 200 && status < 300) {
          const parsed = parseSuccess<K>(spec, result.text, { ...details, status, requestId: requestIdOf(result.headers) });
          const etag = result.headers.etag;
          if (typeof etag === 'string' && parsed !== null && typeof parsed === 'object') ETAGS.set(parsed as object, etag);
          return parsed;
        }
        if (status === 401 && bearer !== undefined && this.#tokens && !reauthenticated) {
          // The cached token was revoked or expired early: fetch a new one once, without spending a retry.
          reauthenticated = true;
          this.#tokens.invalidate(bearer);
          continue;
        }
        const retryAfterMs = parseRetryAfter(result.headers['retry-after']);
        const error = errorForStatus(status, {
          ...details,
          messages: errorMessages(result.text),
          requestId: requestIdOf(result.headers),
          retryAfterMs,
          hint: status === 401 ? this.#authHint(spec) : undefined,
        });
        if (!isRetryableStatus(status)) throw error;
        const delay = nextDelay(retry, Date.now() - started, this.#retry, retryAfterMs);
        if (delay === undefined) throw error;
        retry++;
        await sleep(delay);
        continue;
      }

      if (result.errorCode === 'UND_ERR_DESTROYED' || (result.errorCode === 'UND_ERR_CLOSED' && this.#closed)) {
        throw new ClientClosedError(details);
      }
      const error = result.timedOut
        ? new TimeoutError({ ...details, detail: `no complete response within ${this.#timeoutMs} ms` })
        : new ConnectionError({ ...details, detail: `${result.errorCode} at ${this.#origin}`, cause: result.cause });
      if (!result.timedOut && !isRetryableErrorCode(result.errorCode)) throw error;
      const delay = nextDelay(retry, Date.now() - started, this.#retry);
      if (delay === undefined) throw error;
      retry++;
      await sleep(delay);
    }
  }

  // --- OAuth ---------------------------------------------------------------------------------

  /** `POST /oauth2/token`: exchanges client credentials for a bearer (the client does this itself when configured with them). */
  createToken(body: BodyOf<'createToken'>): Promise<ResponseOf<'createToken'>> {
    return this.request('createToken', { body });
  }

  /** `POST /oauth2/revoke` (RFC 7009): ends a token issued to the client named in the body; answers the same for any token. */
  revokeToken(body: BodyOf<'revokeToken'>): Promise<ResponseOf<'revokeToken'>> {
    return this.request('revokeToken', { body });
  }

  /** `POST /oauth2/renew`: extends a live token of the client named in the body by the token lifetime. */
  renewToken(body: BodyOf<'renewToken'>): Promise<ResponseOf<'renewToken'>> {
    return this.request('renewToken', { body });
  }

  // --- Scopes --------------------------------------------------------------------------------

  /** `GET /healthz`: 200 when the server and its store answer (no bearer needed). */
  getHealth(): Promise<ResponseOf<'getHealth'>> {
    return this.request('getHealth');
  }

  /** `GET /v1/scopes`: the scope catalog. */
  listScopes(): Promise<ResponseOf<'listScopes'>> {
    return this.request('listScopes');
  }

  // --- API keys ------------------------------------------------------------------------------

  /** `POST /v1/api-keys`: creates a key; the response carries its value, shown only this once. */
  createApiKey(body: BodyOf<'createApiKey'>, options: IdempotentCallOptions = {}): Promise<ResponseOf<'createApiKey'>> {
    return this.request('createApiKey', { body, idempotencyKey: options.idempotencyKey });
  }

  /** `GET /v1/api-keys`: one page of keys. */
  listApiKeys(query: ApiKeyListQuery = {}): Promise<ResponseOf<'listApiKeys'>> {
    return this.request('listApiKeys', { query: { ...query } });
  }

  /** `GET /v1/api-keys/{id}`: one key, without its value. */
  getApiKey(id: string): Promise<ResponseOf<'getApiKey'>> {
    return this.request('getApiKey', { params: { id } });
  }

  /** `PATCH /v1/api-keys/{id}`: changes name, description, scopes, expires_at or metadata. */
  updateApiKey(id: string, body: BodyOf<'updateApiKey'>, options: ConditionalCallOptions = {}): Promise<ResponseOf<'updateApiKey'>> {
    return this.request('updateApiKey', { params: { id }, body, ifMatch: options.ifMatch });
  }

  /** `DELETE /v1/api-keys/{id}`: revokes a key (`cascade`: also every key it minted); revoking a revoked key succeeds. */
  revokeApiKey(id: string, options: ConditionalCallOptions & { readonly cascade?: boolean } = {}): Promise<ResponseOf<'revokeApiKey'>> {
    return this.request('revokeApiKey', { params: { id }, query: options.cascade ? { cascade: 'true' } : undefined, ifMatch: options.ifMatch });
  }

  /** `POST /v1/api-keys/{id}/rotate`: a new value; the old one works for `grace_period_seconds`. */
  rotateApiKey(id: string, body: BodyOf<'rotateApiKey'> = {}, options: IdempotentCallOptions & ConditionalCallOptions = {}): Promise<ResponseOf<'rotateApiKey'>> {
    return this.request('rotateApiKey', { params: { id }, body, idempotencyKey: options.idempotencyKey, ifMatch: options.ifMatch });
  }

  /** `GET /v1/api-keys/{id}/logs`: one page of the key's request log, newest first. */
  listApiKeyLogs(id: string, query: PageQuery = {}): Promise<ResponseOf<'listApiKeyLogs'>> {
    return this.request('listApiKeyLogs', { params: { id }, query: { ...query } });
  }

  /**
   * `POST /oauth2/introspect` (RFC 7662): what an authorization's token may reach now. Inactive
   * tokens (and tokens out of this credential's reach) answer `{active: false}` only.
   */
  introspectToken(body: BodyOf<'introspectToken'>): Promise<ResponseOf<'introspectToken'>> {
    return this.request('introspectToken', { body });
  }

  /** `GET /v1/api-keys/{id}/usage`: the key's requests by scope per day, over `since`…`until` (UTC days). */
  getApiKeyUsage(id: string, query: { readonly since?: string; readonly until?: string } = {}): Promise<ResponseOf<'getApiKeyUsage'>> {
    return this.request('getApiKeyUsage', { params: { id }, query: { ...query } });
  }

  // --- Authorizations ------------------------------------------------------------------------

  /** `POST /v1/authorizations`: creates an authorization; the response carries its secret, shown only this once. */
  createAuthorization(body: BodyOf<'createAuthorization'>, options: IdempotentCallOptions = {}): Promise<ResponseOf<'createAuthorization'>> {
    return this.request('createAuthorization', { body, idempotencyKey: options.idempotencyKey });
  }

  /** `GET /v1/authorizations`: one page of authorizations. */
  listAuthorizations(query: AuthorizationListQuery = {}): Promise<ResponseOf<'listAuthorizations'>> {
    return this.request('listAuthorizations', { query: { ...query } });
  }

  /** `GET /v1/authorizations/{id}`. */
  getAuthorization(id: string): Promise<ResponseOf<'getAuthorization'>> {
    return this.request('getAuthorization', { params: { id } });
  }

  /** `PATCH /v1/authorizations/{id}`: changes name, capabilities, project access or MCP servers. */
  updateAuthorization(id: string, body: BodyOf<'updateAuthorization'>, options: ConditionalCallOptions = {}): Promise<ResponseOf<'updateAuthorization'>> {
    return this.request('updateAuthorization', { params: { id }, body, ifMatch: options.ifMatch });
  }

  /** `DELETE /v1/authorizations/{id}`: deleting a deleted authorization succeeds. */
  deleteAuthorization(id: string, options: ConditionalCallOptions = {}): Promise<void> {
    return this.request('deleteAuthorization', { params: { id }, ifMatch: options.ifMatch });
  }

  /** `PUT /v1/authorizations/{id}/projects/{project_id}`: grants (or changes) access to a project at a role. */
  putProjectAccess(id: string, projectId: string, body: BodyOf<'putProjectAccess'>): Promise<ResponseOf<'putProjectAccess'>> {
    return this.request('putProjectAccess', { params: { id, project_id: projectId }, body });
  }

  /** `DELETE /v1/authorizations/{id}/projects/{project_id}`. */
  deleteProjectAccess(id: string, projectId: string): Promise<ResponseOf<'deleteProjectAccess'>> {
    return this.request('deleteProjectAccess', { params: { id, project_id: projectId } });
  }

  /** `PUT /v1/authorizations/{id}/mcp-servers/{mcp_server_id}`: grants access to one MCP server. */
  putMcpServerGrant(id: string, mcpServerId: string, body: { origin?: 'keyform' } = {}): Promise<ResponseOf<'putMcpServerGrant'>> {
    // An explicit object, empty by default: some servers refuse a JSON request without a body.
    return this.request('putMcpServerGrant', { params: { id, mcp_server_id: mcpServerId }, body: body as never });
  }

  /** `DELETE /v1/authorizations/{id}/mcp-servers/{mcp_server_id}`. */
  deleteMcpServerGrant(id: string, mcpServerId: string): Promise<ResponseOf<'deleteMcpServerGrant'>> {
    return this.request('deleteMcpServerGrant', { params: { id, mcp_server_id: mcpServerId } });
  }

  // --- Catalogs and audit --------------------------------------------------------------------

  /** `GET /v1/projects`: one page of the project catalog. */
  listProjects(query: PageQuery = {}): Promise<ResponseOf<'listProjects'>> {
    return this.request('listProjects', { query: { ...query } });
  }

  /** `GET /v1/mcp-servers`: one page of the MCP-server catalog. */
  listMcpServers(query: McpServerListQuery = {}): Promise<ResponseOf<'listMcpServers'>> {
    return this.request('listMcpServers', { query: { ...query } });
  }

  /** `GET /v1/audit-log`: one page of the audit log, newest first. */
  listAuditLog(query: AuditLogQuery = {}): Promise<ResponseOf<'listAuditLog'>> {
    return this.request('listAuditLog', { query: { ...query } });
  }

  // --- Admin (admin OAuth client only) -------------------------------------------------------

  /** `POST /v1/admin/merchants`: creates or updates a merchant. */
  adminCreateMerchant(body: BodyOf<'adminCreateMerchant'>): Promise<ResponseOf<'adminCreateMerchant'>> {
    return this.request('adminCreateMerchant', { body });
  }

  /** `GET /v1/admin/merchants`. */
  adminListMerchants(): Promise<ResponseOf<'adminListMerchants'>> {
    return this.request('adminListMerchants');
  }

  /** `POST /v1/admin/projects`: creates or updates a project. */
  adminCreateProject(body: BodyOf<'adminCreateProject'>): Promise<ResponseOf<'adminCreateProject'>> {
    return this.request('adminCreateProject', { body });
  }

  /** `POST /v1/admin/mcp-servers`: creates or updates an MCP server. */
  adminCreateMcpServer(body: BodyOf<'adminCreateMcpServer'>): Promise<ResponseOf<'adminCreateMcpServer'>> {
    return this.request('adminCreateMcpServer', { body });
  }

  /** `POST /v1/admin/users`: creates or updates a user. */
  adminCreateUser(body: BodyOf<'adminCreateUser'>): Promise<ResponseOf<'adminCreateUser'>> {
    return this.request('adminCreateUser', { body });
  }

  /** `DELETE /v1/admin/users/{id}`: removes a user; every token of its authorizations stops at once. */
  adminDeleteUser(id: string): Promise<void> {
    return this.request('adminDeleteUser', { params: { id } });
  }

  /** `GET /v1/admin/users`. */
  adminListUsers(): Promise<ResponseOf<'adminListUsers'>> {
    return this.request('adminListUsers');
  }

  // --- Pagination ----------------------------------------------------------------------------

  /** Every API key matching `query`, page after page. */
  iterateApiKeys(query: ApiKeyListQuery = {}): AsyncGenerator<m.ApiKey> {
    return this.#paginate('listApiKeys', {}, { ...query });
  }

  /** Every authorization matching `query`. */
  iterateAuthorizations(query: AuthorizationListQuery = {}): AsyncGenerator<m.Authorization> {
    return this.#paginate('listAuthorizations', {}, { ...query });
  }

  /** Every project. */
  iterateProjects(query: PageQuery = {}): AsyncGenerator<m.Project> {
    return this.#paginate('listProjects', {}, { ...query });
  }

  /** Every MCP server matching `query`. */
  iterateMcpServers(query: McpServerListQuery = {}): AsyncGenerator<m.McpServer> {
    return this.#paginate('listMcpServers', {}, { ...query });
  }

  /** Every request made with key `id`, newest first. */
  iterateApiKeyLogs(id: string, query: PageQuery = {}): AsyncGenerator<m.RequestLogEntry> {
    return this.#paginate('listApiKeyLogs', { id }, { ...query });
  }

  /** Every audit entry matching `query`, newest first. */
  iterateAuditLog(query: AuditLogQuery = {}): AsyncGenerator<m.AuditEntry> {
    return this.#paginate('listAuditLog', {}, { ...query });
  }

  /** All API keys matching `query` in one array. */
  listAllApiKeys(query: ApiKeyListQuery = {}): Promise<m.ApiKey[]> {
    return collect(this.iterateApiKeys(query));
  }

  /** All authorizations matching `query` in one array. */
  listAllAuthorizations(query: AuthorizationListQuery = {}): Promise<m.Authorization[]> {
    return collect(this.iterateAuthorizations(query));
  }

  /** All projects in one array. */
  listAllProjects(): Promise<m.Project[]> {
    return collect(this.iterateProjects());
  }

  /** All MCP servers matching `query` in one array. */
  listAllMcpServers(query: McpServerListQuery = {}): Promise<m.McpServer[]> {
    return collect(this.iterateMcpServers(query));
  }

  async *#paginate<K extends 'listApiKeys' | 'listAuthorizations' | 'listProjects' | 'listMcpServers' | 'listApiKeyLogs' | 'listAuditLog'>(
    id: K,
    params: Record<string, string>,
    query: Record<string, QueryValue>,
  ): AsyncGenerator<ItemOf<K>> {
    const seen = new Set<string>();
    let cursor = typeof query.cursor === 'string' ? query.cursor : undefined;
    for (;;) {
      const page = (await this.request(id, { params, query: { ...query, cursor } })) as unknown as {
        data: ItemOf<K>[];
        has_more: boolean;
        next_cursor: string | null;
      };
      for (const item of page.data) yield item;
      if (!page.has_more || !page.next_cursor) return;
      if (seen.has(page.next_cursor)) {
        // A server that hands out the same cursor twice would make this loop forever.
        const spec = route(id);
        throw new ResponseParseError({ method: spec.method, path: this.#basePath + fillPath(spec.path, params), detail: 'the server repeated a pagination cursor' });
      }
      seen.add(page.next_cursor);
      cursor = page.next_cursor;
    }
  }

  // --- Internals -----------------------------------------------------------------------------

  async #bearer(): Promise<string | undefined> {
    if (this.#tokens) return this.#tokens.get();
    return this.#token;
  }

  #fetchToken(): Promise<ResponseOf<'createToken'>> {
    return this.request('createToken', {
      body: { grant_type: 'client_credentials', client_id: this.#clientId as string, client_secret: this.#clientSecret as string },
    });
  }

  #authHint(spec: RouteSpec): string | undefined {
    if (spec.access.kind === 'public' || this.#tokens) return HINTS.clientCredentials;
    if (this.#token === undefined) return HINTS.noCredentials;
    return undefined;
  }

  async #attempt(
    routeId: RouteId,
    method: RouteSpec['method'],
    path: string,
    target: string,
    headers: Record<string, string>,
    body: string | undefined,
    attempt: number,
  ): Promise<Attempt> {
    const started = performance.now();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(TIMEOUT), this.#timeoutMs);
    let outcome: Attempt;
    try {
      const res = await this.#pool.request({ path: target, method, headers, body, signal: controller.signal });
      // Reading the body inside the timer: a server that stalls mid-body is a timeout too.
      const text = await res.body.text();
      outcome = { kind: 'response', status: res.statusCode, headers: res.headers, text };
    } catch (err) {
      const timedOut =
        err === TIMEOUT ||
        controller.signal.aborted ||
        ['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'].includes(errorCodeOf(err) ?? '');
      outcome = { kind: 'failure', timedOut, errorCode: timedOut ? 'TIMEOUT' : (errorCodeOf(err) ?? 'UNKNOWN'), cause: timedOut ? undefined : err };
    } finally {
      clearTimeout(timer);
    }
    this.#report({
      routeId,
      method,
      path,
      attempt,
      ms: performance.now() - started,
      status: outcome.kind === 'response' ? outcome.status : undefined,
      ...(outcome.kind === 'failure' ? { errorCode: outcome.errorCode } : {}),
    });
    return outcome;
  }

  #report(event: RequestEvent): void {
    if (!this.#onRequest) return;
    try {
      this.#onRequest(event);
    } catch {
      // A failing hook must not fail the call it observes.
    }
  }
}

/** Replaces `{name}` placeholders with URL-encoded values; a missing one is a programming error. */
function fillPath(template: string, params: Readonly<Record<string, string>>): string {
  return template.replace(/\{([a-z_]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (typeof value !== 'string' || value === '') throw new TypeError(`missing path parameter ${name} for ${template}`);
    return encodeURIComponent(value);
  });
}

/** `?a=1&b=x` from the defined values of `query` ('' when none). */
function queryString(query: Readonly<Record<string, QueryValue>> | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) search.append(key, String(value));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}

function errorCodeOf(err: unknown): string | undefined {
  if (err && typeof err === 'object' && 'code' in err && typeof (err as { code: unknown }).code === 'string') return (err as { code: string }).code;
  return undefined;
}

function requestIdOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const v = headers['x-request-id'];
  return Array.isArray(v) ? v[0] : v;
}

/** The `errors` of an error body, or none when the body is not the API's error shape. */
function errorMessages(text: string): string[] {
  try {
    const parsed = ErrorBody.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.errors : [];
  } catch {
    return [];
  }
}

/**
 * Parses a success body with the route's schema. The error names only the fields that did not match,
 * never their values: a create response carries a secret.
 */
function parseSuccess<K extends RouteId>(spec: RouteSpec, text: string, details: ApiErrorDetails): ResponseOf<K> {
  const schema = spec.success.body;
  if (!schema) return undefined as ResponseOf<K>;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ResponseParseError({ ...details, detail: text === '' ? 'empty body' : 'body is not JSON' });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ResponseParseError({ ...details, detail: describeMismatch(parsed.error) });
  return parsed.data as ResponseOf<K>;
}

function describeMismatch(error: z.ZodError): string {
  const fields = [...new Set(error.issues.map((i) => (i.path.length ? fieldPath(i.path) : '(body)')))];
  const shown = fields.slice(0, 5).join(', ');
  return `fields that do not match the schema: ${shown}${fields.length > 5 ? ` and ${fields.length - 5} more` : ''}`;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Type guard for any error raised by a call of the client. */
export function isKeyformApiError(err: unknown): err is KeyformApiError {
  return err instanceof KeyformApiError;
}
