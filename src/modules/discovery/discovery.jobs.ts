import type { JobQueue } from '../../platform/jobs/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import { RUN_QUEUE, type DiscoveryRunJob } from './discovery-runs.service.js';
import type { RunExecutor } from './run-executor.js';

export const SCHEDULE_QUEUE = 'discovery.schedule';
/** How often due sources are looked for: the resolution of source schedules (at least 1m). */
export const SCHEDULE_INTERVAL_MS = 60_000;

/**
 * Two queues: `discovery.run` runs one run per job (the run record, not the job, holds the outcome; a job retried
 * after a crash claims the same run again and finds what it already wrote), and `discovery.schedule` looks once a
 * minute, across replicas, for sources whose schedule is due and for runs a dead process left behind.
 */
export function registerDiscoveryJobs(
  jobs: Pick<JobQueue, 'define' | 'schedule'>,
  deps: { execute: RunExecutor; sweep: (logger: Logger) => Promise<unknown>; runTimeoutMs: number; concurrency: number },
): void {
  jobs.define<DiscoveryRunJob>({
    queue: RUN_QUEUE,
    // Runs wait on vendors far more than on the database: several at once, so that one slow source holds one slot.
    concurrency: deps.concurrency,
    retryLimit: 1,
    // The run ends itself at DISCOVERY_RUN_TIMEOUT; the job's own limit only catches a process that hung.
    timeoutSeconds: Math.ceil(deps.runTimeoutMs / 1000) + 120,
    handler: async (job) => {
      await deps.execute(job.data.run_id, { signal: job.signal, correlationId: job.correlationId, logger: job.logger });
    },
  });
  jobs.define({ queue: SCHEDULE_QUEUE, retryLimit: 0, timeoutSeconds: 120, handler: async (job) => void (await deps.sweep(job.logger)) });
  jobs.schedule({ queue: SCHEDULE_QUEUE, intervalMs: SCHEDULE_INTERVAL_MS });
}
