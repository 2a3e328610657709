/**
 * Hostile inputs the fuzzers draw from: injection-looking strings, unicode and control characters,
 * `<>` names, prototype-pollution keys, wrong-typed and oversized values.
 */
import type { Prng } from './prng';

/** Strings that look like attacks on a store, a shell, a template engine or a path. */
export const INJECTION_STRINGS: readonly string[] = [
  "' OR '1'='1",
  "'; DROP TABLE api_keys; --",
  '" OR ""="',
  '1; SELECT * FROM oauth_clients',
  "key_x' UNION SELECT value_hash FROM api_keys --",
  '../../../../etc/passwd',
  '..\\..\\..\\windows\\win.ini',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '/etc/shadow',
  '{"admin":true}',
  '[1,2,3]',
  '{"__proto__":{"admin":true}}',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '${7*7}',
  '{{7*7}}',
  '%s%s%s%n',
  '$(id)',
  '`id`',
  '<script>alert(1)</script>',
  '<',
  '>',
  'a<b',
  '&lt;b&gt;',
  'fsk_test_0000000000000000000000000000',
  'kfat_00000000000000000000000000000000',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  'null',
  'true',
];

/** Unicode oddities and control characters. */
export const ODD_STRINGS: readonly string[] = [
  'é',
  '日本語のキー',
  '🔑🔥',
  '\u202eevil\u202c',
  'zero\u200bwidth',
  '\ud800',
  '\udfff\ud800',
  '\ufeffbom',
  'ＡＢＣ',
  'e\u0301',
  '\u0000',
  'a\u0000b',
  '\r\n',
  'line1\nline2',
  '\t',
  '\u001b[31mred\u001b[0m',
  '\u007f',
  '\u0085',
  '\u2028\u2029',
  '\u0007bell',
  '\u001b[2K\u001b[1Afake line',
  '\u009b31mC1 CSI',
  ' ',
  '',
];

/**
 * Strings shaped like keyform secrets, one per secret prefix (API keys of each type and mode, OAuth
 * access tokens and client secrets, authorization secrets): sent by mistake as ids, names, queries or
 * headers, they must never come back in an error nor reach a log. The random part is distinct per
 * string, so a leak is found by searching for it.
 */
export const SECRET_SHAPED: readonly string[] = [
  'fsk_test_LeakTestSecretKeyTest0000000001',
  'fsk_LeakTestSecretKeyLive00000000000002',
  'fpk_test_LeakTestPublicKeyTest000000003',
  'ftk_LeakTestTokenizationLive0000000004',
  'kfat_LeakTestAccessToken0000000000000005',
  'kfcs_LeakTestClientSecret000000000000006',
  'fat_LeakTestAuthorizationToken00000007',
  'fcs_LeakTestAuthorizationSecret0000008',
];

/** The part of a secret-shaped string that must never be echoed (everything after its prefix). */
export function secretBody(secret: string): string {
  return secret.slice(secret.indexOf('LeakTest'));
}

/** Object keys that would pollute prototypes if a server merged input naively. */
export const POLLUTION_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype', '__defineGetter__', 'toString', 'valueOf'];

/** Field names a request must never be able to set. */
export const PRIVILEGED_FIELDS: readonly string[] = ['id', 'value', 'secret', 'value_hash', 'is_admin', 'admin', 'status', 'version', 'fingerprint', 'created_at', 'revoked_at', 'client_id', 'object'];

/** A hostile string: injection, unicode, control characters or a long run. */
export function hostileString(rng: Prng): string {
  const r = rng.next();
  if (r < 0.4) return rng.pick(INJECTION_STRINGS);
  if (r < 0.7) return rng.pick(ODD_STRINGS);
  if (r < 0.8) return rng.pick(ODD_STRINGS) + rng.pick(INJECTION_STRINGS) + rng.pick(ODD_STRINGS);
  if (r < 0.85) return rng.pick(SECRET_SHAPED);
  // Long strings: just over typical limits, and big but inside the 64 KiB body limit.
  return rng.pick(['x', 'é', '<', '🔑', 'a\u0000']).repeat(rng.pick([65, 201, 1001, 5000, 15000]));
}

/** A hostile value of any JSON type. */
export function hostileValue(rng: Prng, depth = 0): unknown {
  const r = rng.int(0, 13);
  switch (r) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.pick([0, -1, 1.5, -1e21, 2 ** 53 + 1, 1e308, Number.MIN_VALUE]);
    case 3:
    case 4:
    case 5:
      return hostileString(rng);
    case 6:
      return [];
    case 7:
      return {};
    case 8:
      return depth > 2 ? 'deep' : [hostileValue(rng, depth + 1), hostileValue(rng, depth + 1)];
    case 9:
      return depth > 2 ? {} : { [rng.pick(POLLUTION_KEYS)]: hostileValue(rng, depth + 1) };
    case 10:
      return Array.from({ length: rng.pick([100, 1000, 3000]) }, () => 'customers:read');
    case 11:
      return { $gt: '', $ne: null };
    case 12:
      return rng.pick(['2030-01-31T00:00:00Z', '2000-01-01T00:00:00Z', '2030-02-30T00:00:00Z', '9999-12-31T23:59:59Z', 'yesterday', '2030-01-31']);
    default:
      return String(rng.int(-5, 5));
  }
}

/** Raw (possibly invalid) JSON texts that no JSON.stringify can produce. */
export function rawJsonOddity(rng: Prng, valid: string): string {
  switch (rng.int(0, 9)) {
    case 0:
      return valid.slice(0, Math.max(0, rng.int(0, valid.length - 1)));
    case 1:
      return `${valid}garbage`;
    case 2:
      return valid.replace(/^\{/, '{"__proto__":{"admin":true,"is_admin":1},"constructor":{"prototype":{"admin":true}},');
    case 3:
      // Duplicate keys: the last one wins in JSON.parse; validation must still see a consistent body.
      return valid.replace(/^\{/, '{"name":"<dup>","mid":"mid_654321",');
    case 4:
      return '['.repeat(rng.pick([1000, 10000])) + ']'.repeat(rng.pick([0, 1000, 10000]));
    case 5:
      return `\ufeff${valid}`;
    case 6:
      return valid.replace(/:/, ': 1e309, "x":');
    case 7:
      return "{'single':'quotes'}";
    case 8:
      return '{"a":' + '{"a":'.repeat(3000) + '1' + '}'.repeat(3001);
    default:
      return rng.pick(['', ' ', 'null', 'true', '0', '""', '{}', '[]', '{"', 'undefined', 'NaN']);
  }
}
