import type { Clock } from '../../platform/clock.js';
import { KPI_NAMES, type TrustService } from '../trust/index.js';
import type { HealingData } from '../remediation/index.js';
import { groupGaps, insightsFor, recommendationsFor, riskiestAgents, trendOf, type ExecutiveReport, type Trend } from './executive.js';
import { buildHealingReport, type HealingReport } from './healing.js';

export function createReportService(deps: {
  trust: Pick<TrustService, 'overview' | 'kpis' | 'openGapsByType'>;
  clock: Clock;
  quarantineBelow: number;
  /** Self-healing's records over (from, to] (the remediation module). */
  healing?: (from: Date, to: Date) => Promise<HealingData>;
}) {
  return {
    /** What self-healing did over the trailing window: actions, outcomes, time to heal, cost avoided. */
    async healing(windowLabel: string | undefined): Promise<HealingReport> {
      const now = deps.clock.now();
      const kpis = await deps.trust.kpis(windowLabel, now);
      const from = new Date(kpis.from);
      const empty: HealingData = {
        counts: [],
        timeToHeal: { gaps: 0, sinceDetection: none(), afterAction: none() },
        costAvoided: { gaps: 0, usd: 0 },
        problems: [],
      };
      const data = deps.healing ? await deps.healing(from, now) : empty;
      return buildHealingReport({ now, window: kpis.window, from: kpis.from, to: kpis.at, data, selfResolution: kpis.kpis.self_resolution });
    },

    /** The executive summary over the trailing window, compared with the window before it. */
    async executive(windowLabel: string | undefined): Promise<ExecutiveReport> {
      const now = deps.clock.now();
      const current = await deps.trust.overview(windowLabel, now);
      const previousEnd = new Date(now.getTime() - current.kpis.window_ms);
      const [previous, gapRows] = await Promise.all([deps.trust.kpis(windowLabel, previousEnd), deps.trust.openGapsByType(now)]);
      const trends = Object.fromEntries(KPI_NAMES.map((name) => [name, trendOf(name, current.kpis.kpis[name], previous.kpis[name])])) as Record<
        (typeof KPI_NAMES)[number],
        Trend
      >;
      const gaps = groupGaps(gapRows);
      const active = current.agents.filter((agent) => agent.status === 'active');
      return {
        generated_at: now.toISOString(),
        window: current.kpis.window,
        from: current.kpis.from,
        to: current.kpis.at,
        previous_window: { from: previous.from, to: previous.at },
        kpis: current.kpis.kpis,
        previous_kpis: previous.kpis,
        trends,
        active_agents: active.length,
        top_risky_agents: riskiestAgents(active),
        open_gaps_by_kind: gaps,
        insights: insightsFor({ kpis: current.kpis.kpis, trends, agents: active, gaps, window: current.kpis.window }),
        recommendations: recommendationsFor({ kpis: current.kpis.kpis, agents: active, gaps, quarantineBelow: deps.quarantineBelow }),
      };
    },
  };
}

const none = () => ({ mean_seconds: null, median_seconds: null, p90_seconds: null, max_seconds: null });

export type ReportService = ReturnType<typeof createReportService>;
