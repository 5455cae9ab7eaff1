import type { OrcaConfig, ProcessRole } from './platform/config/schema.js';
import type { Database } from './platform/db/index.js';
import { createJobQueue, type JobQueue } from './platform/jobs/index.js';
import type { Logger } from './platform/telemetry/logger.js';
import type { DependencyState } from './platform/telemetry/dependency-state.js';
import type { Metrics } from './platform/telemetry/metrics.js';
import type { Tracing } from './platform/telemetry/tracing.js';
import { systemClock, type Clock } from './platform/clock.js';
import { ORCA_VERSION } from './platform/version.js';
import type { Redis } from 'ioredis';
import type { NotificationSink } from './modules/receivers/notification.js';
import { createSystemModule, type HealthChecks } from './modules/system/index.js';
import { createCacheInvalidation, createCacheMetrics, type CacheInvalidation } from './platform/cache/index.js';
import type { RateLimitStore } from './platform/edge/rate-limit-store.js';
import { createOutboundClient, type OutboundClient } from './platform/outbound/index.js';
import { createSecretBox, secretKeyLoader } from './platform/crypto/secret-box.js';
import { createModules } from './container/modules.js';
import { openPlatform } from './container/platform.js';
import { connectSharedState } from './container/redis.js';
import type { ContainerModules } from './container/wiring.js';

export type { ContainerModules } from './container/wiring.js';

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
  modules: ContainerModules;
  close(): Promise<void>;
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

/** Composition root: platform first (container/platform.ts), then each module, area by area (container/modules.ts). */
export async function createContainer(config: Readonly<OrcaConfig>, options: ContainerOptions = {}): Promise<Container> {
  const { tracing, logger, metrics, db } = await openPlatform(config, options);
  const clock = options.clock ?? systemClock;
  const outbound = createOutboundClient({ settings: config, registry: metrics.registry, logger, clock, version: ORCA_VERSION, tracing });
  const role = options.role ?? 'all';
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
  const invalidation = createCacheInvalidation(db, logger);
  const modules = createModules({
    config,
    db,
    metrics,
    logger,
    clock,
    jobs,
    outbound,
    box: createSecretBox(secretKeyLoader(config)),
    cacheMetrics: createCacheMetrics(metrics.registry),
    invalidation,
    baseUrl: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`,
    notificationSink: options.notificationSink,
  });
  const { keys, receivers, approvals, ingest, policies, remediation } = modules;
  const shared = await connectSharedState(config, logger, metrics);
  const redis = shared.redis?.client;
  const redisState = shared.redis?.state;
  const system = createSystemModule({ db, redis: shared.redis, registry: metrics.registry });

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
    rateLimitStore: shared.rateLimitStore,
    modules: { ...modules, system },
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
