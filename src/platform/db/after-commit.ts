import type { Database, Queryable } from './driver.js';

/**
 * Side effects that report what a transaction wrote (metrics, log lines, in-process notifications) must happen only
 * once that write is durable: a transaction that is rolled back — and perhaps redone — must not count or announce
 * rows that were never stored, nor count them twice.
 */
export interface AfterCommit {
  /**
   * Runs `work` in one transaction. Effects deferred on its `tx` run after the commit, in the order they were
   * deferred; if the transaction rolls back (or its commit fails) they are dropped.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Holds `effect` until `tx` commits, when `tx` belongs to a transaction opened by `transaction` above that has not
   * ended; runs it at once otherwise (what a write outside such a transaction reports is its caller's business).
   * Effects must not throw: by the time they run, the transaction has committed and its caller must learn of success.
   */
  defer(tx: Queryable, effect: () => void): void;
}

export function createAfterCommit(db: Pick<Database, 'transaction'>): AfterCommit {
  const pending = new WeakMap<Queryable, Array<() => void>>();
  return {
    async transaction(work) {
      const effects: Array<() => void> = [];
      let handle: Queryable | undefined;
      const result = await db
        .transaction((tx) => {
          handle = tx;
          pending.set(tx, effects);
          return work(tx);
        })
        .finally(() => {
          // Once its transaction has ended, a handle no longer holds effects back.
          if (handle) pending.delete(handle);
        });
      for (const effect of effects) effect();
      return result;
    },

    defer(tx, effect) {
      const effects = pending.get(tx);
      if (effects) effects.push(effect);
      else effect();
    },
  };
}
