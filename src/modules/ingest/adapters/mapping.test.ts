import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyMapping, evaluatePath, MappingError, parsePath, type FieldMapping, type NativeEvent } from './index.js';

const document = {
  type: 'order.created',
  at: '2026-11-27T09:00:00Z',
  ms: 1795770000000,
  s: '1795770000.5',
  data: { id: 'ORD-1', lines: [{ sku: 'A' }, { sku: 'B' }], 'key with space': 'spaced', "it's": 'quoted', n: 7, seq: '12' },
  agent: '0193A5B2-7C41-7D8E-9F00-1A2B3C4D5E6F',
};
const event = (doc: unknown = document, defaults: NativeEvent['defaults'] = {}): NativeEvent => ({ externalEventId: null, idempotencyKey: 'k', document: doc, defaults });
const base: FieldMapping = { event_type: '$.type', entity_type: '$.data.lines[1].sku', entity_id: '$.data.id', occurred_at: '$.at' };

describe('JSON paths', () => {
  it('parses the supported subset', () => {
    expect(parsePath('$')).toEqual([]);
    expect(parsePath('$.a.b')).toEqual(['a', 'b']);
    expect(parsePath('$.a[0]')).toEqual(['a', 0]);
    expect(parsePath("$['key with space']")).toEqual(['key with space']);
    expect(parsePath('$["double"][2].x')).toEqual(['double', 2, 'x']);
    expect(parsePath("$['it\\'s']")).toEqual(["it's"]);
    expect(parsePath('$.sf:Id.@type')).toEqual(['sf:Id', '@type']);
  });

  it('rejects other syntax with the path in the error', () => {
    for (const bad of ['', 'a.b', '$.', '$..a', '$.a[', "$['open", '$[*]', '$.a[?(@.x)]', '$ .a', '$.a[-1]', `$${'.a'.repeat(300)}`]) {
      expect(() => parsePath(bad), bad).toThrow(MappingError);
    }
    try {
      parsePath('$.a[x]');
    } catch (error) {
      expect(error).toMatchObject({ path: '$.a[x]' });
    }
  });

  it('evaluates own properties only', () => {
    expect(evaluatePath(document, "$.data['key with space']")).toBe('spaced');
    expect(evaluatePath(document, '$.data.lines[0].sku')).toBe('A');
    expect(evaluatePath(document, '$.data.lines[5]')).toBeUndefined();
    expect(evaluatePath(document, '$.data.lines.length')).toBeUndefined();
    expect(evaluatePath(document, '$.constructor')).toBeUndefined();
    expect(evaluatePath(document, '$.__proto__')).toBeUndefined();
    expect(evaluatePath(document, '$.type[0]')).toBeUndefined();
    expect(evaluatePath(null, '$.a')).toBeUndefined();
  });
});

