import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Logger } from '../../platform/telemetry/logger.js';
import { GAP_TYPES, SEVERITIES, type GapType, type Severity } from './contract-schema.js';

export interface SyncMetrics {
  gapOpened(type: GapType): void;
  gapResolved(type: GapType): void;
  analysisRetried(): void;
  sweep(seconds: number, failed: boolean): void;
  observerFailed(kind: 'events' | 'duplicate'): void;
}

/** Largest number of stream series exported (labels are bounded by the contracts, and then by this cap). */
const MAX_STREAM_SERIES = 500;

/**
 * Open gaps and stream lag are read from the database at scrape time, so every replica reports the same truth;
 * counters are per process.
 */
export function registerSyncMetrics(
  registry: Registry,
  sources: {
    countOpenGaps: () => Promise<Array<{ type: GapType; severity: Severity; count: number }>>;
    freshness: () => Promise<{ items: Array<{ contract: string; stream: string; lag_seconds: number | null }> }>;
  },
  logger: Logger,
): SyncMetrics {
  new Gauge({
    name: 'orca_sync_gaps_open',
    help: 'Open sync gaps by type and gap severity',
    // Not `severity`: alerting rules conventionally set a `severity` label of their own, which would collide with it.
    labelNames: ['type', 'gap_severity'] as const,
    registers: [registry],
    async collect() {
      try {
        const counts = new Map((await sources.countOpenGaps()).map((row) => [`${row.type}/${row.severity}`, Number(row.count)]));
        for (const type of GAP_TYPES) for (const severity of SEVERITIES) this.set({ type, gap_severity: severity }, counts.get(`${type}/${severity}`) ?? 0);
      } catch (error) {
        logger.debug({ err: error }, 'orca_sync_gaps_open: could not count gaps');
      }
    },
  });
  new Gauge({
    name: 'orca_sync_stream_lag_seconds',
    help: 'Seconds since each contracted stream last delivered an event (absent until its first event)',
    labelNames: ['contract', 'stream'] as const,
    registers: [registry],
    async collect() {
      try {
        const { items } = await sources.freshness();
        this.reset();
        for (const item of items.slice(0, MAX_STREAM_SERIES)) {
          if (item.lag_seconds !== null) this.set({ contract: item.contract, stream: item.stream }, item.lag_seconds);
        }
      } catch (error) {
        logger.debug({ err: error }, 'orca_sync_stream_lag_seconds: could not read stream state');
      }
    },
  });
  const opened = new Counter({ name: 'orca_sync_gaps_opened_total', help: 'Sync gaps opened by this process', labelNames: ['type'] as const, registers: [registry] });
  const resolved = new Counter({
    name: 'orca_sync_gaps_auto_resolved_total',
    help: 'Sync gaps closed automatically by this process (the data arrived or agrees again)',
    labelNames: ['type'] as const,
    registers: [registry],
  });
  const sweepDuration = new Histogram({
    name: 'orca_sync_sweep_duration_seconds',
    help: 'Duration of the periodic sync sweep (time-based rules)',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const sweepFailures = new Counter({ name: 'orca_sync_sweep_failures_total', help: 'Sync sweeps that failed (logged; retried next interval)', registers: [registry] });
  const observerFailures = new Counter({
    name: 'orca_sync_analysis_failures_total',
    help: 'Ingested batches (or duplicate conflicts) whose analysis failed; batches are retried by the next sweep',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const analysisRetries = new Counter({
    name: 'orca_sync_analysis_retries_total',
    help: 'Batch analyses redone because another transaction created the state of one of their new entities meanwhile',
    registers: [registry],
  });
  for (const type of GAP_TYPES) {
    opened.inc({ type }, 0);
    resolved.inc({ type }, 0);
  }
  return {
    gapOpened: (type) => opened.inc({ type }),
    gapResolved: (type) => resolved.inc({ type }),
    analysisRetried: () => analysisRetries.inc(),
    sweep(seconds, failed) {
      sweepDuration.observe(seconds);
      if (failed) sweepFailures.inc();
    },
    observerFailed: (kind) => observerFailures.inc({ kind }),
  };
}
