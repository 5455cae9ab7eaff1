import type PgBoss from 'pg-boss';
import type { Logger } from '../telemetry/logger.js';
import { scrubString } from '../telemetry/redact.js';
import type { OpenSpan, Tracing } from '../telemetry/tracing.js';
import type { JobMetrics, JobOutcome } from './job-metrics.js';
import type { JobDefinition } from './job-queue.types.js';

/** What ORCA stores as a pg-boss job's data: the payload, and the correlation id of what caused the job. */
export interface JobEnvelope {
  correlation_id: string | null;
  payload: unknown;
  /** With tracing on, the W3C traceparent of the span that sent the job: the job's span continues that trace. */
  traceparent?: string;
}

export type FetchedJob = PgBoss.JobWithMetadata<JobEnvelope>;

/** A queue as this process runs it. */
export interface RunnableQueue {
  definition: JobDefinition<unknown>;
  /** Whether a job whose retries are exhausted lands in a dead-letter queue (not for scheduled queues). */
  deadLetters: boolean;
}

export class JobTimeoutError extends Error {
  constructor(seconds: number) {
    super(`the job ran past its timeout of ${seconds} s`);
    this.name = 'JobTimeoutError';
  }
}

export class JobInterruptedError extends Error {
  constructor() {
    super('the process stopped before the job finished');
    this.name = 'JobInterruptedError';
  }
}

/** Settles with the work, or rejects with the signal's reason once it aborts (the work itself is not stopped). */
function untilAborted(work: Promise<void>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Runs one fetched job: builds its context (correlation id, child logger, abort signal), bounds it by the job's
 * timeout, then records the outcome in pg-boss — completed, or failed (pg-boss retries it with backoff or, its retries
 * exhausted, moves it to the dead-letter queue). Never rejects: an outcome that cannot be recorded (the database is
 * away) is logged, and pg-boss's maintenance fails the job once its timeout has passed, so it runs again.
 */
export function createJobRunner(deps: {
  logger: Logger;
  metrics: JobMetrics;
  boss: () => Pick<PgBoss, 'fail'>;
  /** Marks the job completed in pg-boss (job-queue.ts batches the completions of jobs that finish together). */
  complete: (queue: string, id: string) => Promise<unknown>;
  tracing?: Tracing | undefined;
}) {
  const running = new Map<string, AbortController>();

  async function record(logger: Logger, what: string, write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      logger.warn({ err: error }, `could not record that the job ${what}; it runs again once its timeout has passed`);
    }
  }

  /** Without tracing, the job runs as it always did; with it, in a consumer span continuing the sender's trace. */
  function run(queue: RunnableQueue, job: FetchedJob): Promise<void> {
    const span = deps.tracing?.start({
      name: `job ${queue.definition.queue}`,
      kind: 'consumer',
      parent: { traceparent: job.data?.traceparent },
      attributes: { 'messaging.system': 'pg-boss', 'messaging.destination.name': queue.definition.queue, 'messaging.message.id': job.id, 'orca.job.attempt': job.retryCount + 1 },
    });
    return span ? span.run(() => runJob(queue, job, span)).finally(() => span.end()) : runJob(queue, job, undefined);
  }

  async function runJob(queue: RunnableQueue, job: FetchedJob, span: OpenSpan | undefined): Promise<void> {
    const { definition } = queue;
    const started = process.hrtime.bigint();
    const correlationId = job.data?.correlation_id ?? job.id;
    const attempt = job.retryCount + 1;
    const logger = deps.logger.child({ queue: definition.queue, job_id: job.id, correlation_id: correlationId, attempt });
    const timeoutSeconds = Math.max(1, job.expireInSeconds);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new JobTimeoutError(timeoutSeconds)), timeoutSeconds * 1000);
    running.set(job.id, controller);
    let failure: unknown;
    try {
      const work = Promise.resolve().then(() =>
        definition.handler({ id: job.id, queue: definition.queue, data: job.data?.payload, attempt, correlationId, logger, signal: controller.signal }),
      );
      // A handler that ignores the signal may still settle after we stopped waiting: nothing listens then.
      work.catch(() => {});
      await untilAborted(work, controller.signal);
    } catch (error) {
      failure = error;
    } finally {
      clearTimeout(timer);
      running.delete(job.id);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const durationMs = Math.round(seconds * 1000);
    const outcome: JobOutcome = failure === undefined ? 'completed' : failure instanceof JobTimeoutError ? 'timeout' : 'failed';
    deps.metrics.observe(definition.queue, outcome, seconds);
    span?.setAttributes({ 'orca.job.outcome': outcome });
    if (failure !== undefined) span?.fail(failure);
    if (failure === undefined) {
      logger.debug({ duration_ms: durationMs }, 'job completed');
      await record(logger, 'completed', () => deps.complete(definition.queue, job.id));
      return;
    }
    const exhausted = job.retryCount >= job.retryLimit;
    deps.metrics.failed(definition.queue);
    if (exhausted && queue.deadLetters) deps.metrics.deadLettered(definition.queue);
    const message = failure instanceof Error ? failure.message : String(failure);
    const next = !exhausted ? 'it will be retried' : queue.deadLetters ? 'retries exhausted: dead-lettered' : 'the next interval runs it again';
    logger[exhausted ? 'error' : 'warn']({ err: failure, duration_ms: durationMs, outcome }, `job failed; ${next}`);
    // The message is kept in the job's row: scrubbed like a log line, since it may quote a URL or a credential.
    await record(logger, 'failed', () => deps.boss().fail(definition.queue, job.id, { message: scrubString(message) }));
  }

  return {
    run,
    /** Jobs of this process still running. */
    get inFlight(): number {
      return running.size;
    },
    /** Gives up on every running job: each is failed (and so retried by whichever worker fetches it next). */
    interruptAll(): void {
      for (const controller of running.values()) controller.abort(new JobInterruptedError());
    },
  };
}

export type JobRunner = ReturnType<typeof createJobRunner>;
