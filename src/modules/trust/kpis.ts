/**
 * Organisation KPIs (docs/trust.md) as a pure function of counts and sums read from recorded data. Every KPI carries
 * its inputs (numerator, denominator, window) so that a reader can recompute it; docs/trust.md has worked
 * examples and the empty-data rules.
 *
 * Empty data is defined, never NaN: a ratio whose denominator is 0 has `value: null` and `band: 'no_data'`
 * (0 % or 100 % would both be claims the data cannot support). Sums (RA$) are 0 when nothing was recorded.
 * ROI is `null` with band `not_configured` while PLATFORM_COST_USD_MONTHLY is unset.
 */
import { roundTo } from './score.js';

export type Band = 'excellent' | 'good' | 'fair' | 'critical' | 'no_data' | 'not_configured';
export type KpiUnit = 'score' | 'percent' | 'ratio' | 'usd';

export const KPI_NAMES = ['trust_score', 'sync_freshness', 'drift_rate', 'compliance_sla', 'self_resolution', 'risk_avoided', 'roi'] as const;
export type KpiName = (typeof KPI_NAMES)[number];

export interface Kpi {
  value: number | null;
  unit: KpiUnit;
  numerator: number;
  /** null for a sum (RA$), or for ROI while the platform cost is not configured. */
  denominator: number | null;
  window: string;
  /** Band of docs/trust.md; null for KPIs that have no bands (self-resolution, RA$, ROI with a configured cost). */
  band: Band | null;
  /** The named parts of numerator and denominator. */
  inputs: Record<string, number | null>;
}

export interface KpiInputs {
  /** Window label as requested (e.g. "30d") and its length. */
  window: string;
  windowMs: number;
  /** TS of every active agent. */
  agentScores: number[];
  streams: { monitored: number; withinSlo: number };
  entities: { seen: number; withOpenGap: number };
  decisions: { total: number; compliant: number };
  /**
   * `gapsHealed`: of the `gapsAuto` gaps, those a remediation healed (docs/self-healing.md) — closed by data that
   * arrived after an action asked for it; the others closed by data arriving on its own. Absent → 0.
   */
  resolutions: { gapsAuto: number; gapsResolved: number; incidentsAuto: number; incidentsResolved: number; gapsHealed?: number };
  riskAvoided: {
    policyUsd: number;
    blockedDecisions: number;
    syncUsd: number;
    gapsResolvedBeforeDue: number;
    /** Approvals denied or expired in W, and the risk cost their decisions held (0 and 0 without approvals). */
    approvalsUsd: number;
    approvalsDeniedOrExpired: number;
  };
  /** PLATFORM_COST_USD_MONTHLY; undefined when unset. */
  platformCostUsdMonthly: number | undefined;
}

export type KpiSet = Record<KpiName, Kpi>;

const DAY_MS = 86_400_000;
/** A month, for prorating the monthly platform cost to W (documented in docs/trust.md). */
export const MONTH_MS = 30 * DAY_MS;

/** Higher is better: thresholds [excellent, good, fair] are inclusive lower bounds. */
function bandHigh(value: number, [excellent, good, fair]: [number, number, number]): Band {
  if (value >= excellent) return 'excellent';
  if (value >= good) return 'good';
  if (value >= fair) return 'fair';
  return 'critical';
}

export function trustBand(score: number): Band {
  return bandHigh(score, [85, 70, 50]);
}
export function freshnessBand(percent: number): Band {
  return bandHigh(percent, [95, 90, 75]);
}
export function complianceBand(percent: number): Band {
  return bandHigh(percent, [99.5, 99, 95]);
}
/** Lower is better: < 5 excellent, 5–10 good, 10–20 fair (20 included), > 20 critical. */
export function driftBand(percent: number): Band {
  if (percent < 5) return 'excellent';
  if (percent < 10) return 'good';
  if (percent <= 20) return 'fair';
  return 'critical';
}

/** The platform cost prorated to W: monthly × W / 30 days, in dollars and cents. */
export function platformCostOver(windowMs: number, monthly: number): number {
  return roundTo((monthly * windowMs) / MONTH_MS, 2);
}

