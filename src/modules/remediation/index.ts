import type { Clock } from '../../platform/clock.js';
import { createAfterCommit, type Database } from '../../platform/db/index.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { Metrics } from '../../platform/telemetry/metrics.js';
import type { AuditService } from '../audit/index.js';
import type { ActionDeps } from './remediation-actions.js';
import { createHealingReadModel } from './healing.read-model.js';
import { registerRemediationJobs } from './remediation.jobs.js';
import { registerRemediationMetrics } from './remediation.metrics.js';
import { createRemediationRepository } from './remediation.repository.js';
import { remediationRoutes } from './remediation.routes.js';
import { createAttemptRunner } from './remediation.runner.js';
import { createRemediationScheduler } from './remediation.scheduler.js';
import { createRemediationService } from './remediation.service.js';
import { createTransitionWriter } from './remediation.transitions.js';

export type { RemediationService } from './remediation.service.js';
export type { HealingData, DurationStats } from './healing.read-model.js';
export type { TickReport } from './remediation.scheduler.js';
export { ACT_QUEUE as REMEDIATION_ACT_QUEUE } from './remediation.runner.js';
export { TICK_QUEUE as REMEDIATION_TICK_QUEUE } from './remediation.jobs.js';
export { REMEDIATION_OUTCOMES, REMEDIATION_STATUSES, type RemediationOutcome, type RemediationStatus } from './remediation-state.js';

/**
 * Self-healing (docs/self-healing.md): the remediations a gap's policy calls for, each action an attempt job, the
 * scheduler that sends attempts and ends verification windows, and GET /remediations. `observer` is what the sync
 * module tells of gaps opened and closed.
 */
export function createRemediationModule(deps: {
  db: Database;
  metrics: Metrics;
  logger: Logger;
  clock: Clock;
  audit: Pick<AuditService, 'append'>;
  jobs: Pick<JobQueue, 'define' | 'schedule' | 'send'>;
  /** What the actions use: receivers, deliveries, incidents, agents, the outbound client. */
  actions: Omit<ActionDeps, 'now'>;
  /** The alert silences in force matching these labels (a silenced action is skipped). */
  silencedBy?: (labels: Record<string, string>, now: Date) => Promise<string[]>;
  settings: { intervalMs: number; retryDelayMs: number };
}) {
  const logger = deps.logger.child({ module: 'remediation' });
  const repository = createRemediationRepository(deps.db);
  const metrics = registerRemediationMetrics(deps.metrics.registry);
  const afterCommit = createAfterCommit(deps.db);
  const apply = createTransitionWriter({ repository, audit: deps.audit, afterCommit, metrics, clock: deps.clock, logger });
  const scheduler = createRemediationScheduler({ repository, afterCommit, apply, jobs: deps.jobs, clock: deps.clock });
  const runAttempt = createAttemptRunner({
    repository,
    afterCommit,
    apply,
    actions: { ...deps.actions, now: () => deps.clock.now() },
    metrics,
    clock: deps.clock,
    ...(deps.silencedBy ? { silencedBy: deps.silencedBy } : {}),
    retryBaseMs: deps.settings.retryDelayMs,
  });
  registerRemediationJobs(deps.jobs, { runAttempt, tick: scheduler.tick, intervalMs: deps.settings.intervalMs, logger });
  const service = createRemediationService({ repository, scheduler, metrics, clock: deps.clock, logger });
  const healing = createHealingReadModel(deps.db);

  return {
    service,
    observer: service.observer,
    routes: remediationRoutes(service),
    /** One scheduler round now, in this process (tests, commands); the scheduled job does it otherwise. */
    tick: scheduler.tick,
    /** The healing report's data over (from, to]. */
    healing: (from: Date, to: Date) => healing.healing(from, to),
    /** Waits for background settlements (before the database closes). */
    drain: service.drain,
  };
}

export type RemediationModule = ReturnType<typeof createRemediationModule>;
