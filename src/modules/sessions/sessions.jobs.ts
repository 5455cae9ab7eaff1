import type { JobQueue } from '../../platform/jobs/index.js';
import type { SessionService } from './sessions.service.js';

export const SESSION_PURGE_QUEUE = 'sessions.purge';
const PURGE_INTERVAL_MS = 3_600_000;

/**
 * Sessions that ended more than a day ago are deleted: they can never act again (a lookup also checks
 * expiry), so this only keeps the table small. Once per hour across replicas, on worker processes; a failed purge
 * waits for the next one.
 */
export function registerSessionJobs(jobs: Pick<JobQueue, 'define' | 'schedule'>, service: Pick<SessionService, 'purge'>): void {
  jobs.define({
    queue: SESSION_PURGE_QUEUE,
    retryLimit: 0,
    timeoutSeconds: 300,
    handler: async (job) => {
      const purged = await service.purge();
      if (purged > 0) job.logger.info({ purged }, 'ended console sessions purged');
    },
  });
  jobs.schedule({ queue: SESSION_PURGE_QUEUE, intervalMs: PURGE_INTERVAL_MS });
}
