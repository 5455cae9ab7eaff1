import { describe, expect, it } from 'vitest';
import { parseJsonBody } from './json.js';
import { EnvelopeError } from './types.js';

describe('parseJsonBody', () => {
  it('refuses bytes that are not UTF-8, and the shared decoder keeps nothing of them for the next body', () => {
    // A truncated three-byte sequence: a streaming decoder would wait for its last byte and prepend it to the next body.
    expect(() => parseJsonBody(Buffer.from([0x7b, 0xe2, 0x82]))).toThrow(EnvelopeError);
    expect(parseJsonBody(Buffer.from('{"a":"€"}'))).toEqual({ a: '€' });
    expect(() => parseJsonBody(Buffer.from([0x7b, 0xff, 0x7d]))).toThrow('the body is not valid UTF-8');
    expect(parseJsonBody(Buffer.from([0xef, 0xbb, 0xbf, 0x5b, 0x31, 0x5d]))).toEqual([1]);
    expect(parseJsonBody(Buffer.from([0xef, 0xbb, 0xbf, 0x5b, 0x32, 0x5d]))).toEqual([2]);
  });

  it('refuses an empty body and text that is not JSON', () => {
    expect(() => parseJsonBody(Buffer.alloc(0))).toThrow('the body is empty');
    expect(() => parseJsonBody(Buffer.from('{"a":'))).toThrow('the body is not valid JSON');
  });
});
