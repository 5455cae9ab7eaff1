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
