import { Redis } from 'ioredis';
import { createHealthChecks, type CheckResult } from '../../modules/system/index.js';
import type { OrcaConfig } from '../../platform/config/schema.js';
import { openDatabase, type Database, type DatabaseKind } from '../../platform/db/index.js';
import { createLogger } from '../../platform/telemetry/logger.js';
import { createMetrics } from '../../platform/telemetry/metrics.js';
import { readServerEndpoint, type ServerEndpoint } from '../../platform/server-endpoint.js';
import { doctorHints } from './hints.js';

export interface Diagnosis {
  status: 'ok' | 'degraded' | 'down';
  database: DatabaseKind;
  checks: Record<string, CheckResult>;
  /** one actionable line per failing check */
  hints: string[];
  /** set when the checks were those of the server running on this data directory (its /health) */
  via?: string;
}

/** The running server's own /health: the same checks, run where the database is open. */
async function diagnoseRunningServer(endpoint: ServerEndpoint): Promise<Diagnosis> {
  const via = `the running ORCA (pid ${endpoint.pid}, ${endpoint.url})`;
  try {
    const response = await fetch(new URL('/health', endpoint.url), { signal: AbortSignal.timeout(5_000) });
    const body = (await response.json()) as { status: Diagnosis['status']; checks: Record<string, CheckResult> };
    return { status: body.status, database: 'pglite', checks: body.checks, hints: doctorHints(body.checks, { database: 'pglite' }), via };
  } catch (error) {
    const checks = { server: { status: 'down' as const, latency_ms: 0, detail: `${via} did not answer /health: ${(error as Error).message}` } };
    return { status: 'down', database: 'pglite', checks, hints: [`the server holding ORCA_DATA_DIR (pid ${endpoint.pid}) is not answering: look at its logs, or stop it`], via };
  }
}

type DoctorConfig = Pick<
  OrcaConfig,
  'databaseUrl' | 'databasePoolMax' | 'databasePreparedStatements' | 'databaseStatementTimeoutMs' | 'databaseHeavyStatementTimeoutMs' | 'dataDir' | 'redisUrl'
>;

/**
 * The readiness checks of a server with this configuration (database, migrations, and Redis when REDIS_URL is set),
 * run from the command line before or beside the server. The status is what /health would say: `down` when the
 * database or migrations fail (a server would be unready), `degraded` when only Redis fails (it would serve, with
 * per-process rate limits), so the exit code predicts what /readyz would answer.
 */
export async function diagnose(config: DoctorConfig): Promise<Diagnosis> {
  const database: DatabaseKind = config.databaseUrl ? 'postgres' : 'pglite';
  // The embedded database belongs to the server holding ORCA_DATA_DIR: ask that server's /health instead.
  const running = config.databaseUrl ? undefined : readServerEndpoint(config.dataDir);
  if (running) return diagnoseRunningServer(running);
  // Redis first: opening PGlite keeps the event loop busy for seconds on a loaded machine, long enough for a
  // connection attempt made meanwhile to hit its connect timeout although Redis answered at once.
  const redis = config.redisUrl ? await connectRedis(config.redisUrl) : undefined;
  let db: Database;
  try {
    db = await openDatabase(config, createLogger({ level: 'silent' }), createMetrics());
  } catch (error) {
    redis?.client.disconnect();
    const checks = { database: { status: 'down' as const, latency_ms: 0, detail: (error as Error).message } };
    return { status: 'down', database, checks, hints: doctorHints(checks, { database }) };
  }
  try {
    const report = await createHealthChecks(db, redis ? { client: redis.client, state: { up: () => {}, down: () => {} } } : undefined).run();
    // A connection that never came up fails the ping with ioredis' "Stream isn't writeable": the connection's
    // own error (refused, unknown host, bad password) is what the operator can act on.
    if (redis?.error && report.checks.redis?.status === 'down') report.checks.redis.detail = redis.error;
    const hints = doctorHints(report.checks, { database, redisTarget: redis?.target, redisError: redis?.error });
    return { status: report.status, database, checks: report.checks, hints };
  } finally {
    redis?.client.disconnect();
    await db.close();
  }
}

/** One connection attempt, no retries: a doctor reports the state of Redis, it does not wait for it to come back. */
async function connectRedis(url: string): Promise<{ client: Redis; target: string; error?: string }> {
  const parsed = new URL(url);
  const target = `${parsed.hostname}:${parsed.port || '6379'}`;
  const client = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000, retryStrategy: () => null });
  let lastError: string | undefined;
  client.on('error', (error: Error) => (lastError = error.message));
  try {
    await client.connect();
    return { client, target };
  } catch (error) {
    return { client, target, error: lastError ?? (error as Error).message };
  }
}
