import { AppError, type FieldError } from '../../platform/errors.js';

const DAY_MS = 86_400_000;
/** The longest period a pack covers: the longest window KPIs are computed over. */
export const MAX_PERIOD_DAYS = 365;

function days(ms: number): string {
  const value = ms / DAY_MS;
  return Number.isInteger(value) ? `${value}d` : `${Math.round(value * 10) / 10} days`;
}

/**
 * A pack covers [from, to): a period that has ended, no longer than 365 days, starting within the evidence retention.
 * Every way a period can be wrong is reported at once (400), each at its query parameter.
 */
export function checkPeriod(period: { from: Date; to: Date }, now: Date, retentionMs: number): void {
  const { from, to } = period;
  // A time the schema accepts but Date cannot hold (a leap second, 23:59:60) is as unusable as a malformed one.
  const unreadable = [['from', from] as const, ['to', to] as const].filter(([, date]) => Number.isNaN(date.getTime()));
  if (unreadable.length > 0) {
    const errors = unreadable.map(([name]) => ({ path: `/querystring/${name}`, message: `${name} is not a time ORCA can read` }));
    throw new AppError('validation_failed', errors.map((error) => error.message).join('; '), { errors });
  }
  const errors: FieldError[] = [];
  if (from.getTime() >= to.getTime()) errors.push({ path: '/querystring/from', message: `from (${from.toISOString()}) must be before to (${to.toISOString()})` });
  if (to.getTime() > now.getTime()) errors.push({ path: '/querystring/to', message: `to (${to.toISOString()}) is in the future: an evidence pack covers a period that has ended` });
  const oldest = new Date(now.getTime() - retentionMs);
  if (from.getTime() < oldest.getTime()) {
    errors.push({
      path: '/querystring/from',
      message: `from (${from.toISOString()}) is older than the evidence retention of ${days(retentionMs)} (EVIDENCE_RETENTION): the oldest allowed is ${oldest.toISOString()}`,
    });
  }
  if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * DAY_MS) {
    errors.push({ path: '/querystring/to', message: `the period is longer than ${MAX_PERIOD_DAYS} days: split it into several packs` });
  }
  if (errors.length > 0) throw new AppError('validation_failed', errors.map((error) => error.message).join('; '), { errors });
}
