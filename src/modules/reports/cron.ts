/**
 * Cron expressions of report schedules, read by croner in the schedule's IANA time zone. Five fields (minute, hour,
 * day of month, month, day of week) or a nickname (@hourly, @daily, @weekly, @monthly, @yearly): a report more often
 * than once a minute is not a report. Day of month and day of week combine with OR, as in Vixie cron. Daylight saving
 * time follows croner: a fixed time that a spring-forward skips runs at the first valid time after the gap, and a
 * time that occurs twice in autumn runs once.
 */
import { Cron } from 'croner';
import { AppError } from '../../platform/errors.js';

export interface CronSchedule {
  cron: string;
  timeZone: string;
}

function invalid(path: string, message: string): AppError {
  return new AppError('validation_failed', message, { errors: [{ path, message }] });
}

/** Whether the runtime's time-zone database knows `name` (the IANA names: Europe/Paris, America/New_York, UTC…). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function compile(schedule: CronSchedule): Cron {
  return new Cron(schedule.cron, { paused: true, timezone: schedule.timeZone, mode: '5-part' });
}

/**
 * Checks a schedule as a client sent it, naming the field and the expression in the error (400), and returns its
 * first run after `now`. A pattern that parses but never matches a date (30 February) is refused too.
 */
export function checkSchedule(schedule: CronSchedule, now: Date, paths = { cron: '/body/cron', timeZone: '/body/time_zone' }): Date {
  if (!isTimeZone(schedule.timeZone)) {
    throw invalid(paths.timeZone, `time_zone "${schedule.timeZone}" is not an IANA time zone (e.g. UTC, Europe/Paris, America/New_York)`);
  }
  let cron: Cron;
  try {
    cron = compile(schedule);
  } catch (error) {
    const reason = (error as Error).message.replace(/^CronPattern: /, '');
    throw invalid(paths.cron, `cron "${schedule.cron}" is not a valid five-field cron expression (minute hour day-of-month month day-of-week, or @daily…): ${reason}`);
  }
  const next = cron.nextRun(now);
  if (!next) throw invalid(paths.cron, `cron "${schedule.cron}" never matches a date`);
  return next;
}

/** The first run strictly after `after`, or null when the pattern has no further date. */
export function nextRunAfter(schedule: CronSchedule, after: Date): Date | null {
  return compile(schedule).nextRun(after);
}

/** The latest run at or before `at` (croner's previousRuns excludes the reference instant itself, hence + 1 ms). */
export function latestRunAtOrBefore(schedule: CronSchedule, at: Date): Date | null {
  return compile(schedule).previousRuns(1, new Date(at.getTime() + 1))[0] ?? null;
}
