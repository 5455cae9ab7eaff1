import type { Registry } from 'prom-client';
import type { Database } from '../../platform/db/index.js';
import { createHealthChecks, type OptionalRedis } from './health.js';
import { createSystemRepository } from './system.repository.js';
import { registerReadinessMetrics } from './system.metrics.js';
import { systemRoutes, type SystemRouteDeps } from './system.routes.js';

export { createHealthChecks } from './health.js';
export type { CheckResult, HealthChecks, HealthReport, OptionalRedis } from './health.js';

/** The process facts that the probes and /status report, known to the app that serves them. */
export type ProcessFacts = Omit<SystemRouteDeps, 'health' | 'schemaVersion'>;

/** Probes (/livez, /readyz, /health), /status and /metrics, with the checks behind readiness and `orca doctor`. */
export function createSystemModule(deps: { db: Database; redis?: OptionalRedis; registry?: Registry }) {
  const health = createHealthChecks(deps.db, deps.redis);
  if (deps.registry) registerReadinessMetrics(deps.registry, health);
  const repository = createSystemRepository(deps.db);
  return {
    health,
    routes: (facts: ProcessFacts) => systemRoutes({ ...facts, health, schemaVersion: () => repository.schemaVersion() }),
  };
}
