import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Verification } from './types.js';

/** Constant-time equality of two byte strings; a length mismatch is decided without comparing contents. */
export function bytesEqual(expected: Buffer, presented: Buffer): boolean {
  if (expected.length !== presented.length) return false;
  return timingSafeEqual(expected, presented);
}

export function hmacSha256(key: Buffer | string, ...parts: (Buffer | string)[]): Buffer {
  const hmac = createHmac('sha256', key);
  for (const part of parts) hmac.update(part);
  return hmac.digest();
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
const HEX = /^[0-9a-fA-F]+$/;

/** Strict base64 (standard alphabet, or URL-safe): `undefined` for anything else, so garbage never decodes to bytes. */
export function decodeBase64(text: string): Buffer | undefined {
  if (text.length === 0 || text.length > 1024) return undefined;
  if (BASE64.test(text)) return Buffer.from(text, 'base64');
  if (BASE64URL.test(text)) return Buffer.from(text, 'base64url');
  return undefined;
}

export function decodeHex(text: string): Buffer | undefined {
  if (text.length === 0 || text.length > 1024 || text.length % 2 !== 0 || !HEX.test(text)) return undefined;
  return Buffer.from(text, 'hex');
}

/** A 32-byte HMAC-SHA256 digest given as hex (64 characters) or base64, optionally with a `sha256=` prefix. */
export function decodeDigest(text: string, encoding: 'hex' | 'base64' | 'auto'): Buffer | undefined {
  const value = text.trim().replace(/^sha256=/i, '');
  if (encoding === 'hex') return decodeHex(value);
  if (encoding === 'base64') return decodeBase64(value);
  return value.length === 64 && HEX.test(value) ? decodeHex(value) : decodeBase64(value);
}

/**
 * Whether one of the candidate digests (one per configured secret: current first, then the previous one during a
 * rotation overlap) equals one of the presented signatures. Every pair is compared in constant time.
 */
export function anyDigestMatches(candidates: Buffer[], presented: Buffer[]): boolean {
  let matched = false;
  for (const candidate of candidates) {
    for (const signature of presented) {
      if (bytesEqual(candidate, signature)) matched = true;
    }
  }
  return matched;
}

const INTEGER = /^\d{1,16}$/;

/**
 * A Unix timestamp header as milliseconds, `undefined` when malformed. `auto` takes 13 or more digits as
 * milliseconds and fewer as seconds (seconds reach 13 digits only in the year 33658).
 */
export function parseUnixTimestamp(text: string, unit: 'seconds' | 'milliseconds' | 'auto'): number | undefined {
  const value = text.trim();
  if (!INTEGER.test(value)) return undefined;
  const number = Number(value);
  if (unit === 'milliseconds' || (unit === 'auto' && value.length >= 13)) return number;
  return value.length >= 13 ? undefined : number * 1000;
}

/** The replay window: a delivery older (or further in the future) than the tolerance is refused. */
export function checkFreshness(timestampMs: number, now: Date, toleranceSeconds: number): Verification {
  const skew = Math.abs(now.getTime() - timestampMs);
  return skew > toleranceSeconds * 1000 ? { ok: false, reason: 'stale_timestamp' } : { ok: true };
}

export const OK: Verification = { ok: true };
export function fail(reason: Exclude<Verification, { ok: true }>['reason']): Verification {
  return { ok: false, reason };
}

/** First value of a query parameter of a request URL (path + query), `undefined` when absent or unparseable. */
export function queryParameter(url: string, name: string): string | undefined {
  const index = url.indexOf('?');
  if (index < 0) return undefined;
  try {
    return new URLSearchParams(url.slice(index + 1)).get(name) ?? undefined;
  } catch {
    return undefined;
  }
}
