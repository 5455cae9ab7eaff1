import { randomUUID } from 'node:crypto';
import PgBoss from 'pg-boss';
import type { Registry } from 'prom-client';
import type { Database, Queryable, Subscription } from '../db/driver.js';
import { createGroupCommitter, type GroupCommitter } from '../db/group-commit.js';
import type { Logger } from '../telemetry/logger.js';
import type { Tracing } from '../telemetry/tracing.js';
import { registerJobMetrics } from './job-metrics.js';
import type { JobDefinition, JobQueue, QueueDepth, ScheduleDefinition, SendOptions } from './job-queue.types.js';
import { createJobRunner, type FetchedJob, type JobEnvelope, type RunnableQueue } from './job-runner.js';
import { pgBossExecutor } from './pg-boss-db.js';
import { createQueueDepthReader, deadLetterQueueOf } from './queue-depth.js';
import { startQueueWorker, type QueueWorker } from './queue-worker.js';
import { slotSecondsOf, startScheduleTicker, type ScheduleTicker } from './schedule-ticker.js';

/** Every send of a job due now NOTIFYs this channel (in the sender's transaction): workers fetch at once. */
const WAKE_CHANNEL = 'orca_jobs';
/** The singleton key of scheduled runs: one waiting and one running per scheduled queue. */
const SCHEDULE_KEY = 'schedule';
const DEFAULTS = { retryLimit: 5, retryDelaySeconds: 2, timeoutSeconds: 300 };
/** Finished jobs leave pg-boss's job table for its archive after this long (at least one schedule slot). */
const ARCHIVE_AFTER_SECONDS = 3600;
/** Job ids per completing statement. */
const MAX_COMPLETIONS = 200;

export interface JobQueueSettings {
  /** JOBS_SCHEMA; undefined → derived from ORCA's own schema (`jobsSchemaFor`). */
  schema: string | undefined;
  /** JOBS_CONCURRENCY: per queue and process, unless the queue sets its own; 1 on the embedded database. */
  concurrency: number;
  /** JOBS_POLL_INTERVAL. */
  pollIntervalMs: number;
  /** JOBS_MAINTENANCE_INTERVAL: how often pg-boss's supervision expires jobs whose process died. */
  maintenanceIntervalMs: number;
  /** How long `stop()` waits for running jobs before failing them (they then run again elsewhere). */
  drainTimeoutMs: number;
}

export interface JobQueueDeps {
  db: Database;
  logger: Logger;
  registry: Registry;
  /** Whether this process runs jobs and schedules (`worker`, `all`); an `api` process only sends. */
  runsJobs: boolean;
  settings: JobQueueSettings;
  /** With tracing on, a job carries its sender's trace and runs in a span of it (docs/observability.md, "Traces"). */
  tracing?: Tracing | undefined;
}

/**
 * pg-boss's schema for ORCA's: `pgboss` beside tables in `public`, else `<schema>_pgboss`, so that two installations
 * sharing one database (each in its own schema through search_path) never share a queue.
 */
export function jobsSchemaFor(orcaSchema: string): string {
  const schema = orcaSchema === 'public' ? 'pgboss' : `${orcaSchema}_pgboss`;
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,49}$/.test(schema)) {
    throw new Error(`cannot derive a job queue schema from "${orcaSchema}": set JOBS_SCHEMA (letters, digits and _, at most 50)`);
  }
  return schema;
}

interface Queue extends RunnableQueue {
  slotSeconds: number | undefined;
  concurrency: number;
}

