/**
 * Scheduled jobs, once per interval across replicas, at any interval of whole seconds (pg-boss's cron has a
 * resolution of one minute, and the sync sweep runs every 30 s).
 *
 * The pattern is pg-boss's throttling: every worker process tries, twice per interval, to send the queue a job with
 * `singletonSeconds` = the interval. pg-boss gives such a job the time slot it was sent in (the database clock's
 * epoch seconds rounded down to a multiple of the interval) and a unique index admits one job per slot and key, so
 * whichever replica sends first in a slot wins and every other send in that slot is a no-op. Trying twice per slot
 * means no slot is missed whatever the replicas' timers and clocks. The queue's `stately` policy adds that a run
 * never starts while the previous one is still running, and that at most one waits behind it.
 */

/** The slot length pg-boss needs: whole seconds, at least one. */
export function slotSecondsOf(intervalMs: number): number {
  return Math.max(1, Math.ceil(intervalMs / 1000));
}

export interface ScheduleTicker {
  stop(): Promise<void>;
}

/**
 * Calls `tick` one slot after start (as the loops these jobs replaced did: a replica that starts runs nothing at
 * once), then every half slot; never overlaps itself. `tick` must not reject.
 */
export function startScheduleTicker(slotSeconds: number, tick: () => Promise<void>): ScheduleTicker {
  let inFlight: Promise<void> | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout;
  const arm = (delayMs: number) => {
    timer = setTimeout(() => {
      inFlight ??= tick().finally(() => {
        inFlight = undefined;
      });
      if (!stopped) arm(slotSeconds * 500);
    }, delayMs);
    timer.unref();
  };
  arm(slotSeconds * 1000);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}
