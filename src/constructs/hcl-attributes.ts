/**
 * An element's Terraform attributes, declared once as a table (name → HCL storage type and value),
 * from which both of cdktf's renderings are derived: the JSON attributes of cdk.tf.json and the HCL
 * attribute descriptors. A construct lists each attribute once instead of twice.
 */

/** Attributes of an element: Terraform name → [HCL storage type (`string`, `boolean`, `list`, `block`), value]. */
export interface AttributeTable {
  readonly [name: string]: readonly [string, unknown];
}

/** The JSON attributes of cdk.tf.json (unset ones undefined, which cdktf leaves out). */
export function jsonAttributes(attrs: AttributeTable): { [name: string]: any } {
  const out: { [name: string]: any } = {};
  for (const [name, [, value]] of Object.entries(attrs)) out[name] = value;
  return out;
}

/** cdktf's HCL attribute descriptors, dropping unset attributes. */
export function hcl(attrs: AttributeTable): { [name: string]: any } {
  const out: { [name: string]: any } = {};
  for (const [name, [type, value]] of Object.entries(attrs)) {
    if (value === undefined) continue;
    const isList = Array.isArray(value);
    const isBlock = !isList && typeof value === 'object' && value !== null && type === 'block';
    out[name] = {
      value,
      isBlock,
      type: isBlock ? 'list' : isList ? 'set' : 'simple',
      storageClassType: isBlock ? 'list' : isList ? 'stringList' : type,
    };
  }
  return out;
}
