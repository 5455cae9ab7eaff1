import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateJsonPath, JsonPathError, MAX_PATH_LENGTH, parseJsonPath, readJsonPath, tryParseJsonPath } from './json-path.js';

describe('JSON paths: parsing', () => {
  it('parses the supported subset', () => {
    expect(parseJsonPath('$')).toEqual([]);
    expect(parseJsonPath('$.a.b')).toEqual(['a', 'b']);
    expect(parseJsonPath('$.a[0]')).toEqual(['a', 0]);
    expect(parseJsonPath("$['key with space']")).toEqual(['key with space']);
    expect(parseJsonPath('$["double"][2].x')).toEqual(['double', 2, 'x']);
    expect(parseJsonPath("$['it\\'s']")).toEqual(["it's"]);
    expect(parseJsonPath('$.sf:Id.@type')).toEqual(['sf:Id', '@type']);
    expect(parseJsonPath('$.a.b_c[2]["d e"][\'f\']')).toEqual(['a', 'b_c', 2, 'd e', 'f']);
  });

  it('refuses other syntax: JsonPathError naming the path, or undefined from tryParseJsonPath', () => {
    const bad = ['', 'a.b', '$.', '$..a', '$.a[', "$['open", '$[*]', '$[x]', '$.a[?(@.x)]', '$ .a', '$.a b', '$.a[-1]', `$${'.a'.repeat(300)}`];
    for (const text of bad) {
      expect(() => parseJsonPath(text), text).toThrow(JsonPathError);
      expect(tryParseJsonPath(text), text).toBeUndefined();
    }
    let caught: unknown;
    try {
      parseJsonPath('$.a[x]');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(JsonPathError);
    expect([(caught as JsonPathError).path, (caught as JsonPathError).message]).toEqual(['$.a[x]', 'expected an index or a quoted name at offset 4']);
    expect(() => parseJsonPath(`$${'.a'.repeat(65)}`)).toThrow('a JSON path has at most 64 segments');
    expect(() => parseJsonPath(`$.${'a'.repeat(MAX_PATH_LENGTH)}`)).toThrow(`at most ${MAX_PATH_LENGTH} characters`);
  });

  it('never throws anything but JsonPathError, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const path = `$${text}`;
        try {
          parseJsonPath(path);
        } catch (error) {
          expect(error).toBeInstanceOf(JsonPathError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('JSON paths: reading', () => {
  const document = { type: 'x', data: { lines: [{ sku: 'A' }, { sku: 'B' }], 'key with space': 'spaced' }, a: { b: [10, { c: 'x' }] } };

  it('reads own properties only', () => {
    expect(readJsonPath(document, ['a', 'b', 1, 'c'])).toBe('x');
    expect(readJsonPath(document, ['a', 'b', 5])).toBeUndefined();
    expect(readJsonPath(document, ['a', 'constructor'])).toBeUndefined();
    expect(readJsonPath(document, ['a', 'b', 'length'])).toBeUndefined();
    expect(evaluateJsonPath(document, "$.data['key with space']")).toBe('spaced');
    expect(evaluateJsonPath(document, '$.data.lines[0].sku')).toBe('A');
    expect(evaluateJsonPath(document, '$.data.lines[5]')).toBeUndefined();
    expect(evaluateJsonPath(document, '$.constructor')).toBeUndefined();
    expect(evaluateJsonPath(document, '$.__proto__')).toBeUndefined();
    expect(evaluateJsonPath(document, '$.type[0]')).toBeUndefined();
    expect(evaluateJsonPath(null, '$.a')).toBeUndefined();
    expect(evaluateJsonPath(document, '$')).toBe(document);
  });

  it('never throws for any document', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(() => readJsonPath(value, ['a', 0, 'b'])).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
