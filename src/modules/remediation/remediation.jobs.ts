import type { JobQueue } from '../../platform/jobs/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import { ACT_QUEUE, type AttemptJob, type AttemptRunner } from './remediation.runner.js';
import type { TickReport } from './remediation.scheduler.js';

export const TICK_QUEUE = 'remediation.tick';

/**
 * Two queues: one attempt per job (`remediation.act`), and the scheduler's tick (`remediation.tick`), once per
 * REMEDIATION_INTERVAL across replicas on worker processes. An attempt's job is retried by the queue only when ORCA
 * itself failed during it (the database); what the action came to is the remediation's business, not the job's.
 */
export function registerRemediationJobs(
  jobs: Pick<JobQueue, 'define' | 'schedule'>,
  deps: { runAttempt: AttemptRunner; tick: () => Promise<TickReport>; intervalMs: number; logger: Logger },
): void {
  jobs.define<AttemptJob>({
    queue: ACT_QUEUE,
    handler: (job) => deps.runAttempt(job.data, job.correlationId, job.logger),
    retryLimit: 3,
    // An attempt is one action; a resync request's outbound retries (OUTBOUND_RETRIES × OUTBOUND_TIMEOUT) fit well within.
    timeoutSeconds: 600,
  });
  jobs.define({
    queue: TICK_QUEUE,
    timeoutSeconds: 300,
    handler: async () => {
      const report = await deps.tick();
      if (report.settled + report.expired + report.dispatched > 0) deps.logger.info({ ...report }, 'remediation tick');
    },
  });
  jobs.schedule({ queue: TICK_QUEUE, intervalMs: deps.intervalMs });
}
