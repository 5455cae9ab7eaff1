import { Gauge, type Registry } from 'prom-client';
import type { Logger } from '../../platform/telemetry/logger.js';
import { KPI_NAMES } from './kpis.js';

/** Agents exported one by one in orca_trust_score: the lowest N of the latest snapshot, the ones worth a look. */
export const TRUST_GAUGE_LOWEST = 10;

const KPI_GAUGES: Record<(typeof KPI_NAMES)[number], { name: string; help: string }> = {
  trust_score: { name: 'orca_kpi_trust_score', help: 'Mean trust score of active agents (0-100), latest snapshot' },
  sync_freshness: { name: 'orca_kpi_sync_freshness_percent', help: 'Sync streams within SLO, percent, latest snapshot' },
  drift_rate: { name: 'orca_kpi_drift_rate_percent', help: 'Entities with an open sync gap, percent of entities seen, latest snapshot' },
  compliance_sla: { name: 'orca_kpi_compliance_sla_percent', help: 'Compliant policy decisions, percent, latest snapshot' },
  self_resolution: { name: 'orca_kpi_self_resolution_ratio', help: 'Gaps and incidents resolved automatically / all resolved, latest snapshot' },
  risk_avoided: { name: 'orca_kpi_risk_avoided_usd', help: 'Risk avoided (RA$) over the window, US dollars, latest snapshot' },
  roi: { name: 'orca_kpi_roi_ratio', help: 'Risk avoided / platform cost over the window, latest snapshot' },
};

/**
 * Trust and KPI gauges, read from the latest snapshot at scrape time so that every replica reports the same
 * values. Cardinality is bounded: orca_trust_score has at most TRUST_GAUGE_LOWEST agent series, the grade
 * counts four. A KPI without data (null) is absent rather than exported as a made-up 0 or NaN.
 */
export function registerTrustMetrics(
  registry: Registry,
  source: {
    latestTrustSummary(lowest: number): Promise<{ lowest: Array<{ agent_id: string; score: number }>; grades: Array<{ grade: string; count: number }> }>;
    latestKpiValues(): Promise<(Record<string, number | null> & { window: string }) | null>;
  },
  logger: Logger,
): void {
  new Gauge({
    name: 'orca_trust_score',
    help: `Trust score (0-100) of the ${TRUST_GAUGE_LOWEST} lowest-scoring active agents in the latest snapshot`,
    labelNames: ['agent_id'] as const,
    registers: [registry],
    async collect() {
      try {
        const summary = await source.latestTrustSummary(TRUST_GAUGE_LOWEST);
        this.reset();
        for (const row of summary.lowest) this.set({ agent_id: row.agent_id }, Number(row.score));
      } catch (error) {
        logger.debug({ err: error }, 'orca_trust_score: could not read the latest snapshot');
      }
    },
  });
  new Gauge({
    name: 'orca_trust_agents',
    help: 'Active agents by trust grade in the latest snapshot',
    labelNames: ['grade'] as const,
    registers: [registry],
    async collect() {
      try {
        const summary = await source.latestTrustSummary(0);
        const counts = new Map(summary.grades.map((row) => [row.grade, row.count]));
        for (const grade of ['excellent', 'good', 'fair', 'critical']) this.set({ grade }, counts.get(grade) ?? 0);
      } catch (error) {
        logger.debug({ err: error }, 'orca_trust_agents: could not read the latest snapshot');
      }
    },
  });

  let cached: { at: number; values: Promise<(Record<string, number | null> & { window: string }) | null> } | undefined;
  // The seven KPI gauges share one read per scrape.
  const latest = () => {
    if (!cached || Date.now() - cached.at > 1000) cached = { at: Date.now(), values: source.latestKpiValues().catch(() => null) };
    return cached.values;
  };
  for (const name of KPI_NAMES) {
    const gauge = KPI_GAUGES[name];
    new Gauge({
      name: gauge.name,
      help: `${gauge.help}; label window = the snapshot's trailing window`,
      labelNames: ['window'] as const,
      registers: [registry],
      async collect() {
        const values = await latest();
        const value = values?.[name];
        // Labelled so that reset() leaves no sample at all: a label-less gauge would show a made-up 0.
        this.reset();
        if (values && value !== null && value !== undefined) this.set({ window: String(values.window) }, Number(value));
      },
    });
  }
}
