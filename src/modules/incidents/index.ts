import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/index.js';
import type { AuditService } from '../audit/index.js';
import { createIncidentRepository } from './incidents.repository.js';
import { incidentRoutes } from './incidents.routes.js';
import { createIncidentService } from './incidents.service.js';

export type { IncidentService } from './incidents.service.js';

export function createIncidentsModule(deps: { db: Database; audit: Pick<AuditService, 'append'>; clock: Clock; onChange?: (correlationId: string | null) => void }) {
  const service = createIncidentService({
    db: deps.db,
    repository: createIncidentRepository(deps.db),
    audit: deps.audit,
    clock: deps.clock,
    ...(deps.onChange ? { onChange: deps.onChange } : {}),
  });
  return { service, routes: incidentRoutes(service) };
}
