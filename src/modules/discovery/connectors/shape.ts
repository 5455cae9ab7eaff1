/**
 * Turning what a vendor answers into the registry's shapes without trusting it: bounded text, tags the registry
 * accepts, hashes that never throw on data JSON cannot hold (a lone surrogate, a cycle).
 */
import { sha256Hex } from '../../../platform/hash.js';
import { canonicalJson } from '../../../platform/json/canonical.js';

/** sha256 of the canonical JSON; of JSON.stringify's text for values canonical JSON refuses. */
export function hashOf(value: unknown): string {
  try {
    return sha256Hex(canonicalJson(value));
  } catch {
    return sha256Hex(JSON.stringify(value) ?? 'null');
  }
}

/** At most `max` UTF-16 code units, never cutting a surrogate pair in two. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return text.slice(0, end);
}

const TAG = /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/;

/** A vendor's labels as registry tags (docs/agents.md: letters, digits, . _ : / -; at most 64 characters, 50 tags). */
export function tagsOf(labels: readonly string[]): string[] {
  const tags = new Set<string>();
  for (const label of labels) {
    const tag = clip(label.trim().replace(/\s+/g, '-').replace(/[^A-Za-z0-9._:/-]/g, ''), 64);
    if (TAG.test(tag)) tags.add(tag);
    if (tags.size === 50) break;
  }
  return [...tags];
}

/** A name the registry accepts: 1–200 characters. */
export function nameOf(value: unknown, fallback: string): string {
  const name = typeof value === 'string' ? value.trim() : '';
  return clip(name === '' ? fallback : name, 200);
}
