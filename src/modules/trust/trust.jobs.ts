import { Counter, type Registry } from 'prom-client';
import type { JobQueue } from '../../platform/jobs/index.js';

export const TRUST_SNAPSHOT_QUEUE = 'trust.snapshot';

/**
 * The trust/KPI snapshot as a scheduled job: once per TRUST_SNAPSHOT_INTERVAL across all replicas, on worker
 * processes. A failed snapshot is retried by the next interval. The snapshot keeps its own guard (an advisory lock,
 * and nothing to do when one was taken within half an interval), so a snapshot forced by hand never doubles it.
 */
export function registerTrustJobs(
  jobs: Pick<JobQueue, 'define' | 'schedule'>,
  deps: {
    intervalMs: number;
    snapshot: () => Promise<{ taken: boolean; agents: number; quarantined: string[] }>;
    registry: Registry;
    /** After a snapshot was taken (committed): trust and KPI alert rules read the snapshots. */
    onSnapshotTaken?: (correlationId: string) => void;
  },
): void {
  const runs = new Counter({
    name: 'orca_trust_snapshots_total',
    help: 'Scheduled trust/KPI snapshot attempts by outcome (taken, skipped: another replica took it, failed)',
    labelNames: ['outcome'] as const,
    registers: [deps.registry],
  });
  jobs.define({
    queue: TRUST_SNAPSHOT_QUEUE,
    // Each of the snapshot's reads is bounded by DATABASE_HEAVY_STATEMENT_TIMEOUT; a whole snapshot of many agents
    // takes several.
    timeoutSeconds: 1800,
    handler: async (job) => {
      let result: Awaited<ReturnType<typeof deps.snapshot>>;
      try {
        result = await deps.snapshot();
      } catch (error) {
        runs.inc({ outcome: 'failed' });
        throw error;
      }
      runs.inc({ outcome: result.taken ? 'taken' : 'skipped' });
      if (result.taken) {
        job.logger.info({ agents: result.agents, quarantined: result.quarantined.length }, 'trust snapshot taken');
        deps.onSnapshotTaken?.(job.correlationId);
      }
    },
  });
  jobs.schedule({ queue: TRUST_SNAPSHOT_QUEUE, intervalMs: deps.intervalMs });
}

