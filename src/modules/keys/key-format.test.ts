import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { envKeyPrefix, generateKey, hashKey, hashesEqual, prefixOf } from './key-format.js';

/** Computed independently of the product code: node:crypto over the UTF-8 bytes of the whole key. */
const sha256 = (text: string) => createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');

const KEY_SHAPE = /^orca_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/;
/** 32 bytes are 256 bits = 42 full base64 characters + 4 bits; the last character's low 2 bits are padding zeros. */
const LAST_CHAR_OF_32_BYTES = /[AEIMQUYcgkosw048]$/;

describe('generateKey', () => {
  const generated = Array.from({ length: 1000 }, () => generateKey());

  it('has the shape orca_<12 hex>_<43 base64url> and no padding', () => {
    for (const { key, prefix } of generated) {
      expect(key).toMatch(KEY_SHAPE);
      expect(key).toHaveLength(5 + 12 + 1 + 43);
      expect(key.startsWith(`orca_${prefix}_`)).toBe(true);
      expect(key).not.toContain('=');
      expect(key).not.toContain('+');
      expect(key).not.toContain('/');
    }
  });

  it('carries 32 random bytes of secret (256 bits >= 128)', () => {
    for (const { key } of generated) {
      const secret = key.split('_').slice(2).join('_');
      expect(secret).toHaveLength(43);
      expect(secret).toMatch(LAST_CHAR_OF_32_BYTES);
      const bytes = Buffer.from(secret, 'base64url');
      expect(bytes).toHaveLength(32);
      // Round trip: the text is exactly the canonical base64url of those bytes.
      expect(bytes.toString('base64url')).toBe(secret);
    }
  });

  it('varies every one of the 256 secret bits and the 48 prefix bits across 1000 keys (no constant or counter-like parts)', () => {
    const secretOnes = new Array<number>(256).fill(0);
    const prefixOnes = new Array<number>(48).fill(0);
    for (const { key, prefix } of generated) {
      const bytes = Buffer.from(key.slice(18), 'base64url');
      for (let bit = 0; bit < 256; bit += 1) secretOnes[bit]! += (bytes[bit >> 3]! >> (7 - (bit & 7))) & 1;
      const prefixBytes = Buffer.from(prefix, 'hex');
      for (let bit = 0; bit < 48; bit += 1) prefixOnes[bit]! += (prefixBytes[bit >> 3]! >> (7 - (bit & 7))) & 1;
    }
    // A fair bit is set 500 ± 16 times out of 1000; 350..650 is ~9.5 standard deviations either side.
    for (const ones of [...secretOnes, ...prefixOnes]) {
      expect(ones).toBeGreaterThan(350);
      expect(ones).toBeLessThan(650);
    }
  });

  it('never repeats a key, a prefix or a hash in 1000 draws', () => {
    expect(new Set(generated.map((g) => g.key)).size).toBe(1000);
    expect(new Set(generated.map((g) => g.prefix)).size).toBe(1000);
    expect(new Set(generated.map((g) => g.hash)).size).toBe(1000);
  });

  it('returns as hash the SHA-256 hex of the whole key', () => {
    for (const { key, hash } of generated.slice(0, 50)) {
      expect(hash).toBe(sha256(key));
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});

describe('hashKey', () => {
  it('is the SHA-256 hex digest of the UTF-8 text', () => {
    expect(hashKey('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hashKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const key = 'orca_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    expect(hashKey(key)).toBe(sha256(key));
    expect(hashKey('clé-ü')).toBe(sha256('clé-ü'));
  });
});

describe('hashesEqual', () => {
  const a = sha256('a');
  const b = sha256('b');

  it('is true for the same digest only', () => {
    expect(hashesEqual(a, a)).toBe(true);
    expect(hashesEqual(a, `${a}`)).toBe(true);
    expect(hashesEqual(a, b)).toBe(false);
    // One flipped last nibble.
    expect(hashesEqual(a, `${a.slice(0, 63)}${a[63] === '0' ? '1' : '0'}`)).toBe(false);
  });

  it('is false for different lengths, empty or non-hex input', () => {
    expect(hashesEqual(a, a.slice(0, 62))).toBe(false);
    expect(hashesEqual(a.slice(0, 62), a)).toBe(false);
    expect(hashesEqual('', '')).toBe(false);
    expect(hashesEqual('zz', 'zz')).toBe(false);
    expect(hashesEqual(a, `${a}00`)).toBe(false);
  });

  it('never equates two different strings through partial hex decoding', () => {
    // Buffer.from(…, 'hex') stops at the first non-hex pair: 'ab' + 'c' and 'ab' + 'd' decode to the same byte.
    expect(hashesEqual('abc', 'abd')).toBe(false);
    expect(hashesEqual(`${a}x`, `${a}y`)).toBe(false);
    expect(hashesEqual(`${a.slice(0, 62)}zz`, `${a.slice(0, 62)}yy`)).toBe(false);
  });
});

describe('prefixOf', () => {
  it('extracts the prefix of a well-formed key', () => {
    const { key, prefix } = generateKey();
    expect(prefixOf(key)).toBe(prefix);
  });

  it('is undefined for anything that is not exactly orca_<12 hex>_<43 base64url>', () => {
    const secret = 'A'.repeat(43);
    for (const candidate of [
      '',
      `orca_0123456789ab_${secret}x`,
      `orca_0123456789ab_${secret.slice(1)}`,
      `orca_0123456789AB_${secret}`,
      `orca_0123456789a_${secret}`,
      `ORCA_0123456789ab_${secret}`,
      `orca_0123456789ab_${secret.slice(1)}=`,
      `orca_0123456789ab_${secret.slice(1)}+`,
      ` orca_0123456789ab_${secret}`,
    ]) {
      expect(prefixOf(candidate), candidate).toBeUndefined();
    }
    expect(prefixOf(`orca_0123456789ab_${secret}`)).toBe('0123456789ab');
  });
});

describe('envKeyPrefix', () => {
  it('is env- and the first 8 hex characters of the hash: stable and not the secret', () => {
    const hash = sha256('a-bootstrap-secret-of-24-chars');
    expect(envKeyPrefix(hash)).toBe(`env-${hash.slice(0, 8)}`);
    expect(envKeyPrefix(hash)).toBe(envKeyPrefix(hash));
  });
});
