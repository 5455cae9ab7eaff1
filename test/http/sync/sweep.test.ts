import pg from 'pg';
import { expect, it } from 'vitest';
import { createAgent, describeSyncSuite, freshnessOf, gapsOf, MINUTE, putContracts, storedEvent } from './fixtures.js';

describeSyncSuite('sync sweep', '2026-07-01T08:00:00.000Z', (ctx, target) => {
  const sync = () => ctx().t.container.modules.sync;

  it('never fails an ingest: a batch whose analysis fails is counted and analysed again by the next sweep', async () => {
    const { t, clock } = ctx();
    const owner = await createAgent(t);
    await putContracts(t, { contracts: [{ name: 'retry', owner, streams: [{ name: 'orders', source: 'generic', entity_type: 'order', freshness: '1h' }] }] });
    await t.container.db.query('alter table sync_stream_state rename to sync_stream_state_away');
    try {
      await expect(
        sync().observer.eventsCommitted([storedEvent(clock, { source_kind: 'generic', event_type: 'order.created', entity_type: 'order', entity_id: 'R1' })]),
      ).resolves.toBeUndefined();
    } finally {
      await t.container.db.query('alter table sync_stream_state_away rename to sync_stream_state');
    }
    expect(sync().engine.pendingRetries()).toBe(1);
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('orca_sync_analysis_failures_total{kind="events"} 1');
    expect(t.logs.some((line) => line.msg === 'sync analysis of an ingested batch failed; the next sweep retries it')).toBe(true);

    clock.advance(MINUTE);
    expect(await sync().sweeper.runOnce()).toMatchObject({ retried_events: 1 });
    expect(sync().engine.pendingRetries()).toBe(0);
    expect((await freshnessOf(t)).items).toEqual([expect.objectContaining({ stream: 'orders', last_event_at: '2026-07-01T08:00:00.000Z', lag_seconds: 60 })]);
  });

  it('closes a stale gap on the next sweep when the stream is fresh again but its gap was opened concurrently', async () => {
    const { t, clock } = ctx();
    const owner = await createAgent(t);
    clock.set('2026-07-03T08:00:00.000Z');
    await putContracts(t, { contracts: [{ name: 'race', owner, streams: [{ name: 'orders', source: 'generic', entity_type: 'order', freshness: '10m' }] }] });
    await sync().observer.eventsCommitted([storedEvent(clock, { source_kind: 'generic', event_type: 'order.created', entity_type: 'order', entity_id: 'X1' })]);
    clock.advance(11 * MINUTE);
    expect(await sync().sweeper.runOnce()).toMatchObject({ stale_opened: 1 });
    // What an event analysed on another replica during that sweep leaves behind: fresh state, gap still open.
    await t.container.db.query(`update sync_stream_state set last_event_at = $1 where contract = 'race'`, [clock.now()]);
    clock.advance(MINUTE);
    await sync().sweeper.runOnce();
    expect((await gapsOf(t, { contract: 'race' })).map((gap) => [gap.type, gap.status, gap.resolution, gap.resolved_at])).toEqual([
      ['stale', 'resolved', 'auto', '2026-07-03T08:12:00.000Z'],
    ]);
  });

  it('analyses concurrent batches touching the same entities without failures or a second open gap', async () => {
    const { t, clock } = ctx();
    const owner = await createAgent(t);
    clock.set('2026-07-04T08:00:00.000Z');
    await putContracts(t, {
      contracts: [
        {
          name: 'concurrent',
          owner,
          streams: [{ name: 'orders', source: 'generic', entity_type: 'order', freshness: '1h', unique_event_types: ['order.created'] }],
          lifecycles: [{ name: 'life', stream: 'orders', order: ['order.created', 'order.paid', 'order.shipped'] }],
        },
      ],
    });
    const entities = ['C1', 'C2', 'C3'];
    const batches = Array.from({ length: 12 }, (_, index) =>
      (index % 2 === 0 ? entities : [...entities].reverse()).flatMap((entity) => [
        storedEvent(clock, { source_kind: 'generic', event_type: 'order.created', entity_type: 'order', entity_id: entity }),
        storedEvent(clock, { source_kind: 'generic', event_type: 'order.paid', entity_type: 'order', entity_id: entity }),
      ]),
    );
    await Promise.all(batches.map((batch) => sync().observer.eventsCommitted(batch)));
    expect(sync().engine.pendingRetries()).toBe(0);
    const open = await gapsOf(t, { contract: 'concurrent', status: 'open' });
    // Per entity: one duplicate (order.created more than once) and one out_of_order (created after paid/shipped).
    expect(open.map((gap) => `${gap.type}:${gap.entity_id}`).sort()).toEqual([
      'duplicate:C1',
      'duplicate:C2',
      'duplicate:C3',
      'out_of_order:C1',
      'out_of_order:C2',
      'out_of_order:C3',
    ]);
    expect((await freshnessOf(t)).items).toEqual([expect.objectContaining({ stream: 'orders', status: 'within_slo', open_gaps: 6 })]);
  });

  if (target.name === 'postgres') {
    it('sweeps on one replica at a time: a replica that finds the advisory lock taken skips the round', async () => {
      const { t, clock } = ctx();
      const owner = await createAgent(t);
      clock.set('2026-07-02T08:00:00.000Z');
      await putContracts(t, { contracts: [{ name: 'locked', owner, streams: [{ name: 'orders', source: 'generic', entity_type: 'order', freshness: '1m' }] }] });
      clock.advance(2 * MINUTE);
      // Another replica, mid-sweep: same database and schema, holding the sweep lock.
      const other = new pg.Client({ connectionString: t.container.config.databaseUrl });
      await other.connect();
      try {
        await other.query('begin');
        await other.query(`select pg_advisory_xact_lock(hashtext('orca:sync:sweep:' || current_schema()))`);
        expect(await sync().sweeper.runOnce()).toEqual({ skipped: true, stale_opened: 0, missing_opened: 0, retried_events: 0, caught_up_events: 0, forgotten: 0 });
        expect(await gapsOf(t, { contract: 'locked' })).toEqual([]);
        await other.query('commit');
      } finally {
        await other.end();
      }
      expect(await sync().sweeper.runOnce()).toMatchObject({ skipped: false, stale_opened: 1 });
      expect((await gapsOf(t, { contract: 'locked' })).map((gap) => [gap.type, gap.detail.no_data])).toEqual([['stale', true]]);
    });
  }
});
