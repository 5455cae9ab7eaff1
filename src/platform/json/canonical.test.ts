import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonDocument, pinnedSample } from '../../../test/helpers/json-arbitraries.js';
import { canonicalJson, canonicalNumber, canonicalString, MAX_CANONICAL_DEPTH } from './canonical.js';

/**
 * The `canonicalize` package is the reference: it is what agent fingerprints and audit chain hashes were computed
 * with before this module existed, and the ingest fast path was held to it text for text.
 */
const reference = (value: unknown) => (canonicalize as unknown as (input: unknown) => string | undefined)(value);
const digest = (lines: string[]) => createHash('sha256').update(lines.join('\n')).digest('hex');

describe('canonicalJson', () => {
  it('writes exactly what the reference writes for any JSON document (property, seeded)', () => {
    fc.assert(
      fc.property(jsonDocument, (document) => {
        expect(canonicalJson(document)).toBe(reference(document));
      }),
      { numRuns: 2000 },
    );
  });

  it('writes, for a pinned sample, the texts computed before it replaced the two former implementations', () => {
    const sample = pinnedSample(jsonDocument);
    // The sample itself first: if fast-check ever generates another one, that (not the code) is what changed.
    expect(digest(sample.map((value) => JSON.stringify(value)))).toBe('bc0c43675f8695014de566842ffa77c6aa07742e40a2aa2952f13195332cec3d');
    expect(digest(sample.map(canonicalJson))).toBe('a14f695b405ce9e2343f7fce4890b9ead94fe6479567b2e504fbdbce275ac7b7');
  });

  it('sorts keys by UTF-16 code units and writes numbers the ECMAScript way (RFC 8785 §3.2.3 and appendix examples)', () => {
    const document = { '€': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One', '😀': 'Emoji: Grinning Face', '\u0080': 'Control', 'ö': 'Latin Small Letter O With Diaeresis' };
    expect(canonicalJson(document)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis","€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
    expect(canonicalJson({ numbers: [333333333.3333333, 1e30, 4.5, 2e-3, 0.000000000000000000000000001], b: 1, a: [null, true, false] })).toBe(
      '{"a":[null,true,false],"b":1,"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27]}',
    );
    expect(canonicalJson([1.0, -0, 1e21, 0.1, 5e-324])).toBe('[1,0,1e+21,0.1,5e-324]');
    expect(canonicalJson('a"b\\c\n\u0001\u007f\u2028😀')).toBe('"a\\"b\\\\c\\n\\u0001\u007f\u2028😀"');
  });

  it('follows JSON.stringify for members and items without a JSON form, and honours toJSON', () => {
    expect(canonicalJson({ b: undefined, a: 1, f: () => 1, s: Symbol('x') })).toBe('{"a":1}');
    expect(canonicalJson([undefined, () => 1, Symbol('x'), 2])).toBe('[null,null,null,2]');
    expect(canonicalJson({ when: new Date(0) })).toBe('{"when":"1970-01-01T00:00:00.000Z"}');
    expect(canonicalJson({ custom: { toJSON: () => ({ z: 1, a: [2] }) } })).toBe('{"custom":{"a":[2],"z":1}}');
    for (const value of [{ a: undefined, b: 1 }, [undefined, 1], { when: new Date(0) }, { s: '\ud83d\ude00' }]) {
      expect(canonicalJson(value)).toBe(reference(value));
    }
  });

  it('refuses with a TypeError what JSON cannot represent', () => {
    for (const value of [undefined, () => 1, Symbol('x'), 1n, { n: 1n }, Number.NaN, [Number.POSITIVE_INFINITY], { n: Number.NEGATIVE_INFINITY }]) {
      expect(() => canonicalJson(value)).toThrow(TypeError);
    }
    expect(() => canonicalJson({ lone: '\ud800' })).toThrow(new TypeError('canonical JSON cannot hold a lone UTF-16 surrogate'));
    expect(() => canonicalJson({ ['\udc00']: 1 })).toThrow(new TypeError('canonical JSON cannot hold a lone UTF-16 surrogate'));
    expect(() => canonicalJson([Number.NaN])).toThrow(new TypeError('canonical JSON cannot hold NaN'));
  });

  it('refuses a circular value, and one nested deeper than its bound, without overflowing the stack', () => {
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    expect(() => canonicalJson(circular)).toThrow(TypeError);
    let deep: unknown = 1;
    for (let level = 0; level < MAX_CANONICAL_DEPTH; level += 1) deep = [deep];
    expect(canonicalJson(deep)).toBe(`${'['.repeat(MAX_CANONICAL_DEPTH)}1${']'.repeat(MAX_CANONICAL_DEPTH)}`);
    expect(() => canonicalJson([deep])).toThrow(TypeError);
  });
});

describe('canonicalString and canonicalNumber', () => {
  it('write one JSON literal each, as canonicalJson does', () => {
    expect(canonicalString('plain')).toBe('"plain"');
    expect(canonicalString('')).toBe('""');
    expect(canonicalString('tab\there')).toBe('"tab\\there"');
    expect(canonicalString('\ud83d\ude00')).toBe('"\ud83d\ude00"');
    expect(() => canonicalString('\ud83d')).toThrow(TypeError);
    expect(canonicalNumber(-0)).toBe('0');
    expect(canonicalNumber(1e-7)).toBe('1e-7');
    expect(canonicalNumber(2 ** 53 + 1)).toBe('9007199254740992');
    expect(() => canonicalNumber(Number.POSITIVE_INFINITY)).toThrow(new TypeError('canonical JSON cannot hold Infinity'));
  });
});
