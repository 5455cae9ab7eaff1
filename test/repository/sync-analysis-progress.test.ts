import { expect, it } from 'vitest';
import { createAnalysisProgressRepository } from '../../src/modules/sync/analysis-progress.repository.js';
import type { Database } from '../../src/platform/db/index.js';
import { describeRepository } from './database.js';

/** Durable analysis: the claims, the watermark, the reads of stored events, the sweep's lock. */

const ZERO = '00000000-0000-0000-0000-000000000000';
const ZAPIER = '0190c0de-0000-7000-8000-0000000000aa';
const HUBSPOT = '0190c0de-0000-7000-8000-0000000000bb';
/** Event ids in arrival order, as UUIDv7 ids are. */
const eventId = (n: number) => `0190c0de-${String(n).padStart(4, '0')}-7000-8000-000000000000`;
const RECEIVED = new Date('2026-03-04T08:00:00.000Z');

async function seedSources(db: Database): Promise<void> {
  await db.query(
    `insert into source (id, kind, name, secret_ciphertext) values ($1, 'zapier', 'zapier', 'x'), ($2, 'hubspot', 'hubspot', 'x')`,
    [ZAPIER, HUBSPOT],
  );
}

async function seedEvent(db: Database, n: number, values: { source?: string; sequence?: number | null } = {}): Promise<void> {
  await db.query(
    `insert into event (id, source_id, idempotency_key, payload_hash, event_type, entity_type, entity_id, occurred_at, received_at, sequence,
                        agent_id, correlation_id, payload)
     values ($1, $2, $3, 'hash', 'order.created', 'order', $4, $5, $6, $7, null, $8, $9)`,
    [eventId(n), values.source ?? ZAPIER, `key-${n}`, `order-${n}`, new Date(RECEIVED.getTime() - 60_000), RECEIVED, values.sequence ?? null, `corr-${n}`, JSON.stringify({ n })],
  );
}

async function claims(db: Database): Promise<string[]> {
  return (await db.query<{ event_id: string }>('select event_id from sync_analyzed_event order by event_id')).rows.map((row) => row.event_id);
}

