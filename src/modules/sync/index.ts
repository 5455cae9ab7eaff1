import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/index.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { Metrics } from '../../platform/telemetry/metrics.js';
import type { AuditService } from '../audit/index.js';
import type { IngestObserver } from '../ingest/index.js';
import { createActiveContracts } from './active-contracts.js';
import { createSyncEngine } from './sync.engine.js';
import { registerSyncMetrics } from './sync.metrics.js';
import { createSyncRepositories } from './sync.repositories.js';
import { syncRoutes } from './sync.routes.js';
import { createSyncService } from './sync.service.js';
import { registerSyncJobs } from './sync.jobs.js';
import { createSweeper } from './sync.sweeper.js';
import type { GapObserver } from './gap-observer.js';

export type { SyncService, StreamStatus } from './sync.service.js';
export type { Sweeper } from './sync.sweeper.js';
export type { SyncEngine } from './sync.engine.js';
export type { SweepReport } from './sync.sweeper.js';
export { SYNC_SWEEP_QUEUE } from './sync.jobs.js';
export { GapPage, GapType as GapTypeSchema, Severity as GapSeveritySchema } from './sync.schemas.js';
export type { GapQuery } from './sync.schemas.js';
export type { GapObserver } from './gap-observer.js';
export type { NewGap as OpenedGap, GapRow as StoredGap } from './gaps.repository.js';
export type { ResolvedRemediationStep } from './remediation-policy.js';
export { REMEDIATION_ACTIONS, type RemediationActionName, type GapType, type Severity } from './contract-schema.js';

export function createSyncModule(deps: {
  db: Database;
  metrics: Metrics;
  logger: Logger;
  clock: Clock;
  audit: Pick<AuditService, 'append'>;
  /** Where the module declares its scheduled sweep. */
  jobs: Pick<JobQueue, 'define' | 'schedule'>;
  /** Time between sweeps of the time-based rules (SYNC_SWEEP_INTERVAL). */
  sweepIntervalMs: number;
  /** After a transaction that opened or resolved gaps committed (by analysis or sweep): alert rules look at gaps. */
  onGapsChanged?: () => void;
  /** Told of gaps opened (in their transaction, with their remediation policy) and closed: self-healing. */
  gapObserver?: GapObserver;
  /** The names of existing receivers, which a remediation policy may name. */
  receiverNames?: () => Promise<string[]>;
}) {
  const logger = deps.logger.child({ module: 'sync' });
  const repositories = createSyncRepositories(deps.db);
  const contracts = createActiveContracts({ repository: repositories.contracts, logger });
  const service = createSyncService({
    db: deps.db,
    repositories,
    contracts,
    audit: deps.audit,
    clock: deps.clock,
    ...(deps.gapObserver ? { observer: deps.gapObserver } : {}),
    ...(deps.receiverNames ? { receiverNames: deps.receiverNames } : {}),
  });
  const metrics = registerSyncMetrics(deps.metrics.registry, { countOpenGaps: service.countOpenGaps, freshness: () => service.freshness() }, logger);
  // The gap hooks run once their transaction committed (gap-recorder.ts): the right moment to tell alerts.
  const hooks = {
    ...metrics,
    gapOpened: (type: Parameters<typeof metrics.gapOpened>[0]) => {
      metrics.gapOpened(type);
      deps.onGapsChanged?.();
    },
    gapResolved: (type: Parameters<typeof metrics.gapResolved>[0]) => {
      metrics.gapResolved(type);
      deps.onGapsChanged?.();
    },
  };
  const engine = createSyncEngine({ db: deps.db, repositories, contracts, clock: deps.clock, logger, hooks, ...(deps.gapObserver ? { observer: deps.gapObserver } : {}) });
  const sweeper = createSweeper({ sweep: engine.sweep, logger, observe: metrics.sweep });
  registerSyncJobs(deps.jobs, { sweeper, intervalMs: deps.sweepIntervalMs });

  /** What the ingest module calls after each commit. Never throws: the events are durable whatever analysis does. */
  const observer: IngestObserver = {
    async eventsCommitted(events) {
      try {
        await engine.analyse(events);
      } catch {
        metrics.observerFailed('events'); // logged and queued for the next sweep by the engine
      }
    },
    async duplicateConflict(conflict) {
      try {
        await engine.duplicateConflict(conflict);
      } catch (error) {
        metrics.observerFailed('duplicate');
        logger.error({ err: error, source_id: conflict.source_id }, 'could not record a duplicate sync gap');
      }
    },
  };

  return { service, routes: syncRoutes(service), observer, sweeper, engine };
}

export type SyncModule = ReturnType<typeof createSyncModule>;
