import { join } from 'node:path';
import type { OrcaConfig } from '../config/schema.js';
import type { Logger } from '../telemetry/logger.js';
import type { Metrics } from '../telemetry/metrics.js';
import { traced, type Tracing } from '../telemetry/tracing.js';
import type { Database, DatabaseKind, QueryObserver } from './driver.js';
import type { PgliteOptions } from './pglite.js';
import { openPostgres } from './postgres.js';

export type { Database, Queryable, DatabaseKind, StatementBudget, TransactionOptions } from './driver.js';
export { jsonbParameter } from './driver.js';
export { createAfterCommit, type AfterCommit } from './after-commit.js';
export { isUniqueViolation } from './errors.js';
export { whereClause, type SqlText, type WhereBuilder } from './where.js';

/**
 * Replaces a PGlite data directory with a dump (a restore). PGlite's module is loaded only where the embedded database
 * is used: a process on a PostgreSQL server never carries it.
 */
export async function loadPgliteDataDir(dataDir: string, dump: Blob): Promise<void> {
  const { loadPgliteDataDir: load } = await import('./pglite.js');
  await load(dataDir, dump);
}

async function openEmbedded(dataDir: string | undefined, observe: QueryObserver, options: PgliteOptions = {}): Promise<Database> {
  const { openPglite } = await import('./pglite.js');
  return openPglite(dataDir, observe, options);
}

/** `DATABASE_URL` selects a PostgreSQL server; otherwise the embedded PGlite lives in `ORCA_DATA_DIR/pgdata`. */
export async function openDatabase(
  config: Pick<
    OrcaConfig,
    'databaseUrl' | 'databasePoolMax' | 'databasePreparedStatements' | 'databaseStatementTimeoutMs' | 'databaseHeavyStatementTimeoutMs' | 'dataDir'
  >,
  logger: Logger,
  metrics: Metrics,
  options: { inMemory?: boolean; snapshot?: Blob; tracing?: Tracing | undefined } = {},
): Promise<Database> {
  const kind = config.databaseUrl ? 'postgres' : 'pglite';
  const observe = tracedObserver(metrics.observeQuery(kind), kind, options.tracing);
  const db = config.databaseUrl
    ? await openPostgres(
        {
          url: config.databaseUrl,
          poolMax: config.databasePoolMax,
          preparedStatements: config.databasePreparedStatements,
          statementTimeouts: { defaultMs: config.databaseStatementTimeoutMs, heavyMs: config.databaseHeavyStatementTimeoutMs },
          onPoolError: (error) => logger.warn({ err: error }, 'database connection lost; the pool will reconnect'),
        },
        observe,
      )
    : options.inMemory
      ? await openEmbedded(undefined, observe, options.snapshot ? { snapshot: options.snapshot } : {})
      : await openEmbedded(join(config.dataDir, 'pgdata'), observe);
  metrics.trackPool(kind, () => db.poolStats());
  return db;
}

/**
 * The statement observer, with a client span around each statement run within a trace when tracing is on. Outside a
 * trace (the job queue's polling, LISTEN upkeep) no span is made: those would be a stream of one-span traces.
 * The statement's text is ORCA's own SQL with `$n` placeholders: values never reach a span.
 */
function tracedObserver(observe: QueryObserver, kind: DatabaseKind, tracing: Tracing | undefined): QueryObserver {
  if (!tracing) return observe;
  const withSpans: QueryObserver = (operation, seconds, failed) => observe(operation, seconds, failed);
  withSpans.trace = (operation, text, run) =>
    traced(
      tracing,
      {
        name: operation,
        kind: 'client',
        withinTraceOnly: true,
        attributes: { 'db.system.name': 'postgresql', 'db.operation.name': operation, 'db.query.text': text, 'orca.db.kind': kind },
      },
      run,
    );
  return withSpans;
}