describeRepository('sync analysis-progress repository', ['sync_analyzed_event', 'sync_checkpoint', 'event', 'source'], (db, target) => {
  it('claims each event once: ids in any case, repeated ids, and ids claimed before are returned at most once', async () => {
    const progress = createAnalysisProgressRepository(db());
    const first = await db().transaction((tx) => progress.claimEvents(tx, [eventId(2).toUpperCase(), eventId(1), eventId(2)]));
    expect(first).toEqual(new Set([eventId(1), eventId(2)]));
    const second = await db().transaction((tx) => progress.claimEvents(tx, [eventId(2), eventId(3)]));
    expect(second).toEqual(new Set([eventId(3)]));
    expect(await db().transaction((tx) => progress.claimEvents(tx, []))).toEqual(new Set());
    expect(await claims(db())).toEqual([eventId(1), eventId(2), eventId(3)]);
  });

  it('keeps no claim, nor watermark move, of a transaction that rolls back', async () => {
    const progress = createAnalysisProgressRepository(db());
    await expect(
      db().transaction(async (tx) => {
        expect(await progress.claimEvents(tx, [eventId(1)])).toEqual(new Set([eventId(1)]));
        expect(await progress.lockCheckpoint(tx)).toBe(ZERO);
        await progress.advanceCheckpoint(tx, eventId(1));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await claims(db())).toEqual([]);
    expect((await db().query('select name, event_id from sync_checkpoint')).rows).toEqual([]);
    expect(await db().transaction((tx) => progress.claimEvents(tx, [eventId(1)]))).toEqual(new Set([eventId(1)]));
  });

  it('starts the watermark at zero, moves it only forward, and forgets the claims it passes', async () => {
    const progress = createAnalysisProgressRepository(db());
    await db().transaction((tx) => progress.claimEvents(tx, [eventId(1), eventId(2), eventId(3)]));
    await db().transaction(async (tx) => {
      expect(await progress.lockCheckpoint(tx)).toBe(ZERO);
      await progress.advanceCheckpoint(tx, eventId(2));
    });
    expect(await claims(db())).toEqual([eventId(3)]);
    await db().transaction(async (tx) => {
      expect(await progress.lockCheckpoint(tx)).toBe(eventId(2));
      await progress.advanceCheckpoint(tx, eventId(1)); // behind the watermark: it stays where it is
    });
    expect(await db().transaction((tx) => progress.lockCheckpoint(tx))).toBe(eventId(2));
  });

  it('pages through stored events between the watermark and a bound, saying which were claimed', async () => {
    const progress = createAnalysisProgressRepository(db());
    await seedSources(db());
    for (const n of [1, 2, 3, 4, 5]) await seedEvent(db(), n, { source: n === 3 ? HUBSPOT : ZAPIER });
    await db().transaction((tx) => progress.claimEvents(tx, [eventId(3)]));
    const page = await db().transaction((tx) => progress.eventsAfter(tx, eventId(1), eventId(5), 10));
    expect(page).toEqual([
      { id: eventId(2), source_id: ZAPIER, source_kind: 'zapier', entity_type: 'order', analyzed: false },
      { id: eventId(3), source_id: HUBSPOT, source_kind: 'hubspot', entity_type: 'order', analyzed: true },
      { id: eventId(4), source_id: ZAPIER, source_kind: 'zapier', entity_type: 'order', analyzed: false },
    ]);
    expect((await db().transaction((tx) => progress.eventsAfter(tx, ZERO, eventId(5), 2))).map((row) => row.id)).toEqual([eventId(1), eventId(2)]);
  });

  it('loads stored events as the analyzer reads them, in id order, with sequences as numbers', async () => {
    const progress = createAnalysisProgressRepository(db());
    await seedSources(db());
    await seedEvent(db(), 1, { sequence: 9_007_199_254 });
    await seedEvent(db(), 2);
    expect(await progress.loadEvents([])).toEqual([]);
    const events = await db().transaction((tx) => progress.loadEvents([eventId(2), eventId(1), eventId(7)], tx));
    expect(events).toEqual([
      {
        id: eventId(1),
        source_id: ZAPIER,
        source_kind: 'zapier',
        event_type: 'order.created',
        entity_type: 'order',
        entity_id: 'order-1',
        occurred_at: new Date(RECEIVED.getTime() - 60_000),
        received_at: RECEIVED,
        sequence: 9_007_199_254,
        correlation_id: 'corr-1',
        payload: { n: 1 },
      },
      {
        id: eventId(2),
        source_id: ZAPIER,
        source_kind: 'zapier',
        event_type: 'order.created',
        entity_type: 'order',
        entity_id: 'order-2',
        occurred_at: new Date(RECEIVED.getTime() - 60_000),
        received_at: RECEIVED,
        sequence: null,
        correlation_id: 'corr-2',
        payload: { n: 2 },
      },
    ]);
    expect(await progress.sourceKind(HUBSPOT)).toBe('hubspot');
    expect(await progress.sourceKind('0190c0de-0000-7000-8000-0000000000ff')).toBeUndefined();
  });

  it('takes the sweep lock for the transaction; on PostgreSQL a concurrent sweeper is refused until it ends', async () => {
    const progress = createAnalysisProgressRepository(db());
    expect(await db().transaction((tx) => progress.tryLockSweep(tx))).toBe(true);
    if (target.name === 'pglite') return; // one connection: transactions never overlap
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const taken = new Promise<void>((resolve) => (locked = resolve));
    const first = db().transaction(async (tx) => {
      expect(await progress.tryLockSweep(tx)).toBe(true);
      locked();
      await held;
    });
    await taken;
    expect(await db().transaction((tx) => progress.tryLockSweep(tx))).toBe(false);
    release();
    await first;
    expect(await db().transaction((tx) => progress.tryLockSweep(tx))).toBe(true);
  });
});
