/**
 * PlanResourceChange for create and update, after terraform-plugin-framework's pipeline:
 * 1. the proposed new state (Terraform's merge of config and prior state) is the starting plan;
 * 2. when the object changes (always on create), every computed attribute the configuration leaves
 *    null becomes UNKNOWN: the provider may set it;
 * 3. every attribute's declared modifiers run, in schema order and in this order per attribute:
 *    `default`, `useStateForUnknown`, `planModifiers` (custom) decide its planned value, then
 *    `requiresReplace` and `requiresReplaceIf` judge whether that value forces replacement;
 * 4. the resource's own `modifyPlan` sees that plan (and the replacement paths found so far) and
 *    returns the final one.
 * An error diagnostic from step 3 ends the plan before `modifyPlan`. Destroys are not planned here.
 */
import {
  UNKNOWN,
  type AttributePath,
  type AttributePlanRequest,
  type AttributeSchema,
  type BlockSchema,
  type CallContext,
  type Diagnostic,
  type ResourceDefinition,
  type TfObject,
  type TfValue,
} from './framework';
import { canonical, isObject } from './tf-values';

/** What PlanResourceChange of a create or update starts from (decoded). */
export interface PlanChangeRequest {
  /** The object before the change; null on create. */
  readonly prior: TfObject | null;
  /** Terraform's proposed new state. */
  readonly proposed: TfObject;
  readonly config: TfObject;
  readonly privateData?: Uint8Array | undefined;
}

/** The outcome of the pipeline: the plan, the replacement paths (in the order found) and diagnostics. */
export interface PlannedChange {
  readonly planned: TfObject;
  readonly requiresReplace: AttributePath[];
  readonly diagnostics: Diagnostic[];
}

/** Runs the whole pipeline of one resource; a thrown DiagnosticError passes through. */
export async function planResourceChange<C>(def: ResourceDefinition<C>, req: PlanChangeRequest, ctx: CallContext<C>): Promise<PlannedChange> {
  const { prior, proposed, config } = req;
  let planned = prior === null || !sameBlock(def.schema, prior, proposed) ? markComputedNullsUnknown(def.schema, proposed, config) : proposed;
  const found: Found<C> = { ctx, replace: new ReplacePaths(), diagnostics: [] };
  planned = modifyBlock(def.schema, prior, planned, config, [], found);
  if (found.diagnostics.some((d) => d.severity === 'error') || !def.modifyPlan) {
    return { planned, requiresReplace: found.replace.paths, diagnostics: found.diagnostics };
  }
  const own = await def.modifyPlan({ prior, planned, config, privateData: req.privateData, requiresReplace: [...found.replace.paths] }, ctx);
  for (const p of own.requiresReplace ?? []) found.replace.add(p);
  return { planned: own.planned, requiresReplace: found.replace.paths, diagnostics: [...found.diagnostics, ...(own.diagnostics ?? [])] };
}

/** Replacement paths without duplicates, in the order found. */
class ReplacePaths {
  readonly paths: AttributePath[] = [];
  private readonly seen = new Set<string>();
  add(path: AttributePath): void {
    const key = JSON.stringify(path);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.paths.push([...path]);
  }
}

interface Found<C> {
  readonly ctx: CallContext<C>;
  readonly replace: ReplacePaths;
  readonly diagnostics: Diagnostic[];
}

/** Whether two objects of a block are the same value (sets regardless of order). */
export function sameBlock(schema: BlockSchema, a: TfObject, b: TfObject): boolean {
  for (const [name, attr] of Object.entries(schema.attributes)) {
    if (canonical(attr.type, a[name]) !== canonical(attr.type, b[name])) return false;
  }
  for (const [name, nested] of Object.entries(schema.blocks ?? {})) {
    if (blockValueKey(nested.block, nested.nesting, a[name]) !== blockValueKey(nested.block, nested.nesting, b[name])) return false;
  }
  return true;
}

function blockValueKey(schema: BlockSchema, nesting: 'single' | 'list' | 'set', v: TfValue | undefined): string {
  if (v === undefined || v === null) return 'null';
  if (v === UNKNOWN) return '?';
  const one = (x: TfValue): string =>
    isObject(x)
      ? `{${[
          ...Object.entries(schema.attributes).map(([k, a]) => canonical(a.type, x[k])),
          ...Object.entries(schema.blocks ?? {}).map(([k, b]) => blockValueKey(b.block, b.nesting, x[k])),
        ].join(',')}}`
      : canonical(undefined, x);
  if (!Array.isArray(v)) return one(v);
  const parts = v.map(one);
  if (nesting === 'set') parts.sort();
  return `[${parts.join(',')}]`;
}

