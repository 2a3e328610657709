/**
 * One redaction function for every layer: anything shaped like a keyform secret (a secret's prefix
 * followed by its random part) is replaced by `[redacted]`. The server's logger, its error builder and
 * its audit writer use it, so a secret a caller sends by mistake (as an id, in a path, a query, a
 * header or a body) is never echoed back or written down.
 *
 * Prefixes: API-key values `fsk_`/`fpk_`/`ftk_` (each with `test_` for test mode), OAuth access
 * tokens `kfat_`, OAuth client secrets `kfcs_`, authorization secrets `fat_` and `fcs_`, refresh and
 * other FlexFactor-style tokens `fct_`/`frt_`, and the generic `sk_`/`pk_`/`rk_`. Imports nothing.
 */

/** Every prefix an issued secret can start with (without its trailing `_`). */
export const SECRET_PREFIXES: readonly string[] = ['fsk', 'fpk', 'ftk', 'fat', 'fct', 'fcs', 'frt', 'kfat', 'kfcs', 'sk', 'pk', 'rk'];

/** What replaces a secret. */
export const REDACTED = '[redacted]';

// A prefix not glued to a preceding letter or digit (so `risk_level` stays), `_`, optional
// `test_`/`live_`, then six or more secret characters. `_` before the prefix is allowed:
// `key_fsk_test_...` still hides the secret.
const SHAPE_SOURCE = `(?<![A-Za-z0-9])(?:${SECRET_PREFIXES.join('|')})_(?:test_|live_)?[A-Za-z0-9][A-Za-z0-9_-]{5,}`;

/** Whether a string contains something shaped like a keyform secret. */
export function looksLikeSecret(s: string): boolean {
  return new RegExp(SHAPE_SOURCE).test(s);
}

/** `text` with every secret-shaped part replaced by `[redacted]`. */
export function redactSecrets(text: string): string {
  return text.replace(new RegExp(SHAPE_SOURCE, 'g'), REDACTED);
}

/** A deep copy of a JSON-like value with every string (keys included) redacted. */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redactSecrets(value) as unknown as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as unknown as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[redactSecrets(k)] = redactDeep(v);
    return out as T;
  }
  return value;
}
