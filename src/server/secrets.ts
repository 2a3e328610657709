/** Secret generation, hashing, fingerprints and the sealer of stored replays. */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `length` uniformly random base62 characters from the system CSPRNG. */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // Rejection sampling: 248 = 4 * 62, so bytes >= 248 would bias the first characters.
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** Number of random characters after the prefix of every issued secret. */
export const SECRET_RANDOM_LENGTH = 32;

/** A new secret value: `prefix` followed by 32 random base62 characters. */
export function newSecret(prefix: string): string {
  return prefix + randomBase62(SECRET_RANDOM_LENGTH);
}

/** A new object id such as `key_3kT9...`. Ids are not secrets. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBase62(20)}`;
}

/** Hex sha256 of a secret: what the store keeps instead of the secret. */
export function hashSecret(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** `sha256:` and the first 16 hex digits of the secret's sha256: identifies a value without revealing it. */
export function fingerprintOf(value: string): string {
  return `sha256:${hashSecret(value).slice(0, 16)}`;
}

/** What the store keeps of an issued secret. */
export interface StoredSecret {
  readonly hash: string;
  readonly prefix: string;
  readonly last4: string;
  readonly fingerprint: string;
}

/** The stored form of a secret issued with `prefix`. */
export function storedSecret(value: string, prefix: string): StoredSecret {
  return { hash: hashSecret(value), prefix, last4: value.slice(-4), fingerprint: fingerprintOf(value) };
}

/**
 * Seals idempotent-replay responses (which must repeat a secret value once) so that nothing stored in
 * the data directory opens them: each response is sealed with AES-256-GCM under a key derived (HKDF)
 * from the request's Idempotency-Key and the caller's credential id, and the store keeps only a keyed
 * hash of the Idempotency-Key (HMAC under the server secret) to find it again. Only a caller that
 * still knows the Idempotency-Key can open its replay.
 */
export class Sealer {
  private readonly hashKey: Buffer;

  /** @param serverSecret the data directory's server secret, used only to key the lookup hash. */
  constructor(serverSecret: Buffer) {
    this.hashKey = Buffer.from(hkdfSync('sha256', serverSecret, Buffer.alloc(0), 'keyform idempotency lookup v2', 32));
  }

  /** What the store keeps to find a replay: a keyed hash of the credential id and Idempotency-Key. */
  keyHash(credentialId: string, idempotencyKey: string): string {
    return createHmac('sha256', this.hashKey).update(`${credentialId}\n${idempotencyKey}`, 'utf8').digest('hex');
  }

  private sealingKey(credentialId: string, idempotencyKey: string): Buffer {
    return Buffer.from(hkdfSync('sha256', Buffer.from(idempotencyKey, 'utf8'), Buffer.from(credentialId, 'utf8'), 'keyform idempotent replay v2', 32));
  }

  /** Encrypts `plain` for this (credential, Idempotency-Key); the result is `iv|tag|ciphertext` in base64. */
  seal(credentialId: string, idempotencyKey: string, plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.sealingKey(credentialId, idempotencyKey), iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  /** Decrypts a blob made by `seal` with the same credential id and Idempotency-Key; throws otherwise. */
  open(credentialId: string, idempotencyKey: string, sealed: string): string {
    const raw = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.sealingKey(credentialId, idempotencyKey), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}
