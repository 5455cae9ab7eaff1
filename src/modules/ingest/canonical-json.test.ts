import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { eventContent, jsonDocument, pinnedSample } from '../../../test/helpers/json-arbitraries.js';
import { canonicalJson } from '../../platform/json/canonical.js';
import { canonicalEventContent, type CanonicalEventContent } from './canonical-json.js';
import { payloadHash } from './prepare-event.js';

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
    expect(() => canonicalEventContent({ ...base, correlation_id: '\ud800' })).toThrow(new TypeError('canonical JSON cannot hold a lone UTF-16 surrogate'));
    expect(() => canonicalEventContent({ ...base, sequence: Number.NaN })).toThrow(new TypeError('canonical JSON cannot hold NaN'));
  });
});

const digest = (lines: string[]) => createHash('sha256').update(lines.join('\n')).digest('hex');

describe('stored hashes', () => {
  it('are, for a pinned sample, what they were before canonical JSON moved to the platform', () => {
    const contents = pinnedSample(eventContent);
    // The samples themselves first: if fast-check ever generates others, that (not the code) is what changed.
    expect(digest(contents.map((content) => JSON.stringify(content)))).toBe('61e95cf9e2cf08ce6e6d856e495cf22564fc8f923847f7e9f16818dce32a886f');
    expect(digest(contents.map(canonicalEventContent))).toBe('60d658dcf59ad537adf66f6d74819e13ea8dc7a69538fae965b95d8b06fa93f7');
    const documents = pinnedSample(jsonDocument);
    expect(digest(documents.map((document) => JSON.stringify(document)))).toBe('bc0c43675f8695014de566842ffa77c6aa07742e40a2aa2952f13195332cec3d');
    expect(digest(documents.map(payloadHash))).toBe('871a895287394e92e95b2dcf19b10617e43a450868c156d0a77e1c01e46e883f');
  });

  it('hash an absent payload as JSON null, as before', () => {
    expect(payloadHash(undefined)).toBe(payloadHash(null));
    expect(payloadHash(null)).toBe(createHash('sha256').update('null').digest('hex'));
  });
});
