import { expect, it } from 'vitest';
import { createAgent, describeSyncSuite, gapsOf, MINUTE, putContracts, storedEvent } from './fixtures.js';

/** What happens to gaps and to the analyzer's memory as contracts change and time passes. */
describeSyncSuite('sync contracts over time', '2026-09-01T08:00:00.000Z', (ctx) => {
  const sync = () => ctx().t.container.modules.sync;

  it('closes (auto, saying why) the open gaps of a rule or contract that a new version removes, and keeps the others', async () => {
    const { t, clock } = ctx();
    const owner = await createAgent(t);
    const orders = { name: 'orders', source: 'generic', entity_type: 'order', freshness: '1d', unique_event_types: ['order.created'] };
    const lifecycle = { name: 'order-life', stream: 'orders', order: ['order.created', 'order.paid'] };
    const first = await putContracts(t, {
      contracts: [
        { name: 'keep', owner, streams: [orders], lifecycles: [lifecycle] },
        { name: 'dropped', owner, streams: [{ name: 'tickets', source: 'generic', entity_type: 'ticket', freshness: '1d', unique_event_types: ['ticket.opened'] }] },
      ],
    });
    const event = (entity_type: string, event_type: string, entity_id: string) => storedEvent(clock, { source_kind: 'generic', event_type, entity_type, entity_id });
    await sync().observer.eventsCommitted([
      event('order', 'order.created', 'K1'),
      event('order', 'order.created', 'K1'), // duplicate (unique:orders:order.created) — the rule stays
      event('order', 'order.paid', 'K2'),
      event('order', 'order.created', 'K2'), // out_of_order (order-life) — the rule is removed
      event('ticket', 'ticket.opened', 'T1'),
      event('ticket', 'ticket.opened', 'T1'), // duplicate in a contract that is removed
    ]);
    const opened = [...(await gapsOf(t, { contract: 'keep' })), ...(await gapsOf(t, { contract: 'dropped' }))];
    expect(opened.map((gap) => [gap.contract, gap.type, gap.rule, gap.entity_id, gap.status]).sort()).toEqual([
      ['dropped', 'duplicate', 'unique:tickets:ticket.opened', 'T1', 'open'],
      ['keep', 'duplicate', 'unique:orders:order.created', 'K1', 'open'],
      ['keep', 'out_of_order', 'order-life', 'K2', 'open'],
    ]);

    clock.advance(5 * MINUTE);
    const second = await putContracts(t, { contracts: [{ name: 'keep', owner, streams: [orders] }] });
    expect(second.version).toBe(first.version + 1);
    const after = [...(await gapsOf(t, { contract: 'keep' })), ...(await gapsOf(t, { contract: 'dropped' }))];
    const summary = after.map((gap) => [gap.contract, gap.rule, gap.status, gap.resolution, gap.resolved_by, gap.resolved_at, gap.detail.closed_because ?? null]);
    expect(summary.sort()).toEqual([
      ['dropped', 'unique:tickets:ticket.opened', 'resolved', 'auto', 'analyzer', '2026-09-01T08:05:00.000Z', 'rule_removed'],
      ['keep', 'order-life', 'resolved', 'auto', 'analyzer', '2026-09-01T08:05:00.000Z', 'rule_removed'],
      ['keep', 'unique:orders:order.created', 'open', null, null, null, null],
    ]);
    expect(after.find((gap) => gap.rule === 'order-life')!.detail).toMatchObject({ closed_because: 'rule_removed', contracts_version: second.version });

    const audit = await t.app.inject({ method: 'GET', url: '/api/v1/audit?action=sync.contracts.update', headers: t.as('admin') });
    expect((audit.json() as { items: Array<{ after: unknown }> }).items[0]!.after).toEqual({ version: second.version, contracts: ['keep'], closed_gaps: 2 });

    // The same document again removes nothing.
    await putContracts(t, { contracts: [{ name: 'keep', owner, streams: [orders] }] });
    expect((await gapsOf(t, { contract: 'keep', status: 'open' })).map((gap) => gap.rule)).toEqual(['unique:orders:order.created']);
  });

  it("forgets an entity's memory once idle longer than the contract's forget_after, and nothing younger", async () => {
    const { t, clock } = ctx();
    const owner = await createAgent(t);
    await putContracts(t, {
      contracts: [
        {
          name: 'forgetful',
          owner,
          forget_after: '2d',
          streams: [{ name: 'orders', source: 'generic', entity_type: 'order', freshness: '1d', unique_event_types: ['order.created'] }],
        },
      ],
    });
    const created = (entity_id: string) => storedEvent(clock, { source_kind: 'generic', event_type: 'order.created', entity_type: 'order', entity_id });
    await sync().observer.eventsCommitted([created('F-old'), created('F-new')]);
    // F-old's memory was last written three days ago (database time); F-new's just now.
    await t.container.db.query(`update sync_entity_state set updated_at = now() - interval '3 days' where contract = 'forgetful' and key = 'F-old'`);
    expect(await sync().sweeper.runOnce()).toMatchObject({ skipped: false, forgotten: 1 });
    const { rows } = await t.container.db.query<{ key: string }>(`select key from sync_entity_state where contract = 'forgetful' order by key`);
    expect(rows.map((row) => row.key)).toEqual(['F-new']);
    expect(await sync().sweeper.runOnce()).toMatchObject({ forgotten: 0 });

    // Forgotten: a second order.created for F-old is a first again; for F-new it is a duplicate.
    await sync().observer.eventsCommitted([created('F-old'), created('F-new')]);
    expect((await gapsOf(t, { contract: 'forgetful' })).map((gap) => [gap.type, gap.entity_id])).toEqual([['duplicate', 'F-new']]);
  });

  it('refuses a forget_after shorter than an hour', async () => {
    const { t } = ctx();
    const owner = await createAgent(t);
    const response = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/sync/contracts',
      headers: t.as('operator'),
      payload: { contracts: [{ name: 'too-short', owner, forget_after: '30m', streams: [{ name: 's', source: 'generic', entity_type: 'x', freshness: '1h' }] }] },
    });
    expect(response.statusCode).toBe(400);
    expect((response.json() as { errors: unknown[] }).errors).toEqual([{ path: '/body/contracts/0/forget_after', message: 'must be at least 1h' }]);
  });
});