function percentKpi(
  numerator: number,
  denominator: number,
  window: string,
  band: (value: number) => Band,
  inputs: Record<string, number>,
): Kpi {
  if (denominator <= 0) return { value: null, unit: 'percent', numerator, denominator, window, band: 'no_data', inputs };
  const exact = (100 * numerator) / denominator;
  // Banded on the exact value: 99.496 % shows as 99.5 but is not yet in the ≥ 99.5 band.
  return { value: roundTo(exact, 2), unit: 'percent', numerator, denominator, window, band: band(exact), inputs };
}

export function computeKpis(input: KpiInputs): KpiSet {
  const { window } = input;
  const scoreSum = roundTo(
    input.agentScores.reduce((sum, score) => sum + score, 0),
    1,
  );
  const agents = input.agentScores.length;
  const meanScore = agents > 0 ? roundTo(scoreSum / agents, 1) : null;

  const resolvedAuto = input.resolutions.gapsAuto + input.resolutions.incidentsAuto;
  const gapsHealed = Math.min(input.resolutions.gapsHealed ?? 0, input.resolutions.gapsAuto);
  const resolvedAll = input.resolutions.gapsResolved + input.resolutions.incidentsResolved;

  const riskAvoided = roundTo(input.riskAvoided.policyUsd + input.riskAvoided.syncUsd + input.riskAvoided.approvalsUsd, 2);
  const cost = input.platformCostUsdMonthly === undefined ? null : platformCostOver(input.windowMs, input.platformCostUsdMonthly);
  const roi: Kpi =
    cost === null
      ? { value: null, unit: 'ratio', numerator: riskAvoided, denominator: null, window, band: 'not_configured', inputs: { risk_avoided_usd: riskAvoided, platform_cost_usd: null } }
      : cost === 0
        ? { value: null, unit: 'ratio', numerator: riskAvoided, denominator: 0, window, band: 'no_data', inputs: { risk_avoided_usd: riskAvoided, platform_cost_usd: 0 } }
        : { value: roundTo(riskAvoided / cost, 2), unit: 'ratio', numerator: riskAvoided, denominator: cost, window, band: null, inputs: { risk_avoided_usd: riskAvoided, platform_cost_usd: cost } };

  return {
    trust_score: {
      value: meanScore,
      unit: 'score',
      numerator: scoreSum,
      denominator: agents,
      window,
      band: meanScore === null ? 'no_data' : trustBand(meanScore),
      inputs: { sum_of_agent_scores: scoreSum, active_agents: agents },
    },
    sync_freshness: percentKpi(input.streams.withinSlo, input.streams.monitored, window, freshnessBand, {
      streams_within_slo: input.streams.withinSlo,
      monitored_streams: input.streams.monitored,
    }),
    drift_rate: percentKpi(input.entities.withOpenGap, input.entities.seen, window, driftBand, {
      entities_with_open_gap: input.entities.withOpenGap,
      entities_seen: input.entities.seen,
    }),
    compliance_sla: percentKpi(input.decisions.compliant, input.decisions.total, window, complianceBand, {
      compliant_decisions: input.decisions.compliant,
      decisions: input.decisions.total,
    }),
    self_resolution: {
      value: resolvedAll > 0 ? roundTo(resolvedAuto / resolvedAll, 4) : null,
      unit: 'ratio',
      numerator: resolvedAuto,
      denominator: resolvedAll,
      window,
      band: resolvedAll > 0 ? null : 'no_data',
      inputs: {
        gaps_resolved_auto: input.resolutions.gapsAuto,
        gaps_closed_by_data: input.resolutions.gapsAuto - gapsHealed,
        gaps_healed_by_action: gapsHealed,
        gaps_resolved: input.resolutions.gapsResolved,
        incidents_resolved_auto: input.resolutions.incidentsAuto,
        incidents_resolved: input.resolutions.incidentsResolved,
      },
    },
    risk_avoided: {
      value: riskAvoided,
      unit: 'usd',
      numerator: riskAvoided,
      denominator: null,
      window,
      band: null,
      inputs: {
        blocked_violations_usd: roundTo(input.riskAvoided.policyUsd, 2),
        blocked_decisions: input.riskAvoided.blockedDecisions,
        gaps_resolved_before_due_usd: roundTo(input.riskAvoided.syncUsd, 2),
        gaps_resolved_before_due: input.riskAvoided.gapsResolvedBeforeDue,
        approvals_denied_or_expired_usd: roundTo(input.riskAvoided.approvalsUsd, 2),
        approvals_denied_or_expired: input.riskAvoided.approvalsDeniedOrExpired,
      },
    },
    roi,
  };
}
