import type { Redis } from 'ioredis';
import type { Database } from '../../platform/db/index.js';
import { withTimeout } from '../../platform/db/driver.js';
import { pendingMigrations } from '../../platform/db/migrate.js';

export interface CheckResult {
  status: 'up' | 'down';
  latency_ms: number;
  detail?: string;
}

export interface HealthReport {
  status: 'ok' | 'down';
  checks: Record<string, CheckResult>;
}

/** Readiness budget: a probe must answer within 2 s even when the database hangs, so both checks together stay under it. */
export const PING_TIMEOUT_MS = 1000;
export const MIGRATIONS_TIMEOUT_MS = 800;
export const REDIS_TIMEOUT_MS = 500;

async function timed(fn: () => Promise<string | undefined>): Promise<CheckResult> {
  const started = performance.now();
  try {
    const problem = await fn();
    const latency = Math.round((performance.now() - started) * 100) / 100;
    return problem ? { status: 'down', latency_ms: latency, detail: problem } : { status: 'up', latency_ms: latency };
  } catch (error) {
    return { status: 'down', latency_ms: Math.round(performance.now() - started), detail: (error as Error).message };
  }
}

/**
 * The checks behind /readyz, /health and `orca doctor`: the database answers, every migration this build
 * knows is applied, and Redis answers when REDIS_URL is configured (docs/OPERATIONS.md "Probes"). Optional telemetry never takes
 * part (a tracing outage must not drain traffic).
 */
export function createHealthChecks(db: Database, redis?: Redis) {
  return {
    async run(): Promise<HealthReport> {
      const redisCheck = redis
        ? timed(async () => {
            await withTimeout(redis.ping(), REDIS_TIMEOUT_MS, 'redis ping');
            return undefined;
          })
        : undefined;
      const database = await timed(async () => {
        await db.ping(PING_TIMEOUT_MS);
        return undefined;
      });
      const migrations =
        database.status === 'up'
          ? await timed(async () => {
              const pending = await withTimeout(pendingMigrations(db), MIGRATIONS_TIMEOUT_MS, 'migration check');
              return pending.length > 0 ? `pending migrations: ${pending.join(', ')}` : undefined;
            })
          : { status: 'down' as const, latency_ms: 0, detail: 'database unreachable' };
      const checks: Record<string, CheckResult> = { database, migrations };
      if (redisCheck) checks.redis = await redisCheck;
      return { status: Object.values(checks).every((check) => check.status === 'up') ? 'ok' : 'down', checks };
    },
  };
}

export type HealthChecks = ReturnType<typeof createHealthChecks>;
