import type { Clock } from '../../platform/clock.js';
import type { SecretBox } from '../../platform/crypto/secret-box.js';
import type { Database, Queryable } from '../../platform/db/index.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import type { OutboundClient } from '../../platform/outbound/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { Metrics } from '../../platform/telemetry/metrics.js';
import type { AgentBulkWriter, AgentRecord } from '../agents/index.js';
import type { AuditService } from '../audit/index.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createMergeRepository } from './agent-merge.repository.js';
import { agentMergeRoutes } from './agent-merge.routes.js';
import { createMergeService } from './agent-merge.service.js';
import { createDiscoveryApplier } from './apply-discovery.js';
import { registerDiscoveryJobs } from './discovery.jobs.js';
import { createDiscoveryMetrics } from './discovery.metrics.js';
import { discoveryRoutes } from './discovery.routes.js';
import { createDiscoveryRunRepository } from './discovery-runs.repository.js';
import { createDiscoveryRunService } from './discovery-runs.service.js';
import { createDiscoverySourceRepository } from './discovery-sources.repository.js';
import { createDiscoverySourceService } from './discovery-sources.service.js';
import { createIdentityRepository } from './identities.repository.js';
import type { LinkRule } from './link-keys.js';
import { createRunExecutor } from './run-executor.js';

export { RUN_QUEUE } from './discovery-runs.service.js';
export { SCHEDULE_QUEUE } from './discovery.jobs.js';
export type { DiscoveryRunService } from './discovery-runs.service.js';
export type { DiscoverySourceService } from './discovery-sources.service.js';
export type { DiscoveryRun, DiscoverySource } from './discovery.schemas.js';

export interface DiscoverySettings {
  stdioCommands: readonly string[];
  runTimeoutMs: number;
  maxItems: number;
  maxTools: number;
  maxDescriptionBytes: number;
  concurrency: number;
  /** OUTBOUND_TIMEOUT and OUTBOUND_MAX_RESPONSE_BYTES: one MCP request, and one stdio message. */
  requestTimeoutMs: number;
  maxMessageBytes: number;
  /** DISCOVERY_LINK_RULES (docs/discovery.md "Merging"). */
  linkRules: readonly LinkRule[];
}

/** Discovery (docs/discovery.md): sources, runs as durable jobs, connectors per vendor, shadow-AI quarantine and review. */
export function createDiscoveryModule(deps: {
  db: Database;
  metrics: Metrics;
  logger: Logger;
  clock: Clock;
  audit: Pick<AuditService, 'append'>;
  box: SecretBox;
  outbound: Pick<OutboundClient, 'request' | 'fetch' | 'assertAllowedUrl'>;
  jobs: Pick<JobQueue, 'define' | 'schedule' | 'send'>;
  agents: AgentBulkWriter;
  /** An agent as GET /agents/{id} shows it (what merge and unmerge answer). */
  readAgent: (id: string) => Promise<AgentRecord>;
  settings: DiscoverySettings;
  /** After a run changed the registry: alert rules look at quarantined, changed and flagged agents. */
  onAgentsChanged: (correlationId: string) => void;
}) {
  const logger = deps.logger.child({ module: 'discovery' });
  const { settings } = deps;
  const sources = createDiscoverySourceRepository(deps.db);
  const runs = createDiscoveryRunRepository(deps.db);
  const identities = createIdentityRepository(deps.db);
  const merges = createMergeRepository();
  const apply = createDiscoveryApplier({ db: deps.db, agents: deps.agents, identities, merges, clock: deps.clock });
  const execute = createRunExecutor({
    db: deps.db,
    sources,
    runs,
    identities,
    apply,
    box: deps.box,
    outbound: deps.outbound,
    audit: deps.audit,
    clock: deps.clock,
    logger,
    metrics: createDiscoveryMetrics(deps.metrics.registry),
    settings: {
      runTimeoutMs: settings.runTimeoutMs,
      stdioCommands: settings.stdioCommands,
      linkRules: settings.linkRules,
      limits: {
        maxItems: settings.maxItems,
        maxTools: settings.maxTools,
        maxDescriptionBytes: settings.maxDescriptionBytes,
        requestTimeoutMs: settings.requestTimeoutMs,
        maxMessageBytes: settings.maxMessageBytes,
      },
    },
    onAgentsChanged: deps.onAgentsChanged,
  });
  const sourceService = createDiscoverySourceService({ db: deps.db, repository: sources, audit: deps.audit, box: deps.box, outbound: deps.outbound, stdioCommands: settings.stdioCommands });
  const runService = createDiscoveryRunService({
    db: deps.db,
    sources,
    runs,
    identities,
    jobs: deps.jobs,
    execute,
    audit: deps.audit,
    clock: deps.clock,
    logger,
    // Two attempts of a whole run, plus the margin of the job's own timeout: no live attempt can be that old.
    abandonAfterMs: 2 * (settings.runTimeoutMs + 120_000) + 60_000,
  });
  const mergeService = createMergeService({ db: deps.db, merges, agents: deps.agents, readAgent: deps.readAgent, audit: deps.audit, clock: deps.clock });
  registerDiscoveryJobs(deps.jobs, { execute, sweep: runService.sweep, runTimeoutMs: settings.runTimeoutMs, concurrency: settings.concurrency });
  return {
    sources: sourceService,
    runs: runService,
    /** The agents these sources found (the kill switch's discovery_source criterion, docs/kill-switch.md). */
    agentsFoundBy: (sourceIds: string[], tx: Queryable) => identities.agentsFoundBy(sourceIds, tx),
    merges: mergeService,
    routes: (async (app) => {
      await app.register(discoveryRoutes(sourceService, runService));
      await app.register(agentMergeRoutes(mergeService));
    }) satisfies FastifyPluginAsyncTypebox,
  };
}

export type DiscoveryModule = ReturnType<typeof createDiscoveryModule>;
