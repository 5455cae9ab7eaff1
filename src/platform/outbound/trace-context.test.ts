import { describe, expect, it } from 'vitest';
import { childTraceparent, parseTraceparent } from './trace-context.js';

const GIVEN = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const SHAPE = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

describe('traceparent', () => {
  it('continues a given trace with a new span id and the same flags', () => {
    const child = childTraceparent(GIVEN);
    expect(child).toMatch(SHAPE);
    const [version, traceId, spanId, flags] = child.split('-');
    expect({ version, traceId, flags }).toEqual({ version: '00', traceId: '4bf92f3577b34da6a3ce929d0e0e4736', flags: '01' });
    expect(spanId).not.toBe('00f067aa0ba902b7');
    expect(spanId).not.toMatch(/^0+$/);
  });

  it('starts a new, unsampled trace without a parent', () => {
    const first = childTraceparent(undefined);
    const second = childTraceparent(undefined);
    expect(first).toMatch(SHAPE);
    expect(first.endsWith('-00')).toBe(true);
    expect(first.split('-')[1]).not.toBe(second.split('-')[1]);
  });

  it('draws distinct ids across refills of its random pool', () => {
    // 24 random bytes per new trace: 1,000 traces use the 4 KiB pool about six times over.
    const traces = Array.from({ length: 1000 }, () => childTraceparent(undefined));
    expect(traces.every((trace) => SHAPE.test(trace))).toBe(true);
    expect(new Set(traces.map((trace) => trace.split('-')[1])).size).toBe(1000);
    expect(new Set(traces.map((trace) => trace.split('-')[2])).size).toBe(1000);
  });

  it.each([
    ['', 'empty'],
    ['garbage', 'not a traceparent'],
    ['ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', 'version ff'],
    ['00-00000000000000000000000000000000-00f067aa0ba902b7-01', 'all-zero trace id'],
    ['00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01', 'all-zero parent id'],
    ['00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01', 'upper-case hex'],
    ['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra', 'version 00 with extra fields'],
  ])('ignores an invalid parent (%s: %s) and starts a new trace', (value) => {
    expect(parseTraceparent(value)).toBeUndefined();
    expect(childTraceparent(value).split('-')[1]).not.toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('accepts a later version with extra fields, answering in version 00', () => {
    expect(parseTraceparent('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-abc')).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      parentId: '00f067aa0ba902b7',
      flags: '01',
    });
  });
});
