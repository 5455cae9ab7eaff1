import { hash } from 'node:crypto';

/**
 * Lowercase hex SHA-256 of the UTF-8 text. The one-shot `crypto.hash` gives the digest `createHash()` gives without
 * building a Hash object and stream for it, which matters where a batch hashes thousands of events.
 */
export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}
