import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * ORCA API keys look like `orca_<prefix>_<secret>`: a 12-hex-character prefix (public, indexed, shown in
 * listings) and 32 random bytes of secret in base64url (256 bits). Only SHA-256 of the whole key is stored;
 * a fast hash is right here because the input is high-entropy random, not a human password.
 */
const KEY_PATTERN = /^orca_([a-f0-9]{12})_([A-Za-z0-9_-]{43})$/;

export interface GeneratedKey {
  key: string;
  prefix: string;
  hash: string;
}

/**
 * Every authenticated request hashes the key it presents. The one-shot `crypto.hash` gives the same digest as
 * `createHash().update().digest()` without building a Hash object and stream for it: about a fifth of the cost.
 */
export function hashKey(key: string): string {
  return hash('sha256', key, 'hex');
}

export function generateKey(): GeneratedKey {
  const prefix = randomBytes(6).toString('hex');
  const key = `orca_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashKey(key) };
}

/** The prefix of a well-formed ORCA key, or undefined (env-bootstrapped keys may have any shape). */
export function prefixOf(key: string): string | undefined {
  return KEY_PATTERN.exec(key)?.[1];
}

/**
 * Compares two hex digests in constant time. Buffer.from(…, 'hex') silently stops at the first non-hex pair
 * ('abc' and 'abd' both decode to 0xab), so input that does not decode completely never counts as equal.
 */
export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  if (left.length * 2 !== a.length || right.length * 2 !== b.length) return false;
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

/** Prefix recorded for a key supplied through API_KEYS: derived from its hash so it is stable and not secret. */
export function envKeyPrefix(hash: string): string {
  return `env-${hash.slice(0, 8)}`;
}
