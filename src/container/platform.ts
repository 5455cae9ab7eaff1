/** The platform under the modules, opened in order: traces, logs, metrics, then the database (migrated). */
import type { OrcaConfig } from '../platform/config/schema.js';
import { openDatabase, type Database } from '../platform/db/index.js';
import { migrate } from '../platform/db/migrate.js';
import { createLogger, type Logger } from '../platform/telemetry/logger.js';
import { createMetrics, type Metrics } from '../platform/telemetry/metrics.js';
import { startTracing, type Tracing } from '../platform/telemetry/tracing.js';
import { ORCA_VERSION } from '../platform/version.js';

export interface PlatformOptions {
  logger?: Logger | undefined;
  inMemoryDatabase?: boolean | undefined;
  databaseSnapshot?: Blob | undefined;
  migrate?: boolean | undefined;
  tracing?: Tracing | undefined;
}

export interface Platform {
  tracing: Tracing | undefined;
  logger: Logger;
  metrics: Metrics;
  db: Database;
}

/** Opens the platform; what it opened is closed again when a later step fails. */
export async function openPlatform(config: Readonly<OrcaConfig>, options: PlatformOptions): Promise<Platform> {
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
  return { tracing, logger, metrics, db };
}
