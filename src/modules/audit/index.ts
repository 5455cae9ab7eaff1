import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/index.js';
import { createAuditRepository } from './audit.repository.js';
import { auditRoutes } from './audit.routes.js';
import { createAuditService } from './audit.service.js';

export type { AuditService, AuditRecord, VerifyReport } from './audit.service.js';

export function createAuditModule(deps: { db: Database; clock: Clock }) {
  const service = createAuditService({ repository: createAuditRepository(deps.db), clock: deps.clock });
  return { service, routes: auditRoutes(service) };
}
