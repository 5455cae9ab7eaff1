import type { CheckResult } from '../../modules/system/index.js';
import type { DatabaseKind } from '../../platform/db/index.js';

export interface HintContext {
  database: DatabaseKind;
  /** `host:port` of REDIS_URL (never its credentials), when Redis is configured */
  redisTarget?: string;
  /** why the connection to Redis could not be made, when it could not */
  redisError?: string;
}

const PENDING = /^pending migrations:/;

/**
 * One actionable line per failing readiness check, naming the fix for that failure: an unreachable database is a
 * connection problem (suggesting `orca migrate` there would send the operator the wrong way), pending migrations are
 * fixed by `orca migrate`, an unreachable Redis by REDIS_URL or the Redis server. Keyed by the check it belongs to.
 */
export function readinessHints(checks: Record<string, CheckResult>, context: HintContext): Partial<Record<'database' | 'migrations' | 'redis', string>> {
  const hints: Partial<Record<'database' | 'migrations' | 'redis', string>> = {};
  if (checks.database?.status === 'down') {
    hints.database =
      context.database === 'postgres'
        ? 'the PostgreSQL server did not answer: check DATABASE_URL (host, port, user, password, database name) and that the server is running and reachable from here'
        : 'the embedded database could not be opened: check that ORCA_DATA_DIR is writable and that no other ORCA process is using it (PGlite belongs to one process)';
  } else if (checks.migrations?.status === 'down') {
    hints.migrations = PENDING.test(checks.migrations.detail ?? '')
      ? 'run `orca migrate` (or start ORCA once) to apply the pending migrations'
      : 'the migration check did not complete: the database answers but slowly or with an error; run `orca doctor` again, then look at the server';
  }
  if (checks.redis?.status === 'down') {
    const target = context.redisTarget ? ` at ${context.redisTarget}` : '';
    const cause = context.redisError ? ` (${context.redisError})` : '';
    hints.redis =
      `Redis${target} did not answer${cause}: check REDIS_URL and that Redis is running, or unset REDIS_URL. ORCA serves without it ` +
      '(rate limits fall back to per-process counters) and stays ready; /health and /status say degraded meanwhile';
  }
  return hints;
}

/** The readiness hints as lines, database first. */
export function doctorHints(checks: Record<string, CheckResult>, context: HintContext): string[] {
  const hints = readinessHints(checks, context);
  return [hints.database, hints.migrations, hints.redis].filter((hint): hint is string => hint !== undefined);
}
