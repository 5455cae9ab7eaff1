import { Histogram, type Registry } from 'prom-client';
import { registerZeroedCounter } from '../../platform/telemetry/metrics.js';
import { REPORT_KINDS, type ReportKind } from './report-builders.js';

export const RUN_OUTCOMES = ['sent', 'failed', 'cancelled'] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

export interface ReportMetrics {
  run(kind: ReportKind, outcome: RunOutcome): void;
  generated(kind: ReportKind, seconds: number): void;
}

export function registerReportMetrics(registry: Registry): ReportMetrics {
  // Every series from the start at 0, so that an alert on failed runs works before the first failure.
  const runs = registerZeroedCounter(registry, {
    name: 'orca_report_runs_total',
    help: 'Scheduled report runs by report kind and outcome (sent: handed to every receiver\'s delivery; failed; cancelled: the schedule was deleted first)',
    series: { kind: REPORT_KINDS, outcome: RUN_OUTCOMES },
  });
  const generation = new Histogram({
    name: 'orca_report_generation_seconds',
    help: 'Time to build and render one scheduled report',
    labelNames: ['kind'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  return {
    run: (kind, outcome) => runs.inc({ kind, outcome }),
    generated: (kind, seconds) => generation.observe({ kind }, seconds),
  };
}
