import type { Database, Queryable } from './driver.js';

/**
 * Group commit: concurrent writers hand their item to one committer, which writes whatever has gathered in a
 * single transaction and answers every caller only after that transaction committed. One fsync then carries
 * many requests, so "acknowledge only after commit" (the durability rule, docs/ARCHITECTURE.md) does not cost throughput.
 *
 * A batch opens when the first item arrives and is written once that item has waited `maxWaitMs` or as soon as
 * `maxBatch` items are waiting, whichever comes first. Up to `maxInFlight` batches are written at the same time (on
 * separate connections): while they commit, the next one gathers. If writing a batch fails, each of its items is
 * retried in a transaction of its own, so one bad item never fails its neighbours; only the items that fail alone
 * are rejected.
 */
export interface GroupCommitOptions<Item, Result> {
  db: Pick<Database, 'transaction'>;
  /**
   * For a `write` that changes whatever it changes in one statement (reads may follow): it then runs on this
   * database without BEGIN/COMMIT — the statement commits on its own, atomically — and a batch costs one round
   * trip instead of three. Unset: every batch is written in a transaction of `db`.
   */
  autocommit?: Queryable;
  /**
   * How long the first item of a batch may wait for company (a few milliseconds). 0: until the end of the current
   * turn of the event loop (setImmediate), so that the items of work started together (the jobs of one fetch) share
   * a batch without any timer delay.
   */
  maxWaitMs: number;
  maxBatch: number;
  /**
   * How many batches may be written concurrently (default 1: one at a time). More lets a server database overlap
   * one batch's commit (its fsync) with the next batch's statements; an embedded single-connection database gains
   * nothing from it. Items of concurrent batches must not depend on each other's order.
   */
  maxInFlight?: number;
  /** Writes the items inside the transaction and returns one result per item, in the same order. */
  write: (tx: Queryable, items: Item[]) => Promise<Result[]>;
  /**
   * Runs after the commit and before the callers resolve (e.g. analysis that must see the committed rows). Calls
   * never overlap and follow the order the batches were started, even when several are written concurrently; the
   * batches that committed while a call was running are handed to the next call together (their items and
   * results concatenated, in start order), so a slow step takes bigger bites instead of falling behind.
   * Its failure does not reject the callers — their writes are durable — and is handed to `onAfterCommitError`.
   */
  afterCommit?: (items: Item[], results: Result[]) => Promise<void>;
  onAfterCommitError?: (error: unknown) => void;
  /** Observes the size of every committed transaction (a metric). */
  onBatch?: (size: number) => void;
}

export interface GroupCommitter<Item, Result> {
  submit(item: Item): Promise<Result>;
  /** Writes what is waiting, waits for in-flight batches, then refuses new items. */
  close(): Promise<void>;
}

interface Pending<Item, Result> {
  item: Item;
  /** performance.now() at submission: a batch is due once its oldest item has waited maxWaitMs. */
  at: number;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

export class GroupCommitClosedError extends Error {
  constructor() {
    super('group committer is closed');
    this.name = 'GroupCommitClosedError';
  }
}

export function createGroupCommitter<Item, Result>(options: GroupCommitOptions<Item, Result>): GroupCommitter<Item, Result> {
  if (options.maxBatch < 1) throw new Error('maxBatch must be at least 1');
  const maxInFlight = options.maxInFlight ?? 1;
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1) throw new Error('maxInFlight must be a positive integer');
  const waiting: Array<Pending<Item, Result>> = [];
  /** Cancels the armed timer (a timeout, or an immediate when maxWaitMs is 0). */
  let timer: (() => void) | undefined;
  /** Batches being written or settled; each holds one of the maxInFlight slots until its callers are answered. */
  const inFlight = new Set<Promise<void>>();
  /** Started batches not yet answered, in start order; `outcome` is set once the batch's write has finished. */
  const settling: Array<{ outcome?: { committed: Array<Pending<Item, Result>>; results: Result[] }; answered: () => void }> = [];
  let settlerRunning = false;
  let closed = false;

  async function commit(batch: Array<Pending<Item, Result>>): Promise<Result[]> {
    const items = batch.map((pending) => pending.item);
    const results = options.autocommit ? await options.write(options.autocommit, items) : await options.db.transaction((tx) => options.write(tx, items));
    if (results.length !== items.length) throw new Error(`group commit write returned ${results.length} results for ${items.length} items`);
    options.onBatch?.(items.length);
    return results;
  }

