import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { canonicalEventContent, canonicalJson, type CanonicalEventContent } from './canonical-json.js';

const reference = (value: unknown) => (canonicalize as unknown as (input: unknown) => string | undefined)(value);

/** A deterministic pseudo-random JSON document generator (no dependency on Math.random). */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const alphabet = ['a', 'B', 'é', '€', '😀', '"', '\\', '\n', '\u0001', '\u007f', '\u2028', 'z', '0', ' ', '_', 'ß'];
  const text = () => Array.from({ length: Math.floor(next() * 8) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
  const numbers = [0, -0, 1, -1, 0.1, 1e21, 1e-7, 123456789012345680000, 5e-324, 1.7976931348623157e308, 333333333.3333333, 9007199254740992, -2.5e-9];
  const value = (depth: number): unknown => {
    const pick = next();
    if (depth > 3 || pick < 0.45) {
      const kind = Math.floor(next() * 5);
      if (kind === 0) return null;
      if (kind === 1) return next() < 0.5;
      if (kind === 2) return numbers[Math.floor(next() * numbers.length)]! * (next() < 0.5 ? 1 : next() * 1000);
      return text();
    }
    if (pick < 0.7) return Array.from({ length: Math.floor(next() * 5) }, () => value(depth + 1));
    return Object.fromEntries(Array.from({ length: Math.floor(next() * 6) }, () => [text(), value(depth + 1)]));
  };
  return value;
}

describe('canonicalJson', () => {
  it('produces exactly what the canonicalize package produces for parsed JSON documents', () => {
    for (let seed = 1; seed <= 3000; seed += 1) {
      // Through JSON text, as ORCA receives documents: what the generator built is what a parser would hand over.
      const document = JSON.parse(JSON.stringify(generator(seed)(0))) as unknown;
      expect(canonicalJson(document)).toBe(reference(document));
    }
  });

  it('sorts keys by UTF-16 code units and writes numbers the ECMAScript way (RFC 8785 examples)', () => {
    const document = { '€': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One', '😀': 'Emoji: Grinning Face', '\u0080': 'Control', 'ö': 'Latin Small Letter O With Diaeresis' };
    expect(canonicalJson(document)).toBe(reference(document));
    expect(canonicalJson({ numbers: [333333333.3333333, 1e30, 4.5, 2e-3, 0.000000000000000000000000001], b: 1, a: [null, true, false] })).toBe(
      '{"a":[null,true,false],"b":1,"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27]}',
    );
  });

  it('follows the package for values that are not plain parsed JSON', () => {
    for (const value of [undefined, { a: undefined, b: 1 }, [undefined, 1], { when: new Date(0) }, { s: '\ud83d\ude00' }]) {
      expect(canonicalJson(value)).toBe(reference(value));
    }
    expect(() => canonicalJson({ lone: '\ud800' })).toThrow('Lone surrogate');
    expect(() => canonicalJson({ ['\udc00']: 1 })).toThrow('Lone surrogate');
    expect(() => canonicalJson([Number.NaN])).toThrow('NaN');
    expect(() => canonicalJson({ n: Number.POSITIVE_INFINITY })).toThrow('Infinity');
  });
});

describe('canonicalEventContent', () => {
  it('writes exactly what canonicalJson writes for the whole content object', () => {
    for (let seed = 1; seed <= 2000; seed += 1) {
      const value = generator(seed);
      const text = () => {
        const generated = value(4);
        return typeof generated === 'string' && generated.length > 0 ? generated : `t${seed}`;
      };
      const content = JSON.parse(
        JSON.stringify({
          event_type: text(),
          entity_type: text(),
          entity_id: text(),
          occurred_at: new Date(Date.UTC(2026, 10, 29, 0, 0, seed % 60, seed % 1000)).toISOString(),
          sequence: seed % 3 === 0 ? null : seed * (seed % 2 === 0 ? -1 : 1),
          agent_id: seed % 4 === 0 ? null : `0195f1a4-7a1e-7c3b-9d2e-${String(seed).padStart(12, '0')}`,
          correlation_id: seed % 5 === 0 ? null : text(),
          payload: value(0),
        }),
      ) as CanonicalEventContent;
      expect(canonicalEventContent(content)).toBe(canonicalJson(content));
      expect(canonicalEventContent(content)).toBe(reference(content));
    }
  });

  it('follows the reference for what the field-by-field path cannot write', () => {
    const base: CanonicalEventContent = {
      event_type: 'order.created', entity_type: 'order', entity_id: '42', occurred_at: '2026-11-29T00:00:00.000Z',
      sequence: 1, agent_id: null, correlation_id: null, payload: { total: 1 },
    };
    for (const content of [{ ...base, payload: undefined }, { ...base, entity_id: '\ud83d\ude00 emoji' }, { ...base, payload: { when: new Date(0) } }]) {
      expect(canonicalEventContent(content)).toBe(reference(content));
    }
    expect(() => canonicalEventContent({ ...base, correlation_id: '\ud800' })).toThrow('Lone surrogate');
    expect(() => canonicalEventContent({ ...base, sequence: Number.NaN })).toThrow('NaN');
  });
});
