import { Registry } from 'prom-client';
import type { Database } from '../../src/platform/db/driver.js';
import { openPglite } from '../../src/platform/db/pglite.js';
import { openPostgres } from '../../src/platform/db/postgres.js';
import { createJobQueue, jobsSchemaFor, type JobQueue, type JobQueueSettings } from '../../src/platform/jobs/index.js';
import { createLogger } from '../../src/platform/telemetry/logger.js';
import { captureStream } from './app.js';
import type { DatabaseTarget } from './db.js';

/** A database for the job queue alone (the app is not started on it): PGlite in memory, or one on the server. */
export interface JobsDatabase {
  db: Database;
  /** pg-boss's schema for this database (derived from its search_path). */
  schema: string;
  /** Another connection pool on the same schema, as a second replica would have (PostgreSQL only). */
  openReplica(): Promise<Database>;
  close(): Promise<void>;
}

export async function openJobsDatabase(target: DatabaseTarget): Promise<JobsDatabase> {
  const provisioned = await target.provision();
  const open = async () =>
    provisioned.url
      ? openPostgres({ url: provisioned.url, poolMax: 5, preparedStatements: true, onPoolError: () => {} }, () => {})
      : openPglite(undefined, () => {}, { snapshot: provisioned.snapshot });
  const db = await open();
  const replicas: Database[] = [];
  const current = (await db.query<{ schema: string }>('select current_schema() as schema')).rows[0]!.schema;
  return {
    db,
    schema: jobsSchemaFor(current),
    async openReplica() {
      if (!provisioned.url) throw new Error('the embedded database serves one process');
      const replica = await open();
      replicas.push(replica);
      return replica;
    },
    async close() {
      for (const replica of replicas) await replica.close();
      await db.close();
      await provisioned.drop();
    },
  };
}

export interface TestQueue {
  queue: JobQueue;
  logs: Array<Record<string, unknown>>;
  registry: Registry;
}

/** A job queue on `db` with short polling, so that retries and delayed jobs are found quickly. */
export function createTestQueue(db: Database, options: { runsJobs: boolean; settings?: Partial<JobQueueSettings> }): TestQueue {
  const logs: Array<Record<string, unknown>> = [];
  const registry = new Registry();
  const queue = createJobQueue({
    db,
    logger: createLogger({ level: 'debug', destination: captureStream(logs) }),
    registry,
    runsJobs: options.runsJobs,
    settings: { schema: undefined, concurrency: 5, pollIntervalMs: 200, maintenanceIntervalMs: 120_000, drainTimeoutMs: 5000, ...options.settings },
  });
  return { queue, logs, registry };
}

/** Polls `read` until `done` holds of its value, or fails after `timeoutMs` with the last value seen. */
export async function waitFor<T>(read: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface JobRow {
  id: string;
  name: string;
  state: string;
  retry_count: number;
  data: { correlation_id: string | null; payload: unknown };
  output: { message?: string } | null;
  singleton_on: Date | null;
  started_on: Date | null;
  completed_on: Date | null;
}

export async function jobRows(db: Database, schema: string, queue: string): Promise<JobRow[]> {
  const { rows } = await db.query<JobRow>(
    `select id, name, state::text, retry_count, data, output, singleton_on, started_on, completed_on from ${schema}.job where name = $1 order by created_on, id`,
    [queue],
  );
  return rows;
}
