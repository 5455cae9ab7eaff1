import { expect, it } from 'vitest';
import { createEntityStateRepository, type EntityRef } from '../../src/modules/sync/entity-state.repository.js';
import { createFollowUpsRepository, type AwaitedFollowUp } from '../../src/modules/sync/follow-ups.repository.js';
import { createStreamStateRepository } from '../../src/modules/sync/stream-state.repository.js';
import type { Database } from '../../src/platform/db/index.js';
import { describeRepository } from './database.js';

/** The analyzer's memory: per-entity state, awaited follow-ups and per-stream freshness. */

const ref = (key: string, contract = 'orders', rule = 'sequence:orders'): EntityRef => ({ contract, rule, key });

async function storedStates(db: Database): Promise<Array<{ contract: string; rule: string; key: string; state: unknown }>> {
  const { rows } = await db.query<{ contract: string; rule: string; key: string; state: unknown }>(
    'select contract, rule, key, state from sync_entity_state order by contract, rule, key',
  );
  return rows;
}

/** Makes rows look idle: written `hours` ago in database time. */
async function age(db: Database, table: 'sync_entity_state' | 'sync_followup', hours: number, where: string): Promise<void> {
  await db.query(`update ${table} set updated_at = now() - $1 * interval '1 hour' where ${where}`, [hours]);
}

const followUpId = (n: number) => `0190c0de-0000-7000-8000-${String(n).padStart(12, '0')}`;
const eventId = (n: number) => `0190c0de-eeee-7000-8000-${String(n).padStart(12, '0')}`;

function followUp(n: number, values: Partial<AwaitedFollowUp> = {}): AwaitedFollowUp {
  return {
    id: followUpId(n),
    contract: 'orders',
    rule: 'order-fulfilled',
    key: `order-${n}`,
    trigger_event_id: eventId(n),
    trigger_at: new Date('2026-03-03T08:00:00.000Z'),
    open_at: new Date('2026-03-03T09:00:00.000Z'),
    due_at: new Date('2026-03-03T10:00:00.000Z'),
    satisfied_at: null,
    satisfied_by: null,
    ...values,
  };
}

