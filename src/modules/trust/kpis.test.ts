import { describe, expect, it } from 'vitest';
import { complianceBand, computeKpis, driftBand, freshnessBand, platformCostOver, trustBand, type KpiInputs } from './kpis.js';

const DAY = 86_400_000;
const empty: KpiInputs = {
  window: '30d',
  windowMs: 30 * DAY,
  agentScores: [],
  streams: { monitored: 0, withinSlo: 0 },
  entities: { seen: 0, withOpenGap: 0 },
  decisions: { total: 0, compliant: 0 },
  resolutions: { gapsAuto: 0, gapsResolved: 0, incidentsAuto: 0, incidentsResolved: 0 },
  riskAvoided: { policyUsd: 0, blockedDecisions: 0, syncUsd: 0, gapsResolvedBeforeDue: 0, approvalsUsd: 0, approvalsDeniedOrExpired: 0 },
  platformCostUsdMonthly: undefined,
};

describe('computeKpis (docs/trust.md)', () => {
  it('defines every KPI of an empty organisation: null + no_data for ratios, 0 for sums, not_configured ROI', () => {
    const kpis = computeKpis(empty);
    expect(kpis.trust_score).toEqual({ value: null, unit: 'score', numerator: 0, denominator: 0, window: '30d', band: 'no_data', inputs: { sum_of_agent_scores: 0, active_agents: 0 } });
    expect(kpis.sync_freshness).toMatchObject({ value: null, numerator: 0, denominator: 0, band: 'no_data' });
    expect(kpis.drift_rate).toMatchObject({ value: null, numerator: 0, denominator: 0, band: 'no_data' });
    expect(kpis.compliance_sla).toMatchObject({ value: null, numerator: 0, denominator: 0, band: 'no_data' });
    expect(kpis.self_resolution).toMatchObject({ value: null, numerator: 0, denominator: 0, band: 'no_data' });
    expect(kpis.risk_avoided).toMatchObject({ value: 0, numerator: 0, denominator: null, band: null });
    expect(kpis.roi).toMatchObject({ value: null, numerator: 0, denominator: null, band: 'not_configured' });
    // Nothing is NaN, undefined or a string anywhere.
    const json = JSON.stringify(kpis);
    expect(json).not.toMatch(/NaN|undefined/);
    for (const kpi of Object.values(kpis)) {
      expect(kpi.value === null || typeof kpi.value === 'number').toBe(true);
      expect(typeof kpi.numerator).toBe('number');
    }
  });

  it('computes a hand-made scenario', () => {
    const kpis = computeKpis({
      ...empty,
      // mean of 90, 70.5, 40 = 200.5 / 3 = 66.833… → 66.8 (fair)
      agentScores: [90, 70.5, 40],
      // 19 / 20 = 95 % (excellent, inclusive)
      streams: { monitored: 20, withinSlo: 19 },
      // 3 / 40 = 7.5 % (good)
      entities: { seen: 40, withOpenGap: 3 },
      // 995 / 1000 = 99.5 % (excellent, inclusive)
      decisions: { total: 1000, compliant: 995 },
      // (4 + 1) / (6 + 2) = 0.625
      resolutions: { gapsAuto: 4, gapsResolved: 6, incidentsAuto: 1, incidentsResolved: 2 },
      // 2 × 5000 + 1500 = 11 500
      riskAvoided: { ...empty.riskAvoided, policyUsd: 10_000, blockedDecisions: 2, syncUsd: 1500, gapsResolvedBeforeDue: 1 },
      // 3000/month over 30 d = 3000 → ROI = 11500 / 3000 = 3.8333… → 3.83
      platformCostUsdMonthly: 3000,
    });
    expect(kpis.trust_score).toMatchObject({ value: 66.8, numerator: 200.5, denominator: 3, band: 'fair' });
    expect(kpis.sync_freshness).toMatchObject({ value: 95, numerator: 19, denominator: 20, band: 'excellent' });
    expect(kpis.drift_rate).toMatchObject({ value: 7.5, numerator: 3, denominator: 40, band: 'good' });
    expect(kpis.compliance_sla).toMatchObject({ value: 99.5, numerator: 995, denominator: 1000, band: 'excellent' });
    expect(kpis.self_resolution).toMatchObject({ value: 0.625, numerator: 5, denominator: 8, band: null });
    expect(kpis.risk_avoided).toMatchObject({
      value: 11_500,
      inputs: {
        blocked_violations_usd: 10_000,
        blocked_decisions: 2,
        gaps_resolved_before_due_usd: 1500,
        gaps_resolved_before_due: 1,
        approvals_denied_or_expired_usd: 0,
        approvals_denied_or_expired: 0,
      },
    });
    expect(kpis.roi).toMatchObject({ value: 3.83, numerator: 11_500, denominator: 3000, band: null });
  });

  it('counts approvals in RA$ only when they were denied or expired (the read model passes only those)', () => {
    // Two approvals ended without going ahead: one denied (transfer_funds, approval_required $20,000), one expired
    // (delete_data, $20,000 + a held prompt injection $15,000): 20,000 + 35,000 = 55,000, beside 3 × $1,000 blocked.
    const kpis = computeKpis({
      ...empty,
      riskAvoided: { ...empty.riskAvoided, policyUsd: 3000, blockedDecisions: 3, approvalsUsd: 55_000, approvalsDeniedOrExpired: 2 },
      platformCostUsdMonthly: 3000,
    });
    expect(kpis.risk_avoided).toMatchObject({
      value: 58_000,
      numerator: 58_000,
      inputs: { blocked_violations_usd: 3000, blocked_decisions: 3, approvals_denied_or_expired_usd: 55_000, approvals_denied_or_expired: 2 },
    });
    // 58,000 / 3,000 = 19.333… → 19.33
    expect(kpis.roi).toMatchObject({ value: 19.33, numerator: 58_000, denominator: 3000 });
    // Pending and approved approvals avoided nothing: with none denied or expired, RA$ is the blocked violations alone.
    expect(computeKpis({ ...empty, riskAvoided: { ...empty.riskAvoided, policyUsd: 3000, blockedDecisions: 3 } }).risk_avoided.value).toBe(3000);
  });

  it('prorates the monthly platform cost to the window', () => {
    // 3000 × 7/30 = 700; 1000 × 1/30 = 33.333… → 33.33
    expect(platformCostOver(7 * DAY, 3000)).toBe(700);
    expect(platformCostOver(DAY, 1000)).toBe(33.33);
    const kpis = computeKpis({ ...empty, window: '7d', windowMs: 7 * DAY, riskAvoided: { ...empty.riskAvoided, syncUsd: 1400, gapsResolvedBeforeDue: 1 }, platformCostUsdMonthly: 3000 });
    // 1400 / 700 = 2
    expect(kpis.roi).toMatchObject({ value: 2, denominator: 700, window: '7d' });
    // A configured cost of 0 cannot divide: no_data, not Infinity.
    expect(computeKpis({ ...empty, platformCostUsdMonthly: 0 }).roi).toMatchObject({ value: null, denominator: 0, band: 'no_data' });
  });

  it('rounds percentages to two decimals but bands on the exact value', () => {
    // 1990 / 2000 = 99.5 exactly → excellent; 19899/20000 = 99.495 → shows 99.5 (half up) but band good
    expect(computeKpis({ ...empty, decisions: { total: 20_000, compliant: 19_899 } }).compliance_sla).toMatchObject({ value: 99.5, band: 'good' });
    // 2 / 3 = 66.666… → 66.67
    expect(computeKpis({ ...empty, streams: { monitored: 3, withinSlo: 2 } }).sync_freshness).toMatchObject({ value: 66.67, band: 'critical' });
  });

  it('bands every KPI at the documented boundaries', () => {
    expect([85, 84.9, 70, 69.9, 50, 49.9].map(trustBand)).toEqual(['excellent', 'good', 'good', 'fair', 'fair', 'critical']);
    expect([95, 94.9, 90, 89.9, 75, 74.9].map(freshnessBand)).toEqual(['excellent', 'good', 'good', 'fair', 'fair', 'critical']);
    expect([4.9, 5, 9.9, 10, 20, 20.1].map(driftBand)).toEqual(['excellent', 'good', 'good', 'fair', 'fair', 'critical']);
    expect([99.5, 99.4, 99, 98.9, 95, 94.9].map(complianceBand)).toEqual(['excellent', 'good', 'good', 'fair', 'fair', 'critical']);
  });

  it('splits the automatic gap resolutions into closed by data and healed by an action, the ratio unchanged', () => {
    // 6 gaps resolved in W: 4 auto, of which 1 healed by a remediation → 3 closed by data on their own.
    // Incidents: 1 auto of 2. Ratio (4 + 1) / (6 + 2) = 5 / 8 = 0.625, as without the split.
    const kpis = computeKpis({ ...empty, resolutions: { gapsAuto: 4, gapsHealed: 1, gapsResolved: 6, incidentsAuto: 1, incidentsResolved: 2 } });
    expect(kpis.self_resolution).toEqual({
      value: 0.625,
      unit: 'ratio',
      numerator: 5,
      denominator: 8,
      window: '30d',
      band: null,
      inputs: { gaps_resolved_auto: 4, gaps_closed_by_data: 3, gaps_healed_by_action: 1, gaps_resolved: 6, incidents_resolved_auto: 1, incidents_resolved: 2 },
    });
    // Without remediation data every automatic resolution is data arriving on its own.
    expect(computeKpis({ ...empty, resolutions: { gapsAuto: 2, gapsResolved: 2, incidentsAuto: 0, incidentsResolved: 0 } }).self_resolution.inputs).toMatchObject({
      gaps_closed_by_data: 2,
      gaps_healed_by_action: 0,
    });
  });

  it('uses incidents alone for self-resolution when no gap was resolved', () => {
    // 1 / 3 = 0.3333
    expect(computeKpis({ ...empty, resolutions: { gapsAuto: 0, gapsResolved: 0, incidentsAuto: 1, incidentsResolved: 3 } }).self_resolution).toMatchObject({
      value: 0.3333,
      numerator: 1,
      denominator: 3,
    });
  });
});
