/** What every route action shares: the caller's credential, the request's transaction, API errors. */
import type { Sql, Store } from './database';
import type { Sealer } from './secrets';

/** A credential's mode: a test credential reaches only test-mode objects, a live one only live ones. */
export type CredentialMode = 'test' | 'live';

/**
 * The credential that authenticated a request. Every route decides what it may reach with the rules
 * of `privilege.ts`, which read only these fields:
 * - `mode`: undefined = both modes (only the platform admin client); otherwise confined to that mode;
 * - `mid`: undefined = every merchant (admin client); otherwise confined to that merchant;
 * - `scopes`: an empty list = every scope (full access) within its merchant and mode.
 * OAuth tokens issued to an authorization carry the authorization's mode (and merchant) here, so the
 * same rules confine them.
 */
export type Credential =
  | {
      readonly kind: 'oauth_client';
      readonly id: string;
      readonly admin: boolean;
      readonly mode?: CredentialMode;
      readonly mid?: string;
      /** The user an authorization's token acts for: it may delegate that user's own powers. */
      readonly actingFor?: string;
    }
  | {
      readonly kind: 'api_key';
      readonly id: string;
      readonly mid: string;
      readonly mode: CredentialMode;
      readonly scopes: readonly string[];
      /** When the key expires (epoch ms), null when it never does. */
      readonly expiresAtMs: number | null;
    }
  | {
      /** A token (or `api_key` secret) issued to an authorization: acts for its owner, within the authorization. */
      readonly kind: 'authorization';
      /** The authorization's id. */
      readonly id: string;
      readonly ownerId: string;
      /** The owner's merchant. */
      readonly mid: string;
      readonly mode: CredentialMode;
      /** The authorization's capabilities bounded by its owner's, when it authenticated. */
      readonly capabilities: readonly string[];
    };

/** An error answered as `{"errors": [...]}` with `status`. */
export class ApiError extends Error {
  /** Builds an error response; `errors` are user-facing messages (never secrets). */
  constructor(
    readonly status: number,
    readonly errors: readonly string[],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(errors.join(' '));
    this.name = 'ApiError';
  }
}

/** Server-wide state every route needs. */
export interface ServerState {
  readonly store: Store;
  readonly sealer: Sealer;
  readonly tokenTtlSeconds: number;
}

/** What a route action receives: validated input plus who is calling. */
export interface RouteContext {
  readonly state: ServerState;
  /** The request's transaction. */
  readonly db: Sql;
  /** Undefined only on public routes. */
  readonly credential: Credential | undefined;
  readonly params: Readonly<Record<string, string>>;
  // Validated by the route's zod schema before the action runs.
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly query: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly requestId: string;
  /** Request time, epoch milliseconds: one clock reading per request. */
  readonly now: number;
}

/** A route action's answer: status and JSON body (undefined for an empty body). */
export interface RouteResult {
  readonly status: number;
  readonly body?: unknown;
}

/** A route action (the server side of one API route; not src/handler, the provider's reconciler): all its work is one store transaction (`ctx.db`), so concurrent requests never interleave. */
export type RouteAction = (ctx: RouteContext) => Promise<RouteResult> | RouteResult;

/** The credential of an authenticated route; throws if the route was public (a programming error). */
export function requireCredential(ctx: RouteContext): Credential {
  if (!ctx.credential) throw new Error('route action needs a credential');
  return ctx.credential;
}

/** ISO timestamp of epoch milliseconds. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
