import { Counter, Histogram, type Registry } from 'prom-client';

export interface DiscoveryMetrics {
  runFinished(kind: string, status: string, seconds: number, counts: { new: number; linked: number; changed: number; unchanged: number; missing: number }): void;
}

/** `orca_discovery_*`: runs by kind and outcome, their duration, and what they found. Labels are bounded (kinds, statuses). */
export function createDiscoveryMetrics(registry: Registry): DiscoveryMetrics {
  const runs = new Counter({
    name: 'orca_discovery_runs_total',
    help: 'Discovery runs finished, by source kind and status (succeeded, partial, failed)',
    labelNames: ['kind', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'orca_discovery_run_duration_seconds',
    help: 'Duration of discovery runs, from claiming the run to recording its outcome',
    labelNames: ['kind'] as const,
    buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900],
    registers: [registry],
  });
  const agents = new Counter({
    name: 'orca_discovery_agents_total',
    help: 'Agents seen by discovery runs, by source kind and outcome (new, linked, changed, unchanged, missing)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  return {
    runFinished(kind, status, seconds, counts) {
      runs.inc({ kind, status });
      duration.observe({ kind }, seconds);
      for (const outcome of ['new', 'linked', 'changed', 'unchanged', 'missing'] as const) if (counts[outcome] > 0) agents.inc({ kind, outcome }, counts[outcome]);
    },
  };
}
