import type { Clock } from '../../platform/clock.js';
import { KPI_NAMES, type TrustService } from '../trust/index.js';
import type { HealingData } from '../remediation/index.js';
import { parseWindow } from '../trust/window.js';
import { driftReport, type DriftReport } from './drift.js';
import type { DriftRepository } from './drift.repository.js';
import { groupGaps, insightsFor, recommendationsFor, riskiestAgents, trendOf, type ExecutiveReport, type Trend } from './executive.js';
import { buildHealingReport, type HealingReport } from './healing.js';
import { builderFor, builtInBuilders, type GeneratedReport, type ReportKind } from './report-builders.js';

export interface ReportServiceDeps {
  trust: Pick<TrustService, 'overview' | 'kpis' | 'openGapsByType'>;
  drift: DriftRepository;
  clock: Clock;
  quarantineBelow: number;
  /** Self-healing's records over (from, to] (the remediation module); without it the healing report counts nothing. */
  healing?: (from: Date, to: Date) => Promise<HealingData>;
}

export function createReportService(deps: ReportServiceDeps) {
  /** The executive summary over the trailing window ending at `at`, compared with the window before it. */
  async function executive(windowLabel: string | undefined, at: Date = deps.clock.now()): Promise<ExecutiveReport> {
    const current = await deps.trust.overview(windowLabel, at);
    const previousEnd = new Date(at.getTime() - current.kpis.window_ms);
    const [previous, gapRows] = await Promise.all([deps.trust.kpis(windowLabel, previousEnd), deps.trust.openGapsByType(at)]);
    const trends = Object.fromEntries(KPI_NAMES.map((name) => [name, trendOf(name, current.kpis.kpis[name], previous.kpis[name])])) as Record<
      (typeof KPI_NAMES)[number],
      Trend
    >;
    const gaps = groupGaps(gapRows);
    const active = current.agents.filter((agent) => agent.status === 'active');
    return {
      generated_at: at.toISOString(),
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
  }

  /** Sync gaps detected over the trailing window (at − W, at], by kind, contract and owner agent. */
  async function drift(windowLabel: string | undefined, at: Date = deps.clock.now()): Promise<DriftReport> {
    const window = parseWindow(windowLabel);
    const from = new Date(at.getTime() - window.ms);
    const [rows, openAtEnd] = await Promise.all([deps.drift.groups(from, at), deps.drift.openAt(at)]);
    return driftReport({ generatedAt: at, window: window.label, from, to: at, rows, openAtEnd });
  }

  /** What self-healing did over the trailing window ending at `at`: actions, outcomes, time to heal, cost avoided. */
  async function healing(windowLabel: string | undefined, at: Date = deps.clock.now()): Promise<HealingReport> {
    const kpis = await deps.trust.kpis(windowLabel, at);
    const from = new Date(kpis.from);
    const empty: HealingData = {
      counts: [],
      timeToHeal: { gaps: 0, sinceDetection: none(), afterAction: none() },
      costAvoided: { gaps: 0, usd: 0 },
      problems: [],
    };
    const data = deps.healing ? await deps.healing(from, at) : empty;
    return buildHealingReport({ now: at, window: kpis.window, from: kpis.from, to: kpis.at, data, selfResolution: kpis.kpis.self_resolution });
  }

  const builders = builtInBuilders({ executive, drift, healing });

  return {
    executive,
    drift,
    healing,
    /** Builds a report of any kind as of `at` (scheduled runs); a kind this version cannot build is a 422. */
    async generate(kind: ReportKind, windowLabel: string, at: Date): Promise<GeneratedReport> {
      const builder = builderFor(builders, kind);
      return { kind, builder, report: await builder.build(windowLabel, at) };
    },
    /** Whether this version can build `kind`. */
    available: (kind: ReportKind) => builders[kind] !== undefined,
  };
}

const none = () => ({ mean_seconds: null, median_seconds: null, p90_seconds: null, max_seconds: null });

export type ReportService = ReturnType<typeof createReportService>;