/** Step 2: a copy of `planned` with every computed attribute that `config` leaves null UNKNOWN, at any depth. */
export function markComputedNullsUnknown(schema: BlockSchema, planned: TfObject, config: TfObject | null): TfObject {
  const out: TfObject = { ...planned };
  for (const [name, attr] of Object.entries(schema.attributes)) {
    if (attr.computed && (config?.[name] ?? null) === null) out[name] = UNKNOWN;
  }
  for (const [name, nested] of Object.entries(schema.blocks ?? {})) {
    const p = out[name];
    const c = config?.[name];
    if (isObject(p)) out[name] = markComputedNullsUnknown(nested.block, p, isObject(c) ? c : null);
    else if (Array.isArray(p)) {
      // Elements are matched by position (sets too: only the resource can tell which is which).
      out[name] = p.map((item, i) => (isObject(item) ? markComputedNullsUnknown(nested.block, item, Array.isArray(c) && isObject(c[i]) ? (c[i] as TfObject) : null) : item));
    }
  }
  return out;
}

/**
 * Every computed-only attribute of a block UNKNOWN: what a resource plans for the new object of a
 * replacement (Terraform plans its create half again from a null prior).
 */
export function computedUnknown(schema: BlockSchema): TfObject {
  const out: TfObject = {};
  for (const [name, attr] of Object.entries(schema.attributes)) if (attr.computed && !attr.optional) out[name] = UNKNOWN;
  return out;
}

function hasModifiers(attr: AttributeSchema): boolean {
  return attr.default !== undefined || !!attr.useStateForUnknown || !!attr.requiresReplace || !!attr.requiresReplaceIf || !!attr.planModifiers?.length;
}

/** Whether a block (or one nested in it) has an attribute whose change always forces replacement. */
function blockHasReplace(schema: BlockSchema): boolean {
  return Object.values(schema.attributes).some((a) => a.requiresReplace) || Object.values(schema.blocks ?? {}).some((b) => blockHasReplace(b.block));
}

/** Step 3 on one object of a block: returns the modified copy, recording replacements and diagnostics. */
function modifyBlock<C>(schema: BlockSchema<C>, prior: TfObject | null, planned: TfObject, config: TfObject | null, base: AttributePath, found: Found<C>): TfObject {
  const out: TfObject = { ...planned };
  for (const [name, attr] of Object.entries(schema.attributes)) {
    if (hasModifiers(attr)) modifyAttribute(name, attr, prior, out, config, base, found);
  }
  for (const [name, nested] of Object.entries(schema.blocks ?? {})) {
    const p = out[name];
    const pr = prior?.[name];
    const c = config?.[name];
    const path = [...base, name];
    if (nested.nesting === 'single') {
      if (isObject(p)) out[name] = modifyBlock(nested.block, isObject(pr) ? pr : null, p, isObject(c) ? c : null, path, found);
      if (prior && isObject(pr) !== isObject(p) && blockHasReplace(nested.block)) found.replace.add(path);
      continue;
    }
    const matched = nested.nesting === 'list' && Array.isArray(pr) && Array.isArray(p) && pr.length === p.length;
    if (Array.isArray(p)) {
      out[name] = p.map((item, i) => {
        if (!isObject(item)) return item;
        const priorItem = matched && isObject((pr as TfValue[])[i]) ? ((pr as TfValue[])[i] as TfObject) : null;
        const configItem = Array.isArray(c) && isObject(c[i]) ? (c[i] as TfObject) : null;
        return modifyBlock(nested.block, priorItem, item, configItem, [...path, i], found);
      });
    }
    // Set blocks (or changed counts) cannot be matched element by element: replace on any change.
    if (prior && !matched && blockHasReplace(nested.block) && blockValueKey(nested.block, nested.nesting, pr ?? null) !== blockValueKey(nested.block, nested.nesting, p ?? null)) {
      found.replace.add(path);
    }
  }
  return out;
}

/** Step 3 on one attribute: its declared modifiers, in order, writing into `planned`. */
function modifyAttribute<C>(name: string, attr: AttributeSchema<C>, prior: TfObject | null, planned: TfObject, config: TfObject | null, base: AttributePath, found: Found<C>): void {
  const path = [...base, name];
  const configValue = config?.[name] ?? null;
  const stateValue = prior?.[name] ?? null;
  let value: TfValue = planned[name] ?? null;
  if (attr.default !== undefined && configValue === null) value = attr.default;
  if (attr.useStateForUnknown && prior && value === UNKNOWN && configValue !== UNKNOWN) value = stateValue;
  planned[name] = value;
  const request = (): AttributePlanRequest<C> => ({ path, configValue, stateValue, planValue: planned[name] ?? null, prior, planned, config, ctx: found.ctx });
  for (const modifier of attr.planModifiers ?? []) {
    const res = modifier.modify(request());
    if (!res) continue;
    if ('planValue' in res) planned[name] = res.planValue ?? null;
    if (res.requiresReplace && prior) found.replace.add(path);
    if (res.diagnostics) found.diagnostics.push(...res.diagnostics);
  }
  // Write-only values are null in every plan and state: they can never differ.
  const differs = () => prior !== null && !attr.writeOnly && canonical(attr.type, stateValue) !== canonical(attr.type, planned[name]);
  if (attr.requiresReplace && differs()) found.replace.add(path);
  if (attr.requiresReplaceIf && differs() && attr.requiresReplaceIf.when(request())) found.replace.add(path);
}
