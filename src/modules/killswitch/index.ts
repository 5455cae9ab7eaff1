import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { Metrics } from '../../platform/telemetry/metrics.js';
import type { AgentService } from '../agents/index.js';
import type { AuditService } from '../audit/index.js';
import { createKillSwitchMetrics } from './killswitch.metrics.js';
import type { KillSwitchPorts } from './killswitch.ports.js';
import { createKillSwitchPreview } from './killswitch.preview.js';
import { createKillSwitchReadModel } from './killswitch.read-model.js';
import { createKillSwitchRepository } from './killswitch.repository.js';
import { killSwitchRoutes } from './killswitch.routes.js';
import { createKillSwitchService } from './killswitch.service.js';

export type { KillSwitchService } from './killswitch.service.js';
export type { KillSwitchPreviewService } from './killswitch.preview.js';
export type { KillSwitchPorts, PendingApprovalsReader, PendingApprovalView, DiscoveredAgentsResolver } from './killswitch.ports.js';

export function createKillSwitchModule(deps: {
  db: Database;
  metrics: Metrics;
  logger: Logger;
  clock: Clock;
  audit: Pick<AuditService, 'append'>;
  agents: Pick<AgentService, 'applyStatusChanges' | 'forgetCachedAgents'>;
  ports: KillSwitchPorts;
}) {
  const logger = deps.logger.child({ module: 'killswitch' });
  const repository = createKillSwitchRepository(deps.db);
  const readModel = createKillSwitchReadModel(deps.db);
  const metrics = createKillSwitchMetrics(deps.metrics.registry, () => repository.countActive(), logger);
  const previews = createKillSwitchPreview({ db: deps.db, repository, readModel, audit: deps.audit, clock: deps.clock, metrics, ports: deps.ports });
  const service = createKillSwitchService({
    db: deps.db,
    repository,
    readModel,
    agents: deps.agents,
    audit: deps.audit,
    clock: deps.clock,
    logger,
    metrics,
    ports: deps.ports,
  });
  return { service, previews, routes: killSwitchRoutes(service, previews) };
}
