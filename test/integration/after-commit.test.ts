import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAfterCommit, type Database, type Queryable } from '../../src/platform/db/index.js';
import { databaseTargets } from '../helpers/db.js';
import { openMigratedDatabase } from '../repository/database.js';

/**
 * The after-commit effect buffer on real databases: effects deferred in a transaction run only once it has
 * committed (and see what it wrote), in order; a rollback or a failed commit drops them.
 */
for (const target of databaseTargets) {
  describe(`after-commit effects [${target.name}]`, () => {
    let opened: Awaited<ReturnType<typeof openMigratedDatabase>> | undefined;
    const db = (): Database => opened!.db;

    beforeAll(async () => {
      opened = await openMigratedDatabase(target);
      // Deferred: a second row with the same id fails the commit, not the insert.
      await db().exec(`create table after_commit_probe (id integer, note text not null,
        constraint after_commit_probe_id unique (id) deferrable initially deferred)`);
    });
    afterAll(async () => {
      await opened?.close();
    });
    beforeEach(async () => {
      await db().query('truncate after_commit_probe');
    });

    const insert = (tx: Queryable, id: number) => tx.query('insert into after_commit_probe (id, note) values ($1, $2)', [id, `row ${id}`]);
    const storedIds = async (): Promise<number[]> =>
      (await db().query<{ id: number }>('select id from after_commit_probe order by id')).rows.map((row) => row.id);

    it('runs deferred effects after the commit, in order, where the committed rows are visible', async () => {
      const afterCommit = createAfterCommit(db());
      const ran: string[] = [];
      let visible: Promise<number[]> | undefined;
      const result = await afterCommit.transaction(async (tx) => {
        await insert(tx, 1);
        afterCommit.defer(tx, () => ran.push('first'));
        afterCommit.defer(tx, () => {
          ran.push('second');
          visible = storedIds(); // from outside the transaction: sees the row only if it committed
        });
        expect(ran).toEqual([]);
        return 'done';
      });
      expect(result).toBe('done');
      expect(ran).toEqual(['first', 'second']);
      expect(await visible).toEqual([1]);
    });

    it('drops the effects of a transaction that rolls back, and rejects with its error', async () => {
      const afterCommit = createAfterCommit(db());
      const ran: string[] = [];
      const failure = new Error('work failed');
      await expect(
        afterCommit.transaction(async (tx) => {
          await insert(tx, 2);
          afterCommit.defer(tx, () => ran.push('never'));
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(ran).toEqual([]);
      expect(await storedIds()).toEqual([]);
    });

    it('drops the effects of a transaction whose commit fails', async () => {
      const afterCommit = createAfterCommit(db());
      const ran: string[] = [];
      await expect(
        afterCommit.transaction(async (tx) => {
          await insert(tx, 3);
          await insert(tx, 3); // violates the deferred unique constraint at commit
          afterCommit.defer(tx, () => ran.push('never'));
        }),
      ).rejects.toMatchObject({ code: '23505' });
      expect(ran).toEqual([]);
      expect(await storedIds()).toEqual([]);
    });

    it('keeps each transaction’s effects to itself: a rolled-back neighbour drops only its own', async () => {
      const afterCommit = createAfterCommit(db());
      const ran: string[] = [];
      const outcomes = await Promise.allSettled([
        afterCommit.transaction(async (tx) => {
          await insert(tx, 4);
          afterCommit.defer(tx, () => ran.push('kept'));
        }),
        afterCommit.transaction(async (tx) => {
          await insert(tx, 5);
          afterCommit.defer(tx, () => ran.push('dropped'));
          throw new Error('rolled back');
        }),
      ]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected']);
      expect(ran).toEqual(['kept']);
      expect(await storedIds()).toEqual([4]);
    });

    it('runs an effect at once when its handle is not a transaction it opened, or one that has ended', async () => {
      const afterCommit = createAfterCommit(db());
      const ran: string[] = [];
      afterCommit.defer(db(), () => ran.push('autocommit'));
      await db().transaction(async (tx) => {
        afterCommit.defer(tx, () => ran.push('foreign transaction'));
        expect(ran).toEqual(['autocommit', 'foreign transaction']);
      });
      let ended: Queryable | undefined;
      await afterCommit.transaction(async (tx) => {
        ended = tx;
      });
      afterCommit.defer(ended!, () => ran.push('ended transaction'));
      expect(ran).toEqual(['autocommit', 'foreign transaction', 'ended transaction']);
    });
  });
}
