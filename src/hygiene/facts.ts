/**
 * What hygiene knows about each key and authorization, merged from the API (usage, status, owners)
 * and a Terraform state (addresses, rotation policies, declared grants). `undefined` always means
 * "not known from the sources given", never "none".
 */

/** A key as hygiene sees it. */
export interface KeyFacts {
  readonly id: string | null;
  readonly name: string;
  readonly address: string | null;
  readonly mid: string | null;
  readonly type: string | null;
  readonly mode: string | null;
  /** Held scopes; empty = full access. */
  readonly scopes: readonly string[];
  readonly status: 'active' | 'expired';
  readonly createdAt: string | null;
  readonly rotatedAt: string | null;
  readonly expiresAt: string | null;
  readonly version: number | null;
  /** null = never used; undefined = unknown. */
  readonly lastUsedAt: string | null | undefined;
  /** null = no rotation declared; undefined = unknown (no state). */
  readonly rotation: { readonly every: string; readonly gracePeriod: string | null } | null | undefined;
  /** Route scopes exercised in the window; undefined = unknown. */
  readonly exercised: readonly string[] | undefined;
  /** The stack whose state declares it, in a report over several stacks. */
  readonly stack?: string;
}

/** A user's permissions, the ceiling of the authorizations they own. */
export interface OwnerFacts {
  readonly id: string;
  readonly roles: ReadonlyArray<{ readonly projectId: string; readonly role: string }>;
  readonly capabilities: readonly string[];
}

/** An authorization as declared (state) or held (API). */
export interface AuthorizationFacts {
  readonly id: string | null;
  readonly name: string;
  readonly address: string | null;
  readonly ownerId: string;
  readonly mid: string | null;
  readonly capabilities: readonly string[];
  readonly projectAccess: ReadonlyArray<{ readonly projectId: string; readonly role: string }>;
  readonly mcpServers: readonly string[];
  /** The stack whose state declares it, in a report over several stacks. */
  readonly stack?: string;
}
