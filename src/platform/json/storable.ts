import { AppError } from '../errors.js';

/**
 * The limits every JSON document ORCA accepts and stores is held to, wherever it comes from (a JSON or YAML body, an
 * event inside a webhook delivery): the same check, the same `bad_request` problem (docs/errors.md).
 */

/** Deeper documents are refused: nothing ORCA stores needs them, and serialising them can exhaust the stack. */
export const MAX_JSON_DEPTH = 32;

/** Iterative (no recursion) so that a hostile 1 MiB "[[[[…" cannot overflow the stack while being measured. */
export function exceedsDepth(value: unknown, maxDepth: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= maxDepth) return true;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** In a `u` regex a paired surrogate is one code point, so `\p{Cs}` matches only a lone (unpaired) surrogate. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Whether any string or key of a parsed document holds a lone UTF-16 surrogate (`"\ud800"`): valid JSON text but
 * not Unicode (RFC 8259 §8.2; I-JSON, RFC 7493, forbids it). Such a string cannot be hashed canonically (RFC 8785
 * refuses it) nor stored faithfully (PostgreSQL refuses it in jsonb and text columns turn it into U+FFFD).
 * Iterative, like exceedsDepth.
 */
export function hasLoneSurrogate(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current === 'string') {
      if (LONE_SURROGATE.test(current)) return true;
    } else if (Array.isArray(current)) {
      // A loop, not push(...current): spreading a 500,000-element array overflows the argument limit.
      for (const item of current) stack.push(item);
    } else if (current !== null && typeof current === 'object') {
      for (const [key, inner] of Object.entries(current)) {
        if (LONE_SURROGATE.test(key)) return true;
        stack.push(inner);
      }
    }
  }
  return false;
}

export interface StorableJsonOptions {
  /** What the value is, for the problem's detail: `the request body` unless said otherwise. */
  subject?: string;
  /**
   * The JSON text the value was parsed from, when there is one. Text without a `\u` escape cannot hold a lone
   * surrogate (UTF-8 decoding replaces invalid bytes), so the walk looking for one is skipped.
   */
  jsonText?: string;
}

/**
 * Refuses, with a 400 `bad_request`, a parsed document nested deeper than MAX_JSON_DEPTH levels or holding a lone
 * UTF-16 surrogate: one PostgreSQL's jsonb refuses, or one too deep to hash and store safely, is the sender's
 * mistake, never a 5xx.
 */
export function assertStorableJson(value: unknown, { subject = 'the request body', jsonText }: StorableJsonOptions = {}): void {
  if (exceedsDepth(value, MAX_JSON_DEPTH)) {
    throw new AppError('bad_request', `${subject} nests deeper than ${MAX_JSON_DEPTH} levels`);
  }
  if ((jsonText === undefined || jsonText.includes('\\u')) && hasLoneSurrogate(value)) {
    throw new AppError('bad_request', `${subject} contains a lone UTF-16 surrogate escape, which is not Unicode text`);
  }
}
