import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Queryable } from './driver.js';
import { createGroupCommitter } from './group-commit.js';

/**
 * Scheduling of the group committer with a scripted database (fake timers, transactions that commit when the
 * test says so). Its behaviour on real databases (rollback isolation, visibility) is in
 * test/integration/group-commit.test.ts.
 */
function scriptedDb() {
  const events: string[] = [];
  const gates: Array<() => void> = [];
  const tx = {} as Queryable;
  return {
    events,
    /** Transactions whose commit is being held, oldest first. */
    open: () => gates.length,
    /** Lets the index-th held transaction (in start order among those still held) commit. */
    release(index = 0) {
      const [gate] = gates.splice(index, 1);
      gate!();
    },
    db: {
      async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
        const result = await fn(tx);
        await new Promise<void>((resolve) => gates.push(resolve));
        return result;
      },
    },
  };
}

/** A committer waiting up to 50 ms on a scripted database, and when each of its batch writes started (ms from now). */
function timedCommitter() {
  const script = scriptedDb();
  const started: number[] = [];
  const committer = createGroupCommitter<number, number>({
    db: script.db,
    maxWaitMs: 50,
    maxBatch: 100,
    write: async (_tx, items) => {
      started.push(performance.now());
      return items;
    },
  });
  const t0 = performance.now();
  return { script, committer, startedAt: () => started.map((at) => at - t0) };
}

