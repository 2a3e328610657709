/**
 * Literal escaping for generated code. Names, descriptions and ids are user data: whatever they hold,
 * they must come out as one string literal of HCL or TypeScript and never as code.
 */

/**
 * An HCL quoted string literal of `value`: backslash, quote and control characters escaped, and the
 * template introducers `${` and `%{` doubled so Terraform never interpolates them.
 */
export function hclString(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    const code = value.charCodeAt(i);
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if ((ch === '$' || ch === '%') && value[i + 1] === '{') out += `${ch}${ch}`;
    else if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029 || code === 0x85) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `"${out}"`;
}

/** A TypeScript string literal of `value` (JSON's escaping, plus the line separators JSON leaves raw). */
export function tsString(value: string): string {
  return JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * A TypeScript string literal of a value that cdktf writes into cdk.tf.json, where Terraform reads
 * every string as a template: `${` and `%{` are doubled so the value stays literal data.
 */
export function tsTerraformString(value: string): string {
  return tsString(value.replace(/([$%])\{/g, '$1$1{'));
}

/**
 * Text safe inside a one-line comment of either language: only printable ASCII, no `*\/`, at most
 * `max` characters. Used for server-made ids and enum values only, never for names.
 */
export function commentSafe(value: string, max = 80): string {
  const printable = value.replace(/[^\x20-\x7e]/g, '?').replace(/\*\//g, '*?');
  return printable.length > max ? `${printable.slice(0, max)}…` : printable;
}
