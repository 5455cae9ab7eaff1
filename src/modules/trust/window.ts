import { AppError } from '../../platform/errors.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
export const DEFAULT_WINDOW = '30d';
export const WINDOW_PATTERN = '^[0-9]{1,4}[hd]$';

/** KPI windows are whole hours or days, from 1h to 365d (e.g. `24h`, `7d`, `30d`). */
export function parseWindow(label: string | undefined): { label: string; ms: number } {
  const value = label ?? DEFAULT_WINDOW;
  const match = /^(\d{1,4})([hd])$/.exec(value);
  const ms = match ? Number(match[1]) * (match[2] === 'h' ? HOUR_MS : DAY_MS) : 0;
  if (!match || ms < HOUR_MS || ms > 365 * DAY_MS) {
    throw new AppError('validation_failed', 'window must be a duration from 1h to 365d, in hours or days (e.g. 24h, 7d, 30d)', {
      errors: [{ path: '/querystring/window', message: 'must be between 1h and 365d, e.g. 30d' }],
    });
  }
  return { label: value, ms };
}

/** 'YYYY-MM-DD' of the UTC day holding `date`. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Midnight UTC at or before `date`. */
export function utcMidnight(date: Date): Date {
  return new Date(Math.floor(date.getTime() / DAY_MS) * DAY_MS);
}

/**
 * How a window (from, to] splits into closed UTC days that rollups can answer and two raw edges. A day [d, d+1)
 * lies inside (from, to] when d > from and d + 1 <= to. null when no whole day fits.
 */
export function splitWindow(from: Date, to: Date): { firstDay: string; lastDay: string; days: number; edges: Array<{ gt?: Date; gte?: Date; lt?: Date; lte?: Date }> } | null {
  const first = new Date(utcMidnight(from).getTime() + DAY_MS);
  const last = new Date(utcMidnight(to).getTime() - DAY_MS);
  if (last < first) return null;
  const afterLast = new Date(last.getTime() + DAY_MS);
  return {
    firstDay: utcDay(first),
    lastDay: utcDay(last),
    days: Math.round((last.getTime() - first.getTime()) / DAY_MS) + 1,
    edges: [
      { gt: from, lt: first },
      { gte: afterLast, lte: to },
    ],
  };
}

/** The closed UTC days a rollup keeps: the 400 days before today (longest window 365 d, plus margin). */
export const ROLLUP_HORIZON_DAYS = 400;

export function closedDays(now: Date): { today: string; horizon: string; days: string[] } {
  const today = utcMidnight(now);
  const days: string[] = [];
  for (let i = ROLLUP_HORIZON_DAYS; i >= 1; i -= 1) days.push(utcDay(new Date(today.getTime() - i * DAY_MS)));
  return { today: utcDay(today), horizon: days[0]!, days };
}
