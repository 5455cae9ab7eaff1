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
import { createAgentBulkRepository } from './agents-bulk.repository.js';
import { createAgentBulkWriter } from './agents.bulk.js';

export type { AgentService, StatusChange } from './agents.service.js';
export type { AgentStatus as AgentStatusValue } from './lifecycle.js';
export { Agent as AgentSchema, AgentKind as AgentKindSchema, AgentStatus as AgentStatusSchema, AGENT_KINDS } from './agents.schemas.js';
export type { AgentBulkWriter } from './agents.bulk.js';
export type { AgentStatusChange, DiscoveredDefinition } from './agents-bulk.repository.js';
export type { AgentRecord, AgentValues, NewAgentEvent } from './agents.repository.js';
export { fingerprintOf, hashInputSchema, type AgentTool } from './fingerprint.js';
export { agentEvent } from './history.js';
export type { AgentStatus } from './lifecycle.js';
export type { ToolInputValue } from './agents.schemas.js';

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
  /** Discovery registers and updates agents in bulk (docs/discovery.md), keeping this module's cache coherent. */
  const bulk = createAgentBulkWriter({ repository: createAgentBulkRepository(), cache, invalidation: deps.invalidation });
  return { service, bulk, routes: agentRoutes(service) };
}
