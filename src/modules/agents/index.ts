import type { Database } from '../../platform/db/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { AuditService } from '../audit/index.js';
import type { Metrics } from '../../platform/telemetry/metrics.js';
import { registerAgentMetrics } from './agents.metrics.js';
import { createAgentRepository } from './agents.repository.js';
import { agentRoutes } from './agents.routes.js';
import { createAgentService } from './agents.service.js';

export type { AgentService } from './agents.service.js';

export function createAgentsModule(deps: { db: Database; metrics: Metrics; logger: Logger; audit: Pick<AuditService, 'append'> }) {
  const repository = createAgentRepository(deps.db);
  const service = createAgentService({ db: deps.db, repository, audit: deps.audit });
  registerAgentMetrics(deps.metrics.registry, service.countByStatus, deps.logger);
  return { service, routes: agentRoutes(service) };
}
