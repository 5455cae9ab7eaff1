/**
 * The multi-window, multi-burn-rate alert windows of the Google SRE workbook ("Alerting on SLOs", recommended
 * parameters), as Sloth ships them for 30-day and 28-day SLO periods: each alert fires when the error ratio over a
 * long window AND over a short one (which makes it stop soon after the problem does) exceed burn factor × error
 * budget. The factor is the speed at which the given share of the budget is spent in the long window:
 * factor = budget share × period / long window — 2 % in 1 h of 30 days → 14.4.
 */

export type AlertSeverity = 'page' | 'ticket';

export interface BurnWindow {
  /** Share of the period's error budget this alert tolerates spending within `long` (percent). */
  budgetPercent: number;
  short: string;
  long: string;
}

export interface AlertWindows {
  periodDays: number;
  page: { quick: BurnWindow; slow: BurnWindow };
  ticket: { quick: BurnWindow; slow: BurnWindow };
}

/** The SRE workbook's parameters, which Sloth uses for both periods it supports by default. */
const WORKBOOK = {
  page: { quick: { budgetPercent: 2, short: '5m', long: '1h' }, slow: { budgetPercent: 5, short: '30m', long: '6h' } },
  ticket: { quick: { budgetPercent: 10, short: '2h', long: '1d' }, slow: { budgetPercent: 10, short: '6h', long: '3d' } },
} as const;

export const SUPPORTED_PERIOD_DAYS = [28, 30] as const;

export function alertWindowsFor(periodDays: number): AlertWindows {
  if (!(SUPPORTED_PERIOD_DAYS as readonly number[]).includes(periodDays)) {
    throw new Error(`no alert windows for a ${periodDays}-day period (supported: ${SUPPORTED_PERIOD_DAYS.join(', ')} days)`);
  }
  return { periodDays, ...WORKBOOK };
}

const UNIT_HOURS: Record<string, number> = { m: 1 / 60, h: 1, d: 24, w: 168 };

/** Hours of a Prometheus duration with one unit (5m, 6h, 3d, 4w). */
export function durationHours(duration: string): number {
  const match = /^(\d+)([mhdw])$/.exec(duration);
  if (!match) throw new Error(`not a one-unit duration: ${duration}`);
  return Number(match[1]) * UNIT_HOURS[match[2]!]!;
}

/**
 * Rounded to 12 significant digits: the arithmetic is exact in decimal (14.4, 6, 0.005) but not in binary, and a
 * rule file should say 0.005, not 0.0050000000000000044.
 */
export function tidy(value: number): number {
  return Number(value.toPrecision(12));
}

export function burnFactor(window: BurnWindow, periodDays: number): number {
  return tidy(((window.budgetPercent / 100) * periodDays * 24) / durationHours(window.long));
}

/** Every window an SLI must be recorded over for the alerts, shortest first, without repeats. */
export function recordedWindows(windows: AlertWindows): string[] {
  const all = [windows.page.quick, windows.page.slow, windows.ticket.quick, windows.ticket.slow].flatMap((window) => [window.short, window.long]);
  return [...new Set(all)].sort((a, b) => durationHours(a) - durationHours(b));
}
