import { expect, it } from 'vitest';
import { createAgent, describeSyncSuite, gapsOf, HOUR, MINUTE, putContracts, storedEvent } from './fixtures.js';

/**
 * The analyzer applies a whole committed batch with a handful of statements: entity states locked and read together,
 * changed in memory observation by observation, written together. A batch that holds an entity's whole story must
 * therefore give the same gaps as the same events arriving one batch at a time.
 */
describeSyncSuite('sync analyzer, one batch at a time', '2026-03-09T09:00:00.000Z', (ctx) => {
  const sync = () => ctx().t.container.modules.sync;

  it('threads an entity’s state through one batch: a step back opens out_of_order, a later step forward in the same batch closes it', async () => {
    const { t, clock } = ctx();
    const owner = await createAgent(t);
    clock.set('2026-03-09T09:00:00.000Z');
    await putContracts(t, {
      contracts: [
        {
          name: 'batched-orders',
          owner,
          streams: [{ name: 'orders', source: 'zapier', entity_type: 'order', freshness: '1d', unique_event_types: ['order.created'] }],
        },
      ],
    });
    const event = (type: string, entity: string, sequence: number) =>
      storedEvent(clock, { source_kind: 'zapier', event_type: type, entity_type: 'order', entity_id: entity, sequence });
    const [one, two, three, back, four] = [event('order.created', 'A', 1), event('order.updated', 'A', 2), event('order.updated', 'A', 3), event('order.updated', 'A', 2), event('order.updated', 'A', 4)];
    const again = event('order.created', 'A', 5);
    const others = Array.from({ length: 50 }, (_, index) => event('order.created', `B${index}`, 1));
    await sync().observer.eventsCommitted([one, two, ...others, three, back, four, again]);

    const gaps = await gapsOf(t, { contract: 'batched-orders' });
    expect(gaps.map((gap) => [gap.type, gap.rule, gap.entity_id, gap.status, gap.resolution])).toEqual([
      ['duplicate', 'unique:orders:order.created', 'A', 'open', null],
      ['out_of_order', 'sequence:orders', 'A', 'resolved', 'auto'],
    ]);
    expect(gaps[1]!.detail).toMatchObject({ event_id: back.id, sequence: 2, after_sequence: 3, resolved_by_event_id: four.id });
    expect(gaps[0]!.detail).toMatchObject({ event_id: again.id, first_event_id: one.id });

    // What the batch left is stored: the next batch continues from sequence 5 and the first order.created.
    clock.advance(MINUTE);
    await sync().observer.eventsCommitted([event('order.updated', 'A', 4), event('order.updated', 'B7', 2)]);
    const next = await gapsOf(t, { contract: 'batched-orders', status: 'open', type: 'out_of_order' });
    expect(next.map((gap) => [gap.entity_id, gap.detail.sequence, gap.detail.after_sequence])).toEqual([['A', 4, 5]]);
  });

  it('satisfies a follow-up whose trigger is in the same batch, before or after it', async () => {
    const { t, clock } = ctx();
    const owner = await createAgent(t);
    clock.set('2026-03-10T08:00:00.000Z');
    await putContracts(t, {
      contracts: [
        {
          name: 'batched-fulfilment',
          owner,
          streams: [{ name: 'orders', source: 'zapier', entity_type: 'order', freshness: '1d' }],
          follow_ups: [
            { name: 'order-fulfilled', when: { stream: 'orders', event_type: 'order.created' }, then: { stream: 'orders', event_type: 'order.fulfilled' }, within: '1h' },
          ],
        },
      ],
    });
    const created = (id: string) => storedEvent(clock, { source_kind: 'zapier', event_type: 'order.created', entity_type: 'order', entity_id: id });
    const fulfilled = (id: string) => storedEvent(clock, { source_kind: 'zapier', event_type: 'order.fulfilled', entity_type: 'order', entity_id: id });
    await sync().observer.eventsCommitted([created('in-order'), fulfilled('in-order'), fulfilled('reordered'), created('reordered'), created('never')]);
    clock.advance(2 * HOUR);
    expect(await sync().sweeper.runOnce()).toMatchObject({ missing_opened: 1 });
    const gaps = await gapsOf(t, { contract: 'batched-fulfilment' });
    expect(gaps.map((gap) => [gap.type, gap.entity_id, gap.status])).toEqual([['missing_record', 'never', 'open']]);
  });
});
