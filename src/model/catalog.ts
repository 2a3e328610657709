/**
 * The fixed catalogs of the Key Management API: scopes, capabilities, roles, key types and modes.
 *
 * This file deliberately imports nothing (no zod) so that the jsii constructs can use the same
 * catalogs as the server, the client and the provider without bundling a runtime dependency.
 */

/** Resources a scope can name, as in `customers:read`. */
export const SCOPE_RESOURCES = [
  'products',
  'prices',
  'customers',
  'checkout_sessions',
  'payment_intents',
  'refunds',
  'coupons',
  'captures',
  'promo_codes',
  'charges',
  'subscriptions',
  'invoices',
  'disputes',
  'payouts',
  'webhooks',
  'request_logs',
  'audit_log',
  'api_keys',
  'authorizations',
] as const;

/** Levels of access a scope grants over its resource; `write` implies `read`. */
export const SCOPE_ACCESS = ['read', 'write'] as const;

/** Every valid scope string, `resource:access`, in catalog order. */
export const ALL_SCOPES: readonly string[] = SCOPE_RESOURCES.flatMap((r) => SCOPE_ACCESS.map((a) => `${r}:${a}`));

/** Plain-language description of each scope resource, for the catalog route and the docs. */
export const SCOPE_RESOURCE_DESCRIPTIONS: Readonly<Record<(typeof SCOPE_RESOURCES)[number], string>> = {
  products: 'Products in the catalog',
  prices: 'Prices attached to products',
  customers: 'Customer records',
  checkout_sessions: 'Hosted checkout sessions',
  payment_intents: 'Payment intents',
  refunds: 'Refunds of charges',
  coupons: 'Coupons',
  captures: 'Captures of authorized payments',
  promo_codes: 'Promotion codes',
  charges: 'Charges',
  subscriptions: 'Subscriptions',
  invoices: 'Invoices',
  disputes: 'Disputes and chargebacks',
  payouts: 'Payouts to bank accounts',
  webhooks: 'Webhook endpoints',
  request_logs: 'Per-key API request logs',
  audit_log: 'The audit log of credential changes',
  api_keys: 'API keys (the key-management API itself)',
  authorizations: 'Authorizations, project access and MCP-server grants',
};

/** Capabilities an authorization can hold (Flows authorizations). */
export const CAPABILITIES = [
  'mcp',
  'api',
  'apps:view',
  'apps:admin',
  'flows:edit',
  'secrets:edit',
  'endpoints:access',
] as const;

/** What each capability allows. */
export const CAPABILITY_DESCRIPTIONS: Readonly<Record<(typeof CAPABILITIES)[number], string>> = {
  mcp: 'allows access to MCP servers',
  api: 'allows access to the API, required for CLI and Terraform provider access',
  'apps:view': 'allows viewing apps',
  'apps:admin': 'allows managing custom apps',
  'flows:edit': 'allows creating and modifying flows',
  'secrets:edit': 'allows managing secrets',
  'endpoints:access': 'allows accessing HTTP endpoints on behalf of the user',
};

/** Capabilities that require another capability to be held as well. */
export const CAPABILITY_PREREQUISITES: Readonly<Partial<Record<(typeof CAPABILITIES)[number], (typeof CAPABILITIES)[number]>>> = {
  'apps:admin': 'apps:view',
};

/** Project roles, lowest first: the same roles regular users have. */
export const ROLES = ['viewer', 'editor', 'admin'] as const;

/** Kinds of authorization. */
export const AUTHORIZATION_KINDS = ['api_key', 'oauth2'] as const;

/** API key types (seed 004). */
export const KEY_TYPES = ['secret', 'public', 'tokenization'] as const;

/** API key modes: test data or live data. */
export const KEY_MODES = ['test', 'live'] as const;

/** Value prefix per key type and mode; the prefix alone tells type and mode (seed 001). */
export const KEY_PREFIXES: Readonly<Record<(typeof KEY_TYPES)[number], Readonly<Record<(typeof KEY_MODES)[number], string>>>> = {
  secret: { test: 'fsk_test_', live: 'fsk_' },
  public: { test: 'fpk_test_', live: 'fpk_' },
  tokenization: { test: 'ftk_test_', live: 'ftk_' },
};

/** Rank of a role, for "never exceeds the owner" comparisons. */
export function roleRank(role: string): number {
  return (ROLES as readonly string[]).indexOf(role);
}

/** Whether a scope string is in the catalog. */
export function isKnownScope(scope: string): boolean {
  return ALL_SCOPES.includes(scope);
}

/** Whether a held set of scopes satisfies a required scope (`write` implies `read`). */
export function scopeSatisfies(held: readonly string[], required: string): boolean {
  if (held.includes(required)) return true;
  const [resource, access] = required.split(':');
  return access === 'read' && held.includes(`${resource}:write`);
}

/** Type and mode encoded by a key value's prefix, or undefined when it is not a keyform key. */
export function parseKeyPrefix(value: string): { type: (typeof KEY_TYPES)[number]; mode: (typeof KEY_MODES)[number]; prefix: string } | undefined {
  // Test prefixes first: `fsk_` is a prefix of `fsk_test_`.
  for (const mode of ['test', 'live'] as const) {
    for (const type of KEY_TYPES) {
      const prefix = KEY_PREFIXES[type][mode];
      if (value.startsWith(prefix)) return { type, mode, prefix };
    }
  }
  return undefined;
}
