import type { JobQueue } from '../../platform/jobs/index.js';
import { REPORT_RUN_QUEUE, REPORT_SCHEDULE_CHECK_QUEUE, RUN_RETRIES, type RunJob, type ScheduleRunner } from './schedule-runner.js';

/**
 * The check for due schedules runs every REPORT_SCHEDULE_CHECK_INTERVAL on one worker across replicas (a failed check
 * is retried by the next one); each run is a job of its own, retried a few times with backoff.
 */
export function registerScheduleJobs(jobs: Pick<JobQueue, 'define' | 'schedule'>, runner: ScheduleRunner, checkIntervalMs: number): void {
  jobs.define({
    queue: REPORT_SCHEDULE_CHECK_QUEUE,
    retryLimit: 0,
    timeoutSeconds: 120,
    handler: async (job) => {
      await runner.dispatchDue(job.logger);
    },
  });
  jobs.schedule({ queue: REPORT_SCHEDULE_CHECK_QUEUE, intervalMs: checkIntervalMs });
  jobs.define<RunJob>({
    queue: REPORT_RUN_QUEUE,
    // Reports read large windows: two at a time per process leaves workers to deliveries and the sweep.
    concurrency: 2,
    retryLimit: RUN_RETRIES,
    retryDelaySeconds: 5,
    timeoutSeconds: 600,
    handler: (job) => runner.runReport(job),
  });
}
