import type { OrcaConfig, ProcessRole } from './platform/config/schema.js';
import { openDatabase, type Database } from './platform/db/index.js';
import { migrate } from './platform/db/migrate.js';
import { createLogger, type Logger } from './platform/telemetry/logger.js';
import { createMetrics, type Metrics } from './platform/telemetry/metrics.js';
import { systemClock, type Clock } from './platform/clock.js';
import { ORCA_VERSION } from './platform/version.js';
import { createAgentsModule } from './modules/agents/index.js';
import { createHealthChecks, type HealthChecks } from './modules/system/health.js';

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
  modules: {
    agents: ReturnType<typeof createAgentsModule>;
  };
  close(): Promise<void>;
}

export interface ContainerOptions {
  role?: ProcessRole;
  logger?: Logger;
  clock?: Clock;
  /** Keep the embedded database in memory (tests). */
  inMemoryDatabase?: boolean;
  /** Apply pending migrations while opening (start-up does; `orca doctor` does not). */
  migrate?: boolean;
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
  const agents = createAgentsModule({ db, metrics, logger });
  return {
    config,
    role: options.role ?? 'all',
    logger,
    metrics,
    db,
    clock: options.clock ?? systemClock,
    health: createHealthChecks(db),
    version: ORCA_VERSION,
    startedAt: Date.now(),
    modules: { agents },
    async close() {
      await db.close();
    },
  };
}
