/**
 * The healing report (docs/reports.md "Healing report"): what self-healing did over a window — actions and their
 * outcomes, time to heal, the Self-Resolution Ratio with its split, and the cost healing avoided. Pure: the service
 * gathers the data (remediation's read model, the KPIs), this only shapes it, so every figure traces to a record.
 */
import type { DurationStats, HealingData } from '../remediation/index.js';
import { REMEDIATION_ACTIONS, type RemediationActionName } from '../sync/index.js';
import type { Kpi } from '../trust/index.js';

export interface OutcomeCounts {
  total: number;
  in_progress: number;
  healed: number;
  failed: number;
  gave_up: number;
  skipped: number;
  attempts: number;
  /** healed / (healed + failed + gave_up): skipped ones never acted; null when none finished acting. */
  heal_rate: number | null;
}

export interface HealingReport {
  generated_at: string;
  window: string;
  from: string;
  to: string;
  /** Remediations created in the window, by their status now. */
  remediations: OutcomeCounts;
  by_action: Array<{ action: RemediationActionName } & OutcomeCounts>;
  time_to_heal: { gaps: number; since_detection: DurationStats; after_action: DurationStats };
  /** The KPI as GET /kpis computes it over the same window, inputs included (closed by data vs healed by an action). */
  self_resolution: Kpi;
  cost_avoided: { usd: number; gaps: number; rule: string };
  problems: HealingData['problems'];
}

export const COST_AVOIDED_RULE =
  'sum of cost_usd of the gaps resolved in the window before their due time that a remediation healed: the healed share of Risk Avoided’s gap term';

function emptyCounts(): OutcomeCounts {
  return { total: 0, in_progress: 0, healed: 0, failed: 0, gave_up: 0, skipped: 0, attempts: 0, heal_rate: null };
}

function add(counts: OutcomeCounts, status: string, count: number, attempts: number): void {
  counts.total += count;
  counts.attempts += attempts;
  if (status === 'healed' || status === 'failed' || status === 'gave_up' || status === 'skipped') counts[status] += count;
  else counts.in_progress += count;
}

function withRate(counts: OutcomeCounts): OutcomeCounts {
  const acted = counts.healed + counts.failed + counts.gave_up;
  return { ...counts, heal_rate: acted === 0 ? null : Math.round((counts.healed / acted) * 10_000) / 10_000 };
}

export function buildHealingReport(input: { now: Date; window: string; from: string; to: string; data: HealingData; selfResolution: Kpi }): HealingReport {
  const totals = emptyCounts();
  const perAction = new Map<RemediationActionName, OutcomeCounts>(REMEDIATION_ACTIONS.map((action) => [action, emptyCounts()]));
  for (const row of input.data.counts) {
    add(totals, row.status, row.count, row.attempts);
    add(perAction.get(row.action)!, row.status, row.count, row.attempts);
  }
  return {
    generated_at: input.now.toISOString(),
    window: input.window,
    from: input.from,
    to: input.to,
    remediations: withRate(totals),
    by_action: [...perAction].map(([action, counts]) => ({ action, ...withRate(counts) })),
    time_to_heal: { gaps: input.data.timeToHeal.gaps, since_detection: input.data.timeToHeal.sinceDetection, after_action: input.data.timeToHeal.afterAction },
    self_resolution: input.selfResolution,
    cost_avoided: { usd: Math.round(input.data.costAvoided.usd * 100) / 100, gaps: input.data.costAvoided.gaps, rule: COST_AVOIDED_RULE },
    problems: input.data.problems,
  };
}
