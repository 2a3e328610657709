/** The handler's error: a stable code, a summary and a fix, tied to a resource address or id. */
import { redactSecrets } from '../model/redaction';
import { ApiErrorLike, errorStatus } from './api';
import { HandlerMessage, MESSAGES } from './messages';

/** A failure the provider turns into a Terraform diagnostic. Never carries a secret. */
export class HandlerError extends Error {
  /** Stable code, e.g. `KF-HANDLER-043` or `KF-HANDLER-019`. */
  public readonly code: string;
  /** One-line summary. */
  public readonly summary: string;
  /** What happened and how to fix it. */
  public readonly detail: string;
  /** The attribute the problem belongs to, if any. */
  public readonly path?: ReadonlyArray<string | number>;
  /** HTTP status of the API failure behind this error, if any. */
  public readonly status?: number;

  constructor(message: HandlerMessage, opts: { path?: ReadonlyArray<string | number>; status?: number } = {}) {
    super(`${message.summary}: ${message.detail}`);
    this.name = 'HandlerError';
    this.code = message.code;
    this.summary = message.summary;
    this.detail = message.detail;
    this.path = opts.path;
    this.status = opts.status;
  }
}

/**
 * Removes anything that looks like a secret from a message, and each of `known` (e.g. the value being
 * delivered): the one redaction function of every layer (src/model/redaction.ts).
 */
export function scrubSecrets(text: string, known: Iterable<string> = []): string {
  return redactSecrets(text, known);
}

/** The stable code of a client error (its `code`, else derived from its status). */
export function errorCode(err: unknown): string {
  const e = err as ApiErrorLike | null;
  if (e && typeof e.code === 'string' && e.code) return e.code;
  const status = errorStatus(err);
  return status ? `http_${status}` : 'error';
}

/** The API's messages of a client error, scrubbed. */
export function errorMessages(err: unknown): string[] {
  const e = err as ApiErrorLike | null;
  const messages = e && Array.isArray(e.messages) && e.messages.length ? e.messages : [e?.message ?? String(err)];
  return messages.map((m) => scrubSecrets(String(m)));
}

/**
 * Wraps a client failure with the operation and the resource it concerns (address or id), keeping the
 * client's stable code. HandlerErrors pass through unchanged.
 */
export function wrapApiError(err: unknown, operation: string, where: string): HandlerError {
  if (err instanceof HandlerError) return err;
  const e = err as (ApiErrorLike & { hint?: string }) | null;
  const messages = errorMessages(err);
  // The client's message already ends with its fix; API messages alone get the client's hint added.
  if (e && Array.isArray(e.messages) && e.messages.length && typeof e.hint === 'string' && e.hint) messages.push(`Fix: ${scrubSecrets(e.hint)}.`);
  return new HandlerError(MESSAGES.apiFailure(operation, where, errorCode(err), messages), { status: errorStatus(err) });
}
