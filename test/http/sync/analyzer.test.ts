import { expect, it } from 'vitest';
import { createAgent, describeSyncSuite, freshnessOf, gapsOf, HOUR, MINUTE, putContracts, storedEvent } from './fixtures.js';

/**
 * The analyzer on a real database, fed through the observer the ingest module calls after each commit, with time
 * moved by hand. Each test installs its own contracts (a new version replaces the previous test's).
 */
describeSyncSuite('sync analyzer', '2026-03-02T09:00:00.000Z', (ctx) => {
  const sync = () => ctx().t.container.modules.sync;

  it('opens one stale gap when a stream falls silent past its SLO, and closes it when the stream speaks again', async () => {
    const { t, clock } = ctx();
    const owner = await createAgent(t);
    clock.set('2026-03-02T09:00:00.000Z');
    await putContracts(t, {
      contracts: [
        {
          name: 'stale-orders',
          owner,
          costs: { stale: { risk_kind: 'stale_orders', cost_usd: 250 } },
          streams: [{ name: 'orders', source: 'zapier', entity_type: 'order', freshness: '10m', severity: 'high' }],
        },
      ],
    });
    await sync().observer.eventsCommitted([storedEvent(clock, { source_kind: 'zapier', event_type: 'order.created', entity_type: 'order', entity_id: 'o-1' })]);
    clock.advance(4 * MINUTE);
    expect((await freshnessOf(t)).items).toEqual([
      {
        contract: 'stale-orders',
        stream: 'orders',
        source: 'zapier',
        entity_type: 'order',
        agent_id: owner,
        last_event_at: '2026-03-02T09:00:00.000Z',
        lag_seconds: 240,
        slo_seconds: 600,
        status: 'within_slo',
        open_gaps: 0,
      },
    ]);
    expect(await sync().sweeper.runOnce()).toMatchObject({ skipped: false, stale_opened: 0 });

    clock.advance(7 * MINUTE); // 11 min of silence
    expect(await sync().sweeper.runOnce()).toMatchObject({ skipped: false, stale_opened: 1 });
    expect(await sync().sweeper.runOnce()).toMatchObject({ stale_opened: 0 }); // idempotent
    const [gap, ...others] = await gapsOf(t, { contract: 'stale-orders' });
    expect(others).toEqual([]);
    expect(gap).toEqual({
      id: expect.any(String),
      type: 'stale',
      severity: 'high',
      status: 'open',
      contract: 'stale-orders',
      stream: 'orders',
      rule: 'stream:orders',
      entity_type: 'order',
      entity_id: null,
      agent_id: owner,
      detected_at: '2026-03-02T09:11:00.000Z',
      due_at: '2026-03-02T10:11:00.000Z',
      resolved_at: null,
      resolution: null,
      resolved_by: null,
      resolution_reason: null,
      risk_kind: 'stale_orders',
      cost_usd: 250,
      detail: { last_event_at: '2026-03-02T09:00:00.000Z', slo_seconds: 600, stale_since: '2026-03-02T09:10:00.000Z', no_data: false },
    });
    expect((await freshnessOf(t)).items[0]).toMatchObject({ status: 'stale', lag_seconds: 660, open_gaps: 1 });

    clock.advance(MINUTE);
    await sync().observer.eventsCommitted([storedEvent(clock, { source_kind: 'zapier', event_type: 'order.created', entity_type: 'order', entity_id: 'o-2' })]);
    const [closed] = await gapsOf(t, { contract: 'stale-orders' });
    expect(closed).toMatchObject({ id: gap!.id, status: 'resolved', resolution: 'auto', resolved_by: 'analyzer', resolved_at: '2026-03-02T09:12:00.000Z' });
    expect(closed!.detail).toMatchObject({ resumed_at: '2026-03-02T09:12:00.000Z' });
    expect((await freshnessOf(t)).items[0]).toMatchObject({ status: 'within_slo', lag_seconds: 0, open_gaps: 0 });
  });

  it('treats a stream that never spoke as no_data, and stale once its SLO has passed since the contracts were activated', async () => {
    const { t, clock } = ctx();
    const owner = await createAgent(t);
    clock.set('2026-03-02T12:00:00.000Z');
    await putContracts(t, { contracts: [{ name: 'silent', owner, streams: [{ name: 'tickets', source: 'servicenow', entity_type: 'incident', freshness: '1h' }] }] });
    clock.advance(30 * MINUTE);
    await sync().sweeper.runOnce();
    expect((await freshnessOf(t)).items).toEqual([
      expect.objectContaining({ stream: 'tickets', status: 'no_data', last_event_at: null, lag_seconds: null, slo_seconds: 3600, open_gaps: 0 }),
    ]);
    clock.advance(31 * MINUTE);
    await sync().sweeper.runOnce();
    const gaps = await gapsOf(t, { contract: 'silent' });
    expect(gaps.map((gap) => [gap.type, gap.severity, gap.rule, gap.status, gap.detail.no_data, gap.detail.stale_since])).toEqual([
      ['stale', 'medium', 'stream:tickets', 'open', true, '2026-03-02T13:00:00.000Z'],
    ]);
  });

  it('opens missing_record when a follow-up misses its deadline, and closes it when the late follow-up arrives', async () => {
    const { t, clock } = ctx();
    const owner = await createAgent(t);
    clock.set('2026-03-03T08:00:00.000Z');
    await putContracts(t, {
      contracts: [
        {
          name: 'fulfilment',
          owner,
          resolve_within: '30m',
          streams: [{ name: 'orders', source: 'zapier', entity_type: 'order', freshness: '1d' }],
          follow_ups: [
            {
              name: 'order-fulfilled',
              when: { stream: 'orders', event_type: 'order.created' },
              then: { stream: 'orders', event_type: 'order.fulfilled' },
              within: '2h',
              cost: { risk_kind: 'order_unfulfilled', cost_usd: 1500 },
            },
          ],
        },
      ],
    });
    const created = (id: string) => storedEvent(clock, { source_kind: 'zapier', event_type: 'order.created', entity_type: 'order', entity_id: id });
    const fulfilled = (id: string) => storedEvent(clock, { source_kind: 'zapier', event_type: 'order.fulfilled', entity_type: 'order', entity_id: id });
    const onTime = created('on-time');
    const late = created('late');
    await sync().observer.eventsCommitted([onTime, late]);
    // The follow-up arriving before its trigger (reordered delivery) satisfies it too.
    await sync().observer.eventsCommitted([fulfilled('early-follow-up')]);
    clock.advance(MINUTE);
    await sync().observer.eventsCommitted([created('early-follow-up')]);
    clock.advance(HOUR);
    await sync().observer.eventsCommitted([fulfilled('on-time')]);
    clock.advance(HOUR); // 10:01: 'late' was due at 10:00
    expect(await sync().sweeper.runOnce()).toMatchObject({ missing_opened: 1 });
    await sync().observer.eventsCommitted([late]); // re-analysing the trigger must not start a second wait
    expect(await sync().sweeper.runOnce()).toMatchObject({ missing_opened: 0 });
    const [gap, ...others] = await gapsOf(t, { contract: 'fulfilment' });
    expect(others).toEqual([]);
    expect(gap).toMatchObject({
      type: 'missing_record',
      severity: 'high',
      status: 'open',
      stream: 'orders',
      rule: 'order-fulfilled',
      entity_type: 'order',
      entity_id: 'late',
      agent_id: owner,
      detected_at: '2026-03-03T10:01:00.000Z',
      due_at: '2026-03-03T10:30:00.000Z',
      risk_kind: 'order_unfulfilled',
      cost_usd: 1500,
      detail: {
        trigger_event_id: late.id,
        trigger_event_type: 'order.created',
        expected_event_type: 'order.fulfilled',
        expected_stream: 'orders',
        deadline: '2026-03-03T10:00:00.000Z',
      },
    });
    clock.advance(5 * MINUTE);
    const lateFollowUp = fulfilled('late');
    await sync().observer.eventsCommitted([lateFollowUp]);
    expect((await gapsOf(t, { contract: 'fulfilment' }))[0]).toMatchObject({
      id: gap!.id,
      status: 'resolved',
      resolution: 'auto',
      resolved_at: '2026-03-03T10:06:00.000Z',
      detail: { resolved_by_event_id: lateFollowUp.id },
    });
  });

  it('reads a follow-up deadline from the trigger payload and warns before it', async () => {
    const { t, clock } = ctx();
    const owner = await createAgent(t);
    clock.set('2026-03-04T08:00:00.000Z');
    await putContracts(t, {
      contracts: [
        {
          name: 'support-sla',
          owner,
          streams: [{ name: 'tickets', source: 'n8n', entity_type: 'ticket', freshness: '1d' }],
          follow_ups: [
            {
              name: 'resolved-before-sla',
              when: { stream: 'tickets', event_type: 'ticket.opened' },
              then: { stream: 'tickets', event_type: 'ticket.resolved' },
              deadline: '$.ticket.sla_due_at',
              warn_before: '30m',
              severity: 'critical',
              cost: { risk_kind: 'ticket_breach', cost_usd: 5000 },
            },
          ],
        },
      ],
    });
    await sync().observer.eventsCommitted([
      storedEvent(clock, { source_kind: 'n8n', event_type: 'ticket.opened', entity_type: 'ticket', entity_id: 'T-1', payload: { ticket: { sla_due_at: '2026-03-04T12:00:00Z' } } }),
    ]);
    clock.set('2026-03-04T11:29:00.000Z');
    expect(await sync().sweeper.runOnce()).toMatchObject({ missing_opened: 0 });
    clock.set('2026-03-04T11:31:00.000Z');
    expect(await sync().sweeper.runOnce()).toMatchObject({ missing_opened: 1 });
    const [gap] = await gapsOf(t, { contract: 'support-sla' });
    expect(gap).toMatchObject({ type: 'missing_record', severity: 'critical', entity_id: 'T-1', due_at: '2026-03-04T12:00:00.000Z', risk_kind: 'ticket_breach', cost_usd: 5000 });
    expect(gap!.detail.deadline).toBe('2026-03-04T12:00:00.000Z');
    clock.set('2026-03-04T11:45:00.000Z');
    await sync().observer.eventsCommitted([storedEvent(clock, { source_kind: 'n8n', event_type: 'ticket.resolved', entity_type: 'ticket', entity_id: 'T-1' })]);
    // Resolved before its due time: the breach was avoided (what Risk Avoided counts).
    const [closed] = await gapsOf(t, { contract: 'support-sla' });
    expect(closed).toMatchObject({ status: 'resolved', resolution: 'auto', resolved_at: '2026-03-04T11:45:00.000Z' });
    expect(new Date(closed!.resolved_at!) < new Date(closed!.due_at!)).toBe(true);
  });

  it('opens out_of_order when an entity’s sequence or lifecycle goes backwards, once, and closes it when newer data arrives', async () => {
    const { t, clock } = ctx();
    const owner = await createAgent(t);
    clock.set('2026-03-05T08:00:00.000Z');
    await putContracts(t, {
      contracts: [
        {
          name: 'ordering',
          owner,
          streams: [{ name: 'incidents', source: 'servicenow', entity_type: 'incident', freshness: '1d', severity: { out_of_order: 'high' } }],
          lifecycles: [{ name: 'incident-lifecycle', stream: 'incidents', order: ['incident.created', 'incident.resolved', 'incident.closed'], severity: 'low' }],
        },
      ],
    });
    const event = (type: string, entity: string, sequence: number | null) =>
      storedEvent(clock, { source_kind: 'servicenow', event_type: type, entity_type: 'incident', entity_id: entity, sequence });
    const first = event('incident.updated', 'INC1', 1);
    const third = event('incident.updated', 'INC1', 3);
    const second = event('incident.updated', 'INC1', 2);
    await sync().observer.eventsCommitted([first, third]);
    await sync().observer.eventsCommitted([second]);
    await sync().observer.eventsCommitted([first, third, second]); // re-analysis: nothing new
    const resolvedEvent = event('incident.resolved', 'INC2', null);
    const createdEvent = event('incident.created', 'INC2', null);
    await sync().observer.eventsCommitted([resolvedEvent, createdEvent]);
    const gaps = await gapsOf(t, { contract: 'ordering' });
    expect(gaps.map((gap) => [gap.type, gap.severity, gap.rule, gap.entity_id, gap.status, gap.detail])).toEqual([
      [
        'out_of_order',
        'low',
        'incident-lifecycle',
        'INC2',
        'open',
        { kind: 'lifecycle', event_id: createdEvent.id, event_type: 'incident.created', after_event_type: 'incident.resolved', after_event_id: resolvedEvent.id },
      ],
      ['out_of_order', 'high', 'sequence:incidents', 'INC1', 'open', { kind: 'sequence', event_id: second.id, event_type: '', sequence: 2, after_sequence: 3, after_event_id: third.id }],
    ]);
    await sync().observer.eventsCommitted([event('incident.updated', 'INC1', 4), event('incident.closed', 'INC2', null)]);
    expect((await gapsOf(t, { contract: 'ordering' })).map((gap) => [gap.entity_id, gap.status, gap.resolution])).toEqual([
      ['INC2', 'resolved', 'auto'],
      ['INC1', 'resolved', 'auto'],
    ]);
  });

  it('opens duplicate for a second event of a unique type and for an idempotency conflict', async () => {
    const { t, clock } = ctx();
    const owner = await createAgent(t);
    clock.set('2026-03-06T08:00:00.000Z');
    await putContracts(t, {
      contracts: [
        {
          name: 'dedup',
          owner,
          costs: { duplicate: { risk_kind: 'order_duplication', cost_usd: 1500 } },
          streams: [{ name: 'orders', source: 'zapier', entity_type: 'order', freshness: '1d', unique_event_types: ['order.created'] }],
        },
      ],
    });
    const original = storedEvent(clock, { source_kind: 'zapier', event_type: 'order.created', entity_type: 'order', entity_id: 'O-9' });
    await sync().observer.eventsCommitted([original]);
    await sync().observer.eventsCommitted([original]); // the same event again is not a duplicate
    const again = storedEvent(clock, { source_kind: 'zapier', event_type: 'order.created', entity_type: 'order', entity_id: 'O-9' });
    await sync().observer.eventsCommitted([again]);
    await sync().observer.duplicateConflict({
      source_id: '0190c0de-0000-7000-8000-0000000000ff',
      idempotency_key: 'whk_1',
      existing_event_id: original.id,
      entity_type: 'order',
      entity_id: 'O-10',
      received_at: clock.now(),
    });
    const gaps = await gapsOf(t, { type: 'duplicate', entity: 'O-9' });
    expect(gaps.map((gap) => [gap.contract, gap.rule, gap.severity, gap.risk_kind, gap.cost_usd, gap.agent_id, gap.detail])).toEqual([
      ['dedup', 'unique:orders:order.created', 'high', 'order_duplication', 1500, owner, { kind: 'unique_event_type', event_type: 'order.created', event_id: again.id, first_event_id: original.id }],
    ]);
    // The conflict's source is unknown to every contract: the gap is kept, unattributed.
    expect((await gapsOf(t, { type: 'duplicate', entity: 'O-10' })).map((gap) => [gap.contract, gap.rule, gap.agent_id, gap.detail.idempotency_key])).toEqual([
      [null, 'idempotency:0190c0de-0000-7000-8000-0000000000ff', null, 'whk_1'],
    ]);
  });

  it('opens field_drift when agreed fields disagree beyond the tolerance, and closes it when they agree again', async () => {
    const { t, clock } = ctx();
    const owner = await createAgent(t);
    clock.set('2026-03-07T08:00:00.000Z');
    await putContracts(t, {
      contracts: [
        {
          name: 'revenue',
          owner,
          streams: [
            { name: 'deals', source: 'hubspot', entity_type: 'deal', freshness: '1d' },
            { name: 'opportunities', source: 'salesforce', entity_type: 'opportunity', freshness: '1d' },
          ],
          agreements: [
            {
              name: 'deal-amount',
              left: { stream: 'deals', field: '$.properties.amount', key: '$.properties.salesforce_id' },
              right: { stream: 'opportunities', field: '$.Amount', key: 'entity_id' },
              tolerance: 0.5,
              severity: 'high',
              cost: { risk_kind: 'revenue_mismatch', cost_usd: 800 },
            },
          ],
        },
      ],
    });
    const deal = (amount: string) =>
      storedEvent(clock, { source_kind: 'hubspot', event_type: 'deal.propertyChange', entity_type: 'deal', entity_id: '901', payload: { properties: { amount, salesforce_id: '006A1' } } });
    const opportunity = (amount: number) =>
      storedEvent(clock, { source_kind: 'salesforce', event_type: 'opportunity.updated', entity_type: 'opportunity', entity_id: '006A1', payload: { Amount: amount } });
    await sync().observer.eventsCommitted([deal('1000.00')]);
    clock.advance(MINUTE);
    await sync().observer.eventsCommitted([opportunity(1000.4)]); // within tolerance
    expect(await gapsOf(t, { contract: 'revenue' })).toEqual([]);
    clock.advance(MINUTE);
    const disagreeing = opportunity(1200);
    await sync().observer.eventsCommitted([disagreeing]);
    const [gap] = await gapsOf(t, { contract: 'revenue' });
    expect(gap).toMatchObject({
      type: 'field_drift',
      severity: 'high',
      stream: 'deals',
      rule: 'deal-amount',
      entity_type: 'deal',
      entity_id: '006A1',
      status: 'open',
      risk_kind: 'revenue_mismatch',
      cost_usd: 800,
      detected_at: '2026-03-07T08:02:00.000Z',
      detail: {
        left: { stream: 'deals', field: '$.properties.amount', value: '1000.00', event_id: expect.any(String) },
        right: { stream: 'opportunities', field: '$.Amount', value: 1200, event_id: disagreeing.id },
        tolerance: 0.5,
      },
    });
    clock.advance(MINUTE);
    await sync().observer.eventsCommitted([deal('1200')]);
    expect((await gapsOf(t, { contract: 'revenue' }))[0]).toMatchObject({ id: gap!.id, status: 'resolved', resolution: 'auto', detail: { agreed_value: '1200' } });
  });

  it('does no database work for events that no contract covers', async () => {
    const { t, clock } = ctx();
    const before = await t.container.db.query<{ count: number }>('select count(*)::int8 as count from sync_entity_state');
    await sync().observer.eventsCommitted([storedEvent(clock, { source_kind: 'make', event_type: 'x', entity_type: 'nothing-covers-this', entity_id: '1', sequence: 3 })]);
    const after = await t.container.db.query<{ count: number }>('select count(*)::int8 as count from sync_entity_state');
    expect(after.rows[0]!.count).toBe(before.rows[0]!.count);
  });
});
