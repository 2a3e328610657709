/** Builds cdktf's HCL attribute descriptors for simple attributes, dropping unset ones. */
export function hcl(attrs: { [name: string]: [string, unknown] }): { [name: string]: any } {
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
