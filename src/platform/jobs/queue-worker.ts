/**
 * Keeps up to `concurrency` jobs of one queue running in this process. It fetches as many due jobs as it has free
 * slots and runs each on its own; while every slot is busy it waits for one to free and then fetches again at once.
 * An idle worker sleeps until `wake()` (a job was sent: NOTIFY) or the polling interval, which is how retries and
 * delayed jobs are found (they fall due without a notification).
 *
 * pg-boss has a worker loop of its own (`work()`), not used here: it fetches again only after its polling interval,
 * even after a full batch, and it records each job's outcome without awaiting it, so a database error at that moment
 * becomes an unhandled rejection that ends the process. This loop awaits every outcome (in `run`) and never throws.
 */
export interface QueueWorker {
  /** Look for jobs now (a job was sent to this queue, or notifications may have been missed). */
  wake(): void;
  /** Stops fetching; resolves once the loop has ended. Jobs in flight keep running: see `drained`. */
  stopFetching(): Promise<void>;
  /** Resolves when no job of this worker is running. */
  drained(): Promise<void>;
}

export function startQueueWorker<Job>(options: {
  concurrency: number;
  pollIntervalMs: number;
  fetch: (limit: number) => Promise<Job[]>;
  /** Runs one job and records its outcome; never rejects. */
  run: (job: Job) => Promise<void>;
  onFetchError: (error: unknown) => void;
}): QueueWorker {
  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  let woken = false;
  let interrupt: (() => void) | undefined;
  let announceStop!: () => void;
  const stopRequested = new Promise<void>((resolve) => {
    announceStop = resolve;
  });

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (woken || stopping) return resolve();
      const done = () => {
        clearTimeout(timer);
        interrupt = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      interrupt = done;
    });
  }

  async function loop(): Promise<void> {
    while (!stopping) {
      const free = options.concurrency - inFlight.size;
      if (free <= 0) {
        await Promise.race([...inFlight, stopRequested]);
        // Jobs finish in groups (job-queue.ts completes the jobs that finish together in one statement): let the
        // whole group free its slots, so that the next fetch takes as many jobs as finished, not one.
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      // Reset before fetching: a job sent while the fetch runs makes the sleep below return at once.
      woken = false;
      let jobs: Job[] = [];
      try {
        jobs = await options.fetch(free);
      } catch (error) {
        options.onFetchError(error);
      }
      for (const job of jobs) {
        const running: Promise<void> = options.run(job).finally(() => inFlight.delete(running));
        inFlight.add(running);
      }
      // Fewer jobs than free slots: the queue has nothing more due right now.
      if (jobs.length < free) await sleep(options.pollIntervalMs);
    }
  }

  const looping = loop();
  return {
    wake() {
      woken = true;
      interrupt?.();
    },
    async stopFetching() {
      stopping = true;
      announceStop();
      interrupt?.();
      await looping;
    },
    async drained() {
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
  };
}
