import type { OrcaConfig, ProcessRole } from './platform/config/schema.js';
import { openDatabase, type Database } from './platform/db/index.js';
import { migrate } from './platform/db/migrate.js';
import { createJobQueue, type JobQueue } from './platform/jobs/index.js';
import { createLogger, type Logger } from './platform/telemetry/logger.js';
import { createDependencyState, type DependencyState } from './platform/telemetry/dependency-state.js';
import { createMetrics, type Metrics } from './platform/telemetry/metrics.js';
import { startTracing, type Tracing } from './platform/telemetry/tracing.js';
import { systemClock, type Clock } from './platform/clock.js';
import { AppError } from './platform/errors.js';
import { ORCA_VERSION } from './platform/version.js';
import { Redis } from 'ioredis';
import { Counter } from 'prom-client';
import { createAgentsModule } from './modules/agents/index.js';
import { createAuditModule } from './modules/audit/index.js';
import { createKeysModule } from './modules/keys/index.js';
import { createPoliciesModule, DEFAULT_POLICY_SOURCE } from './modules/policies/index.js';
import { createSyncModule } from './modules/sync/index.js';
import { createSourcesModule } from './modules/sources/index.js';
import { createIngestModule, type IngestObserver } from './modules/ingest/index.js';
import { createIncidentsModule } from './modules/incidents/index.js';
import { createTrustModule } from './modules/trust/index.js';
import { createReportsModule } from './modules/reports/index.js';
import { createRemediationModule } from './modules/remediation/index.js';
import { createEvidenceModule } from './modules/evidence/index.js';
import { createReceiversModule, standardWebhookHeaders } from './modules/receivers/index.js';
import { createAlertsModule } from './modules/alerts/index.js';
import { createApprovalsModule } from './modules/approvals/index.js';
import type { NotificationSink } from './modules/receivers/notification.js';
import { createBackupsModule } from './modules/backups/index.js';
import { createKillSwitchModule } from './modules/killswitch/index.js';
import { createMcpModule, governanceTools } from './modules/mcp/index.js';
import { createSessionsModule } from './modules/sessions/index.js';
import { createConsoleModule } from './modules/console/index.js';
import { createDiscoveryModule } from './modules/discovery/index.js';
import { createSystemModule, type HealthChecks } from './modules/system/index.js';
import { createCacheInvalidation, createCacheMetrics, type CacheInvalidation } from './platform/cache/index.js';
import { createFallbackStore, createLocalStore, createRedisStore, type RateLimitStore } from './platform/edge/rate-limit-store.js';
import { createOutboundClient, type OutboundClient } from './platform/outbound/index.js';
import { createSecretBox, secretKeyLoader } from './platform/crypto/secret-box.js';

export interface Container {
  config: Readonly<OrcaConfig>;
  role: ProcessRole;
  logger: Logger;
  metrics: Metrics;
  db: Database;
  clock: Clock;
  health: HealthChecks;
  version: string;
  startedAt: number;
  redis: Redis | undefined;
  /** Whether Redis answers (undefined without REDIS_URL): `orca_dependency_up`, /health, /status. */
  redisState: DependencyState | undefined;
  rateLimitStore: RateLimitStore;
  invalidation: CacheInvalidation;
  /** Every HTTP call out of the process goes through it (timeout, retries, breaker per target, SSRF guard). */
  outbound: OutboundClient;
  /** The durable job queue: every role sends; `worker` and `all` also run jobs and schedules. */
  jobs: JobQueue;
  /** OpenTelemetry traces, when OTEL_EXPORTER_OTLP_ENDPOINT is set; undefined (nothing loaded) otherwise. */
  tracing: Tracing | undefined;
  modules: {
    agents: ReturnType<typeof createAgentsModule>;
    audit: ReturnType<typeof createAuditModule>;
    keys: ReturnType<typeof createKeysModule>;
    policies: ReturnType<typeof createPoliciesModule>;
    sync: ReturnType<typeof createSyncModule>;
    sources: ReturnType<typeof createSourcesModule>;
    ingest: ReturnType<typeof createIngestModule>;
    incidents: ReturnType<typeof createIncidentsModule>;
    trust: ReturnType<typeof createTrustModule>;
    reports: ReturnType<typeof createReportsModule>;
    evidence: ReturnType<typeof createEvidenceModule>;
    receivers: ReturnType<typeof createReceiversModule>;
    alerts: ReturnType<typeof createAlertsModule>;
    approvals: ReturnType<typeof createApprovalsModule>;
    backups: ReturnType<typeof createBackupsModule>;
    killSwitch: ReturnType<typeof createKillSwitchModule>;
    mcp: ReturnType<typeof createMcpModule>;
    discovery: ReturnType<typeof createDiscoveryModule>;
    system: ReturnType<typeof createSystemModule>;
    remediation: ReturnType<typeof createRemediationModule>;
    sessions: ReturnType<typeof createSessionsModule>;
    console: ReturnType<typeof createConsoleModule>;
  };
  close(): Promise<void>;
}

