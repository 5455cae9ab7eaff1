import type { Redis } from 'ioredis';
import type { Database } from '../../platform/db/index.js';
import type { DependencyState } from '../../platform/telemetry/dependency-state.js';
import { withTimeout } from '../../platform/db/driver.js';
import { pendingMigrations } from '../../platform/db/migrate.js';

export interface CheckResult {
  status: 'up' | 'down';
  latency_ms: number;
  detail?: string;
}

/**
 * `down`: a check the replica cannot serve without failed (the database, migrations) — not ready.
 * `degraded`: only an optional dependency failed (Redis: rate limits fall back to per-process counters) — still
 * ready, since every replica would see the same outage and an orchestrator pulling them all serves no one.
 */
export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  checks: Record<string, CheckResult>;
}

/** Redis as the health checks see it: the client to ping, and the state the ping reports into. */
export interface OptionalRedis {
  client: Redis;
  state: Pick<DependencyState, 'up' | 'down'>;
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
 * The checks behind /readyz, /health and `orca doctor`: the database answers and every migration this build
 * knows is applied (required), and Redis answers when REDIS_URL is configured (optional: its outage degrades the
 * replica, it does not make it unready). Optional telemetry never takes part (a tracing outage must not drain traffic).
 */
export function createHealthChecks(db: Database, redis?: OptionalRedis) {
  return {
    async run(): Promise<HealthReport> {
      const redisCheck = redis
        ? timed(async () => {
            await withTimeout(redis.client.ping(), REDIS_TIMEOUT_MS, 'redis ping');
            return undefined;
          }).then((check) => {
            if (check.status === 'up') redis.state.up();
            else redis.state.down(new Error(check.detail ?? 'redis ping failed'));
            return check;
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
      const serving = database.status === 'up' && migrations.status === 'up';
      return { status: !serving ? 'down' : checks.redis?.status === 'down' ? 'degraded' : 'ok', checks };
    },
  };
}

export type HealthChecks = ReturnType<typeof createHealthChecks>;
