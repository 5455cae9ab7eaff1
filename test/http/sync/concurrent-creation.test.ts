import { expect, it } from 'vitest';
import { createActiveContracts } from '../../../src/modules/sync/active-contracts.js';
import type { GapType } from '../../../src/modules/sync/contract-schema.js';
import { createSyncEngine } from '../../../src/modules/sync/sync.engine.js';
import { createSyncRepositories, type SyncRepositories } from '../../../src/modules/sync/sync.repositories.js';
import { createAgent, describeSyncSuite, gapsOf, MINUTE, putContracts, storedEvent } from './fixtures.js';

/**
 * A batch creates the state rows of entities it sees for the first time with their final state, once, at the end.
 * Should another analyser (another replica, or the sweep) create one of those rows in between, the batch is rolled
 * back and analysed again, locking every row first: the outcome is the same as one clean analysis, and what the
 * rolled-back attempt did is neither kept nor counted.
 */
describeSyncSuite('sync analyzer, an entity created by another analyser meanwhile', '2026-03-11T09:00:00.000Z', (ctx) => {
  it('redoes the batch once in locking mode: same gaps, follow-ups and states as one clean analysis, gaps counted once', async () => {
    const { t, clock } = ctx();
    const owner = await createAgent(t);
    await putContracts(t, {
      contracts: [
        {
          name: 'racing-orders',
          owner,
          streams: [{ name: 'orders', source: 'zapier', entity_type: 'order', freshness: '1d', unique_event_types: ['order.created'] }],
          follow_ups: [{ name: 'order-fulfilled', when: { stream: 'orders', event_type: 'order.created' }, then: { stream: 'orders', event_type: 'order.fulfilled' }, within: '1h' }],
        },
      ],
    });
    const { db } = t.container;
    const repositories = createSyncRepositories(db);
    let raced = 0;
    // Another analyser creates entity A's sequence state just before this batch creates it (simulated inside the
    // batch's own transaction, so that it is rolled back with it, as a lost race leaves nothing of this attempt).
    const racing: SyncRepositories = {
      ...repositories,
      entityStates: {
        ...repositories.entityStates,
        async createEntityStates(tx, entries) {
          const target = entries.find((entry) => entry.key === 'A' && entry.rule === 'sequence:orders');
          if (raced === 0 && target) {
            raced += 1;
            await tx.query(`insert into sync_entity_state (contract, rule, key, state) values ($1, $2, $3, '{"value": 1}'::jsonb)`, [target.contract, target.rule, target.key]);
          }
          return repositories.entityStates.createEntityStates(tx, entries);
        },
      },
    };
    const opened: GapType[] = [];
    let retries = 0;
    const engine = createSyncEngine({
      db,
      repositories: racing,
      contracts: createActiveContracts({ repository: repositories.contracts, logger: t.container.logger }),
      clock,
      logger: t.container.logger,
      hooks: { gapOpened: (type) => opened.push(type), gapResolved: () => {}, analysisRetried: () => (retries += 1) },
    });
    const event = (type: string, entity: string, sequence: number) =>
      storedEvent(clock, { source_kind: 'zapier', event_type: type, entity_type: 'order', entity_id: entity, sequence });

    // A clean batch first: new entities created once, no redo.
    await engine.analyse([event('order.created', 'C', 1)]);
    expect(retries).toBe(0);

    const first = event('order.created', 'A', 1);
    const again = event('order.created', 'A', 2); // a second order.created of A: a duplicate gap, opened during the batch
    const other = event('order.created', 'B', 1);
    await engine.analyse([first, again, other]);
    expect(raced).toBe(1);
    expect(retries).toBe(1);
    expect(opened).toEqual(['duplicate']); // the rolled-back attempt's gap is not counted

    const gaps = await gapsOf(t, { contract: 'racing-orders' });
    expect(gaps.map((gap) => [gap.type, gap.entity_id, gap.status])).toEqual([['duplicate', 'A', 'open']]);
    expect(gaps[0]!.detail).toMatchObject({ event_id: again.id, first_event_id: first.id });
    const followUps = await db.query<{ key: string; n: number }>(
      `select key, count(*)::int as n from sync_followup where contract = 'racing-orders' group by key order by key`,
    );
    expect(followUps.rows).toEqual([
      { key: 'A', n: 2 },
      { key: 'B', n: 1 },
      { key: 'C', n: 1 },
    ]);

    // The states the redo stored carry on: A is at sequence 2, so 1 is a step back; B at 1, so 2 is in order.
    clock.advance(MINUTE);
    await engine.analyse([event('order.updated', 'A', 1), event('order.updated', 'B', 2)]);
    const outOfOrder = await gapsOf(t, { contract: 'racing-orders', type: 'out_of_order' });
    expect(outOfOrder.map((gap) => [gap.entity_id, gap.detail.sequence, gap.detail.after_sequence])).toEqual([['A', 1, 2]]);
    expect(retries).toBe(1);
  });
});
