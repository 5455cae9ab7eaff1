import type { OrcaConfig, ProcessRole } from './platform/config/schema.js';
import { openDatabase, type Database } from './platform/db/index.js';
import { migrate } from './platform/db/migrate.js';
import { createLogger, type Logger } from './platform/telemetry/logger.js';
import { createMetrics, type Metrics } from './platform/telemetry/metrics.js';
import { systemClock, type Clock } from './platform/clock.js';
import { ORCA_VERSION } from './platform/version.js';
import { Redis } from 'ioredis';
import { Counter } from 'prom-client';
import { createAgentsModule } from './modules/agents/index.js';
import { createAuditModule } from './modules/audit/index.js';
import { createKeysModule } from './modules/keys/index.js';
import { createPoliciesModule } from './modules/policies/index.js';
import { createSyncModule } from './modules/sync/index.js';
import { createSourcesModule } from './modules/sources/index.js';
import { createIngestModule } from './modules/ingest/index.js';
import { createIncidentsModule } from './modules/incidents/index.js';
import { createTrustModule } from './modules/trust/index.js';
import { createReportsModule } from './modules/reports/index.js';
import { createSystemModule, type HealthChecks } from './modules/system/index.js';
import { createCacheInvalidation, createCacheMetrics, type CacheInvalidation } from './platform/cache/index.js';
import { createFallbackStore, createLocalStore, createRedisStore, type RateLimitStore } from './platform/edge/rate-limit-store.js';

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
  rateLimitStore: RateLimitStore;
  invalidation: CacheInvalidation;
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
    system: ReturnType<typeof createSystemModule>;
  };
  close(): Promise<void>;
}

/** Fails fast instead of queueing when Redis is away, so callers fall back at once rather than wait. */
function connectRedis(url: string, warn: (error: Error) => void): Redis {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000, lazyConnect: false });
  redis.on('error', warn);
  return redis;
}

/**
 * One warning per 30 s about Redis, whether it refuses connections (ioredis 'error' events, repeated on every
 * reconnect attempt) or hangs (no event at all: only the fallbacks show it).
 */
function throttledRedisWarning(logger: Logger): (error: Error) => void {
  let lastWarning = 0;
  return (error) => {
    if (Date.now() - lastWarning < 30_000) return;
    lastWarning = Date.now();
    logger.warn({ err: error }, 'redis unavailable; rate limits fall back to per-process counters');
  };
}

export interface ContainerOptions {
  role?: ProcessRole;
  logger?: Logger;
  clock?: Clock;
  /** Keep the embedded database in memory (tests). */
  inMemoryDatabase?: boolean;
  /** Apply pending migrations while opening (start-up does; `orca doctor` does not). */
  migrate?: boolean;
  /**
   * Bootstrap API keys (API_KEYS, and a first admin key when none exists) and hand a newly generated admin
   * key to `announce` once. `orca start` passes it; tests create their own keys.
   */
  bootstrapKeys?: { announce: (secret: string, file: string) => void };
}

/** Composition root: platform first, then each module with the narrow dependencies it needs. */
export async function createContainer(config: Readonly<OrcaConfig>, options: ContainerOptions = {}): Promise<Container> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const metrics = createMetrics();
  const db = await openDatabase(config, logger, metrics, { inMemory: options.inMemoryDatabase ?? false });
  try {
    if (options.migrate ?? true) {
      const report = await migrate(db);
      if (report.applied.length > 0) {
        logger.info({ applied: report.applied.map((m) => `${String(m.version).padStart(4, '0')}_${m.name}`), schema_version: report.current }, 'migrations applied');
      }
    }
  } catch (error) {
    await db.close();
    throw error;
  }
  const clock = options.clock ?? systemClock;
  const audit = createAuditModule({ db, clock, metrics: metrics.registry, logger });
  const keys = createKeysModule({ db, audit: audit.service, clock, logger });
  const invalidation = createCacheInvalidation(db, logger);
  const cacheMetrics = createCacheMetrics(metrics.registry);
  const agents = createAgentsModule({ db, metrics, logger, audit: audit.service, cacheMetrics, invalidation });
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
  });
  const sync = createSyncModule({ db, metrics, logger, clock, audit: audit.service, sweepIntervalMs: config.syncSweepIntervalMs });
  const sources = createSourcesModule({ db, config, clock, audit: audit.service, cacheMetrics, invalidation });
  const ingest = createIngestModule({ db, metrics, logger, clock, sources: sources.service, observer: sync.observer });
  const incidents = createIncidentsModule({ db, audit: audit.service, clock });
  const trust = createTrustModule({
    db,
    clock,
    logger,
    metrics,
    settings: { quarantineBelow: config.trustQuarantineBelow, platformCostUsdMonthly: config.platformCostUsdMonthly, snapshotIntervalMs: config.trustSnapshotIntervalMs },
    agents: agents.service,
    sync: () => sync.service,
    incidents: incidents.service,
    classificationWeights: async () => {
      const policy = await policies.service.activePolicy();
      return new Map([...policy.classifications].map(([name, level]) => [name, level.riskWeight]));
    },
  });
  const reports = createReportsModule({ trust: trust.service, clock, quarantineBelow: config.trustQuarantineBelow });

  const warnRedis = throttledRedisWarning(logger);
  const redis = config.redisUrl ? connectRedis(config.redisUrl, warnRedis) : undefined;
  const localStore = createLocalStore();
  const fallbacks = new Counter({
    name: 'orca_rate_limit_fallback_total',
    help: 'Rate-limit decisions taken with per-process counters because Redis failed',
    registers: [metrics.registry],
  });
  const rateLimitStore = redis
    ? createFallbackStore(createRedisStore(redis, 250), localStore, (error) => {
        fallbacks.inc();
        warnRedis(error);
      })
    : localStore;
  const system = createSystemModule({ db, redis });

  try {
    if (options.bootstrapKeys) {
      await keys.service.bootstrap({ apiKeys: config.apiKeys, dataDir: config.dataDir, announce: options.bootstrapKeys.announce });
    }
  } catch (error) {
    redis?.disconnect();
    await db.close();
    throw error;
  }
  keys.service.start();
  // Time-based sync rules are swept by worker processes (and `all`); an advisory lock keeps it to one at a time.
  if ((options.role ?? 'all') !== 'api') sync.sweeper.start();
  // Trust/KPI snapshots (and auto-quarantine) likewise run on workers; replicas serialise on an advisory lock.
  if ((options.role ?? 'all') !== 'api') trust.scheduler.start();
  await invalidation.start();

  return {
    config,
    role: options.role ?? 'all',
    logger,
    metrics,
    db,
    clock,
    health: system.health,
    version: ORCA_VERSION,
    startedAt: Date.now(),
    redis,
    rateLimitStore,
    modules: { agents, audit, keys, policies, sync, incidents, trust, reports, sources, ingest, system },
    invalidation,
    async close() {
      // Ingest first: events still gathering for a group commit are written (and analysed) before the rest stops.
      await ingest.close();
      // Decisions waiting for their group commit are written before the database closes.
      await policies.close();
      await invalidation.stop();
      await keys.service.stop();
      await sync.sweeper.stop();
      await trust.scheduler.stop();
      redis?.disconnect();
      await db.close();
    },
  };
}
