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
    done(null, parsed);
  });
}
