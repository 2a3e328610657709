/** Builds synthetic `terraform show -json` plans for review tests. */
import type { Json, PlanAction, PlanJson, ResourceChange } from '../../src/review/plan-json';

/** A keyform API key's full state, with overrides. */
export function key(over: Record<string, Json> = {}): Record<string, Json> {
  return {
    id: 'key_1',
    mid: 'mid_123456',
    name: 'payments-svc',
    type: 'secret',
    mode: 'live',
    scopes: ['charges:read'],
    description: null,
    expires_at: null,
    rotation: null,
    secret_delivery: null,
    value: null,
    prefix: 'fsk_',
    fingerprint: 'sha256:0011223344556677',
    created_at: '2026-01-01T00:00:00Z',
    version: 1,
    rotated_at: null,
    ...over,
  };
}

/** An authorization's full state, with overrides. */
export function authz(over: Record<string, Json> = {}): Record<string, Json> {
  return {
    id: 'auth_1',
    name: 'claude-code',
    kind: 'oauth2',
    owner_id: 'usr_alice',
    capabilities: ['mcp'],
    client_id: 'cli_1',
    client_secret: null,
    ...over,
  };
}

/** Extra change fields. */
export interface ChangeExtras {
  after_unknown?: Json;
  before_sensitive?: Json;
  after_sensitive?: Json;
  replace_paths?: Array<Array<string | number>>;
  action_reason?: string;
  module_address?: string;
}

/** One resource change. */
export function change(
  address: string,
  actions: PlanAction[],
  before: Json | null,
  after: Json | null,
  extra: ChangeExtras = {},
): ResourceChange {
  const [type, name] = address.replace(/^module\.[^.]+\./, '').split('.');
  return {
    address,
    module_address: extra.module_address,
    mode: 'managed',
    type,
    name: name.replace(/\[.*$/, ''),
    change: {
      actions,
      before,
      after,
      after_unknown: extra.after_unknown ?? {},
      before_sensitive: extra.before_sensitive ?? (before ? { value: true } : false),
      after_sensitive: extra.after_sensitive ?? (after ? { value: true } : false),
      ...(extra.replace_paths ? { replace_paths: extra.replace_paths } : {}),
    },
    ...(extra.action_reason ? { action_reason: extra.action_reason } : {}),
  };
}

/** A configuration resource with `authorization_id` referring to an authorization address. */
export function configRef(address: string, authorizationAddress: string) {
  const [type, name] = address.split('.');
  return {
    address,
    mode: 'managed',
    type,
    name,
    expressions: { authorization_id: { references: [`${authorizationAddress}.id`, authorizationAddress] } },
  };
}

/** A plan of changes, with optional configuration resources. */
export function plan(changes: ResourceChange[], configResources: unknown[] = []): PlanJson {
  return {
    format_version: '1.2',
    terraform_version: '1.11.4',
    resource_changes: changes,
    configuration: { root_module: { resources: configResources as never } },
  } as PlanJson;
}
