import type { JobQueue } from '../../platform/jobs/index.js';

export const BACKUP_QUEUE = 'backup.scheduled';

/**
 * The scheduled backup: once per BACKUP_INTERVAL across all replicas, on worker processes. No retries: the next
 * interval is the retry, and the failure shows in /status and `orca_backup_last_outcome` meanwhile. On the
 * embedded database the worker is the process that holds it, which is what dumping its data directory requires.
 */
export function registerBackupJobs(
  jobs: Pick<JobQueue, 'define' | 'schedule'>,
  deps: { intervalMs: number; run: (signal: AbortSignal) => Promise<unknown> },
): void {
  jobs.define({
    queue: BACKUP_QUEUE,
    retryLimit: 0,
    // A dump of a large database, then its copy to S3.
    timeoutSeconds: 6 * 3600,
    concurrency: 1,
    handler: async (job) => {
      await deps.run(job.signal);
    },
  });
  jobs.schedule({ queue: BACKUP_QUEUE, intervalMs: deps.intervalMs });
}
