import { beforeEach, expect, it } from 'vitest';
import { describeEachDatabase } from '../helpers/app.js';
import { createGroupCommitter, GroupCommitClosedError } from '../../src/platform/db/group-commit.js';
import type { Queryable } from '../../src/platform/db/driver.js';

/**
 * The group committer on a real database: callers resolve only after their rows are committed, concurrent
 * callers share transactions, and one failing item never takes its neighbours down with it.
 */
describeEachDatabase('group commit', (ctx) => {
  beforeEach(async () => {
    await ctx().container.db.exec('drop table if exists gc_probe; create table gc_probe (id integer primary key, note text not null)');
  });

  async function insert(tx: Queryable, ids: number[]): Promise<number[]> {
    for (const id of ids) await tx.query('insert into gc_probe (id, note) values ($1, $2)', [id, `row ${id}`]);
    return ids.map((id) => id * 10);
  }

  async function storedIds(): Promise<number[]> {
    const { rows } = await ctx().container.db.query<{ id: number }>('select id from gc_probe order by id');
    return rows.map((row) => row.id);
  }

  it('answers each caller with its own result after one shared commit', async () => {
    const batches: number[] = [];
    const committer = createGroupCommitter<number, number>({
      db: ctx().container.db,
      maxWaitMs: 50,
      maxBatch: 100,
      write: insert,
      onBatch: (size) => batches.push(size),
    });
    const results = await Promise.all([1, 2, 3, 4, 5].map((id) => committer.submit(id)));
    expect(results).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([5]);
    expect(await storedIds()).toEqual([1, 2, 3, 4, 5]);
    await committer.close();
  });

  it('writes a full batch at once and gathers the rest into the next transaction', async () => {
    const batches: number[] = [];
    const committer = createGroupCommitter<number, number>({
      db: ctx().container.db,
      maxWaitMs: 10_000, // never reached: the full batch and close() decide
      maxBatch: 3,
      write: insert,
      onBatch: (size) => batches.push(size),
    });
    const first = Promise.all([1, 2, 3].map((id) => committer.submit(id)));
    const rest = Promise.all([4, 5].map((id) => committer.submit(id)));
    expect(await first).toEqual([10, 20, 30]);
    await committer.close();
    expect(await rest).toEqual([40, 50]);
    expect(batches).toEqual([3, 2]);
    expect(await storedIds()).toEqual([1, 2, 3, 4, 5]);
  });

  it('isolates a failing item: its neighbours commit, it alone is rejected', async () => {
    await ctx().container.db.query("insert into gc_probe (id, note) values (3, 'already there')");
    const committer = createGroupCommitter<number, number>({ db: ctx().container.db, maxWaitMs: 20, maxBatch: 100, write: insert });
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map((id) => committer.submit(id)));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(await storedIds()).toEqual([1, 2, 3, 4]);
    const { rows } = await ctx().container.db.query<{ note: string }>('select note from gc_probe where id = 3');
    expect(rows[0]?.note).toBe('already there');
    await committer.close();
  });

  it('runs afterCommit once per committed transaction before answering, and survives its failure', async () => {
    const seen: number[][] = [];
    let visibleDuringAfterCommit: number[] = [];
    const committer = createGroupCommitter<number, number>({
      db: ctx().container.db,
      maxWaitMs: 20,
      maxBatch: 100,
      write: insert,
      afterCommit: async (items) => {
        seen.push(items);
        visibleDuringAfterCommit = await storedIds();
        throw new Error('analysis failed');
      },
      onAfterCommitError: (error) => seen.push([-1, (error as Error).message.length]),
    });
    expect(await Promise.all([7, 8].map((id) => committer.submit(id)))).toEqual([70, 80]);
    expect(seen).toEqual([[7, 8], [-1, 'analysis failed'.length]]);
    expect(visibleDuringAfterCommit).toEqual([7, 8]);
    await committer.close();
  });

  it('refuses new items once closed, after writing what was waiting', async () => {
    const committer = createGroupCommitter<number, number>({ db: ctx().container.db, maxWaitMs: 10_000, maxBatch: 100, write: insert });
    const waiting = committer.submit(9);
    await committer.close();
    expect(await waiting).toBe(90);
    await expect(committer.submit(10)).rejects.toBeInstanceOf(GroupCommitClosedError);
    expect(await storedIds()).toEqual([9]);
  });
});