/** The durable job queue: pg-boss 10 on ORCA's own database, in its own schema (see job-queue.types.ts). */
export function createJobQueue(deps: JobQueueDeps): JobQueue {
  const { db, settings } = deps;
  const logger = deps.logger.child({ component: 'jobs' });
  const queues = new Map<string, Queue>();
  const workers = new Map<string, QueueWorker>();
  const tickers: ScheduleTicker[] = [];
  let boss: PgBoss | undefined;
  /** Set once the queues exist: sends and depth reads are refused before. */
  let ready = false;
  let readDepth: (() => Promise<QueueDepth[]>) | undefined;
  let subscription: Subscription | undefined;
  let starting: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;

  const started = (): PgBoss => {
    if (!boss || !ready) throw new Error('the job queue is not started');
    return boss;
  };
  const metrics = registerJobMetrics(deps.registry, async () => (readDepth ? readDepth() : []), logger);
  /**
   * Completions per queue, group-committed: the jobs of a queue that finish while one completing statement runs are
   * completed together by the next (one statement for many jobs). A job still counts as done only once its own
   * completion committed; until then a crash makes it run again, as before.
   */
  const completions = new Map<string, GroupCommitter<string, void>>();
  function complete(queue: string, id: string): Promise<void> {
    let committer = completions.get(queue);
    if (!committer) {
      committer = createGroupCommitter<string, void>({
        db,
        autocommit: db,
        maxWaitMs: 0,
        maxBatch: MAX_COMPLETIONS,
        // pg-boss completes on its own executor over `db`: the same statement, committed on its own.
        write: async (_db, ids) => {
          await started().complete(queue, ids);
          return ids.map(() => undefined);
        },
      });
      completions.set(queue, committer);
    }
    return committer.submit(id);
  }
  const runner = createJobRunner({ logger, metrics, boss: started, complete, tracing: deps.tracing });

  function queueOf(name: string): Queue {
    const queue = queues.get(name);
    if (!queue) throw new Error(`no job queue "${name}" is defined`);
    return queue;
  }

  /** Creates the queue (and its dead-letter queue) if missing, and applies the current definition if it changed. */
  async function createQueue(pgBoss: PgBoss, queue: Queue): Promise<void> {
    const { definition, slotSeconds } = queue;
    const options: Omit<PgBoss.Queue, 'name'> = {
      policy: slotSeconds === undefined ? 'short' : 'stately',
      retryLimit: definition.retryLimit ?? (slotSeconds === undefined ? DEFAULTS.retryLimit : 0),
      retryDelay: definition.retryDelaySeconds ?? DEFAULTS.retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: definition.timeoutSeconds ?? DEFAULTS.timeoutSeconds,
    };
    if (queue.deadLetters) {
      await pgBoss.createQueue(deadLetterQueueOf(definition.queue), { name: deadLetterQueueOf(definition.queue) });
      options.deadLetter = deadLetterQueueOf(definition.queue);
    }
    await pgBoss.createQueue(definition.queue, { name: definition.queue, ...options });
    await pgBoss.updateQueue(definition.queue, { name: definition.queue, ...options });
  }

  async function wakeWorkers(sender: Queryable, queue: string): Promise<void> {
    await sender.query('select pg_notify($1, $2)', [WAKE_CHANNEL, queue]);
  }

  function startWorkers(pgBoss: PgBoss): void {
    for (const queue of queues.values()) {
      const name = queue.definition.queue;
      workers.set(
        name,
        startQueueWorker<FetchedJob>({
          concurrency: queue.concurrency,
          pollIntervalMs: settings.pollIntervalMs,
          fetch: (limit) => pgBoss.fetch<JobEnvelope>(name, { includeMetadata: true, batchSize: limit }),
          run: (job) => runner.run(queue, job),
          onFetchError: (error) => logger.warn({ err: error, queue: name }, 'could not fetch jobs; trying again at the next poll'),
        }),
      );
    }
  }

  function startSchedules(pgBoss: PgBoss): void {
    for (const queue of queues.values()) {
      const { slotSeconds } = queue;
      if (slotSeconds === undefined) continue;
      const name = queue.definition.queue;
      const envelope: JobEnvelope = { correlation_id: null, payload: null };
      const tick = async () => {
        try {
          const id = await pgBoss.send(name, envelope, { singletonKey: SCHEDULE_KEY, singletonSeconds: slotSeconds });
          if (id) await wakeWorkers(db, name);
        } catch (error) {
          logger.warn({ err: error, queue: name }, 'could not schedule the next run; trying again in half an interval');
        }
      };
      tickers.push(startScheduleTicker(slotSeconds, tick));
    }
  }

  async function start(): Promise<void> {
    const schema = settings.schema ?? jobsSchemaFor((await db.query<{ schema: string }>('select current_schema() as schema')).rows[0]!.schema);
    const longestSlot = Math.max(0, ...[...queues.values()].map((queue) => queue.slotSeconds ?? 0));
    const pgBoss = new PgBoss({
      db: pgBossExecutor(db),
      schema,
      migrate: true,
      // Cron (one-minute resolution) is replaced by the slots of schedule-ticker.ts.
      schedule: false,
      // Maintenance on worker processes: fails jobs whose process died (past their timeout), archives finished jobs.
      supervise: deps.runsJobs,
      // pg-boss's default (2 min) would leave a job cut off by a crash waiting that long after its timeout.
      maintenanceIntervalSeconds: Math.max(1, Math.ceil(settings.maintenanceIntervalMs / 1000)),
      // A scheduled slot's job must outlive its slot, or another replica could run the slot again.
      archiveCompletedAfterSeconds: Math.max(ARCHIVE_AFTER_SECONDS, longestSlot),
    });
    pgBoss.on('error', (error) => logger.error({ err: error }, 'job queue maintenance failed; it runs again at its next interval'));
    boss = pgBoss;
    await pgBoss.start();
    for (const queue of queues.values()) await createQueue(pgBoss, queue);
    const depthOf = createQueueDepthReader(db, schema);
    const listed = [...queues.values()]
      .map((queue) => ({ queue: queue.definition.queue, deadLetters: queue.deadLetters }))
      .sort((a, b) => a.queue.localeCompare(b.queue));
    readDepth = () => depthOf(listed);
    metrics.declare([...queues.keys()]);
    ready = true;
    if (!deps.runsJobs) return;
    startWorkers(pgBoss);
    subscription = await db.listen(
      WAKE_CHANNEL,
      (queue) => workers.get(queue)?.wake(),
      // Notifications sent while the connection was down are lost: look at every queue once it is back.
      (listening) => {
        if (listening) for (const worker of workers.values()) worker.wake();
      },
    );
    startSchedules(pgBoss);
    const schedules = Object.fromEntries([...queues.values()].filter((queue) => queue.slotSeconds !== undefined).map((queue) => [queue.definition.queue, queue.slotSeconds]));
    logger.info({ schema, queues: [...queues.keys()], schedule_seconds: schedules }, 'job workers started');
  }

  async function stop(): Promise<void> {
    await Promise.all(tickers.map((ticker) => ticker.stop()));
    await subscription?.close();
    await Promise.all([...workers.values()].map((worker) => worker.stopFetching()));
    const drained = Promise.all([...workers.values()].map((worker) => worker.drained()));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([drained.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), settings.drainTimeoutMs)))]);
    clearTimeout(timer);
    if (timedOut) {
      logger.warn({ jobs: runner.inFlight, drain_timeout_ms: settings.drainTimeoutMs }, 'jobs still running at shutdown are failed; they run again on another worker');
      runner.interruptAll();
      await drained;
    }
    await boss?.stop({ graceful: false, close: false });
  }

  return {
    define(definition) {
      if (starting) throw new Error(`job queue "${definition.queue}" defined after start`);
      if (queues.has(definition.queue)) throw new Error(`job queue "${definition.queue}" is defined twice`);
      queues.set(definition.queue, {
        definition: definition as JobDefinition<unknown>,
        deadLetters: true,
        slotSeconds: undefined,
        // The embedded database is one connection: jobs of a queue would only wait for one another on it.
        concurrency: db.kind === 'pglite' ? 1 : (definition.concurrency ?? settings.concurrency),
      });
    },

    schedule(definition: ScheduleDefinition) {
      if (starting) throw new Error(`job queue "${definition.queue}" scheduled after start`);
      const queue = queueOf(definition.queue);
      const slotSeconds = slotSecondsOf(definition.intervalMs);
      // A failed run is retried by the next slot: no dead letters, and one run at a time.
      queues.set(definition.queue, { ...queue, deadLetters: false, slotSeconds, concurrency: 1 });
    },

    async send<Payload>(name: string, data: Payload, options: SendOptions = {}): Promise<string | null> {
      const queue = queueOf(name);
      const pgBoss = started();
      const id = randomUUID();
      const traceparent = deps.tracing?.activeTraceparent();
      const envelope: JobEnvelope = { correlation_id: options.correlationId ?? null, payload: data, ...(traceparent ? { traceparent } : {}) };
      const sent = await pgBoss.send(name, envelope, {
        id,
        // The `short` policy admits one waiting job per key; a job sent without a key gets its own id as key.
        singletonKey: options.singletonKey ?? (queue.slotSeconds === undefined ? id : SCHEDULE_KEY),
        ...(options.startAfter ? { startAfter: options.startAfter } : {}),
        ...(options.tx ? { db: pgBossExecutor(options.tx) } : {}),
      });
      if (sent && !(options.startAfter && options.startAfter.getTime() > Date.now())) await wakeWorkers(options.tx ?? db, name);
      return sent;
    },

    async sendMany<Payload>(name: string, jobs: Array<{ data: Payload; correlationId?: string | undefined }>, options: { tx?: Queryable } = {}): Promise<void> {
      if (jobs.length === 0) return;
      const queue = queueOf(name);
      const pgBoss = started();
      if (queue.slotSeconds !== undefined) throw new Error(`job queue "${name}" is scheduled: its jobs are sent one at a time`);
      const rows = jobs.map((job): PgBoss.JobInsert<JobEnvelope> => {
        const id = randomUUID();
        // As in `send`: under the `short` policy each job is its own singleton, keyed by its id.
        return { id, name, singletonKey: id, data: { correlation_id: job.correlationId ?? null, payload: job.data } };
      });
      await pgBoss.insert(rows, options.tx ? { db: pgBossExecutor(options.tx) } : {});
      await wakeWorkers(options.tx ?? db, name);
    },

    async depth() {
      started();
      return readDepth!();
    },

    start() {
      starting ??= start();
      return starting;
    },

    stop() {
      // After a failed start too: whatever it had started (pg-boss's maintenance timers) must stop.
      stopping ??= starting ? starting.catch(() => undefined).then(stop) : Promise.resolve();
      return stopping;
    },
  };
}
