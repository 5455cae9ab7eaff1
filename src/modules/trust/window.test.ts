import { describe, expect, it } from 'vitest';
import { closedDays, parseWindow, splitWindow } from './window.js';

describe('parseWindow', () => {
  it('accepts 1h to 365d in hours or days, defaulting to 30d', () => {
    expect(parseWindow(undefined)).toEqual({ label: '30d', ms: 30 * 86_400_000 });
    expect(parseWindow('1h').ms).toBe(3_600_000);
    expect(parseWindow('8760h').ms).toBe(365 * 86_400_000);
    for (const bad of ['0h', '0d', '366d', '8761h', '30', 'd', '1w', ' 30d']) expect(() => parseWindow(bad), bad).toThrow(/window/);
  });
});

describe('splitWindow', () => {
  it('keeps the whole UTC days strictly inside (from, to] and scans the two edges', () => {
    // (Jan 1 10:00, Jan 5 06:00] → whole days Jan 2, 3, 4; edges (Jan 1 10:00, Jan 2) and [Jan 5, Jan 5 06:00]
    const split = splitWindow(new Date('2026-01-01T10:00:00Z'), new Date('2026-01-05T06:00:00Z'))!;
    expect(split).toEqual({
      firstDay: '2026-01-02',
      lastDay: '2026-01-04',
      days: 3,
      edges: [
        { gt: new Date('2026-01-01T10:00:00Z'), lt: new Date('2026-01-02T00:00:00Z') },
        { gte: new Date('2026-01-05T00:00:00Z'), lte: new Date('2026-01-05T06:00:00Z') },
      ],
    });
  });

  it('leaves out the day starting exactly at `from` (excluded) and includes the day ending exactly at `to`', () => {
    const split = splitWindow(new Date('2026-01-01T00:00:00Z'), new Date('2026-01-04T00:00:00Z'))!;
    // Jan 1 starts at `from`, which is outside the window: only Jan 2 and Jan 3 are whole (Jan 3 ends at `to`).
    expect(split).toMatchObject({ firstDay: '2026-01-02', lastDay: '2026-01-03', days: 2 });
  });

  it('returns null when no whole day fits', () => {
    expect(splitWindow(new Date('2026-01-01T10:00:00Z'), new Date('2026-01-02T09:00:00Z'))).toBeNull();
    expect(splitWindow(new Date('2026-01-01T23:00:00Z'), new Date('2026-01-03T00:00:00Z'))).toMatchObject({ firstDay: '2026-01-02', lastDay: '2026-01-02', days: 1 });
  });
});

describe('closedDays', () => {
  it('lists the 400 closed days before today, oldest first', () => {
    const { today, horizon, days } = closedDays(new Date('2026-03-01T12:00:00Z'));
    expect(today).toBe('2026-03-01');
    expect(days).toHaveLength(400);
    expect(days.at(-1)).toBe('2026-02-28');
    expect(horizon).toBe(days[0]);
  });
});
