import { describe, expect, it } from 'vitest';
import { findDuplicateKey } from './duplicate-keys.js';

describe('findDuplicateKey', () => {
  it('is undefined when every object names each member once', () => {
    for (const text of ['{}', '[]', '1', '"a"', '{"a":1,"b":{"a":2},"c":[{"a":1},{"a":2}]}', '[{"x":1},{"x":2}]', '{"a":"\\"a\\"","b":"}{[,"}']) {
      expect(findDuplicateKey(text), text).toBeUndefined();
    }
  });

  it('names the JSON pointer of the repeated member, at any depth', () => {
    expect(findDuplicateKey('{"a":1,"a":2}')).toBe('/a');
    expect(findDuplicateKey('{"roles":{"worker":{},"worker":{}}}')).toBe('/roles/worker');
    expect(findDuplicateKey('{"list":[{"x":1},{"y":1,"y":2}]}')).toBe('/list/1/y');
    expect(findDuplicateKey(' { "a" : [ 1 , [ 2 , { "k" : 1 , "k" : 2 } ] ] } ')).toBe('/a/1/1/k');
  });

  it('compares names after unescaping, and escapes the pointer (RFC 6901)', () => {
    expect(findDuplicateKey('{"a":1,"\\u0061":2}')).toBe('/a');
    expect(findDuplicateKey('{"a/b~c":1,"a/b~c":2}')).toBe('/a~1b~0c');
    expect(findDuplicateKey('{"\\\\":1,"\\\\":2}')).toBe('/\\');
  });

  it('does not take a string value that looks like a name for one', () => {
    expect(findDuplicateKey('{"a":"a","b":"a"}')).toBeUndefined();
    expect(findDuplicateKey('{"a":["a","a"]}')).toBeUndefined();
  });

  it('ends on text that is not JSON (it is only called after a parser accepted the text, but never hangs)', () => {
    for (const text of ['{"a', '{"a\\', '"', '{"a":1,"a', ']]}}']) expect(findDuplicateKey(text), text).toBeUndefined();
  });
});
