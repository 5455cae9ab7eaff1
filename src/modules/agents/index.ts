import type { CacheInvalidation, CacheMetrics } from '../../platform/cache/index.js';
import { createReadThroughCache } from '../../platform/cache/index.js';
import type { Database } from '../../platform/db/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { Metrics } from '../../platform/telemetry/metrics.js';
import type { AuditService } from '../audit/index.js';
import { registerAgentMetrics } from './agents.metrics.js';
import { createAgentRepository, type AgentRecord } from './agents.repository.js';
import { agentRoutes } from './agents.routes.js';
import { createAgentService } from './agents.service.js';

export type { AgentService, StatusChange } from './agents.service.js';
export type { AgentRecord } from './agents.repository.js';
export type { AgentStatus as AgentStatusValue } from './lifecycle.js';
export { Agent as AgentSchema, AgentKind as AgentKindSchema, AgentStatus as AgentStatusSchema, AGENT_KINDS } from './agents.schemas.js';

export function createAgentsModule(deps: {
  db: Database;
  metrics: Metrics;
  logger: Logger;
  audit: Pick<AuditService, 'append'>;
  cacheMetrics: CacheMetrics;
  invalidation: Pick<CacheInvalidation, 'notify' | 'register'>;
}) {
  const repository = createAgentRepository(deps.db);
  const cache = deps.invalidation.register(
    createReadThroughCache<AgentRecord>({ name: 'agents', max: 500, ttlMs: 5 * 60_000, metrics: deps.cacheMetrics }),
  );
  const service = createAgentService({ db: deps.db, repository, audit: deps.audit, cache, invalidation: deps.invalidation });
  registerAgentMetrics(deps.metrics.registry, service.countByStatus, deps.logger);
  return { service, routes: agentRoutes(service) };
}