describe('applyMapping', () => {
  it('maps every canonical field with formats', () => {
    expect(applyMapping(event(), { ...base, sequence: '$.data.seq', agent_id: '$.agent', correlation_key: '$.data.n' })).toEqual({
      event_type: 'order.created',
      entity_type: 'B',
      entity_id: 'ORD-1',
      occurred_at: '2026-11-27T09:00:00.000Z',
      sequence: 12,
      agent_id: '0193a5b2-7c41-7d8e-9f00-1a2b3c4d5e6f',
      correlation_key: '7',
    });
    expect(applyMapping(event(), { ...base, occurred_at: { path: '$.ms', format: 'epoch_ms' } }).occurred_at).toBe('2026-11-27T09:00:00.000Z');
    expect(applyMapping(event(), { ...base, occurred_at: { path: '$.s', format: 'epoch_s' } }).occurred_at).toBe('2026-11-27T09:00:00.500Z');
  });

  it('accepts ISO variants: offsets, fractions, a space separator and a date alone (UTC)', () => {
    const at = (value: string) => applyMapping(event({ ...document, at: value }), base).occurred_at;
    expect(at('2026-11-27T10:00:00+01:00')).toBe('2026-11-27T09:00:00.000Z');
    expect(at('2026-11-27T10:00:00.123456+0100')).toBe('2026-11-27T09:00:00.123Z');
    expect(at('2026-11-27 09:00:00')).toBe('2026-11-27T09:00:00.000Z');
    expect(at('2026-11-27')).toBe('2026-11-27T00:00:00.000Z');
    for (const bad of ['2026-02-31T00:00:00Z', '2026-13-01', '2026-11-27T24:00:00Z', 'Friday', '1795770000000', '2026-11-27T09:00:00+25:00', '0001-01-01']) {
      expect(() => at(bad), bad).toThrow(MappingError);
    }
  });

  it('falls back to the envelope defaults, then errors for required fields and nulls optional ones', () => {
    const defaults = { event_type: 'fallback.type', entity_type: 'deal', occurred_at: '2026-11-27T09:00:00.000Z', sequence: 3 };
    expect(applyMapping(event(document, defaults), { entity_id: '$.data.id', event_type: '$.nothing' })).toEqual({
      event_type: 'fallback.type',
      entity_type: 'deal',
      entity_id: 'ORD-1',
      occurred_at: '2026-11-27T09:00:00.000Z',
      sequence: 3,
      agent_id: null,
      correlation_key: null,
    });
    expect(() => applyMapping(event(), { ...base, entity_id: '$.data.missing' })).toThrow(expect.objectContaining({ path: '$.data.missing' }));
    expect(() => applyMapping(event(), { event_type: '$.type', entity_id: '$.data.id', occurred_at: '$.at' })).toThrow(
      expect.objectContaining({ path: 'mapping.entity_type' }),
    );
    expect(applyMapping(event(), { ...base, sequence: '$.nope', agent_id: '$.nope' })).toMatchObject({ sequence: null, agent_id: null });
  });

  it('reports wrong types at the failing path and never replaces them with defaults', () => {
    const withDefault = event(document, { entity_id: 'default-id' });
    const cases: [FieldMapping, string][] = [
      [{ ...base, entity_id: '$.data.lines' }, '$.data.lines'],
      [{ ...base, entity_id: '$.data' }, '$.data'],
      [{ ...base, occurred_at: { path: '$.at', format: 'epoch_ms' } }, '$.at'],
      [{ ...base, occurred_at: { path: '$.ms', format: 'iso' } }, '$.ms'],
      [{ ...base, sequence: '$.data.id' }, '$.data.id'],
      [{ ...base, sequence: '$.s' }, '$.s'],
      [{ ...base, agent_id: '$.data.id' }, '$.data.id'],
      [{ ...base, event_type: "$.data['key with space'].x" }, "$.data['key with space'].x"],
    ];
    for (const [mapping, path] of cases) {
      let caught: unknown;
      try {
        applyMapping(withDefault, mapping);
      } catch (error) {
        caught = error;
      }
      expect(caught, path).toBeInstanceOf(MappingError);
      expect((caught as MappingError).path, path).toBe(path);
    }
    expect(() => applyMapping(event({ ...document, type: '   ' }), base)).toThrow(/empty/);
    expect(() => applyMapping(event({ ...document, type: 'x'.repeat(1025) }), base)).toThrow(/longer/);
    expect(() => applyMapping(event({ ...document, ms: 1e300 }), { ...base, occurred_at: { path: '$.ms', format: 'epoch_ms' } })).toThrow(/1970/);
    expect(() => applyMapping(event({ ...document, n: 2 ** 60 }), { ...base, sequence: '$.n' })).toThrow(MappingError);
    expect(() => applyMapping(event(), { ...base, occurred_at: { path: '$.at', format: 'rfc822' as 'iso' } })).toThrow(/unknown format/);
    expect(() => applyMapping(event(), { ...base, entity_id: 42 as unknown as string })).toThrow(expect.objectContaining({ path: 'mapping.entity_id' }));
  });

  it('throws nothing but MappingError on hostile documents and mappings (fuzz)', () => {
    const path = fc.oneof(
      fc.string(),
      fc.array(fc.oneof(fc.constantFrom('.a', '.b', '[0]', '[1]', "['a b']", '.__proto__', '.constructor', '[', ']', "'", '.'), fc.string({ maxLength: 3 })), { maxLength: 8 }).map((parts) => `$${parts.join('')}`),
    );
    const entry = fc.oneof(path, fc.record({ path, format: fc.constantFrom('iso', 'epoch_ms', 'epoch_s', 'other', undefined) }), fc.anything());
    const mapping = fc.dictionary(fc.constantFrom('event_type', 'entity_type', 'entity_id', 'occurred_at', 'sequence', 'agent_id', 'correlation_key', 'other'), entry);
    const doc = fc.oneof(fc.jsonValue(), fc.anything(), fc.object({ key: fc.constantFrom('a', 'b', '__proto__', 'a b', 'constructor') }));
    fc.assert(
      fc.property(doc, mapping, fc.anything(), (document, map, defaults) => {
        try {
          const result = applyMapping({ externalEventId: null, idempotencyKey: 'k', document, defaults: defaults as NativeEvent['defaults'] }, map as FieldMapping);
          expect(typeof result.event_type).toBe('string');
          expect(Number.isNaN(Date.parse(result.occurred_at))).toBe(false);
        } catch (error) {
          if (!(error instanceof MappingError)) throw error;
          expect(typeof error.path).toBe('string');
        }
      }),
      { numRuns: 3000 },
    );
  });
});
