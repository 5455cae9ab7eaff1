import { formatTime } from '../format.ts';
import { LINE_FRAME, linePath, timeLabel, yDomain, type SeriesPoint } from './chart-geometry.ts';

/**
 * A small trend line drawn as SVG by hand (no chart library: a few hundred bytes instead of tens of kilobytes). The
 * figure is an image with a text alternative naming the first and latest values.
 */
export function LineChart(props: { title: string; points: SeriesPoint[]; format: (value: number) => string; bounds?: [number, number] }) {
  const { title, points, format } = props;
  const frame = LINE_FRAME;
  const sorted = [...points].sort((a, b) => a.at - b.at);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (!first || !last) return null;
  const domain = yDomain(sorted, props.bounds);
  const span = last.at - first.at;
  const description = `${title}: ${format(first.value)} at ${formatTime(new Date(first.at).toISOString())}, ${format(last.value)} at ${formatTime(new Date(last.at).toISOString())} (${sorted.length} snapshots)`;
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${frame.width} ${frame.height}`} role="img" aria-label={description}>
        <title>{description}</title>
        <line class="axis" x1={frame.left} y1={frame.height - frame.bottom} x2={frame.width - frame.right} y2={frame.height - frame.bottom} />
        <line class="axis" x1={frame.left} y1={frame.top} x2={frame.left} y2={frame.height - frame.bottom} />
        <text class="tick" x={frame.left - 4} y={frame.top + 8} text-anchor="end">
          {format(domain[1])}
        </text>
        <text class="tick" x={frame.left - 4} y={frame.height - frame.bottom} text-anchor="end">
          {format(domain[0])}
        </text>
        <text class="tick" x={frame.left} y={frame.height - 4}>
          {timeLabel(first.at, span)}
        </text>
        <text class="tick" x={frame.width - frame.right} y={frame.height - 4} text-anchor="end">
          {timeLabel(last.at, span)}
        </text>
        <path class="series" d={linePath(sorted, frame, domain)} />
      </svg>
    </figure>
  );
}
