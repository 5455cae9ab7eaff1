import type { Database, Queryable } from './driver.js';

/**
 * Group commit: concurrent writers hand their item to one committer, which writes whatever has gathered in a
 * single transaction and answers every caller only after that transaction committed. One fsync then carries
 * many requests, so "acknowledge only after commit" (DESIGN §1 durability rule) does not cost throughput.
 *
 * A batch opens when the first item arrives and is written after `maxWaitMs` or as soon as `maxBatch` items are
 * waiting, whichever comes first. While one batch commits, the next one gathers. If writing a batch fails, each
 * of its items is retried in a transaction of its own, so one bad item never fails its neighbours; only the
 * items that fail alone are rejected.
 */
export interface GroupCommitOptions<Item, Result> {
  db: Pick<Database, 'transaction'>;
  /** How long the first item of a batch may wait for company (a few milliseconds). */
  maxWaitMs: number;
  maxBatch: number;
  /** Writes the items inside the transaction and returns one result per item, in the same order. */
  write: (tx: Queryable, items: Item[]) => Promise<Result[]>;
  /**
   * Runs after the commit and before the callers resolve (e.g. analysis that must see the committed rows).
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
  let waiting: Array<Pending<Item, Result>> = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> | undefined;
  let closed = false;

  async function commit(batch: Array<Pending<Item, Result>>): Promise<Result[]> {
    const items = batch.map((pending) => pending.item);
    const results = await options.db.transaction((tx) => options.write(tx, items));
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

  async function writeBatch(batch: Array<Pending<Item, Result>>): Promise<void> {
    try {
      await settle(batch, await commit(batch));
      return;
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
    }
    // The shared transaction rolled back: isolate the culprit(s) by giving each item its own transaction.
    const committed: Array<Pending<Item, Result>> = [];
    const results: Result[] = [];
    for (const pending of batch) {
      try {
        const [result] = await commit([pending]);
        committed.push(pending);
        results.push(result as Result);
      } catch (error) {
        pending.reject(error);
      }
    }
    if (committed.length > 0) await settle(committed, results);
  }

  /** Writes batches one after another until nothing is waiting; the next batch gathers while one commits. */
  function drain(): void {
    if (writing || waiting.length === 0) return;
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    const batch = waiting.slice(0, options.maxBatch);
    waiting = waiting.slice(batch.length);
    writing = writeBatch(batch).finally(() => {
      writing = undefined;
      if (waiting.length >= options.maxBatch || (waiting.length > 0 && closed)) drain();
      else if (waiting.length > 0) schedule();
    });
  }

  function schedule(): void {
    if (timer || writing) return;
    timer = setTimeout(() => {
      timer = undefined;
      drain();
    }, options.maxWaitMs);
  }

  return {
    submit(item) {
      if (closed) return Promise.reject(new GroupCommitClosedError());
      return new Promise<Result>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        if (waiting.length >= options.maxBatch) drain();
        else schedule();
      });
    },
    async close() {
      closed = true;
      drain();
      while (writing) await writing;
    },
  };
}