/**
 * Fails fast instead of queueing when Redis is away, so callers fall back at once rather than wait. Its connection
 * events feed `state`; a Redis that hangs sends none, and only the fallbacks and probes report it.
 */
function connectRedis(url: string, state: DependencyState): Redis {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000, lazyConnect: false });
  redis.on('ready', () => state.up());
  // 'error' repeats on every reconnection attempt: the state logs the outage once.
  redis.on('error', (error: Error) => state.down(error));
  redis.on('close', () => state.down(new Error('the connection to redis closed')));
  return redis;
}

export interface ContainerOptions {
  role?: ProcessRole;
  logger?: Logger;
  clock?: Clock;
  /** Keep the embedded database in memory (tests). */
  inMemoryDatabase?: boolean;
  /** With inMemoryDatabase: start from this PGlite data-directory dump (tests: a migrated template) instead of initdb. */
  databaseSnapshot?: Blob;
  /** Apply pending migrations while opening (start-up does; `orca doctor` does not). */
  migrate?: boolean;
  /**
   * Bootstrap API keys (API_KEYS, and a first admin key when none exists) and hand a newly generated admin
   * key to `announce` once. `orca start` passes it; tests create their own keys.
   */
  bootstrapKeys?: { announce: (secret: string, file: string) => void };
  /** Where alert notifications go (tests pass a recording sink); the receivers module's sink otherwise. */
  notificationSink?: NotificationSink;
  /**
   * Tracing started by the caller, who gave its `logFields` to the logger it passes (tests); started here from
   * OTEL_EXPORTER_OTLP_ENDPOINT otherwise. The container shuts it down either way.
   */
  tracing?: Tracing;
}

