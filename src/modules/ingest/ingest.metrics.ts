import { Counter, Histogram, type Registry } from 'prom-client';

/** Ingestion metrics (docs/ingestion.md "Metrics"). Labels are bounded: source kinds, fixed outcomes and reasons. */
export type IngestOutcome = 'accepted' | 'duplicate' | 'conflict' | 'rejected';

export function createIngestMetrics(registry: Registry) {
  return {
    events: new Counter({
      name: 'orca_ingest_events_total',
      help: 'Events received, by source kind and outcome (accepted, duplicate, conflict, rejected)',
      labelNames: ['source_kind', 'outcome'] as const,
      registers: [registry],
    }),
    signatureFailures: new Counter({
      name: 'orca_ingest_signature_failures_total',
      help: 'Webhook deliveries refused with 401, by source kind and reason',
      labelNames: ['source_kind', 'reason'] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'orca_ingest_duration_seconds',
      help: 'Time from receiving an ingest request to acknowledging it (after commit), by endpoint',
      labelNames: ['endpoint'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'orca_ingest_group_commit_batch_size',
      help: 'Requests (webhook deliveries or batches) committed together (one insert statement)',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers: [registry],
    }),
    observerFailures: new Counter({
      name: 'orca_ingest_observer_failures_total',
      help: 'Post-commit analysis calls that failed (events stay stored; the periodic sweep catches up)',
      registers: [registry],
    }),
  };
}

export type IngestMetrics = ReturnType<typeof createIngestMetrics>;
