import { validate, version } from 'uuid';
import { describe, expect, it } from 'vitest';
import { newId } from './ids.js';

const millisOf = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

describe('newId (pooled UUIDv7)', () => {
  it('returns valid, distinct UUIDv7s carrying the given millisecond', () => {
    const now = Date.UTC(2026, 10, 28, 12, 0, 0, 123);
    const ids = Array.from({ length: 5000 }, () => newId(now + 1000));
    for (const id of ids) {
      expect(validate(id)).toBe(true);
      expect(version(id)).toBe(7);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(millisOf(ids[0]!)).toBe(now + 1000);
    // Sorting as text (as uuid columns compare) keeps generation order within one millisecond…
    expect([...ids].sort()).toEqual(ids);
  });

  it('keeps increasing across milliseconds and when the clock steps back', () => {
    const start = Date.UTC(2030, 0, 1);
    const ids = [newId(start), newId(start + 1), newId(start + 1), newId(start + 5), newId(start + 2), newId(start + 6)];
    expect([...ids].sort()).toEqual(ids);
    expect(ids.map(millisOf)).toEqual([start, start + 1, start + 1, start + 5, start + 5, start + 6]);
  });

  it('draws fresh randomness: ids of different milliseconds share no random tail', () => {
    const base = Date.UTC(2031, 0, 1);
    const tails = new Set(Array.from({ length: 2000 }, (_, index) => newId(base + index).slice(-12)));
    expect(tails.size).toBe(2000);
  });
});
