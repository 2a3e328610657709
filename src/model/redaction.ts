/**
 * The one redaction function of keyform. Every layer that prints, logs or reports text that might
 * hold a secret (the review, the handler's errors and delivery diagnostics, the provider's log lines
 * and diagnostics, the server's request log) passes it through {@link redactSecrets}, so a new secret
 * shape is added here once and is redacted everywhere.
 *
 * Two nets: exact values the caller knows to be secret (a delivered key, a provider token), and
 * anything shaped like a credential by its prefix, even when nothing marked it.
 *
 * Like catalog.ts this file imports only the catalog (no zod), so every layer and the jsii constructs
 * can use it without a runtime dependency.
 */
import { KEY_PREFIXES, KEY_TYPES } from './catalog';

/** What replaces a secret (or the part of it after its prefix) in output. */
export const REDACTED = '[redacted]';

/** One prefix that starts a secret, and where such secrets come from. */
export interface SecretPrefix {
  /** The prefix, e.g. `fsk_test_`. */
  readonly prefix: string;
  /** What carries it, for the reader of a report and for the tests. */
  readonly origin: string;
}

/**
 * Every prefix of a secret keyform issues or handles. The prefix itself is not secret (state keeps a
 * key's `prefix`): redaction keeps it, so a message still says which kind of credential was involved.
 */
export const SECRET_PREFIXES: readonly SecretPrefix[] = [
  // API key values, per type and mode (KEY_PREFIXES: `fsk_test_`, `fsk_`, `fpk_test_`, ...).
  ...KEY_TYPES.flatMap((type) => [
    { prefix: KEY_PREFIXES[type].test, origin: `${type} API key value (test mode)` },
    { prefix: KEY_PREFIXES[type].live, origin: `${type} API key value (live mode)` },
  ]),
  { prefix: 'fat_', origin: 'token of an api_key authorization' },
  { prefix: 'fcs_', origin: 'client secret of an oauth2 authorization' },
  { prefix: 'kfat_', origin: 'OAuth access token from /oauth2/token' },
  { prefix: 'kfcs_', origin: 'generated OAuth client secret of the platform admin client' },
  { prefix: 'kfs_', origin: 'keyform secret (earlier prefix, still recognised)' },
  { prefix: 'kft_', origin: 'keyform token (earlier prefix, still recognised)' },
  { prefix: 'fct_', origin: 'FlexFactor-style client token' },
  { prefix: 'frt_', origin: 'FlexFactor-style refresh token' },
  { prefix: 'sk_', origin: 'Stripe-style secret key' },
  { prefix: 'pk_', origin: 'Stripe-style publishable key' },
  { prefix: 'rk_', origin: 'Stripe-style restricted key' },
];

/** Shortest secret-looking remainder after a prefix: a bare prefix such as `fsk_test_` is not a secret. */
const MIN_SECRET_BODY = 6;

/** Shortest exact value replaced verbatim; shorter ones (`true`, `a`) would shred the text. */
export const MIN_EXACT_SECRET_LENGTH = 6;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Longest prefix first, then an optional `test_`/`live_` (Stripe-style and unknown modes), then the
// body. The prefix may follow `_` (e.g. `KEY_fsk_...` inside an identifier) but not a letter or digit,
// so `mask_abcdef` is not a secret while `x_fsk_test_abcdef` is.
const PREFIX_ALTERNATION = [...new Set(SECRET_PREFIXES.map((p) => p.prefix))]
  .sort((a, b) => b.length - a.length)
  .map(escapeRegExp)
  .join('|');

/**
 * Strings shaped like a keyform (or FlexFactor/Stripe-style) credential: a known prefix, an optional
 * `test_`/`live_`, then at least six more characters. Group 1 is the prefix (with its mode part).
 */
export const SECRET_SHAPE = new RegExp(
  `(?<![A-Za-z0-9])((?:${PREFIX_ALTERNATION})(?:test_|live_)?)[A-Za-z0-9][A-Za-z0-9_-]{${MIN_SECRET_BODY - 1},}`,
  'g',
);

/** A JSON Web Token or similar bearer: three base64url parts. */
export const JWT_SHAPE = /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g;

/**
 * The password of a URL's user info (`postgres://user:password@host/db`): a database URL in an error
 * or a log line keeps its user and host and loses its password. Group 1 is what is kept before it.
 */
export const URL_PASSWORD_SHAPE = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/?#@]*:)[^\s/?#@]+@/gi;

/**
 * A redaction with a fixed set of exact secret values (prepared once: a report redacts many strings
 * against the same values).
 */
export class SecretRedactor {
  private readonly exact: readonly string[];

  /** @param known exact secret values; shorter than {@link MIN_EXACT_SECRET_LENGTH} are ignored. */
  constructor(known: Iterable<string> = []) {
    // Longest first so a secret containing another is removed whole.
    this.exact = [...new Set([...known].filter((s) => typeof s === 'string' && s.length >= MIN_EXACT_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
  }

  /** See {@link redactSecrets}. */
  redact(text: string): string {
    let out = text;
    for (const s of this.exact) if (out.includes(s)) out = out.split(s).join(REDACTED);
    return out.replace(SECRET_SHAPE, `$1${REDACTED}`).replace(JWT_SHAPE, REDACTED).replace(URL_PASSWORD_SHAPE, `$1${REDACTED}@`);
  }

  /** A deep copy of a JSON-like value with every string (keys too) redacted. */
  redactDeep<T>(value: T): T {
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.redact(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object') {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) out[this.redact(k)] = walk(x);
        return out;
      }
      return v;
    };
    return walk(value) as T;
  }
}

/**
 * The text with every secret removed: each `known` value (at least {@link MIN_EXACT_SECRET_LENGTH}
 * characters) becomes {@link REDACTED}, each credential-shaped string keeps its prefix and loses the
 * rest (`fsk_test_[redacted]`), each JWT-shaped bearer becomes {@link REDACTED}.
 */
export function redactSecrets(text: string, known: Iterable<string> = []): string {
  return new SecretRedactor(known).redact(text);
}

/** A deep copy of a JSON-like value with every string (keys too) passed through {@link redactSecrets}. */
export function redactSecretsDeep<T>(value: T, known: Iterable<string> = []): T {
  return new SecretRedactor(known).redactDeep(value);
}

/** Whether the text holds anything {@link redactSecrets} would remove (shape only). */
export function looksLikeSecret(text: string): boolean {
  SECRET_SHAPE.lastIndex = 0;
  JWT_SHAPE.lastIndex = 0;
  const hit = SECRET_SHAPE.test(text) || JWT_SHAPE.test(text);
  SECRET_SHAPE.lastIndex = 0;
  JWT_SHAPE.lastIndex = 0;
  return hit;
}
