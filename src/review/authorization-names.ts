/**
 * Names the authorization a project access or MCP-server grant refers to. The reference is an id;
 * when the authorization is created in the same plan the id is unknown, so the configuration's
 * references (`expressions.authorization_id.references`) name it by its Terraform address instead.
 */
import type { ConfigModule, Json, PlanJson, ResourceChange } from './plan-json';
import { stateResources } from './plan-json';

/** The resource type of authorizations. */
export const AUTHORIZATION_TYPE = 'keyform_oauth_authorization';

/** How an authorization is named in a report. */
export interface AuthorizationName {
  /** Its `name` attribute, its address, or its id: the best known. */
  readonly label: string;
  /** A key equal for every reference to the same authorization. */
  readonly key: string;
  /**
   * Whether the authorization's tokens reach live data (its `mode`), which its grants inherit. An
   * authorization this plan does not show, or one without a known mode, counts as live.
   */
  readonly live: boolean;
}

function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function obj(v: Json | undefined): Record<string, Json> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, Json>) : undefined;
}

/** Drops instance keys from a module path: `module.a[0].module.b["x"]` -> `module.a.module.b`. */
function modulePath(moduleAddress: string | undefined): string {
  return (moduleAddress ?? '').replace(/\[[^\]]*\]/g, '');
}

function configIndex(module: ConfigModule | undefined, prefix: string, into: Map<string, Record<string, unknown>>): void {
  if (!module) return;
  for (const r of module.resources ?? []) {
    into.set(`${prefix}${r.type}.${r.name}`, (r.expressions ?? {}) as Record<string, unknown>);
  }
  for (const [name, call] of Object.entries(module.module_calls ?? {})) configIndex(call.module, `${prefix}module.${name}.`, into);
}

/** Resolves authorization references of one plan. */
export class AuthorizationNames {
  private readonly byId = new Map<string, AuthorizationName>();
  private readonly byAddress = new Map<string, AuthorizationName>();
  private readonly expressions = new Map<string, Record<string, unknown>>();

  constructor(plan: PlanJson) {
    // Prior state first, so planned names (renames) win.
    for (const r of stateResources(plan.prior_state?.values?.root_module)) {
      if (r.type !== AUTHORIZATION_TYPE || r.mode !== 'managed') continue;
      this.remember(r.address, r.values?.id, r.values?.name, r.values?.mode);
    }
    for (const rc of plan.resource_changes ?? []) {
      if (rc.type !== AUTHORIZATION_TYPE || rc.mode !== 'managed') continue;
      const before = obj(rc.change.before);
      const after = obj(rc.change.after);
      const mode = after?.mode ?? before?.mode;
      this.remember(rc.address, before?.id, after?.name ?? before?.name, mode);
      if (after) this.remember(rc.address, after.id, after.name ?? before?.name, mode);
    }
    configIndex(plan.configuration?.root_module, '', this.expressions);
  }

  private remember(address: string, id: Json | undefined, name: Json | undefined, mode: Json | undefined): void {
    const n: AuthorizationName = { label: str(name) ?? address, key: `authorization:${address}`, live: str(mode) !== 'test' };
    this.byAddress.set(address, n);
    const i = str(id);
    if (i) this.byId.set(i, n);
  }

  /**
   * Names the authorization that `rc` points at through `attr` (default `authorization_id`).
   * @param id the attribute's value when known, else undefined
   */
  resolve(rc: ResourceChange, id: string | undefined, attr = 'authorization_id'): AuthorizationName {
    if (id && this.byId.has(id)) return this.byId.get(id)!;
    const mod = modulePath(rc.module_address);
    const prefix = mod ? `${mod}.` : '';
    const exprs = this.expressions.get(`${prefix}${rc.type}.${rc.name}`);
    const refs = (exprs?.[attr] as { references?: unknown } | undefined)?.references;
    if (Array.isArray(refs)) {
      for (const ref of refs) {
        if (typeof ref !== 'string' || !ref.startsWith(`${AUTHORIZATION_TYPE}.`)) continue;
        const target = ref.replace(/\.id$/, '');
        const withModule = rc.module_address ? `${rc.module_address}.${target}` : target;
        const found = this.byAddress.get(withModule) ?? this.byAddress.get(`${prefix}${target}`) ?? this.byAddress.get(target);
        if (found) return found;
        return { label: `${prefix}${target}`, key: `authorization:${prefix}${target}`, live: true };
      }
    }
    if (id) return { label: id, key: `authorization-id:${id}`, live: true };
    return { label: `${rc.address}.${attr}`, key: `authorization-ref:${rc.address}`, live: true };
  }
}
