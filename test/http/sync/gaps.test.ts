import { expect, it } from 'vitest';
import { createAgent, describeSyncSuite, gapsOf, MINUTE, putContracts, storedEvent, type GapJson } from './fixtures.js';

describeSyncSuite('sync gaps', '2026-05-01T08:00:00.000Z', (ctx) => {
  const sync = () => ctx().t.container.modules.sync;

  async function openOutOfOrderGaps(contract: string, entities: string[]): Promise<string> {
    const { t, clock } = ctx();
    const owner = await createAgent(t);
    await putContracts(t, { contracts: [{ name: contract, owner, streams: [{ name: 'orders', source: 'make', entity_type: 'order', freshness: '1d' }] }] });
    for (const entity of entities) {
      const event = (sequence: number) => storedEvent(clock, { source_kind: 'make', event_type: 'order.updated', entity_type: 'order', entity_id: entity, sequence });
      await sync().observer.eventsCommitted([event(2), event(1)]);
    }
    return owner;
  }

  it('resolves a gap by hand (audited), then answers 409; unknown gaps are 404', async () => {
    const { t, clock } = ctx();
    await openOutOfOrderGaps('manual-resolve', ['A']);
    const [gap] = await gapsOf(t, { contract: 'manual-resolve' });
    clock.advance(MINUTE);
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/v1/sync/gaps/${gap!.id}/resolve`,
      headers: t.as('operator'),
      payload: { reason: 'replayed order A in the right order' },
    });
    expect(response.statusCode, response.body).toBe(200);
    const resolved = response.json() as GapJson;
    expect(resolved).toMatchObject({
      id: gap!.id,
      status: 'resolved',
      resolution: 'manual',
      resolved_at: clock.now().toISOString(),
      resolution_reason: 'replayed order A in the right order',
      resolved_by: expect.any(String),
    });
    const again = await t.app.inject({ method: 'POST', url: `/api/v1/sync/gaps/${gap!.id}/resolve`, headers: t.as('operator'), payload: { reason: 'twice' } });
    expect(again.statusCode).toBe(409);
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sync/gaps/0190c0de-0000-7000-8000-00000000abcd/resolve',
      headers: t.as('operator'),
      payload: { reason: 'x' },
    });
    expect(unknown.statusCode).toBe(404);
    const forbidden = await t.app.inject({ method: 'POST', url: `/api/v1/sync/gaps/${gap!.id}/resolve`, headers: t.as('viewer'), payload: { reason: 'x' } });
    expect(forbidden.statusCode).toBe(403);
    const audit = await t.app.inject({ method: 'GET', url: `/api/v1/audit?target=sync_gap:${gap!.id}`, headers: t.as('admin') });
    expect((audit.json() as { items: Array<{ action: string; after: unknown }> }).items).toEqual([
      expect.objectContaining({ action: 'sync.gap.resolve', after: { resolved_at: clock.now().toISOString(), resolution: 'manual', reason: 'replayed order A in the right order' } }),
    ]);
    const single = await t.app.inject({ method: 'GET', url: `/api/v1/sync/gaps/${gap!.id}`, headers: t.as('viewer') });
    expect(single.json()).toEqual(resolved);
  });

  it('filters and paginates newest first', async () => {
    const { t } = ctx();
    const owner = await openOutOfOrderGaps('listing', ['L1', 'L2', 'L3', 'L4', 'L5']);
    const all = await gapsOf(t, { contract: 'listing' });
    expect(all.map((gap) => gap.entity_id)).toEqual(['L5', 'L4', 'L3', 'L2', 'L1']);
    expect(all.every((gap) => gap.agent_id === owner && gap.type === 'out_of_order' && gap.severity === 'medium')).toBe(true);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string> = { contract: 'listing', limit: '2', ...(cursor ? { cursor } : {}) };
      const response = await t.app.inject({ method: 'GET', url: '/api/v1/sync/gaps', query, headers: t.as('viewer') });
      const page = response.json() as { items: GapJson[]; next_cursor: string | null };
      seen.push(...page.items.map((gap) => gap.entity_id!));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(['L5', 'L4', 'L3', 'L2', 'L1']);

    await t.app.inject({ method: 'POST', url: `/api/v1/sync/gaps/${all[0]!.id}/resolve`, headers: t.as('operator'), payload: { reason: 'ok' } });
    expect((await gapsOf(t, { contract: 'listing', status: 'resolved' })).map((gap) => gap.entity_id)).toEqual(['L5']);
    expect((await gapsOf(t, { contract: 'listing', status: 'open' })).map((gap) => gap.entity_id)).toEqual(['L4', 'L3', 'L2', 'L1']);
    expect((await gapsOf(t, { agent_id: owner, entity: 'L3' })).map((gap) => gap.entity_id)).toEqual(['L3']);
    expect(await gapsOf(t, { contract: 'listing', type: 'stale' })).toEqual([]);
    expect(await gapsOf(t, { contract: 'listing', severity: 'critical' })).toEqual([]);
    expect((await gapsOf(t, { contract: 'listing', rule: 'sequence:orders', stream: 'orders' })).length).toBe(5);

    for (const query of ['type=nope', 'status=closed', 'agent_id=12', 'cursor=garbage', 'limit=0', 'bogus=1']) {
      const response = await t.app.inject({ method: 'GET', url: `/api/v1/sync/gaps?${query}`, headers: t.as('viewer') });
      expect({ query, status: response.statusCode }).toEqual({ query, status: 400 });
    }
  });

  it('exports open gaps by type and severity, stream lag, and sweep counters on /metrics', async () => {
    const { t, clock } = ctx();
    await openOutOfOrderGaps('metrics', ['M1', 'M2']);
    await sync().observer.eventsCommitted([storedEvent(clock, { source_kind: 'make', event_type: 'order.updated', entity_type: 'order', entity_id: 'M3' })]);
    clock.advance(90_000);
    await sync().sweeper.runOnce();
    const open = (await gapsOf(t, { status: 'open', type: 'out_of_order', severity: 'medium' })).length;
    const response = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.body).toContain(`orca_sync_gaps_open{type="out_of_order",gap_severity="medium"} ${open}`);
    expect(response.body).toContain('orca_sync_gaps_open{type="field_drift",gap_severity="critical"} 0');
    expect(response.body).toContain('orca_sync_stream_lag_seconds{contract="metrics",stream="orders"} 90');
    expect(response.body).toMatch(/orca_sync_sweep_duration_seconds_count [1-9]/);
    expect(response.body).toContain('orca_sync_sweep_failures_total 0');
    expect(response.body).toMatch(/orca_sync_gaps_opened_total\{type="out_of_order"\} [1-9]/);
  });
});
