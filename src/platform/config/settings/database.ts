/** The database ORCA stores everything in, and the optional Redis shared by replicas. */
import { durationUpTo, integer, onOff, optional, url, type Setting } from '../parsers.js';

export const DATABASE_SETTINGS = [
  {
    env: 'DATABASE_URL',
    key: 'databaseUrl',
    default: undefined,
    description: 'PostgreSQL server (postgres://…); unset → embedded PGlite in ORCA_DATA_DIR',
    secret: true,
    parse: optional(url(['postgres', 'postgresql'])),
  },
  { env: 'DATABASE_POOL_MAX', key: 'databasePoolMax', default: '10', description: 'PostgreSQL connection pool size per process', parse: integer(1, 500) },
  {
    env: 'DATABASE_PREPARED_STATEMENTS',
    key: 'databasePreparedStatements',
    default: 'on',
    description: 'keep the hottest statements prepared per PostgreSQL connection (off behind a pooler in transaction mode without prepared-statement support, e.g. PgBouncer before 1.21)',
    parse: onOff,
  },
  {
    env: 'DATABASE_STATEMENT_TIMEOUT',
    key: 'databaseStatementTimeoutMs',
    default: '5s',
    description:
      'longest a PostgreSQL statement may run: the server cancels it (statement_timeout) and the client stops waiting shortly after (a frozen server); the request answers 503 with Retry-After',
    parse: durationUpTo(3_600_000, '1h'),
  },
  {
    env: 'DATABASE_HEAVY_STATEMENT_TIMEOUT',
    key: 'databaseHeavyStatementTimeoutMs',
    default: '30s',
    description: 'the same bound for reads known to be long: trust scores and KPIs over their window, and the trust/KPI snapshots',
    parse: durationUpTo(3_600_000, '1h'),
  },
  { env: 'REDIS_URL', key: 'redisUrl', default: undefined, description: 'Redis sharing rate-limit counters across replicas; unset or down → each process counts on its own (cache invalidation does not use Redis: it goes through PostgreSQL LISTEN/NOTIFY)', secret: true, parse: optional(url(['redis', 'rediss'])) },
] as const satisfies readonly Setting[];
