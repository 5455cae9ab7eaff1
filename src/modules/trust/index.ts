import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/index.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { Metrics } from '../../platform/telemetry/metrics.js';
import { registerTrustJobs } from './trust.jobs.js';
import { registerTrustMetrics } from './trust.metrics.js';
import { createTrustReadModel } from './trust.read-model.js';
import { createTrustRepository } from './trust.repository.js';
import { trustRoutes } from './trust.routes.js';
import { createTrustService, type TrustServiceDeps } from './trust.service.js';

export type { TrustService, AgentTrust, KpiReport } from './trust.service.js';
export type { StreamStatus, StreamStatusSource } from './freshness.js';
export type { Kpi, KpiSet, KpiName, Band } from './kpis.js';
export { KPI_NAMES } from './kpis.js';
export { AgentTrustSchema, KpiSetSchema } from './trust.schemas.js';
export { WINDOW_PATTERN } from './window.js';
export { TRUST_SNAPSHOT_QUEUE } from './trust.jobs.js';

export function createTrustModule(deps: {
  db: Database;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  /** Where the module declares its scheduled snapshot. */
  jobs: Pick<JobQueue, 'define' | 'schedule'>;
  settings: TrustServiceDeps['settings'];
  agents: TrustServiceDeps['agents'];
  sync?: TrustServiceDeps['sync'];
  incidents?: TrustServiceDeps['incidents'];
  classificationWeights?: TrustServiceDeps['classificationWeights'];
  /** After a scheduled snapshot was taken (alert rules over trust and KPIs). */
  onSnapshotTaken?: (correlationId: string) => void;
}) {
  const service = createTrustService({ ...deps, readModel: createTrustReadModel(deps.db), repository: createTrustRepository(deps.db) });
  registerTrustMetrics(deps.metrics.registry, service, deps.logger);
  registerTrustJobs(deps.jobs, {
    intervalMs: deps.settings.snapshotIntervalMs,
    snapshot: () => service.snapshot(),
    registry: deps.metrics.registry,
    ...(deps.onSnapshotTaken ? { onSnapshotTaken: deps.onSnapshotTaken } : {}),
  });
  return { service, routes: trustRoutes(service) };
}
