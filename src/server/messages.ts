/**
 * Every user-facing message of the reference server, in one place. Each entry is keyed by a stable
 * code; the message says what is wrong and, where there is one, how to fix it. Messages never contain
 * a secret.
 */
export const MESSAGES = {
  INVALID_BEARER: () => 'Authentication failed. Invalid bearer token.',
  MISSING_BEARER: () => 'Authentication failed. Invalid bearer token.',
  INVALID_CLIENT: () => 'Authentication failed. Invalid client_id or client_secret.',
  TOKEN_NOT_RENEWABLE: () =>
    'The token cannot be renewed: it is unknown, expired or revoked, or was not issued to this client. Obtain a new token at /oauth2/token.',
  MISSING_SCOPE: (scope: string) => `Missing required scope: ${scope}.`,
  ADMIN_ONLY: () => 'This route is for the platform admin client only: use a token of the admin OAuth client.',
  KEY_TYPE_CANNOT_MANAGE: (type: string) =>
    `A ${type} key cannot call the key-management API: use a secret key or an OAuth token.`,
  OTHER_MERCHANT: (own: string, other: string) =>
    `This key belongs to merchant ${own} and cannot manage credentials of merchant ${other}.`,
  SCOPE_EXCEEDS_CALLER: (scope: string) =>
    `Scope ${scope} exceeds the scopes of the calling key: a key cannot grant more than it holds.`,
  FULL_ACCESS_EXCEEDS_CALLER: () =>
    'A key with no scopes has full access, which exceeds the scopes of the calling key: list the scopes it needs.',
  KEY_SCOPE_BEYOND_CALLER: (action: string, id: string, scope: string) =>
    `Cannot ${action} API key ${id}: it holds scope ${scope}, which the calling credential lacks. A credential may only ${action} keys within its own scopes: use one holding ${scope}.`,
  KEY_FULL_ACCESS_BEYOND_CALLER: (action: string, id: string) =>
    `Cannot ${action} API key ${id}: it has full access (no scopes), which the calling credential lacks. Use a full-access key of its merchant and mode, or the admin OAuth client.`,
  EXPIRY_BEYOND_CALLER: (callerExpiry: string) =>
    `The calling key expires at ${callerExpiry}: a key it creates or changes cannot expire later or never, and it cannot extend or remove its own expiry. Set expires_at to ${callerExpiry} or earlier.`,
  MODE_BEYOND_CALLER: (own: string, mode: string) =>
    `A ${own}-mode credential cannot create ${mode}-mode keys: it reaches only ${own}-mode objects. Use a ${mode}-mode credential or the admin OAuth client${mode === 'live' ? ' (with "mode": "live")' : ''}.`,
  DELEGATION_BEYOND_CALLER: (owner: string, power: string) =>
    `Cannot grant ${power} to an authorization of ${owner}: the calling credential does not hold it, and the authorization's secret would hand it over. Use the admin OAuth client or a credential acting for ${owner}.`,
  PRECONDITION_FAILED: (id: string) =>
    `Precondition failed: ${id} changed since the ETag you sent in If-Match. Read it again (GET), reapply your change and retry with the new ETag.`,
  TOO_MANY_PREVIOUS_SECRETS: (id: string, max: number, until: string) =>
    `Cannot rotate API key ${id}: ${max} previous secrets are still in their grace period (the most a key keeps), and a rotation never cuts one off. Retry after ${until}, when the earliest grace ends, or revoke and recreate the key.`,
  INVALID_BASIC: () =>
    'Invalid Authorization header: HTTP Basic credentials must be base64 of client_id:client_secret, each form-urlencoded (RFC 6749 2.3.1).',
  NO_SUCH_ROUTE: (method: string, path: string) => `No such route: ${method} ${path}.`,
  METHOD_NOT_ALLOWED: (method: string, path: string, allowed: string[]) =>
    `Method ${method} is not allowed on ${path}. Allowed: ${allowed.join(', ')}.`,
  INVALID_JSON: (detail: string) => `Invalid JSON body: ${detail}. Send a JSON object.`,
  INVALID_FORM: () => 'Invalid form body: send application/x-www-form-urlencoded fields.',
  BODY_TOO_LARGE: (limit: number) => `Request body too large: at most ${limit} bytes.`,
  UNSUPPORTED_MEDIA_TYPE: (type: string) =>
    `Unsupported Content-Type ${type || '(none)'}: send application/json (or application/x-www-form-urlencoded to /oauth2/token, /oauth2/revoke and /oauth2/renew).`,
  BAD_REQUEST: (detail: string) => `Bad request: ${detail}.`,
  HEADERS_TOO_LARGE: () => 'Request headers too large: the request line (URL) and headers may take at most 16 KiB. Send a shorter URL or fewer headers.',
  REQUEST_TIMEOUT: () => 'Request timeout: the request was not received in time. Retry it.',
  MALFORMED_HTTP: () => 'Bad request: malformed HTTP request. Send a valid HTTP/1.1 request.',
  INTERNAL: () => 'Internal server error. Retry the request; if it persists, report it with the X-Request-Id header.',
  INJECTED_500: () => 'Internal server error (injected fault). Retry the request.',
  RATE_LIMITED: (seconds: number) => `Rate limit exceeded: retry after ${seconds} second${seconds === 1 ? '' : 's'}.`,
  INJECTED_429: () => 'Rate limit exceeded (injected fault): retry after 1 second.',
  INVALID_CURSOR: () => 'Invalid cursor value.',
  STORE_UNAVAILABLE: () => 'Unavailable: this instance cannot reach its store. Retry, or use another instance.',
  NUL_CHARACTER: (field: string) => `Invalid ${field} value: must not contain the NUL character (U+0000). Remove it.`,
  UNKNOWN_MID: (mid: string) => `Unknown mid: ${mid}. Create the merchant first (POST /v1/admin/merchants).`,
  NO_SUCH_KEY: (id: string) => `No such API key: ${id}.`,
  NO_SUCH_AUTHORIZATION: (id: string) => `No such authorization: ${id}.`,
  AUTHORIZATION_TOKEN_NEEDS_API: () =>
    "This token belongs to an authorization without the api capability: it is for resource servers (they check it with POST /oauth2/introspect), not for the key-management API. Add api to the authorization's capabilities, or use an API key or the admin OAuth client.",
  AUTHORIZATION_TOKEN_NO_SCOPE: (scope: string) =>
    `An authorization's token cannot use routes that need ${scope}: it may manage only its owner's authorizations. Use an API key holding ${scope} or the admin OAuth client.`,
  AUTHORIZATION_TOKEN_OTHER_OWNER: (owner: string) =>
    `This token acts for user ${owner} and can only manage authorizations owned by ${owner}. Set owner_id to ${owner}, or use an API key or the admin OAuth client.`,
  AUTHORIZATION_MODE_OF_CALLER: (callerMode: string, mode: string) =>
    `A ${callerMode}-mode credential cannot create a ${mode}-mode authorization: use a ${mode}-mode credential or the admin OAuth client${mode === 'live' ? ', and say "mode": "live"' : ''}.`,
  EXCEEDS_CALLER_CAPABILITY: (cap: string) =>
    `Authorization exceeds the calling token: capability ${cap} is not held by the token's authorization. A token can only manage authorizations within its own grants.`,
  EXCEEDS_CALLER_PROJECT: (project: string) =>
    `Authorization exceeds the calling token: the token's authorization has no access to project ${project}. A token can only manage authorizations within its own grants.`,
  EXCEEDS_CALLER_ROLE: (project: string, role: string, callerRole: string) =>
    `Authorization exceeds the calling token: role ${role} on project ${project} is above the token's role ${callerRole}. A token can only manage authorizations within its own grants.`,
  EXCEEDS_CALLER_MCP_SERVER: (server: string) =>
    `Authorization exceeds the calling token: MCP server ${server} is not granted to the token's authorization. A token can only manage authorizations within its own grants.`,
  INTROSPECT_NOT_FOR_AUTHORIZATION: () =>
    "An authorization's token cannot introspect tokens: call POST /oauth2/introspect with the admin OAuth client or an API key holding authorizations:read.",
  USER_DELETED: (id: string) => `User ${id} was removed: a removed user's id is not reused, so that its authorizations never come back. Create a user with a new id.`,
  NO_SUCH_USER: (id: string) => `No such user: ${id}.`,
  IMMUTABLE: (field: string) => `${field} is immutable: create a new key instead.`,
  AUTHORIZATION_IMMUTABLE: (field: string) => `${field} is immutable: create a new authorization instead.`,
  EXPIRES_IN_PAST: () => 'Invalid expires_at value: must be in the future.',
  KEY_REVOKED: (id: string) => `API key ${id} is revoked: it cannot be changed or rotated. Create a new key instead.`,
  KEY_EXPIRED_ROTATE: (id: string) => `API key ${id} is expired: set a future expires_at (PATCH) before rotating it.`,
  IDEMPOTENCY_MISMATCH: () => 'Idempotency-Key reused with a different request body.',
  IDEMPOTENCY_KEY_INVALID: () => 'Invalid Idempotency-Key header: use 1 to 255 visible ASCII characters.',
  USER_MID_IMMUTABLE: (id: string, mid: string) =>
    `User ${id} belongs to merchant ${mid}: a user's merchant cannot change. Create a new user for the other merchant instead.`,
  UNKNOWN_OWNER: (id: string) => `Unknown owner_id: ${id}. Create the user first (POST /v1/admin/users).`,
  UNKNOWN_PROJECT: (id: string) => `Unknown project_id: ${id}. List projects with GET /v1/projects.`,
  UNKNOWN_MCP_SERVER: (id: string) => `Unknown MCP server: ${id}. List MCP servers with GET /v1/mcp-servers.`,
  CAPABILITY_PREREQUISITE: (cap: string, needs: string) => `Capability ${cap} requires ${needs}: add ${needs} to capabilities.`,
  MCP_NEEDS_CAPABILITY: (server: string) => `MCP server ${server} needs the mcp capability: add mcp to capabilities.`,
  MCP_NEEDS_PROJECT: (server: string, project: string) =>
    `MCP server ${server} is in project ${project}, which this authorization has no access to: grant access to ${project} first.`,
  EXCEEDS_OWNER_CAPABILITY: (owner: string, cap: string) =>
    `Authorization exceeds its owner ${owner}: capability ${cap} is not held by the owner.`,
  EXCEEDS_OWNER_NO_PROJECT: (owner: string, project: string) =>
    `Authorization exceeds its owner ${owner}: the owner has no access to project ${project}.`,
  EXCEEDS_OWNER_ROLE: (owner: string, project: string, role: string, ownerRole: string) =>
    `Authorization exceeds its owner ${owner}: role ${role} on project ${project} is above the owner's role ${ownerRole}.`,
  REMOVE_GRANT_FIRST: (project: string, servers: string[]) =>
    `Cannot remove access to project ${project} while MCP server ${servers.join(', ')} of it is granted: remove the MCP server grant first.`,
  UNKNOWN_USER_PROJECT: (id: string) => `Unknown project_id in roles: ${id}. Create the project first (POST /v1/admin/projects).`,
  MCP_SERVER_PROJECT_UNKNOWN: (id: string) => `Unknown project_id: ${id}. Create the project first (POST /v1/admin/projects).`,
} as const;
