/**
 * The load and the bounds of the resilience suite, in one place so that the report and docs/OPERATIONS.md can say
 * what they were.
 */

/**
 * Sustained rates from docs/benchmarks.md (2026-11-29 `http`, `policy`, `ingest`; 2026-12-07 `alerts`), per second.
 * Reads were measured on PGlite only, from ORCA's agent cache, which serves them on either database alike.
 */
export const BENCHMARK = {
  /** `ingest`: signed webhook, 64 connections (events/s). */
  webhooks: { postgres: 6852, pglite: 6365 },
  /** `policy`: POST /policy/evaluate over HTTP (req/s). */
  evaluate: { postgres: 5735, pglite: 5340 },
  /** `http`: ORCA agent by id (req/s). */
  reads: { postgres: 14617, pglite: 14617 },
  /** `alerts`: queued deliveries drained to a local webhook receiver, PostgreSQL (notifications/s). */
  deliveries: 181,
} as const;

/**
 * Offered load = this × the rate measured just before each case in the same run (docs/OPERATIONS.md, "Failures ORCA
 * survives", says why not × the benchmark figure).
 */
export const LOAD_FACTOR = 2;

/** Requests the generator keeps outstanding at most; beyond it, due requests are shed (and counted). */
export const MAX_IN_FLIGHT = 128;

export const TIMING = {
  calibrateMs: 2000,
  beforeMs: 1500,
  faultMs: 3000,
  afterMs: 2000,
  /** The receiver case queues notifications for this long (at twice the benchmark's delivery rate). */
  queueMs: 1000,
};

/** Enqueues outstanding at once in the receiver case: each is a transaction needing a pooled connection. */
export const ENQUEUE_IN_FLIGHT = 8;

/** Bound on delivering every queued notification once the receiver is back (retries back off; PGlite sends one at a time). */
export const DELIVERY_BOUND_MS = 180_000;

/**
 * A generous bound on recovery, to fail a case that never recovers rather than measure it: the report records the
 * time it took.
 */
export const RECOVERY_BOUND_MS = 30_000;

/** `promise`, or a rejection with `failure` after `timeoutMs`. */
export function within<T>(promise: Promise<T>, timeoutMs: number, failure: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(failure)), timeoutMs)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
