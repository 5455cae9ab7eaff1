import type { JobQueue } from '../../platform/jobs/index.js';
import type { Sweeper } from './sync.sweeper.js';

export const SYNC_SWEEP_QUEUE = 'sync.sweep';

/**
 * The sweep of time-based rules as a scheduled job: once per SYNC_SWEEP_INTERVAL across all replicas, on worker
 * processes. A failed sweep is not retried on its own (the next interval sweeps again); the sweep also keeps its
 * advisory lock, so a sweep started by hand (`runOnce`) never runs beside the scheduled one.
 */
export function registerSyncJobs(jobs: Pick<JobQueue, 'define' | 'schedule'>, deps: { sweeper: Sweeper; intervalMs: number }): void {
  jobs.define({
    queue: SYNC_SWEEP_QUEUE,
    // Catching up on a large backlog is bounded per sweep (sync.sweeper.ts), well within this.
    timeoutSeconds: 600,
    handler: async () => {
      await deps.sweeper.runOnce();
    },
  });
  jobs.schedule({ queue: SYNC_SWEEP_QUEUE, intervalMs: deps.intervalMs });
}
