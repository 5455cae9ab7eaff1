import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { checkSchedule, isTimeZone, latestRunAtOrBefore, nextRunAfter } from './cron.js';

const at = (iso: string) => new Date(iso);

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('checkSchedule', () => {
  it('returns the first run after now, in the schedule\'s time zone', () => {
    // 09:00 in Paris on 1 March 2026 is 08:00 UTC (CET, UTC+1).
    expect(checkSchedule({ cron: '0 9 * * *', timeZone: 'Europe/Paris' }, at('2026-03-01T07:30:00Z'))).toEqual(at('2026-03-01T08:00:00Z'));
    // After the spring change (29 March 2026) it is 07:00 UTC (CEST, UTC+2).
    expect(checkSchedule({ cron: '0 9 * * *', timeZone: 'Europe/Paris' }, at('2026-03-29T00:00:00Z'))).toEqual(at('2026-03-29T07:00:00Z'));
    expect(checkSchedule({ cron: '0 9 * * *', timeZone: 'America/New_York' }, at('2026-01-15T12:00:00Z'))).toEqual(at('2026-01-15T14:00:00Z'));
    expect(checkSchedule({ cron: '* * * * *', timeZone: 'UTC' }, at('2026-03-01T10:00:30Z'))).toEqual(at('2026-03-01T10:01:00Z'));
    // Mondays at 08:00 UTC; 1 March 2026 is a Sunday.
    expect(checkSchedule({ cron: '0 8 * * 1', timeZone: 'UTC' }, at('2026-03-01T10:00:00Z'))).toEqual(at('2026-03-02T08:00:00Z'));
    expect(checkSchedule({ cron: '@daily', timeZone: 'UTC' }, at('2026-03-01T10:00:00Z'))).toEqual(at('2026-03-02T00:00:00Z'));
  });

  it.each([
    ['61 * * * *', 'Invalid value for minute: 61'],
    ['* * * *', 'exactly five, six, or seven space separated parts are required'],
    ['every monday', 'exactly five, six, or seven space separated parts are required'],
    ['*/10 * * * * *', "mode '5-part' requires exactly 5 parts"],
  ])('refuses %s with a 400 naming the expression at /body/cron', (cron, reason) => {
    const error = refusal(() => checkSchedule({ cron, timeZone: 'UTC' }, at('2026-03-01T00:00:00Z')));
    expect(error.status).toBe(400);
    expect(error.message).toContain(`cron "${cron}" is not a valid five-field cron expression`);
    expect(error.message).toContain(reason);
    expect(error.details.errors).toEqual([{ path: '/body/cron', message: error.message }]);
  });

  it('refuses an expression that never matches a date', () => {
    const error = refusal(() => checkSchedule({ cron: '0 0 30 2 *', timeZone: 'UTC' }, at('2026-03-01T00:00:00Z')));
    expect(error.status).toBe(400);
    expect(error.details.errors).toEqual([{ path: '/body/cron', message: 'cron "0 0 30 2 *" never matches a date' }]);
  });

  it('refuses an unknown time zone with a 400 at /body/time_zone', () => {
    const error = refusal(() => checkSchedule({ cron: '* * * * *', timeZone: 'Mars/Olympus_Mons' }, at('2026-03-01T00:00:00Z')));
    expect(error.status).toBe(400);
    expect(error.details.errors).toEqual([
      { path: '/body/time_zone', message: 'time_zone "Mars/Olympus_Mons" is not an IANA time zone (e.g. UTC, Europe/Paris, America/New_York)' },
    ]);
  });
});

describe('isTimeZone', () => {
  it.each([
    ['UTC', true],
    ['Europe/Paris', true],
    ['Asia/Kolkata', true],
    ['Europe/Pariss', false],
    ['', false],
  ])('%s → %s', (name, known) => {
    expect(isTimeZone(name)).toBe(known);
  });
});

describe('run times', () => {
  const everyMinute = { cron: '* * * * *', timeZone: 'UTC' };
  it('the latest run at or before an instant includes the instant itself', () => {
    expect(latestRunAtOrBefore(everyMinute, at('2026-03-01T10:01:00Z'))).toEqual(at('2026-03-01T10:01:00Z'));
    expect(latestRunAtOrBefore(everyMinute, at('2026-03-01T10:01:59.999Z'))).toEqual(at('2026-03-01T10:01:00Z'));
    expect(latestRunAtOrBefore({ cron: '0 9 * * *', timeZone: 'Europe/Paris' }, at('2026-03-03T07:00:00Z'))).toEqual(at('2026-03-02T08:00:00Z'));
  });
  it('the next run is strictly after the instant', () => {
    expect(nextRunAfter(everyMinute, at('2026-03-01T10:01:00Z'))).toEqual(at('2026-03-01T10:02:00Z'));
    expect(nextRunAfter(everyMinute, at('2026-03-01T10:01:00.500Z'))).toEqual(at('2026-03-01T10:02:00Z'));
  });
});
