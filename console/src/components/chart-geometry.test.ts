import { describe, expect, it } from 'vitest';
import { LINE_FRAME, coverage, coverageLevel, linePath, timeLabel, yDomain } from './chart-geometry.ts';

describe('coverage: the share of each bucket covered by intervals', () => {
  const hour = 3_600_000;

  it('splits an interval across the buckets it overlaps', () => {
    // Buckets of 10 h from 0: [0,10) [10,20) [20,30). Stale from 5 h to 25 h.
    expect(coverage([{ from: 5 * hour, to: 25 * hour }], 0, 10 * hour, 3)).toEqual([0.5, 1, 0.5]);
  });

  it('counts overlapping intervals once and ignores what lies outside', () => {
    const intervals = [
      { from: 2 * hour, to: 6 * hour },
      { from: 4 * hour, to: 8 * hour },
      { from: -5 * hour, to: -1 * hour },
      { from: 40 * hour, to: 50 * hour },
    ];
    expect(coverage(intervals, 0, 10 * hour, 2)).toEqual([0.6, 0]);
  });

  it('is zero without intervals', () => {
    expect(coverage([], 0, 1000, 3)).toEqual([0, 0, 0]);
  });

  it('grades shares into four levels', () => {
    expect([0, 0.01, 0.25, 0.26, 0.75, 0.76, 1].map(coverageLevel)).toEqual([0, 1, 1, 2, 2, 3, 3]);
  });
});

describe('line geometry', () => {
  it('pads the data range so a flat series sits mid-chart, within the bounds of the measure', () => {
    expect(yDomain([{ at: 1, value: 5 }, { at: 2, value: 5 }])).toEqual([4, 6]);
    expect(yDomain([{ at: 1, value: 0 }, { at: 2, value: 10 }])).toEqual([-1, 11]);
    expect(yDomain([{ at: 1, value: 0 }, { at: 2, value: 100 }], [0, 100])).toEqual([0, 100]);
    expect(yDomain([{ at: 1, value: 40 }, { at: 2, value: 60 }], [0, 100])).toEqual([38, 62]);
  });

  it('labels the x axis with times of day for a short span, dates for a long one', () => {
    const at = Date.parse('2026-03-04T05:06:00Z');
    expect(timeLabel(at, 3_600_000)).toBe('05:06');
    expect(timeLabel(at, 3 * 86_400_000)).toBe('03-04');
  });

  it('draws oldest first from the left edge of the plot to the right one, higher values higher up', () => {
    // Plot area: x 44..312, y 8..100 (height 120 − bottom 20).
    const path = linePath(
      [
        { at: 2000, value: 100 },
        { at: 1000, value: 0 },
      ],
      LINE_FRAME,
      [0, 100],
    );
    expect(path).toBe('M44.0 100.0 L312.0 8.0');
    expect(linePath([], LINE_FRAME, [0, 1])).toBe('');
  });
});
