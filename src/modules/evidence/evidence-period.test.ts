import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { checkPeriod } from './evidence-period.js';

const DAY = 86_400_000;
const NOW = new Date('2026-06-15T12:00:00.000Z');
const RETENTION = 730 * DAY;

function errorsOf(from: string, to: string, retentionMs = RETENTION): Array<{ path: string; message: string }> {
  try {
    checkPeriod({ from: new Date(from), to: new Date(to) }, NOW, retentionMs);
    return [];
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    expect(error.status).toBe(400);
    return error.details.errors ?? [];
  }
}

describe('checkPeriod', () => {
  it('accepts a period that has ended, within the retention and 365 days', () => {
    expect(errorsOf('2026-05-01T00:00:00Z', '2026-06-01T00:00:00Z')).toEqual([]);
    expect(errorsOf('2025-06-15T12:00:00Z', '2026-06-15T12:00:00Z')).toEqual([]);
  });

  it('refuses from after (or equal to) to', () => {
    expect(errorsOf('2026-06-01T00:00:00Z', '2026-05-01T00:00:00Z')).toEqual([
      { path: '/querystring/from', message: 'from (2026-06-01T00:00:00.000Z) must be before to (2026-05-01T00:00:00.000Z)' },
    ]);
    expect(errorsOf('2026-06-01T00:00:00Z', '2026-06-01T00:00:00Z')).toHaveLength(1);
  });

  it('refuses a period that has not ended', () => {
    expect(errorsOf('2026-06-01T00:00:00Z', '2026-07-01T00:00:00Z')).toEqual([
      { path: '/querystring/to', message: 'to (2026-07-01T00:00:00.000Z) is in the future: an evidence pack covers a period that has ended' },
    ]);
  });

  it('refuses a start older than the retention, naming the oldest allowed instant', () => {
    expect(errorsOf('2025-01-01T00:00:00Z', '2025-02-01T00:00:00Z', 365 * DAY)).toEqual([
      {
        path: '/querystring/from',
        message: 'from (2025-01-01T00:00:00.000Z) is older than the evidence retention of 365d (EVIDENCE_RETENTION): the oldest allowed is 2025-06-15T12:00:00.000Z',
      },
    ]);
  });

  it('refuses a period longer than 365 days', () => {
    expect(errorsOf('2025-01-01T00:00:00Z', '2026-01-02T00:00:00Z')).toEqual([
      { path: '/querystring/to', message: 'the period is longer than 365 days: split it into several packs' },
    ]);
  });

  it('reports every problem at once', () => {
    expect(errorsOf('2027-01-01T00:00:00Z', '2026-12-01T00:00:00Z').map((error) => error.path)).toEqual(['/querystring/from', '/querystring/to']);
  });
});
