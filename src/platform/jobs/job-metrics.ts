import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Logger } from '../telemetry/logger.js';
import type { QueueDepth } from './job-queue.types.js';

export type JobOutcome = 'completed' | 'failed' | 'timeout';
const OUTCOMES: JobOutcome[] = ['completed', 'failed', 'timeout'];

export interface JobMetrics {
  /** Makes every series of these queues exist from the start (at 0), as alert rules on rates expect. */
  declare(queues: string[]): void;
  observe(queue: string, outcome: JobOutcome, seconds: number): void;
  failed(queue: string): void;
  deadLettered(queue: string): void;
}

/**
 * Queue depth and age are read from the database at scrape time (every replica reports the same numbers: take `max`
 * across replicas, not `sum`); durations and failures are counted by the process that ran the job. The `queue` label
 * is bounded: queues are declared in code.
 */
export function registerJobMetrics(registry: Registry, readDepth: () => Promise<QueueDepth[]>, logger: Logger): JobMetrics {
  let depths: QueueDepth[] = [];
  // prom-client collects every metric of a scrape concurrently: both gauges wait for the same one read.
  let reading: Promise<void> | undefined;
  const refresh = () =>
    (reading ??= readDepth()
      .then((read) => {
        depths = read;
      })
      .catch((error: unknown) => {
        // An unreachable database must not break the scrape: keep the last numbers; readiness reports the outage.
        logger.debug({ err: error }, 'orca_job_queue_depth: could not read the queues');
      })
      .finally(() => {
        reading = undefined;
      }));
  new Gauge({
    name: 'orca_job_queue_depth',
    help: 'Jobs by queue and state: queued (waiting, retries included), active (running), dead_lettered (retries exhausted)',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      await refresh();
      for (const depth of depths) {
        this.set({ queue: depth.queue, state: 'queued' }, depth.queued);
        this.set({ queue: depth.queue, state: 'active' }, depth.active);
        this.set({ queue: depth.queue, state: 'dead_lettered' }, depth.deadLettered);
      }
    },
  });
  new Gauge({
    name: 'orca_job_oldest_queued_age_seconds',
    help: 'Seconds the oldest due job of each queue has waited past its start time (0 when none is due)',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      await refresh();
      for (const depth of depths) this.set({ queue: depth.queue }, depth.oldestQueuedSeconds);
    },
  });
  const duration = new Histogram({
    name: 'orca_job_duration_seconds',
    help: 'Time a job attempt ran in this process, by queue and outcome (completed, failed, timeout)',
    labelNames: ['queue', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const failures = new Counter({
    name: 'orca_job_failures_total',
    help: 'Job attempts that failed or timed out in this process (each is retried until its retries are exhausted)',
    labelNames: ['queue'] as const,
    registers: [registry],
  });
  const deadLetters = new Counter({
    name: 'orca_job_dead_letters_total',
    help: 'Jobs whose last attempt failed in this process and that were moved to their dead-letter queue',
    labelNames: ['queue'] as const,
    registers: [registry],
  });
  return {
    declare(queues) {
      for (const queue of queues) {
        failures.inc({ queue }, 0);
        deadLetters.inc({ queue }, 0);
        for (const outcome of OUTCOMES) duration.zero({ queue, outcome });
      }
    },
    observe: (queue, outcome, seconds) => duration.observe({ queue, outcome }, seconds),
    failed: (queue) => failures.inc({ queue }),
    deadLettered: (queue) => deadLetters.inc({ queue }),
  };
}
