/** The durable job queue run by worker processes. */
import { durationBetween, integer, optional, schemaName, type Setting } from '../parsers.js';

export const JOBS_SETTINGS = [
  {
    env: 'JOBS_CONCURRENCY',
    key: 'jobsConcurrency',
    default: '5',
    description: 'jobs of one queue that a worker process runs at once (a queue may set its own); always 1 on the embedded database',
    parse: integer(1, 100),
  },
  {
    env: 'JOBS_SCHEMA',
    key: 'jobsSchema',
    default: undefined,
    description:
      'PostgreSQL schema holding the job queue (pg-boss tables); unset → pgboss, or <schema>_pgboss when ORCA\'s own tables live in a schema other than public (search_path), so that two installations sharing a database never share a queue',
    parse: optional(schemaName),
  },
  {
    env: 'JOBS_POLL_INTERVAL',
    key: 'jobsPollIntervalMs',
    default: '2s',
    description: 'how often an idle worker looks for due jobs (retries, delayed jobs); new jobs wake workers at once through LISTEN/NOTIFY',
    parse: durationBetween(100, '100ms', 300_000, '5m'),
  },
  {
    env: 'JOBS_MAINTENANCE_INTERVAL',
    key: 'jobsMaintenanceIntervalMs',
    default: '30s',
    description:
      'how often one worker of the deployment fails jobs that outlived their timeout (their process died: they run again) and archives finished ones; a job cut off by a crash runs again within its timeout plus this interval; whole seconds (rounded up)',
    parse: durationBetween(1000, '1s', 3_600_000, '1h'),
  },
] as const satisfies readonly Setting[];
