import type { Queryable } from '../db/driver.js';
import type { Logger } from '../telemetry/logger.js';

/** What a handler receives: the payload, which attempt this is (1-based), and the correlation id that caused it. */
export interface JobContext<Payload> {
  id: string;
  queue: string;
  data: Payload;
  attempt: number;
  /** The sender's correlation id; the job's own id when it was sent without one (a scheduled run). */
  correlationId: string;
  /** This job's logger: every line carries `queue`, `job_id`, `correlation_id` and `attempt`. */
  logger: Logger;
  /**
   * Aborted when the job runs past its timeout or the process stops before it finishes: the job is failed (and
   * retried) either way, so a handler that calls out should pass this on to stop work nobody waits for.
   */
  signal: AbortSignal;
}

/**
 * A queue a module declares (in its `<module>.jobs.ts`). A handler that throws is retried with exponential backoff
 * and jitter up to `retryLimit`, then the job is dead-lettered; a handler that runs past `timeoutSeconds` fails.
 */
export interface JobDefinition<Payload = unknown> {
  queue: string;
  handler: (job: JobContext<Payload>) => Promise<void>;
  /** Jobs of this queue run at once per process (default JOBS_CONCURRENCY, 5; always 1 on PGlite). */
  concurrency?: number;
  /** Retries after the first attempt (default 5); 0 for a scheduled queue, whose next interval is its retry. */
  retryLimit?: number;
  /**
   * Backoff base d in whole seconds (default 2): retry n waits a random time between d·2^(n−1) and d·2^n
   * (exponential with "equal jitter"), so the first retry comes after d to 2d seconds.
   */
  retryDelaySeconds?: number;
  /** Whole seconds (default 300, at most 23 h). */
  timeoutSeconds?: number;
}

export interface SendOptions {
  /** Enqueue inside this transaction: the job exists only if the caller's write commits. */
  tx?: Queryable;
  /** At most one queued job with this key per queue: a second send returns null while the first waits. */
  singletonKey?: string;
  startAfter?: Date;
  correlationId?: string;
}

/**
 * A job that runs every `intervalMs` (whole seconds, rounded up), once across all replicas (a singleton), on worker
 * processes only. The queue's handler is declared with `define` like any other.
 */
export interface ScheduleDefinition {
  queue: string;
  intervalMs: number;
}

export interface QueueDepth {
  queue: string;
  /** Waiting to run (created or retry), including jobs whose start is still ahead. */
  queued: number;
  active: number;
  /** Retries exhausted: waiting in the queue's dead-letter queue. */
  deadLettered: number;
  /** Seconds the oldest due job has waited past its start time; 0 when none is due. */
  oldestQueuedSeconds: number;
}

export interface JobQueue {
  /** Declares a queue and its handler; before `start`. */
  define<Payload>(definition: JobDefinition<Payload>): void;
  /** Runs a defined queue every interval; before `start`. */
  schedule(definition: ScheduleDefinition): void;
  /** The job's id, or null when `singletonKey` found a job already waiting. Throws for a queue never defined. */
  send<Payload>(queue: string, data: Payload, options?: SendOptions): Promise<string | null>;
  /**
   * Many jobs of one queue in one statement (each its own job: no singleton key, due now), inside `tx` when given;
   * the workers are woken once. For callers that produce jobs in bursts (an evaluation's notifications).
   */
  sendMany<Payload>(queue: string, jobs: Array<{ data: Payload; correlationId?: string | undefined }>, options?: { tx?: Queryable }): Promise<void>;
  depth(): Promise<QueueDepth[]>;
  /**
   * Installs the queue's tables (pg-boss, in its own schema) and creates the queues; then starts workers and
   * schedules when the process role runs jobs (`worker`, `all`). Sending works in every role once started.
   */
  start(): Promise<void>;
  /** Stops taking jobs and waits for the ones in flight (failing those still running after the drain timeout). */
  stop(): Promise<void>;
}
