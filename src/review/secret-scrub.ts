/**
 * Keeps secrets out of every report. Two nets: exact values the input marks as secret (sensitive
 * paths, attributes named like secrets), collected here, and anything shaped like a keyform credential
 * by its prefix, which the one redaction function (src/model/redaction.ts) removes.
 */
import { REDACTED, SECRET_SHAPE, SecretRedactor } from '../model/redaction';
import type { Json } from './plan-json';

/** Attribute names whose values are secrets wherever they appear. */
export const SECRET_ATTRIBUTES: ReadonlySet<string> = new Set([
  'value',
  'client_secret',
  'secret',
  'token',
  'access_token',
  'refresh_token',
  'password',
  'private_key',
]);

/** What replaces a secret in output, and the credential shapes (both from the one redaction function). */
export { REDACTED, SECRET_SHAPE };

/**
 * Replaces known secret values and secret-shaped strings in a report: the exact values one report
 * must not show, over the one redaction function of every layer (`redactSecrets`).
 */
export class Scrubber {
  private readonly redactor: SecretRedactor;

  /** @param secrets exact values to remove (e.g. collected by {@link collectSecrets}). */
  constructor(secrets: Iterable<string> = []) {
    this.redactor = new SecretRedactor(secrets);
  }

  /** The text with every secret redacted. */
  scrub(text: string): string {
    return this.redactor.redact(text);
  }

  /** A deep copy of a JSON-like value with every string scrubbed. */
  scrubDeep<T>(value: T): T {
    return this.redactor.redactDeep(value);
  }
}

/** Whether `mask` (a `*_sensitive` mirror) marks `path` (or a parent of it) as sensitive. */
export function isSensitivePath(mask: Json | undefined, path: ReadonlyArray<string | number>): boolean {
  let cur: Json | undefined = mask;
  for (const part of path) {
    if (cur === true) return true;
    if (cur === null || typeof cur !== 'object') return false;
    cur = Array.isArray(cur) ? (typeof part === 'number' ? cur[part] : undefined) : (cur as Record<string, Json>)[String(part)];
  }
  return cur === true;
}

function addStrings(value: Json | undefined, into: Set<string>): void {
  if (typeof value === 'string') into.add(value);
  else if (Array.isArray(value)) value.forEach((v) => addStrings(v, into));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => addStrings(v, into));
}

/** Collects strings of `value` at paths `mask` marks sensitive. */
function collectMasked(value: Json | undefined, mask: Json | undefined, into: Set<string>): void {
  if (mask === true) return addStrings(value, into);
  if (!mask || typeof mask !== 'object' || !value || typeof value !== 'object') return;
  if (Array.isArray(value) && Array.isArray(mask)) value.forEach((v, i) => collectMasked(v, mask[i], into));
  else if (!Array.isArray(value) && !Array.isArray(mask)) {
    for (const [k, m] of Object.entries(mask)) collectMasked((value as Record<string, Json>)[k], m, into);
  }
}

/** Collects values of secret-named attributes anywhere inside resource values. */
function collectNamed(value: Json | undefined, into: Set<string>): void {
  if (Array.isArray(value)) value.forEach((v) => collectNamed(v, into));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_ATTRIBUTES.has(k)) addStrings(v, into);
      else collectNamed(v, into);
    }
  }
}

/** Walks a document and applies every `{values, sensitive_values}` and `{before, before_sensitive, ...}` pair. */
function collectMarked(doc: Json | undefined, into: Set<string>): void {
  if (Array.isArray(doc)) return doc.forEach((v) => collectMarked(v, into));
  if (!doc || typeof doc !== 'object') return;
  const o = doc as Record<string, Json>;
  if ('sensitive_values' in o) collectMasked(o.values, o.sensitive_values, into);
  // Sensitive outputs: `{sensitive: true, value}`.
  if (o.sensitive === true && 'value' in o) addStrings(o.value, into);
  for (const key of ['before', 'after', 'values', 'attributes']) if (key in o) collectNamed(o[key], into);
  if ('before_sensitive' in o) collectMasked(o.before, o.before_sensitive, into);
  if ('after_sensitive' in o) collectMasked(o.after, o.after_sensitive, into);
  // Raw tfstate marks sensitive attributes by path list.
  if (Array.isArray(o.sensitive_attributes) && o.attributes && typeof o.attributes === 'object') {
    for (const p of o.sensitive_attributes) {
      const path = Array.isArray(p) ? p.map((step) => (step && typeof step === 'object' && !Array.isArray(step) ? (step as Record<string, Json>).value : step)) : [];
      let cur: Json | undefined = o.attributes;
      for (const step of path) cur = cur && typeof cur === 'object' ? (cur as Record<string, Json>)[String(step)] : undefined;
      addStrings(cur, into);
    }
  }
  for (const v of Object.values(o)) collectMarked(v, into);
}

/** Sensitive variable values of a plan (`configuration.root_module.variables[x].sensitive`). */
function collectSensitiveVariables(doc: Json | undefined, into: Set<string>): void {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return;
  const cfgVars = ((doc.configuration as Record<string, Json> | undefined)?.root_module as Record<string, Json> | undefined)?.variables;
  const vars = doc.variables as Record<string, Json> | undefined;
  if (!cfgVars || typeof cfgVars !== 'object' || !vars || typeof vars !== 'object') return;
  for (const [name, decl] of Object.entries(cfgVars as Record<string, Json>)) {
    if (decl && typeof decl === 'object' && !Array.isArray(decl) && decl.sensitive === true) {
      addStrings((vars[name] as Record<string, Json> | undefined)?.value, into);
    }
  }
}

/** Every secret string a plan or state document holds, by marking or by resource attribute name. */
export function collectSecrets(doc: unknown): Set<string> {
  const into = new Set<string>();
  collectMarked(doc as Json, into);
  collectSensitiveVariables(doc as Json, into);
  return into;
}
