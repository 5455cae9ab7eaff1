import { formatDay } from '../format.ts';
import { coverageLevel } from './chart-geometry.ts';

export interface HeatMapRow {
  label: string;
  /** Share (0–1) of each column's time the row was stale. */
  shares: number[];
}

const CELL = 22;
const LABEL_WIDTH = 230;
const HEADER = 22;

/**
 * Streams (rows) over time (columns): each cell is the share of that period the stream spent stale. Drawn as SVG;
 * every cell has a title, and the image a summary naming the streams that were stale at all.
 */
export function HeatMap(props: { title: string; rows: HeatMapRow[]; columnStarts: Date[] }) {
  const { rows, columnStarts, title } = props;
  const width = LABEL_WIDTH + columnStarts.length * CELL;
  const height = HEADER + rows.length * CELL;
  const stale = rows.filter((row) => row.shares.some((share) => share > 0)).map((row) => row.label);
  const summary = `${title}: ${rows.length} streams over ${columnStarts.length} days; ${stale.length === 0 ? 'none was stale' : `stale at some point: ${stale.join(', ')}`}`;
  return (
    <figure class="chart heat-map">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary} width={width} height={height}>
        <title>{summary}</title>
        {columnStarts.map((start, column) => (
          <text class="tick" x={LABEL_WIDTH + column * CELL + CELL / 2} y={14} text-anchor="middle">
            {formatDay(start).slice(3)}
          </text>
        ))}
        {rows.map((row, index) => (
          <g>
            <text class="tick" x={LABEL_WIDTH - 6} y={HEADER + index * CELL + 15} text-anchor="end">
              {row.label}
            </text>
            {row.shares.map((share, column) => (
              <rect
                class={`cell level-${coverageLevel(share)}`}
                x={LABEL_WIDTH + column * CELL + 1}
                y={HEADER + index * CELL + 1}
                width={CELL - 2}
                height={CELL - 2}
              >
                <title>{`${row.label}, ${formatDay(columnStarts[column]!)}: stale ${Math.round(share * 100)} % of the day`}</title>
              </rect>
            ))}
          </g>
        ))}
      </svg>
      <p class="legend" aria-hidden="true">
        <span class="swatch level-0" /> never stale <span class="swatch level-1" /> up to 25 % <span class="swatch level-2" /> up to 75 %{' '}
        <span class="swatch level-3" /> more
      </p>
    </figure>
  );
}
