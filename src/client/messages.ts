/**
 * Every user-facing message of the client, each with a stable code and a fix hint. Errors are built
 * from this table only, so wording stays consistent across the provider and the CLI.
 */

/** Stable codes of every failure the client reports. */
export type ClientErrorCode =
  | 'KF-CLIENT-001'
  | 'KF-CLIENT-002'
  | 'KF-CLIENT-003'
  | 'KF-CLIENT-004'
  | 'KF-CLIENT-005'
  | 'KF-CLIENT-006'
  | 'KF-CLIENT-007'
  | 'KF-CLIENT-008'
  | 'KF-CLIENT-009'
  | 'KF-CLIENT-010'
  | 'KF-CLIENT-011'
  | 'KF-CLIENT-012'
  | 'KF-CLIENT-013'
  | 'KF-CLIENT-014';

/** What a failure means and how to fix it. */
export interface ClientMessage {
  /** One sentence saying what went wrong. */
  readonly summary: string;
  /** What the user should do about it. */
  readonly hint: string;
}

/** The message of every code. */
export const MESSAGES: Readonly<Record<ClientErrorCode, ClientMessage>> = {
  'KF-CLIENT-001': {
    summary: 'The Key Management API did not accept the credentials.',
    hint: 'check `token` / KEYFORM_TOKEN: it must be an active API key or a bearer token that has not expired or been revoked',
  },
  'KF-CLIENT-002': {
    summary: 'The credential is valid but not allowed to do this.',
    hint: 'use a credential holding the missing scope (or the admin client for admin routes), or stay within the owner\'s permissions',
  },
  'KF-CLIENT-003': {
    summary: 'The object does not exist.',
    hint: 'check the id; if the object was deleted outside keyform, remove it from the configuration or re-create it',
  },
  'KF-CLIENT-004': {
    summary: 'The API rejected the request as invalid.',
    hint: 'correct the fields the API named and send it again; nothing was changed',
  },
  'KF-CLIENT-005': {
    summary: 'The request conflicts with the current state or with an earlier request using the same Idempotency-Key.',
    hint: 'read the current state and retry; reuse an Idempotency-Key only with the exact same request',
  },
  'KF-CLIENT-006': {
    summary: 'The object changed since it was read: the If-Match ETag is stale, so nothing was changed.',
    hint: 'read the object again, reapply the change to what you read and send it with the new ETag',
  },
  'KF-CLIENT-007': {
    summary: 'The API is rate limiting this client and retries did not get through.',
    hint: 'lower the request rate (for example terraform -parallelism) or raise `maxRetries`',
  },
  'KF-CLIENT-008': {
    summary: 'The API failed with a server error and retries did not get through.',
    hint: 'retry later; if it persists, check the server logs',
  },
  'KF-CLIENT-009': {
    summary: 'The API rejected the request.',
    hint: 'check that `endpoint` points at a keyform Key Management API v1 and that the client and server versions match',
  },
  'KF-CLIENT-010': {
    summary: 'Could not reach the Key Management API.',
    hint: 'check `endpoint` / KEYFORM_ENDPOINT and that the server is running',
  },
  'KF-CLIENT-011': {
    summary: 'The Key Management API did not answer in time.',
    hint: 'check that the server is healthy, or raise `timeoutMs`; a retried create is safe thanks to its Idempotency-Key',
  },
  'KF-CLIENT-012': {
    summary: 'The API answered with a body that does not match the Key Management API v1.',
    hint: 'check that `endpoint` points at a keyform Key Management API v1 and that the client and server versions match',
  },
  'KF-CLIENT-013': {
    summary: 'The client was closed.',
    hint: 'create a new KeyformClient; close() is final',
  },
  'KF-CLIENT-014': {
    summary: 'The client configuration is invalid.',
    hint: 'correct the option named in the message',
  },
};

/** Hints that replace the default one in a specific situation. */
export const HINTS = {
  /** 401 while authenticating with client credentials. */
  clientCredentials:
    'check `client_id` / `client_secret` (KEYFORM_CLIENT_ID / KEYFORM_CLIENT_SECRET): the OAuth client must exist and the secret must match',
  /** 401 without any configured credential. */
  noCredentials: 'configure `token` (KEYFORM_TOKEN) or `client_id` and `client_secret` (KEYFORM_CLIENT_ID / KEYFORM_CLIENT_SECRET)',
} as const;

/** Messages of configuration errors, naming the option. */
export const CONFIG_MESSAGES = {
  endpointMissing: 'Missing `endpoint`: set it (or KEYFORM_ENDPOINT) to the API URL, such as http://127.0.0.1:8080.',
  endpointInvalid: 'Invalid `endpoint`: use an http:// or https:// URL such as http://127.0.0.1:8080.',
  credentialsConflict: 'Set either `token` or `clientId` + `clientSecret`, not both.',
  clientSecretMissing: 'Missing `clientSecret`: `clientId` needs its secret (KEYFORM_CLIENT_SECRET).',
  clientIdMissing: 'Missing `clientId`: `clientSecret` needs its client id (KEYFORM_CLIENT_ID).',
  notANumber: (option: string, min: number) => `Invalid \`${option}\`: must be a number of at least ${min}.`,
} as const;