describeRepository('sync entity-state repository', ['sync_entity_state'], (db, target) => {
  it('locks a batch’s rows, creating empty ones for new entities, with states aligned to the refs', async () => {
    const states = createEntityStateRepository(db());
    await db().query(`insert into sync_entity_state (contract, rule, key, state) values ('orders', 'sequence:orders', 'B', '{"max": 4}')`);
    const locked = await db().transaction((tx) => states.lockEntityStates(tx, [ref('A'), ref('B'), ref('C')]));
    expect(locked).toEqual([undefined, { max: 4 }, undefined]);
    expect(await storedStates(db())).toEqual([
      { ...ref('A'), state: null },
      { ...ref('B'), state: { max: 4 } },
      { ...ref('C'), state: null },
    ]);
    expect(await db().transaction((tx) => states.lockEntityStates(tx, []))).toEqual([]);
  });

  it('optimistically locks only the rows that exist, creates with final states, and saves changed ones', async () => {
    const states = createEntityStateRepository(db());
    await db().query(`insert into sync_entity_state (contract, rule, key, state) values ('orders', 'sequence:orders', 'B', '{"max": 4}')`);
    await db().transaction(async (tx) => {
      expect(await states.lockExistingEntityStates(tx, [ref('A'), ref('B')])).toEqual({ states: [undefined, { max: 4 }], exists: [false, true] });
      await states.saveEntityStates(tx, [{ ...ref('B'), state: { max: 5 } }]);
      expect(await states.createEntityStates(tx, [{ ...ref('A'), state: { max: 1 } }])).toBe(1);
    });
    expect(await storedStates(db())).toEqual([
      { ...ref('A'), state: { max: 1 } },
      { ...ref('B'), state: { max: 5 } },
    ]);
  });

  it('leaves alone a row another writer created first, and says how many it created', async () => {
    const states = createEntityStateRepository(db());
    await db().query(`insert into sync_entity_state (contract, rule, key, state) values ('orders', 'sequence:orders', 'A', '{"by": "other"}')`);
    const created = await db().transaction((tx) =>
      states.createEntityStates(tx, [
        { ...ref('A'), state: { by: 'me' } },
        { ...ref('B'), state: { by: 'me' } },
      ]),
    );
    expect(created).toBe(1);
    expect(await storedStates(db())).toEqual([
      { ...ref('A'), state: { by: 'other' } },
      { ...ref('B'), state: { by: 'me' } },
    ]);
  });

  it('keeps nothing of states written in a transaction that rolls back', async () => {
    const states = createEntityStateRepository(db());
    await expect(
      db().transaction(async (tx) => {
        await states.lockEntityStates(tx, [ref('A')]);
        await states.saveEntityStates(tx, [{ ...ref('A'), state: { max: 2 } }]);
        await states.createEntityStates(tx, [{ ...ref('B'), state: { max: 1 } }]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await storedStates(db())).toEqual([]);
  });

  it('forgets idle memories per contract, and those of contracts no longer active, at most `limit` at a time', async () => {
    const states = createEntityStateRepository(db());
    await db().query(
      `insert into sync_entity_state (contract, rule, key, state) values
         ('orders', 'r', 'old-1', '1'), ('orders', 'r', 'old-2', '1'), ('orders', 'r', 'young', '1'), ('removed', 'r', 'old', '1')`,
    );
    await age(db(), 'sync_entity_state', 48, `key like 'old%'`);
    const dayMs = 24 * 3_600_000;
    expect(await states.forgetIdle({ contract: 'orders' }, dayMs, 1)).toBe(1);
    expect(await states.forgetIdle({ contract: 'orders' }, dayMs, 10)).toBe(1);
    expect(await states.forgetIdle({ otherThan: ['orders'] }, 72 * 3_600_000, 10)).toBe(0); // not idle for that long
    expect(await db().transaction((tx) => states.forgetIdle({ otherThan: ['orders'] }, dayMs, 10, tx))).toBe(1);
    expect((await storedStates(db())).map((row) => `${row.contract}/${row.key}`)).toEqual(['orders/young']);
  });

  it.skipIf(target.name === 'pglite')('holds the rows it locks until the transaction ends (PostgreSQL: a second locker waits)', async () => {
    const states = createEntityStateRepository(db());
    await db().query(`insert into sync_entity_state (contract, rule, key, state) values ('orders', 'sequence:orders', 'A', '1')`);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const taken = new Promise<void>((resolve) => (locked = resolve));
    const first = db().transaction(async (tx) => {
      await states.lockExistingEntityStates(tx, [ref('A')]);
      locked();
      await held;
    });
    await taken;
    await expect(
      db().transaction(async (tx) => {
        await tx.query(`set local lock_timeout = '200ms'`);
        await states.lockExistingEntityStates(tx, [ref('A')]);
      }),
    ).rejects.toMatchObject({ code: '55P03' });
    release();
    await first;
  });
});

describeRepository('sync follow-ups repository', ['sync_followup'], (db) => {
  async function storedFollowUps() {
    const { rows } = await db().query(
      'select id, contract, rule, key, trigger_event_id, trigger_at, open_at, due_at, satisfied_at, satisfied_by, gap_id from sync_followup order by id',
    );
    return rows;
  }

  it('records a batch’s awaited follow-ups exactly, skipping a trigger already recorded', async () => {
    const followUps = createFollowUpsRepository(db());
    const satisfied = followUp(2, { satisfied_at: new Date('2026-03-03T08:30:00.000Z'), satisfied_by: eventId(20) });
    await db().transaction((tx) => followUps.insertFollowUps(tx, [followUp(1), satisfied]));
    await db().transaction((tx) => followUps.insertFollowUps(tx, [followUp(3, { key: 'order-1', trigger_event_id: eventId(1) })]));
    await db().transaction((tx) => followUps.insertFollowUps(tx, []));
    expect(await storedFollowUps()).toEqual([
      { ...followUp(1), gap_id: null },
      { ...satisfied, gap_id: null },
    ]);
  });

  it('satisfies every awaited follow-up of a key, returning the distinct gaps opened for them', async () => {
    const followUps = createFollowUpsRepository(db());
    const gap = '0190c0de-9999-7000-8000-000000000001';
    await db().transaction((tx) =>
      followUps.insertFollowUps(tx, [followUp(1, { key: 'K' }), followUp(2, { key: 'K' }), followUp(3, { key: 'K' }), followUp(4, { key: 'other' })]),
    );
    await followUps.linkFollowUpGap(db(), followUpId(1), gap);
    await followUps.linkFollowUpGap(db(), followUpId(2), gap);
    const at = new Date('2026-03-03T09:30:00.000Z');
    expect(await followUps.satisfyFollowUps(db(), 'orders', 'order-fulfilled', 'K', eventId(9), at)).toEqual([gap]);
    expect(await followUps.satisfyFollowUps(db(), 'orders', 'order-fulfilled', 'K', eventId(10), at)).toEqual([]);
    const rows = await storedFollowUps();
    expect(rows.map((row) => [row.key, row.satisfied_at, row.satisfied_by])).toEqual([
      ['K', at, eventId(9)],
      ['K', at, eventId(9)],
      ['K', at, eventId(9)],
      ['other', null, null],
    ]);
  });

  it('lists follow-ups due by now, oldest first, skipping satisfied, linked and future ones; retires one', async () => {
    const followUps = createFollowUpsRepository(db());
    const at = (hour: number) => new Date(`2026-03-03T${String(hour).padStart(2, '0')}:00:00.000Z`);
    await db().transaction((tx) =>
      followUps.insertFollowUps(tx, [
        followUp(1, { open_at: at(9) }),
        followUp(2, { open_at: at(7) }),
        followUp(3, { open_at: at(8), satisfied_at: at(8), satisfied_by: eventId(30) }),
        followUp(4, { open_at: at(6) }),
        followUp(5, { open_at: at(11) }),
      ]),
    );
    await followUps.linkFollowUpGap(db(), followUpId(4), '0190c0de-9999-7000-8000-000000000004');
    const due = await db().transaction((tx) => followUps.dueFollowUps(tx, at(10), 10));
    expect(due).toEqual([
      { id: followUpId(2), contract: 'orders', rule: 'order-fulfilled', key: 'order-2', trigger_event_id: eventId(2), trigger_at: followUp(2).trigger_at, open_at: at(7), due_at: followUp(2).due_at },
      { id: followUpId(1), contract: 'orders', rule: 'order-fulfilled', key: 'order-1', trigger_event_id: eventId(1), trigger_at: followUp(1).trigger_at, open_at: at(9), due_at: followUp(1).due_at },
    ]);
    expect((await db().transaction((tx) => followUps.dueFollowUps(tx, at(10), 1))).map((row) => row.id)).toEqual([followUpId(2)]);
    await followUps.retireFollowUp(db(), followUpId(2), at(10));
    expect((await db().transaction((tx) => followUps.dueFollowUps(tx, at(10), 10))).map((row) => row.id)).toEqual([followUpId(1)]);
  });

  it('keeps nothing of a transaction that rolls back', async () => {
    const followUps = createFollowUpsRepository(db());
    await db().transaction((tx) => followUps.insertFollowUps(tx, [followUp(1)]));
    await expect(
      db().transaction(async (tx) => {
        await followUps.insertFollowUps(tx, [followUp(2)]);
        await followUps.satisfyFollowUps(tx, 'orders', 'order-fulfilled', 'order-1', eventId(9), new Date('2026-03-03T09:30:00.000Z'));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await storedFollowUps()).toEqual([{ ...followUp(1), gap_id: null }]);
  });

  it('forgets only satisfied follow-ups idle long enough, never awaited ones', async () => {
    const followUps = createFollowUpsRepository(db());
    const satisfiedAt = new Date('2026-03-03T09:30:00.000Z');
    await db().transaction((tx) =>
      followUps.insertFollowUps(tx, [
        followUp(1, { satisfied_at: satisfiedAt, satisfied_by: eventId(10) }),
        followUp(2),
        followUp(3, { contract: 'removed', satisfied_at: satisfiedAt, satisfied_by: eventId(11) }),
      ]),
    );
    await age(db(), 'sync_followup', 48, 'true');
    const dayMs = 24 * 3_600_000;
    expect(await followUps.forgetSatisfied({ contract: 'orders' }, dayMs, 10)).toBe(1);
    expect(await followUps.forgetSatisfied({ otherThan: ['orders'] }, dayMs, 10)).toBe(1);
    expect((await storedFollowUps()).map((row) => row.id)).toEqual([followUpId(2)]);
  });
});

describeRepository('sync stream-state repository', ['sync_stream_state'], (db) => {
  const at = (minute: number) => new Date(`2026-03-03T09:${String(minute).padStart(2, '0')}:00.000Z`);

  it('records batches of a stream: timestamps only move forward, counts add up', async () => {
    const streams = createStreamStateRepository(db());
    expect(await streams.streamStates()).toEqual([]);
    await streams.touchStream(db(), 'orders', 'zapier-orders', at(10), at(9), 3);
    await streams.touchStream(db(), 'orders', 'zapier-orders', at(5), at(12), 2); // an older batch committing late
    await streams.touchStream(db(), 'orders', 'n8n-orders', at(1), at(1), 1);
    const states = await streams.streamStates();
    expect([...states].sort((a, b) => a.stream.localeCompare(b.stream))).toEqual([
      { contract: 'orders', stream: 'n8n-orders', last_event_at: at(1), last_occurred_at: at(1), events: 1 },
      { contract: 'orders', stream: 'zapier-orders', last_event_at: at(10), last_occurred_at: at(12), events: 5 },
    ]);
  });

  it('keeps nothing of a transaction that rolls back, though the transaction saw its write', async () => {
    const streams = createStreamStateRepository(db());
    await streams.touchStream(db(), 'orders', 'zapier-orders', at(10), at(10), 1);
    await expect(
      db().transaction(async (tx) => {
        await streams.touchStream(tx, 'orders', 'zapier-orders', at(20), at(20), 4);
        expect((await streams.streamStates(tx))[0]).toMatchObject({ last_event_at: at(20), events: 5 });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await streams.streamStates()).toEqual([{ contract: 'orders', stream: 'zapier-orders', last_event_at: at(10), last_occurred_at: at(10), events: 1 }]);
  });
});
