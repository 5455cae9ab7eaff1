import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { AppError } from '../errors.js';

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
 * not Unicode (RFC 8259 §8.2; I-JSON, RFC 7493, forbids it). Such a string cannot be hashed canonically (the agent
 * fingerprint's RFC 8785 canonicalisation throws: a 500, found by test/fuzz/openapi-fuzz.test.ts) nor stored
 * faithfully (PostgreSQL refuses it in jsonb and text columns turn it into U+FFFD). Iterative, like exceedsDepth.
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

/**
 * The only body parser registered by default: JSON, with prototype-poisoning protection and a depth limit.
 * Any other media type is answered 415 by Fastify; routes that take other formats register their own parser.
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.trim() === '') {
      done(new AppError('bad_request', 'the request body is empty but Content-Type is application/json'), undefined);
      return;
    }
    let parsed: unknown;
    try {
      parsed = secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
    } catch (error) {
      // V8's SyntaxError quotes the input; the detail stays generic so no body content is echoed or logged.
      // secure-json-parse reports a forbidden key as a SyntaxError too (with this fixed message), so testing the
      // error class alone called every __proto__ body "not valid JSON" (found by test/http/errors.test.ts).
      const forbiddenKey = error instanceof SyntaxError && error.message === 'Object contains forbidden prototype property';
      const detail = forbiddenKey ? 'the request body contains a forbidden __proto__ or constructor key' : 'the request body is not valid JSON';
      done(new AppError('bad_request', detail), undefined);
      return;
    }
    if (exceedsDepth(parsed, MAX_JSON_DEPTH)) {
      done(new AppError('bad_request', `the request body nests deeper than ${MAX_JSON_DEPTH} levels`), undefined);
      return;
    }
    // UTF-8 decoding already replaced any invalid byte, so a lone surrogate can only come from a `\u` escape.
    if (text.includes('\\u') && hasLoneSurrogate(parsed)) {
      done(new AppError('bad_request', 'the request body contains a lone UTF-16 surrogate escape, which is not Unicode text'), undefined);
      return;
    }
    done(null, parsed);
  });
}
