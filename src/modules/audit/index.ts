import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/index.js';
import type { Registry } from 'prom-client';
import type { Logger } from '../../platform/telemetry/logger.js';
import { registerAuditMetrics } from './audit.metrics.js';
import { createAuditRepository } from './audit.repository.js';
import { auditRoutes } from './audit.routes.js';
import { createAuditService } from './audit.service.js';

export type { AuditService, AuditRecord, VerifyReport } from './audit.service.js';
export { GENESIS_HASH, verifyBatch, type ChainProblem, type StoredAuditEntry } from './chain.js';

export function createAuditModule(deps: { db: Database; clock: Clock; metrics: Registry; logger: Logger }) {
  const repository = createAuditRepository(deps.db);
  const service = createAuditService({ repository, clock: deps.clock });
  registerAuditMetrics(deps.metrics, () => repository.head(), deps.logger);
  return { service, routes: auditRoutes(service) };
}
