/** Display formats. Times are shown in UTC, the zone ORCA stores and logs them in, so screens and logs agree. */

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function formatDay(date: Date): string {
  return date.toISOString().slice(5, 10);
}

/** "3 min ago", "in 2 h": for deadlines and freshness. */
export function formatRelative(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return '—';
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const text = formatSeconds(Math.abs(seconds));
  return seconds < 0 ? `${text} ago` : `in ${text}`;
}

export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${(seconds / 3600).toFixed(1).replace(/\.0$/, '')} h`;
  return `${(seconds / 86_400).toFixed(1).replace(/\.0$/, '')} d`;
}

export function formatNumber(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined) return '—';
  return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toLocaleString('en-US', { maximumFractionDigits: digits });
}

/** A KPI or component value in its unit: score 0–100, percent, ratio 0–1, US dollars. */
export function formatValue(value: number | null | undefined, unit: 'score' | 'percent' | 'ratio' | 'usd'): string {
  if (value === null || value === undefined) return '—';
  switch (unit) {
    case 'score':
      return value.toFixed(1);
    case 'percent':
      return `${value.toFixed(1)} %`;
    case 'ratio':
      return value.toFixed(2);
    case 'usd':
      return `$${Math.round(value).toLocaleString('en-US')}`;
  }
}

/** A fraction 0–1 as a percentage. */
export function formatFraction(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${(value * 100).toFixed(1)} %`;
}

/** Stored JSON (gap evidence, alert labels) as indented text: shown as text, never as markup. */
export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? '';
}

export function humanize(name: string): string {
  const spaced = name.replace(/_/g, ' ');
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}
