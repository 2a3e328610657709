/**
 * Searches captured outputs for secret values: the whole value, its random part without the type
 * prefix, and its base64 form (as an HTTP Basic header or an encoded log field would carry it).
 * Hits name the source and offset and never print the secret itself.
 */

/** One captured output to search. */
export interface ScanSource {
  readonly name: string;
  readonly text: string;
}

/** A secret found where it must not be. */
export interface ScanHit {
  readonly source: string;
  /** The secret, masked: its first 6 characters and its length. */
  readonly secret: string;
  readonly form: 'value' | 'random part' | 'base64';
  readonly offset: number;
}

/** The masked form of a secret, safe to print. */
export function mask(secret: string): string {
  return `${secret.slice(0, 6)}…(${secret.length} chars)`;
}

function forms(secret: string): { form: ScanHit['form']; needle: string }[] {
  const out: { form: ScanHit['form']; needle: string }[] = [{ form: 'value', needle: secret }];
  const random = secret.slice(secret.lastIndexOf('_') + 1);
  if (random !== secret && random.length >= 16) out.push({ form: 'random part', needle: random });
  out.push({ form: 'base64', needle: Buffer.from(secret).toString('base64').replace(/=+$/, '') });
  return out;
}

/** Every occurrence of any form of any secret in any source. */
export function scanForSecrets(secrets: Iterable<string>, sources: readonly ScanSource[]): ScanHit[] {
  const hits: ScanHit[] = [];
  for (const secret of secrets) {
    if (secret.length < 16) throw new Error(`refusing to scan for a secret this short (${mask(secret)}): it would match by chance`);
    for (const { form, needle } of forms(secret)) {
      for (const src of sources) {
        const offset = src.text.indexOf(needle);
        if (offset >= 0) hits.push({ source: src.name, secret: mask(secret), form, offset });
      }
    }
  }
  return hits;
}