describe('group committer scheduling', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes one batch at a time by default: the next starts only after the previous was answered', async () => {
    const script = scriptedDb();
    const committer = createGroupCommitter<number, number>({
      db: script.db,
      maxWaitMs: 2,
      maxBatch: 2,
      write: async (_tx, items) => {
        script.events.push(`write ${items.join(',')}`);
        return items;
      },
    });
    const first = Promise.all([1, 2].map((item) => committer.submit(item)));
    const second = Promise.all([3, 4].map((item) => committer.submit(item)));
    await vi.advanceTimersByTimeAsync(10);
    expect(script.events).toEqual(['write 1,2']);
    script.release();
    expect(await first).toEqual([1, 2]);
    await vi.advanceTimersByTimeAsync(0);
    expect(script.events).toEqual(['write 1,2', 'write 3,4']);
    script.release();
    expect(await second).toEqual([3, 4]);
    await committer.close();
  });

  it('writes up to maxInFlight batches concurrently and still runs afterCommit and answers in start order', async () => {
    const script = scriptedDb();
    const answered: number[] = [];
    const committer = createGroupCommitter<number, number>({
      db: script.db,
      maxWaitMs: 2,
      maxBatch: 2,
      maxInFlight: 2,
      write: async (_tx, items) => {
        script.events.push(`write ${items.join(',')}`);
        return items;
      },
      afterCommit: async (items) => {
        script.events.push(`after ${items.join(',')}`);
      },
    });
    const all = [1, 2, 3, 4, 5, 6].map((item) => committer.submit(item).then((result) => answered.push(result)));
    await vi.advanceTimersByTimeAsync(10);
    // Two batches are in flight; the third waits for a free slot.
    expect(script.events).toEqual(['write 1,2', 'write 3,4']);
    // The second batch commits first, but its post-commit step and its callers wait for the first batch.
    script.release(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(script.events).toEqual(['write 1,2', 'write 3,4']);
    expect(answered).toEqual([]);
    script.release(0);
    await vi.advanceTimersByTimeAsync(0);
    // Both had committed by then: one post-commit call takes them together, in start order; the first batch's slot
    // went to the third batch as soon as it was answered.
    expect(script.events.filter((event) => event.startsWith('after'))).toEqual(['after 1,2,3,4']);
    expect(script.events).toContain('write 5,6');
    expect(answered).toEqual([1, 2, 3, 4]);
    script.release();
    await Promise.all(all);
    expect(answered).toEqual([1, 2, 3, 4, 5, 6]);
    await committer.close();
  });

  it('writes items that waited maxWaitMs during a commit as soon as it ends, without a second wait', async () => {
    const { script, committer, startedAt } = timedCommitter();
    const first = committer.submit(1);
    await vi.advanceTimersByTimeAsync(50);
    expect(startedAt()).toEqual([50]);
    await vi.advanceTimersByTimeAsync(10);
    const second = committer.submit(2); // arrives at 60 while the first batch commits
    await vi.advanceTimersByTimeAsync(90);
    script.release(); // the first commit ends at 150: item 2 has waited 90 ms > maxWaitMs
    await first;
    await vi.advanceTimersByTimeAsync(0);
    expect(startedAt()).toEqual([50, 150]);
    script.release();
    expect(await second).toBe(2);
    await committer.close();
  });

  it('waits the rest of maxWaitMs for an item that arrived shortly before the previous commit ended', async () => {
    const { script, committer, startedAt } = timedCommitter();
    const first = committer.submit(1);
    await vi.advanceTimersByTimeAsync(70);
    const second = committer.submit(2); // at 70
    await vi.advanceTimersByTimeAsync(10);
    script.release(); // at 80: item 2 has waited 10 ms; it is written at 120
    await first;
    await vi.advanceTimersByTimeAsync(39);
    expect(startedAt()).toEqual([50]);
    await vi.advanceTimersByTimeAsync(1);
    expect(startedAt()).toEqual([50, 120]);
    script.release();
    expect(await second).toBe(2);
    await committer.close();
  });

  it('close() writes everything still waiting, whatever maxInFlight, then refuses new items', async () => {
    const script = scriptedDb();
    const committer = createGroupCommitter<number, number>({
      db: script.db,
      maxWaitMs: 10_000,
      maxBatch: 1,
      maxInFlight: 2,
      write: async (_tx, items) => items,
    });
    const results = Promise.all([1, 2, 3].map((item) => committer.submit(item)));
    const closing = committer.close();
    let closed = false;
    void closing.then(() => (closed = true));
    for (let round = 0; round < 10 && !closed; round += 1) {
      await vi.advanceTimersByTimeAsync(0);
      while (script.open() > 0) script.release();
    }
    await closing;
    expect(await results).toEqual([1, 2, 3]);
    await expect(committer.submit(4)).rejects.toThrow('group committer is closed');
  });

  it('with autocommit, writes each batch on that queryable without opening a transaction, and still isolates a failing item', async () => {
    const script = scriptedDb();
    const direct = { query: vi.fn(), exec: vi.fn() } as unknown as Queryable;
    const seen: Array<{ on: Queryable; items: number[] }> = [];
    const committer = createGroupCommitter<number, number>({
      db: script.db,
      autocommit: direct,
      maxWaitMs: 2,
      maxBatch: 3,
      write: async (on, items) => {
        seen.push({ on, items });
        if (items.includes(2)) throw new Error('item 2 is refused');
        return items.map((item) => item * 10);
      },
    });
    const results = [1, 2, 3].map((item) => committer.submit(item).catch((error: Error) => error.message));
    await vi.advanceTimersByTimeAsync(10);
    expect(await Promise.all(results)).toEqual([10, 'item 2 is refused', 30]);
    expect(script.open()).toBe(0); // no transaction was ever opened
    expect(seen.map(({ on, items }) => [on === direct, items])).toEqual([
      [true, [1, 2, 3]],
      [true, [1]],
      [true, [2]],
      [true, [3]],
    ]);
    await committer.close();
  });

  it('hands the batches that committed during a slow post-commit step to the next call together, never overlapping calls', async () => {
    const script = scriptedDb();
    const calls: string[] = [];
    let running = 0;
    let mostAtOnce = 0;
    let releaseFirstAfter!: () => void;
    const firstAfter = new Promise<void>((resolve) => (releaseFirstAfter = resolve));
    const committer = createGroupCommitter<number, number>({
      db: script.db,
      maxWaitMs: 2,
      maxBatch: 2,
      maxInFlight: 3,
      write: async (_tx, items) => items,
      afterCommit: async (items) => {
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        calls.push(items.join(','));
        if (calls.length === 1) await firstAfter;
        running -= 1;
      },
    });
    const all = Promise.all([1, 2, 3, 4, 5, 6].map((item) => committer.submit(item)));
    await vi.advanceTimersByTimeAsync(10);
    script.release(0); // batch 1,2 commits; its post-commit step starts and hangs
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual(['1,2']);
    script.release(0); // 3,4 and 5,6 commit while it runs
    script.release(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual(['1,2']);
    releaseFirstAfter();
    expect(await all).toEqual([1, 2, 3, 4, 5, 6]);
    expect(calls).toEqual(['1,2', '3,4,5,6']);
    expect(mostAtOnce).toBe(1);
    await committer.close();
  });

  it('refuses a maxInFlight below 1', () => {
    expect(() => createGroupCommitter({ db: scriptedDb().db, maxWaitMs: 1, maxBatch: 1, maxInFlight: 0, write: async () => [] })).toThrow('maxInFlight');
  });
});