/** Composition root: platform first, then each module with the narrow dependencies it needs. */
export async function createContainer(config: Readonly<OrcaConfig>, options: ContainerOptions = {}): Promise<Container> {
  const tracing =
    options.tracing ??
    (await startTracing({
      otelEndpoint: config.otelEndpoint,
      version: ORCA_VERSION,
      // Exports start seconds after start-up, when the logger below exists.
      onExportFailure: (error) => logger.warn({ err: error, endpoint: config.otelEndpoint }, 'could not export traces; spans are dropped until the collector answers'),
      onExportRecovered: () => logger.info({ endpoint: config.otelEndpoint }, 'traces are exported again'),
    }));
  const logger = options.logger ?? createLogger({ level: config.logLevel, ...(tracing ? { traceFields: tracing.logFields } : {}) });
  const metrics = createMetrics();
  const db = await openDatabase(config, logger, metrics, {
    inMemory: options.inMemoryDatabase ?? false,
    ...(options.databaseSnapshot ? { snapshot: options.databaseSnapshot } : {}),
    tracing,
  }).catch(async (error: unknown) => {
    await tracing?.shutdown();
    throw error;
  });
  try {
    if (options.migrate ?? true) {
      const report = await migrate(db);
      if (report.applied.length > 0) {
        logger.info({ applied: report.applied.map((m) => `${String(m.version).padStart(4, '0')}_${m.name}`), schema_version: report.current }, 'migrations applied');
      }
    }
  } catch (error) {
    await db.close();
    await tracing?.shutdown();
    throw error;
  }
  const clock = options.clock ?? systemClock;
  const outbound = createOutboundClient({ settings: config, registry: metrics.registry, logger, clock, version: ORCA_VERSION, tracing });
  const role = options.role ?? 'all';
  // Where links in alerts, notifications and resync requests point: ORCA's own API.
  const baseUrl = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  const jobs = createJobQueue({
    db,
    logger,
    registry: metrics.registry,
    runsJobs: role !== 'api',
    tracing,
    settings: {
      schema: config.jobsSchema,
      concurrency: config.jobsConcurrency,
      pollIntervalMs: config.jobsPollIntervalMs,
      maintenanceIntervalMs: config.jobsMaintenanceIntervalMs,
      // Half the shutdown budget: HTTP drains before, and the database must still close after.
      drainTimeoutMs: config.shutdownTimeoutMs / 2,
    },
  });
  const audit = createAuditModule({ db, clock, metrics: metrics.registry, logger });
  // One key for every secret ORCA stores encrypted (ORCA_SECRET_KEY, or the data directory's secret.key).
  const secretBox = createSecretBox(secretKeyLoader(config));
  const receivers = createReceiversModule({
    db,
    metrics,
    logger,
    clock,
    audit: audit.service,
    box: secretBox,
    outbound,
    jobs,
    settings: {
      retries: config.deliveryRetries,
      retryDelaySeconds: Math.round(config.deliveryRetryDelayMs / 1000),
      concurrency: config.deliveryConcurrency,
      attemptTimeoutMs: config.outboundTimeoutMs,
    },
  });
  // Alerts next: the modules whose writes can change an alert ask it for a prompt evaluation once they commit.
  const alerts = createAlertsModule({
    db,
    metrics,
    logger,
    clock,
    audit: audit.service,
    jobs,
    sink: options.notificationSink ?? receivers.sink,
    // `sync` is built below; streams are only asked for during an evaluation, long after start-up.
    streams: async (now) => (await sync.service.freshness(now)).items,
    // Read from BACKUP_DIR at evaluation time, so that an `orca backup` run by hand counts too.
    lastBackup: () => backups.service.status(),
    enabled: config.alertsEnabled,
    evaluationIntervalMs: config.alertsEvaluationIntervalMs,
    evaluationDebounceMs: config.alertsEvaluationDebounceMs,
    resolvedRetentionMs: config.alertsResolvedRetentionMs,
    baseUrl,
  });
  const keys = createKeysModule({ db, audit: audit.service, clock, logger });
  const sessions = createSessionsModule({
    db,
    audit: audit.service,
    authenticateKey: keys.service.authenticate,
    clock,
    logger,
    registry: metrics.registry,
    jobs,
    ttlMs: config.consoleSessionTtlMs,
  });
  const invalidation = createCacheInvalidation(db, logger);
  const cacheMetrics = createCacheMetrics(metrics.registry);
  const agents = createAgentsModule({ db, metrics, logger, audit: audit.service, cacheMetrics, invalidation });
  const approvals = createApprovalsModule({
    db,
    metrics,
    logger,
    clock,
    audit: audit.service,
    box: secretBox,
    outbound,
    jobs,
    keys: keys.service,
    settings: {
      enabled: config.approvalsEnabled,
      // A long-poll must answer before HANDLER_TIMEOUT cuts it off with a 503.
      maxWaitMs: Math.max(1000, Math.min(config.approvalsMaxWaitMs, config.handlerTimeoutMs - 5000)),
      expiryIntervalMs: config.approvalsExpiryIntervalMs,
      callbackRetries: config.approvalsCallbackRetries,
      callbackRetryDelaySeconds: Math.round(config.approvalsCallbackRetryDelayMs / 1000),
      slack: { signingSecret: config.approvalsSlackSigningSecret, approvers: config.approvalsSlackApprovers },
    },
    onChange: (correlationId) => alerts.requestEvaluation('approvals', correlationId ?? undefined),
  });
  const policies = createPoliciesModule({
    db,
    metrics,
    logger,
    clock,
    audit: audit.service,
    agents: agents.service,
    cacheMetrics,
    invalidation,
    allowSampleRate: config.policyAllowSampleRate,
    onViolationsRecorded: (correlationId) => alerts.requestEvaluation('violations', correlationId ?? undefined),
    outbound,
    approvals: approvals.gate,
  });
  const sync = createSyncModule({
    db,
    metrics,
    logger,
    clock,
    audit: audit.service,
    jobs,
    sweepIntervalMs: config.syncSweepIntervalMs,
    onGapsChanged: () => alerts.requestEvaluation('gaps'),
    // Self-healing hears of gaps (built below; gaps only open once the container is running).
    gapObserver: {
      gapOpened: (tx, gap, steps) => remediation.observer.gapOpened(tx, gap, steps),
      gapsClosed: (ids) => remediation.observer.gapsClosed(ids),
    },
    receiverNames: () => receivers.sink.receiverNames(),
  });
  const sources = createSourcesModule({ db, box: secretBox, clock, audit: audit.service, cacheMetrics, invalidation });
  const ingestObserver: IngestObserver = {
    async eventsCommitted(events) {
      await sync.observer.eventsCommitted(events);
      // An agent that speaks again may end an agent_silent alert (gaps tell alerts themselves, through sync).
      const fromAgent = events.find((event) => event.agent_id !== null);
      if (fromAgent) alerts.requestEvaluation('events', fromAgent.correlation_id ?? undefined);
    },
    duplicateConflict: (conflict) => sync.observer.duplicateConflict(conflict),
    signatureRejected: (rejection) => alerts.signatureRejected({ sourceId: rejection.source_id, correlationId: undefined }),
  };
  const ingest = createIngestModule({ db, metrics, logger, clock, sources: sources.service, observer: ingestObserver });
  const incidents = createIncidentsModule({ db, audit: audit.service, clock, onChange: (correlationId) => alerts.requestEvaluation('incidents', correlationId ?? undefined) });
  const trust = createTrustModule({
    db,
    clock,
    logger,
    metrics,
    jobs,
    settings: { quarantineBelow: config.trustQuarantineBelow, platformCostUsdMonthly: config.platformCostUsdMonthly, snapshotIntervalMs: config.trustSnapshotIntervalMs },
    agents: agents.service,
    sync: () => sync.service,
    incidents: incidents.service,
    onSnapshotTaken: (correlationId) => alerts.requestEvaluation('trust', correlationId),
    classificationWeights: async () => {
      const policy = await policies.service.activePolicy();
      return new Map([...policy.classifications].map(([name, level]) => [name, level.riskWeight]));
    },
  });
  const remediation = createRemediationModule({
    db,
    metrics,
    logger,
    clock,
    audit: audit.service,
    jobs,
    actions: {
      outbound,
      openReceiver: (name) => receivers.openByName(name),
      retryDeliveries: (actor, concerning) => receivers.deliveries.retryConcerning(actor, concerning),
      sink: options.notificationSink ?? receivers.sink,
      incidents: incidents.service,
      agents: agents.service,
      signWebhook: standardWebhookHeaders,
      baseUrl,
    },
    silencedBy: (labels, now) => alerts.silencedBy(labels, now),
    settings: { intervalMs: config.remediationIntervalMs, retryDelayMs: config.remediationRetryDelayMs },
  });
  const reports = createReportsModule({
    db,
    metrics,
    logger,
    clock,
    audit: audit.service,
    jobs,
    trust: trust.service,
    receivers: receivers.service,
    deliveries: receivers.deliveries,
    sink: receivers.sink,
    quarantineBelow: config.trustQuarantineBelow,
    scheduleCheckIntervalMs: config.reportScheduleCheckIntervalMs,
    baseUrl,
    healing: remediation.healing,
  });
  const evidence = createEvidenceModule({
    db,
    metrics,
    logger,
    clock,
    audit: audit.service,
    trust: trust.service,
    retentionMs: config.evidenceRetentionMs,
    allowSampleRate: config.policyAllowSampleRate,
    defaultPolicySource: DEFAULT_POLICY_SOURCE,
    version: ORCA_VERSION,
  });
  const killSwitch = createKillSwitchModule({
    db,
    metrics,
    logger,
    clock,
    audit: audit.service,
    agents: agents.service,
    ports: {
      ownedStreams: async () => (await sync.service.freshness()).items,
      sourceName: async (id) => {
        try {
          return (await sources.service.get(id)).name;
        } catch (error) {
          if (error instanceof AppError && error.code === 'not_found') return null;
          throw error;
        }
      },
      pendingApprovals: async (agentIds) =>
        (await approvals.service.pendingForAgents(agentIds)).map((approval) => ({
          id: approval.id,
          agent_id: approval.agent_id,
          action: approval.action,
          resource: approval.resource,
          requested_at: approval.created_at,
          expires_at: approval.expires_at,
        })),
      // Called only once a preview or an execution runs, after the discovery module below is built.
      discoveredAgents: (sourceIds, tx) => discovery.agentsFoundBy(sourceIds, tx),
    },
  });
  // The MCP tool registry: a module that offers tools adds its list here (docs/mcp.md "Adding a tool").
  const mcp = createMcpModule({
    tools: [...governanceTools({ agents: agents.service, policies: policies.service, trust: trust.service, sync: sync.service, approvals: approvals.service })],
    version: ORCA_VERSION,
    logger,
    metrics,
  });
  const backups = createBackupsModule({
    db,
    clock,
    logger,
    registry: metrics.registry,
    jobs,
    audit: audit.service,
    settings: config,
    version: ORCA_VERSION,
    onAttemptRecorded: () => alerts.requestEvaluation('backups'),
  });
  const discovery = createDiscoveryModule({
    db,
    metrics,
    logger,
    clock,
    audit: audit.service,
    box: secretBox,
    outbound,
    jobs,
    agents: agents.bulk,
    readAgent: (id) => agents.service.get(id),
    settings: {
      stdioCommands: config.discoveryStdioCommands,
      runTimeoutMs: config.discoveryRunTimeoutMs,
      maxItems: config.discoveryMaxItems,
      maxTools: config.discoveryMaxTools,
      maxDescriptionBytes: config.discoveryMaxDescriptionBytes,
      concurrency: config.discoveryConcurrency,
      requestTimeoutMs: config.outboundTimeoutMs,
      maxMessageBytes: config.outboundMaxResponseBytes,
      linkRules: config.discoveryLinkRules,
    },
    // New quarantined agents, agents to review and poisoned tools are alert conditions.
    onAgentsChanged: (correlationId) => alerts.requestEvaluation('discovery', correlationId),
  });

  const redisState = config.redisUrl
    ? createDependencyState({
        name: 'redis',
        logger,
        registry: metrics.registry,
        outageMessage: 'redis unavailable; rate limits fall back to per-process counters',
        recoveryMessage: 'redis available again; rate limits are shared again',
      })
    : undefined;
  const redis = config.redisUrl && redisState ? connectRedis(config.redisUrl, redisState) : undefined;
  const localStore = createLocalStore();
  const fallbacks = new Counter({
    name: 'orca_rate_limit_fallback_total',
    help: 'Rate-limit decisions taken with per-process counters because Redis failed',
    registers: [metrics.registry],
  });
  const rateLimitStore =
    redis && redisState
      ? createFallbackStore(createRedisStore(redis, 250), localStore, {
          onFallback: (error) => {
            fallbacks.inc();
            redisState.down(error);
          },
          onPrimaryAnswer: () => redisState.up(),
        })
      : localStore;
  const system = createSystemModule({ db, redis: redis && redisState ? { client: redis, state: redisState } : undefined, registry: metrics.registry });

  try {
    // The sync sweep and trust snapshots are scheduled jobs (each module's <module>.jobs.ts): worker processes run
    // them, once per interval across replicas.
    await jobs.start();
    await receivers.keepFromSettings({ alertmanagerUrl: config.alertmanagerUrl, alertWebhookUrl: config.alertWebhookUrl, alertWebhookSecret: config.alertWebhookSecret });
    if (options.bootstrapKeys) {
      const { announce } = options.bootstrapKeys;
      await keys.service.bootstrap({
        apiKeys: config.apiKeys,
        dataDir: config.dataDir,
        announce: (secret, file) => {
          // Where the key is, never the key: stdout may be a log collector (the CLI shows the key only to a terminal).
          logger.info({ key_file: file, file_mode: '0600' }, 'created the first admin API key; it is in key_file');
          announce(secret, file);
        },
      });
    }
  } catch (error) {
    await jobs.stop();
    redisState?.stop();
    redis?.disconnect();
    await db.close();
    await tracing?.shutdown();
    throw error;
  }
  keys.service.start();
  await invalidation.start();
  await approvals.start();

  return {
    config,
    role,
    logger,
    metrics,
    db,
    clock,
    health: system.health,
    version: ORCA_VERSION,
    startedAt: Date.now(),
    redis,
    redisState,
    rateLimitStore,
    modules: { agents, audit, keys, policies, sync, incidents, trust, reports, evidence, receivers, alerts, backups, killSwitch, mcp, remediation, discovery, approvals, sources, ingest, system, sessions, console: createConsoleModule({ dir: config.consoleDir }) },
    invalidation,
    outbound,
    jobs,
    tracing,
    async close() {
      // Jobs first (after HTTP, which the server closed): running jobs finish while everything they use is open.
      await jobs.stop();
      // Ingest next: events still gathering for a group commit are written (and analysed) before the rest stops.
      await ingest.close();
      // Decisions waiting for their group commit are written before the database closes.
      await policies.close();
      await remediation.drain();
      // Long-polls still waiting answer with what they read.
      await approvals.stop();
      await invalidation.stop();
      await keys.service.stop();
      redisState?.stop();
      redis?.disconnect();
      outbound.close();
      await db.close();
      // Last: the spans of everything above are exported before the process goes.
      await tracing?.shutdown();
    },
  };
}