  async function settle(batch: Array<Pending<Item, Result>>, results: Result[]): Promise<void> {
    if (options.afterCommit) {
      try {
        await options.afterCommit(
          batch.map((pending) => pending.item),
          results,
        );
      } catch (error) {
        options.onAfterCommitError?.(error);
      }
    }
    batch.forEach((pending, index) => pending.resolve(results[index] as Result));
  }

  /**
   * Answers the finished batches at the head of the queue — every consecutive one, with one afterCommit call — and
   * repeats while more have finished meanwhile. One settler at a time; never rejects.
   */
  async function settleFinished(): Promise<void> {
    if (settlerRunning) return;
    settlerRunning = true;
    try {
      for (;;) {
        let count = 0;
        while (count < settling.length && settling[count]!.outcome) count += 1;
        if (count === 0) return;
        const group = settling.splice(0, count);
        const committed = group.flatMap((entry) => entry.outcome!.committed);
        if (committed.length > 0) await settle(committed, group.flatMap((entry) => entry.outcome!.results));
        for (const entry of group) entry.answered();
      }
    } finally {
      settlerRunning = false;
    }
  }

  /** Never rejects: every caller is resolved or rejected, here or by settleFinished. */
  async function writeBatch(batch: Array<Pending<Item, Result>>): Promise<{ committed: Array<Pending<Item, Result>>; results: Result[] }> {
    let committed: Array<Pending<Item, Result>> = [];
    let results: Result[] = [];
    try {
      results = await commit(batch);
      committed = batch;
    } catch (error) {
      if (batch.length === 1) batch[0]!.reject(error);
      else {
        // The shared transaction rolled back: isolate the culprit(s) by giving each item its own transaction.
        for (const pending of batch) {
          try {
            const [result] = await commit([pending]);
            committed.push(pending);
            results.push(result as Result);
          } catch (itemError) {
            pending.reject(itemError);
          }
        }
      }
    }
    return { committed, results };
  }

  function start(batch: Array<Pending<Item, Result>>): void {
    let answered!: () => void;
    const done = new Promise<void>((resolve) => (answered = resolve));
    const entry: (typeof settling)[number] = { answered };
    settling.push(entry);
    void writeBatch(batch).then((outcome) => {
      entry.outcome = outcome;
      void settleFinished();
    });
    inFlight.add(done);
    void done.then(() => {
      inFlight.delete(done);
      pump(false);
    });
  }

  /**
   * Starts every batch that is due while a slot is free: a full one, any when closing, and the oldest items once
   * they have waited maxWaitMs (`timerFired`: the timer armed for them). Then arms the timer for what still waits.
   */
  function pump(timerFired: boolean): void {
    if (timerFired) timer = undefined;
    // A timer may fire a little before maxWaitMs by performance.now(): its firing alone makes the oldest items due.
    let oldestDue = timerFired;
    let started = false;
    while (waiting.length > 0 && inFlight.size < maxInFlight) {
      const due = oldestDue || closed || waiting.length >= options.maxBatch || performance.now() - waiting[0]!.at >= options.maxWaitMs;
      if (!due) break;
      oldestDue = false;
      started = true;
      start(waiting.splice(0, options.maxBatch));
    }
    if (started && timer) {
      // It was armed for items that have just left: the new oldest item gets a timer of its own.
      timer();
      timer = undefined;
    }
    arm();
  }

  /** A timer for the oldest waiting item, unless one is armed or no slot is free (a finishing batch pumps then). */
  function arm(): void {
    if (timer || waiting.length === 0 || inFlight.size >= maxInFlight) return;
    if (options.maxWaitMs === 0) {
      const immediate = setImmediate(() => pump(true));
      timer = () => clearImmediate(immediate);
      return;
    }
    const remaining = options.maxWaitMs - (performance.now() - waiting[0]!.at);
    const timeout = setTimeout(() => pump(true), Math.max(0, remaining));
    timer = () => clearTimeout(timeout);
  }

  return {
    submit(item) {
      if (closed) return Promise.reject(new GroupCommitClosedError());
      return new Promise<Result>((resolve, reject) => {
        waiting.push({ item, at: performance.now(), resolve, reject });
        if (waiting.length >= options.maxBatch) pump(false);
        else arm();
      });
    },
    async close() {
      closed = true;
      if (timer) {
        timer();
        timer = undefined;
      }
      pump(false);
      while (inFlight.size > 0) {
        await Promise.all(inFlight);
        pump(false);
      }
    },
  };
}
