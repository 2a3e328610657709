/**
 * The client's failures, one class per kind (authentication, permission, not found, invalid request,
 * conflict, precondition, rate limit, server error, unreachable, timeout, bad response, closed, bad
 * configuration), each with its stable code and fix from messages.ts, and never a secret.
 */
import { ClientErrorCode, MESSAGES } from './messages';

/** What an API error knows about the failed call. Never a body, a header or a credential. */
export interface ApiErrorDetails {
  /** HTTP method of the call. */
  readonly method: string;
  /** Request path without its query string. */
  readonly path: string;
  /** HTTP status, when the server answered. */
  readonly status?: number;
  /** The server's `errors` messages (already written for users; they never carry secrets). */
  readonly messages?: readonly string[];
  /** Overrides the code's default fix hint. */
  readonly hint?: string;
  /** How many attempts were made, retries included. */
  readonly attempts?: number;
  /** Short technical detail such as `ECONNREFUSED` or `no response within 500 ms`. */
  readonly detail?: string;
  /** The server's `x-request-id`, to find the call in its logs. */
  readonly requestId?: string;
  /** The low-level error, for debugging (socket errors only; never a request). */
  readonly cause?: unknown;
}

/** Any failure of a call to the Key Management API: a stable `code`, the status, the server's messages and a fix. */
export class KeyformApiError extends Error {
  /** Stable machine-readable code, e.g. `KF-CLIENT-003`. */
  readonly code: ClientErrorCode;
  /** HTTP status, or undefined when no response arrived. */
  readonly status: number | undefined;
  /** The server's error messages, one per problem (empty when none). */
  readonly messages: readonly string[];
  /** HTTP method of the failed call. */
  readonly method: string;
  /** Path of the failed call, without its query string. */
  readonly path: string;
  /** How to fix it. */
  readonly hint: string;
  /** Attempts made, retries included. */
  readonly attempts: number;
  /** The server's request id, if it sent one. */
  readonly requestId: string | undefined;

  /** Builds the error from its code and details; the message is composed from `messages.ts`. */
  constructor(code: ClientErrorCode, details: ApiErrorDetails) {
    const { summary, hint: defaultHint } = MESSAGES[code];
    const hint = details.hint ?? defaultHint;
    const messages = [...(details.messages ?? [])];
    const where = `${details.method} ${details.path}${details.status !== undefined ? ` -> ${details.status}` : ''}`;
    const extra = [details.detail, details.attempts && details.attempts > 1 ? `after ${details.attempts} attempts` : undefined]
      .filter(Boolean)
      .join(', ');
    const text = `${summary} [${where}]${messages.length ? ` ${messages.join(' ')}` : ''}${extra ? ` (${extra})` : ''} Fix: ${hint}.`;
    super(text, details.cause !== undefined ? { cause: details.cause } : undefined);
    this.name = new.target.name;
    this.code = code;
    this.status = details.status;
    this.messages = messages;
    this.method = details.method;
    this.path = details.path;
    this.hint = hint;
    this.attempts = details.attempts ?? 1;
    this.requestId = details.requestId;
  }
}

/** 401: the bearer was missing, invalid, expired or revoked. */
export class AuthenticationError extends KeyformApiError {
  /** See {@link KeyformApiError}. */
  constructor(details: ApiErrorDetails) {
    super('KF-CLIENT-001', details);
  }
}

/** 403: the bearer is valid but lacks a scope, or the request exceeds its owner's permissions. */
export class PermissionError extends KeyformApiError {
  /** See {@link KeyformApiError}. */
  constructor(details: ApiErrorDetails) {
    super('KF-CLIENT-002', details);
  }
}

/** 404: the object does not exist. */
export class NotFoundError extends KeyformApiError {
  /** See {@link KeyformApiError}. */
  constructor(details: ApiErrorDetails) {
    super('KF-CLIENT-003', details);
  }
}

