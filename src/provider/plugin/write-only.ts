/**
 * Write-only attributes (Terraform 1.11+): their values reach the provider only in configuration and
 * are null in every state and plan the provider returns. The runtime enforces this for every resource
 * (the definitions need not), refuses a configuration setting one when the calling Terraform cannot
 * handle write-only values, and checks that a schema declares them only where Terraform allows.
 */
import type { AttributePath, BlockSchema, TfObject } from './framework';
import { isObject } from './tf-values';

const hasCache = new WeakMap<BlockSchema, boolean>();

/** Whether a block (or a block nested in it) declares a write-only attribute; cached per schema. */
export function hasWriteOnly(schema: BlockSchema): boolean {
  let has = hasCache.get(schema);
  if (has === undefined) {
    has = Object.values(schema.attributes).some((a) => a.writeOnly) || Object.values(schema.blocks ?? {}).some((b) => hasWriteOnly(b.block));
    hasCache.set(schema, has);
  }
  return has;
}

/** A copy of `value` with every write-only attribute null, at any depth of nested blocks. */
export function nullWriteOnly<T extends TfObject | null>(schema: BlockSchema, value: T): T {
  if (value === null || !hasWriteOnly(schema)) return value;
  const out: TfObject = { ...value };
  for (const [name, attr] of Object.entries(schema.attributes)) if (attr.writeOnly) out[name] = null;
  for (const [name, nested] of Object.entries(schema.blocks ?? {})) {
    if (!hasWriteOnly(nested.block)) continue;
    const v = out[name];
    if (isObject(v)) out[name] = nullWriteOnly(nested.block, v);
    else if (Array.isArray(v)) out[name] = v.map((item) => (isObject(item) ? nullWriteOnly(nested.block, item) : item));
  }
  return out as T;
}

/** Paths of write-only attributes that `config` sets (an unknown value counts as set). */
export function writeOnlyPathsSet(schema: BlockSchema, config: TfObject | null, base: (string | number)[] = []): AttributePath[] {
  if (config === null || !hasWriteOnly(schema)) return [];
  const out: AttributePath[] = [];
  for (const [name, attr] of Object.entries(schema.attributes)) {
    if (attr.writeOnly && (config[name] ?? null) !== null) out.push([...base, name]);
  }
  for (const [name, nested] of Object.entries(schema.blocks ?? {})) {
    const v = config[name];
    if (isObject(v)) out.push(...writeOnlyPathsSet(nested.block, v, [...base, name]));
    else if (Array.isArray(v)) v.forEach((item, i) => isObject(item) && out.push(...writeOnlyPathsSet(nested.block, item, [...base, name, i])));
  }
  return out;
}

/** Where a schema declares write-only attributes Terraform refuses: computed ones, or inside a set block. */
export function writeOnlySchemaProblems(schema: BlockSchema, base: string[] = [], inSet = false): { path: string; why: string }[] {
  const out: { path: string; why: string }[] = [];
  for (const [name, attr] of Object.entries(schema.attributes)) {
    if (!attr.writeOnly) continue;
    const path = [...base, name].join('.');
    if (attr.computed) out.push({ path, why: 'A write-only attribute cannot be computed' });
    else if (inSet) out.push({ path, why: 'A write-only attribute cannot be inside a set block' });
  }
  for (const [name, nested] of Object.entries(schema.blocks ?? {})) {
    out.push(...writeOnlySchemaProblems(nested.block, [...base, name], inSet || nested.nesting === 'set'));
  }
  return out;
}
