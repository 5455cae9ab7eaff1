import { describe, expect, it } from 'vitest';
import { buildHealingReport } from './healing.js';
import type { Kpi } from '../trust/index.js';

const selfResolution: Kpi = { value: 0.75, unit: 'ratio', numerator: 3, denominator: 4, window: '7d', band: null, inputs: { gaps_closed_by_data: 1, gaps_healed_by_action: 2 } };
const none = { mean_seconds: null, median_seconds: null, p90_seconds: null, max_seconds: null };

describe('buildHealingReport', () => {
  it('totals remediations per action and overall; heal rate leaves skipped ones out', () => {
    const report = buildHealingReport({
      now: new Date('2026-09-08T00:00:00.000Z'),
      window: '7d',
      from: '2026-09-01T00:00:00.000Z',
      to: '2026-09-08T00:00:00.000Z',
      selfResolution,
      data: {
        counts: [
          { action: 'resync_request', status: 'healed', count: 3, attempts: 4 },
          { action: 'resync_request', status: 'gave_up', count: 1, attempts: 3 },
          { action: 'resync_request', status: 'verifying', count: 2, attempts: 2 },
          { action: 'notify', status: 'skipped', count: 5, attempts: 0 },
        ],
        timeToHeal: { gaps: 3, sinceDetection: { mean_seconds: 100, median_seconds: 90, p90_seconds: 150, max_seconds: 160 }, afterAction: none },
        costAvoided: { gaps: 2, usd: 3000.004 },
        problems: [],
      },
    });
    // resync_request: 3 healed of 3 + 0 + 1 that acted to an end → 0.75; notify: all skipped → no rate.
    expect(report.by_action.find((row) => row.action === 'resync_request')).toEqual({
      action: 'resync_request',
      total: 6,
      in_progress: 2,
      healed: 3,
      failed: 0,
      gave_up: 1,
      skipped: 0,
      attempts: 9,
      heal_rate: 0.75,
    });
    expect(report.by_action.find((row) => row.action === 'notify')).toMatchObject({ total: 5, skipped: 5, heal_rate: null });
    expect(report.by_action.map((row) => row.action)).toEqual(['resync_request', 'retry_delivery', 'notify', 'open_incident', 'quarantine_agent', 'suspend_agent']);
    expect(report.remediations).toEqual({ total: 11, in_progress: 2, healed: 3, failed: 0, gave_up: 1, skipped: 5, attempts: 9, heal_rate: 0.75 });
    expect(report.cost_avoided).toMatchObject({ usd: 3000, gaps: 2 });
    expect(report.self_resolution).toBe(selfResolution);
  });
});
