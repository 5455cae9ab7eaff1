import type { Queryable } from '../db/driver.js';

/** What a handler receives: the payload, which attempt this is (1-based), and the correlation id that caused it. */
export interface JobContext<Payload> {
  id: string;
  queue: string;
  data: Payload;
  attempt: number;
  correlationId: string | undefined;
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
  retryLimit?: number;
  /** First retry delay; later ones double, with jitter. */
  retryDelaySeconds?: number;
  timeoutSeconds?: number;
}

export interface SendOptions {
  /** Enqueue inside this transaction: the job exists only if the caller's write commits. */
  tx?: Queryable;
  /** At most one queued job with this key per queue. */
  singletonKey?: string;
  startAfter?: Date;
  correlationId?: string;
}

/** A job that runs every `intervalMs`, once across all replicas (a singleton), on worker processes only. */
export interface ScheduleDefinition {
  queue: string;
  intervalMs: number;
}

export interface QueueDepth {
  queue: string;
  /** Waiting to run (created or retry). */
  queued: number;
  active: number;
  /** Retries exhausted. */
  deadLettered: number;
  /** Age in seconds of the oldest job waiting, 0 when none. */
  oldestQueuedSeconds: number;
}

export interface JobQueue {
  define<Payload>(definition: JobDefinition<Payload>): void;
  schedule(definition: ScheduleDefinition): void;
  send<Payload>(queue: string, data: Payload, options?: SendOptions): Promise<string | null>;
  depth(): Promise<QueueDepth[]>;
  /** Starts workers and schedules when the process role runs jobs (`worker`, `all`); sending works in every role. */
  start(): Promise<void>;
  /** Stops taking jobs and waits for the ones in flight. */
  stop(): Promise<void>;
}
