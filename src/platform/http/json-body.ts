import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { AppError } from '../errors.js';
import { assertStorableJson } from '../json/storable.js';

/**
 * JSON text to a value, with prototype-poisoning protection: a `__proto__` or `constructor` key is refused. The
 * problem names `subject` (`the request body`) and never quotes the text.
 */
export function parseJsonText(text: string, subject: string): unknown {
  try {
    return secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    // V8's SyntaxError quotes the input; the detail stays generic so no body content is echoed or logged.
    // secure-json-parse reports a forbidden key as a SyntaxError too (with this fixed message), so testing the
    // error class alone called every __proto__ body "not valid JSON" (found by test/http/errors.test.ts).
    const forbiddenKey = error instanceof SyntaxError && error.message === 'Object contains forbidden prototype property';
    throw new AppError('bad_request', forbiddenKey ? `${subject} contains a forbidden __proto__ or constructor key` : `${subject} is not valid JSON`);
  }
}

/** A JSON request body: parsed, then held to the limits of every stored document (src/platform/json/storable.ts). */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw new AppError('bad_request', 'the request body is empty but Content-Type is application/json');
  const parsed = parseJsonText(text, 'the request body');
  assertStorableJson(parsed, { jsonText: text });
  return parsed;
}

/**
 * The only body parser registered by default: JSON, with prototype-poisoning protection and a depth limit.
 * Any other media type is answered 415 by Fastify; routes that take other formats register their own parser.
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}
