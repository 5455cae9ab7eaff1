/**
 * Retention of resolved alerts: the scheduled `alerts.prune` job (once per PRUNE_INTERVAL_MS across replicas)
 * deletes alerts resolved longer ago than ALERTS_RESOLVED_RETENTION. Live alerts are never touched, nor a resolved
 * one that a group still reports firing (its resolution is yet to be sent).
 */
import type { Clock } from '../../platform/clock.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { AlertsRepository } from './alerts.repository.js';

export const ALERTS_PRUNE_QUEUE = 'alerts.prune';
/** Retention is counted in days; an hourly sweep keeps the table within an hour of it. */
export const PRUNE_INTERVAL_MS = 3_600_000;

export function registerAlertPruning(
  jobs: Pick<JobQueue, 'define' | 'schedule'>,
  deps: { repository: Pick<AlertsRepository, 'pruneResolved'>; clock: Clock; logger: Logger; retentionMs: number },
): { prune: () => Promise<number> } {
  const prune = async (): Promise<number> => {
    const before = new Date(deps.clock.now().getTime() - deps.retentionMs);
    const deleted = await deps.repository.pruneResolved(before);
    if (deleted > 0) deps.logger.info({ deleted, resolved_before: before.toISOString() }, 'resolved alerts past their retention deleted');
    return deleted;
  };
  jobs.define({ queue: ALERTS_PRUNE_QUEUE, retryLimit: 0, timeoutSeconds: 300, handler: async () => void (await prune()) });
  jobs.schedule({ queue: ALERTS_PRUNE_QUEUE, intervalMs: PRUNE_INTERVAL_MS });
  return { prune };
}