/** 400 (or 422): the request was invalid; `messages` has one message per problem. */
export class ValidationError extends KeyformApiError {
  /** See {@link KeyformApiError}. */
  constructor(details: ApiErrorDetails) {
    super('KF-CLIENT-004', details);
  }
}

/** 409: conflicting state, or an Idempotency-Key reused with a different request. Never retried. */
export class ConflictError extends KeyformApiError {
  /** See {@link KeyformApiError}. */
  constructor(details: ApiErrorDetails) {
    super('KF-CLIENT-005', details);
  }
}

/** 429 that outlasted the retries. */
export class RateLimitError extends KeyformApiError {
  /** The server's last `Retry-After`, in milliseconds, if it sent one. */
  readonly retryAfterMs: number | undefined;
  /** See {@link KeyformApiError}. */
  constructor(details: ApiErrorDetails & { retryAfterMs?: number }) {
    super('KF-CLIENT-007', details);
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** 5xx that outlasted the retries. */
export class ServerError extends KeyformApiError {
  /** See {@link KeyformApiError}. */
  constructor(details: ApiErrorDetails) {
    super('KF-CLIENT-008', details);
  }
}

/** Any other non-success status (405, 413, 415, ...): the endpoint is probably not a keyform API. */
export class UnexpectedStatusError extends KeyformApiError {
  /** See {@link KeyformApiError}. */
  constructor(details: ApiErrorDetails) {
    super('KF-CLIENT-009', details);
  }
}

/** The server could not be reached (refused, reset, closed socket, DNS) even after retries. */
export class ConnectionError extends KeyformApiError {
  /** See {@link KeyformApiError}. */
  constructor(details: ApiErrorDetails) {
    super('KF-CLIENT-010', details);
  }
}

/** No complete response within `timeoutMs`, on every attempt. */
export class TimeoutError extends KeyformApiError {
  /** See {@link KeyformApiError}. */
  constructor(details: ApiErrorDetails) {
    super('KF-CLIENT-011', details);
  }
}

/** A success response whose body is not JSON or does not match the route's schema. */
export class ResponseParseError extends KeyformApiError {
  /** See {@link KeyformApiError}. */
  constructor(details: ApiErrorDetails) {
    super('KF-CLIENT-012', details);
  }
}

/** A call made after `close()`. */
export class ClientClosedError extends KeyformApiError {
  /** See {@link KeyformApiError}. */
  constructor(details: ApiErrorDetails) {
    super('KF-CLIENT-013', details);
  }
}

/** Invalid constructor options; thrown synchronously, before any request. */
export class ClientConfigError extends Error {
  /** Always `KF-CLIENT-014`. */
  readonly code = 'KF-CLIENT-014' as const;
  /** Builds the error from a message of `CONFIG_MESSAGES`. */
  constructor(message: string) {
    super(`${message} Fix: ${MESSAGES['KF-CLIENT-014'].hint}.`);
    this.name = 'ClientConfigError';
  }
}

/** 412: the If-Match ETag was stale; the object changed since it was read and nothing was changed. */
export class PreconditionFailedError extends KeyformApiError {
  /** See {@link KeyformApiError}. */
  constructor(details: ApiErrorDetails) {
    super('KF-CLIENT-006', details);
  }
}

/** Maps a non-success HTTP status to its error class. */
export function errorForStatus(status: number, details: Omit<ApiErrorDetails, 'status'> & { retryAfterMs?: number }): KeyformApiError {
  const d = { ...details, status };
  if (status === 400 || status === 422) return new ValidationError(d);
  if (status === 401) return new AuthenticationError(d);
  if (status === 403) return new PermissionError(d);
  if (status === 404) return new NotFoundError(d);
  if (status === 409) return new ConflictError(d);
  if (status === 412) return new PreconditionFailedError(d);
  if (status === 429) return new RateLimitError(d);
  if (status >= 500) return new ServerError(d);
  return new UnexpectedStatusError(d);
}
