/** Pure geometry of the console's small charts, kept apart from the markup so it can be unit-tested. */

export interface SeriesPoint {
  at: number;
  value: number;
}

export interface ChartFrame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export const LINE_FRAME: ChartFrame = { width: 320, height: 120, left: 44, right: 8, top: 8, bottom: 20 };

/**
 * The y range shown: the data's range padded (so a flat line sits mid-chart), kept within the values the measure can
 * take (`bounds`: a percentage never goes below 0 or above 100).
 */
export function yDomain(points: readonly SeriesPoint[], bounds: readonly [number, number] = [-Infinity, Infinity]): [number, number] {
  const values = points.map((point) => point.value);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const pad = min === max ? 1 : (max - min) * 0.1;
  return [Math.max(bounds[0], min - pad), Math.min(bounds[1], max + pad)];
}

/** An x-axis label: the time of day when the series spans less than two days, the date otherwise. */
export function timeLabel(at: number, spanMs: number): string {
  const iso = new Date(at).toISOString();
  return spanMs < 2 * 86_400_000 ? iso.slice(11, 16) : iso.slice(5, 10);
}

/** The SVG path of a series, oldest first, inside the frame's plot area. */
export function linePath(points: readonly SeriesPoint[], frame: ChartFrame, domain: readonly [number, number]): string {
  if (points.length === 0) return '';
  const sorted = [...points].sort((a, b) => a.at - b.at);
  const first = sorted[0]!.at;
  const last = sorted[sorted.length - 1]!.at;
  const plotWidth = frame.width - frame.left - frame.right;
  const plotHeight = frame.height - frame.top - frame.bottom;
  const x = (at: number) => frame.left + (last === first ? plotWidth / 2 : ((at - first) / (last - first)) * plotWidth);
  const y = (value: number) => frame.top + plotHeight - ((value - domain[0]) / (domain[1] - domain[0])) * plotHeight;
  return sorted.map((point, index) => `${index === 0 ? 'M' : 'L'}${x(point.at).toFixed(1)} ${y(point.value).toFixed(1)}`).join(' ');
}

export interface Interval {
  from: number;
  to: number;
}

/**
 * The share (0–1) of each bucket [start + i·size, start + (i+1)·size) covered by the intervals: overlapping intervals
 * count once (they are merged first), so a share never exceeds 1.
 */
export function coverage(intervals: readonly Interval[], start: number, size: number, buckets: number): number[] {
  const merged: Interval[] = [];
  for (const interval of [...intervals].sort((a, b) => a.from - b.from)) {
    const previous = merged[merged.length - 1];
    if (previous && interval.from <= previous.to) previous.to = Math.max(previous.to, interval.to);
    else merged.push({ ...interval });
  }
  const shares: number[] = [];
  for (let index = 0; index < buckets; index += 1) {
    const bucketFrom = start + index * size;
    const bucketTo = bucketFrom + size;
    let covered = 0;
    for (const interval of merged) covered += Math.max(0, Math.min(bucketTo, interval.to) - Math.max(bucketFrom, interval.from));
    shares.push(covered / size);
  }
  return shares;
}

/** The colour class of a share of time stale: none, some, much, most. */
export function coverageLevel(share: number): 0 | 1 | 2 | 3 {
  if (share <= 0) return 0;
  if (share <= 0.25) return 1;
  if (share <= 0.75) return 2;
  return 3;
}
