import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceKind } from '../../src/modules/ingest/adapters/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/db.js';
import { fixture, signDelivery, standardWebhooksSecret, type SignOptions } from '../fixtures/ingest/sign.js';
import { manualClock, type GapJson, type FreshnessJson } from '../http/sync/fixtures.js';

/**
 * SPEC §5 / issue 4 item 9, end to end: native vendor payloads, signed as each vendor signs them, are fired at the
 * real app in an order that produces every gap type; time is moved on an injected clock; the gaps, the freshness
 * report and the gaps' auto-resolution when the late data arrives are asserted exactly.
 *
 * Timeline (2026-11-27, UTC; the fixtures' own timestamps):
 *   09:00  contracts written; order ORD-10042 created (Zapier), ticket TCK-5531 opened (n8n, SLA 13:00), HubSpot deal
 *          created with amount 48000, Salesforce opportunity won with Amount 48000.0; ServiceNow sends the incident's
 *          resolution before its creation (out_of_order, by lifecycle and by sequence); Zapier re-delivers the order
 *          under the same webhook-id with a different body (duplicate: idempotency conflict) and under a new id
 *          (duplicate: a second order.created for one order). The rest of the corpus (HubSpot contact, Salesforce
 *          lead, SAP purchase order as a CloudEvent, Oracle sales order, Dynamics 365 account) arrives too.
 *   09:01  HubSpot changes the amount to 52000 (field_drift against Salesforce).
 *   09:30  the ticket is resolved, before its SLA deadline: no gap, ever.
 *   11:01  sweep: the order was not fulfilled within 2 h (missing_record); ServiceNow silent for > 30 min (stale).
 *          Dynamics 365 reports the opportunity won at 11:00.
 *   11:05  the order's fulfilment arrives late → missing_record closes.
 *   11:10  ServiceNow closes the incident → stale and both out_of_order gaps close.
 *   11:15  HubSpot's amount is back to 48000 → field_drift closes.
 *   13:01  sweep: no ticket gap (it was resolved in time); ServiceNow has been silent again for > 30 min (stale #2).
 */

const SALESFORCE_ORG = '00D5e000000KQ2eEAG';
const STANDARD_WEBHOOKS: readonly SourceKind[] = ['zapier', 'n8n', 'make', 'generic', 'sap', 'cloudevents'];

for (const target of databaseTargets) {
  describe(`sync scenario: signed native webhooks → gaps → auto-resolution [${target.name}]`, () => {
    const clock = manualClock('2026-11-27T09:00:00.000Z');
    let t: TestApp;
    const sources = {} as Record<'zapier' | 'n8n' | 'hubspot' | 'salesforce' | 'servicenow' | 'sap' | 'oracle_erp' | 'dynamics365', { id: string; secret: string }>;
    let owner: string;
    let ordersOwner: string;

    async function createSource(kind: keyof typeof sources, options: Record<string, unknown> = {}) {
      const secret = STANDARD_WEBHOOKS.includes(kind) ? standardWebhooksSecret() : `shared-${randomBytes(18).toString('hex')}`;
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/sources',
        headers: t.as('admin'),
        payload: { kind, name: `scenario-${kind}`, secret, signing: { options } },
      });
      expect(response.statusCode, response.body).toBe(201);
      sources[kind] = { id: (response.json() as { id: string }).id, secret };
    }

    /** Signs a native body as the vendor would, at the clock's time, and delivers it with an ingest key. */
    async function deliver(kind: keyof typeof sources, body: Buffer | string, extra: Partial<SignOptions> = {}) {
      const source = sources[kind];
      const delivery = signDelivery(kind, body, { secret: source.secret, now: clock.now(), url: `/api/v1/ingest/${source.id}`, ...extra });
      const response = await t.app.inject({ method: 'POST', url: delivery.url, headers: { ...delivery.headers, ...t.as('ingest') }, payload: delivery.body });
      expect(response.statusCode, response.body).toBeLessThan(300);
      return response;
    }

    const json = (kind: SourceKind, file: string) => JSON.parse(fixture(kind, file).toString('utf8')) as Record<string, unknown>;
    const text = (value: unknown) => JSON.stringify(value, null, 2);

    async function gaps(): Promise<GapJson[]> {
      const response = await t.app.inject({ method: 'GET', url: '/api/v1/sync/gaps?limit=200', headers: t.as('viewer') });
      expect(response.statusCode).toBe(200);
      return (response.json() as { items: GapJson[] }).items.reverse(); // oldest first reads as the story
    }

    /** The essentials of each gap, oldest first. */
    async function summary(): Promise<Array<[string, string, string, string | null, string, string | null]>> {
      return (await gaps()).map((gap) => [gap.type, gap.contract ?? '', gap.rule, gap.entity_id, gap.status, gap.resolution]);
    }

    async function freshness(
      contracts = ['order-to-cash', 'support', 'revenue'],
    ): Promise<Record<string, Pick<FreshnessJson, 'status' | 'lag_seconds' | 'last_event_at' | 'open_gaps'>>> {
      const response = await t.app.inject({ method: 'GET', url: '/api/v1/sync/freshness', headers: t.as('viewer') });
      expect(response.statusCode).toBe(200);
      const items = (response.json() as { items: FreshnessJson[] }).items.filter((item) => contracts.includes(item.contract));
      return Object.fromEntries(items.map((item) => [item.stream, { status: item.status, lag_seconds: item.lag_seconds, last_event_at: item.last_event_at, open_gaps: item.open_gaps }]));
    }

    const sweep = () => t.container.modules.sync.sweeper.runOnce();

    beforeAll(async () => {
      t = await createTestApp(target, { SYNC_SWEEP_INTERVAL: '1d' }, { clock });
      for (const name of ['support-bot', 'order-bot']) {
        const response = await t.app.inject({ method: 'POST', url: '/api/v1/agents', headers: t.as('operator'), payload: { name, kind: 'workflow' } });
        expect(response.statusCode).toBe(201);
        if (name === 'support-bot') owner = (response.json() as { id: string }).id;
        else ordersOwner = (response.json() as { id: string }).id;
      }
      await createSource('zapier');
      await createSource('n8n');
      await createSource('hubspot');
      await createSource('salesforce', { allowed_organization_ids: [SALESFORCE_ORG] });
      await createSource('servicenow');
      await createSource('sap');
      await createSource('oracle_erp');
      await createSource('dynamics365');
      const yaml = `
contracts:
  - name: order-to-cash
    owner: ${ordersOwner}
    costs:
      missing_record: { risk_kind: order_unfulfilled, cost_usd: 1500 }
      duplicate: { risk_kind: order_duplication, cost_usd: 1500 }
    streams:
      - name: zapier-orders
        source: zapier
        entity_type: order
        freshness: 6h
        unique_event_types: [order.created]
    follow_ups:
      - name: order-fulfilled
        when: { stream: zapier-orders, event_type: order.created }
        then: { stream: zapier-orders, event_type: order.fulfilled }
        within: 2h
  - name: support
    owner: ${owner}
    streams:
      - name: n8n-tickets
        source: n8n
        entity_type: ticket
        freshness: 4h
      - name: snow-incidents
        source: servicenow
        entity_type: incident
        freshness: 30m
        severity: { stale: high, out_of_order: low }
    follow_ups:
      - name: ticket-sla
        when: { stream: n8n-tickets, event_type: ticket.opened }
        then: { stream: n8n-tickets, event_type: ticket.resolved }
        deadline: $.data.sla_due_at
        warn_before: 30m
        severity: critical
        cost: { risk_kind: ticket_breach, cost_usd: 5000 }
    lifecycles:
      - name: incident-lifecycle
        stream: snow-incidents
        order: [incident.created, incident.resolved, incident.closed]
  - name: revenue
    owner: ${ordersOwner}
    streams:
      - { name: hubspot-deals, source: hubspot, entity_type: deal, freshness: 1d }
      - { name: sf-opportunities, source: salesforce, entity_type: opportunity, freshness: 1d }
    agreements:
      - name: deal-amount
        left:
          stream: hubspot-deals
          field: $.propertyValue
          key: entity_id
          where: [{ path: $.propertyName, equals: amount }]
        right:
          stream: sf-opportunities
          field: $.sObject.Amount
          key: $.sObject.HubSpot_Deal_Id__c
        severity: high
        cost: { risk_kind: revenue_mismatch, cost_usd: 800 }
  - name: crm-and-erp
    owner: ${ordersOwner}
    streams:
      - { name: hubspot-contacts, source: hubspot, entity_type: contact, freshness: 1d }
      - { name: sf-leads, source: salesforce, entity_type: lead, freshness: 1d }
      - { name: sap-purchase-orders, source: sap, entity_type: PurchaseOrder, freshness: 1d }
      - { name: oracle-sales-orders, source: oracle_erp, entity_type: salesOrder, freshness: 1d }
      - { name: d365-accounts, source: dynamics365, entity_type: account, freshness: 1d }
      - { name: d365-opportunities, source: dynamics365, entity_type: opportunity, freshness: 1d }
`;
      const put = await t.app.inject({ method: 'PUT', url: '/api/v1/sync/contracts', headers: { ...t.as('operator'), 'content-type': 'application/yaml' }, payload: yaml });
      expect(put.statusCode, put.body).toBe(200);
    });

    afterAll(async () => {
      await t?.close();
    });

    it('09:00 — delivers the morning’s webhooks; reordered, duplicated and disagreeing data open exactly the expected gaps', async () => {
      const orderCreated = fixture('zapier', 'order-created.json');
      await deliver('zapier', orderCreated, { id: 'msg_order_10042_created' });
      await deliver('n8n', fixture('n8n', 'ticket-opened.json'));
      await deliver('hubspot', fixture('hubspot', 'deal-created.json'));
      await deliver('salesforce', fixture('salesforce', 'opportunity-won.xml'));
      await deliver('servicenow', fixture('servicenow', 'incident-resolved.json'));
      await deliver('servicenow', fixture('servicenow', 'incident-created.json'));
      // The very same delivery again is only an acknowledged duplicate…
      const repeat = await deliver('zapier', orderCreated, { id: 'msg_order_10042_created' });
      expect(repeat.json()).toMatchObject({ duplicate: true, conflict: false });
      // …but the same webhook-id with another body is a conflict, and a second order.created for the order a duplicate.
      const changed = { ...json('zapier', 'order-created.json'), data: { ...(json('zapier', 'order-created.json').data as object), total: 2499 } };
      const conflict = await deliver('zapier', text(changed), { id: 'msg_order_10042_created' });
      expect(conflict.json()).toMatchObject({ conflict: true });
      await deliver('zapier', orderCreated, { id: 'msg_order_10042_created_again' });
      // The rest of the corpus: accepted, fresh, and in agreement with every rule (no gap).
      await deliver('hubspot', fixture('hubspot', 'contact-updated.json'));
      await deliver('salesforce', fixture('salesforce', 'lead-converted.xml'));
      await deliver('sap', fixture('sap', 'purchase-order-created.json'));
      await deliver('oracle_erp', fixture('oracle_erp', 'sales-order-created.json'));
      await deliver('dynamics365', fixture('dynamics365', 'account-created.json'));

      clock.set('2026-11-27T09:01:00.000Z');
      const [, amountChange] = JSON.parse(fixture('hubspot', 'deal-created.json').toString('utf8')) as Array<Record<string, unknown>>;
      await deliver('hubspot', text([{ ...amountChange, eventId: 3617294060, occurredAt: Date.parse('2026-11-27T09:01:00Z'), propertyValue: '52000' }]));

      expect(await summary()).toEqual([
        ['out_of_order', 'support', 'incident-lifecycle', '9d385017c611228701d22104cc95c371', 'open', null],
        ['out_of_order', 'support', 'sequence:snow-incidents', '9d385017c611228701d22104cc95c371', 'open', null],
        ['duplicate', 'order-to-cash', 'idempotency:zapier-orders', 'ORD-10042', 'open', null],
        ['duplicate', 'order-to-cash', 'unique:zapier-orders:order.created', 'ORD-10042', 'open', null],
        ['field_drift', 'revenue', 'deal-amount', '18004521337', 'open', null],
      ]);
      const all = await gaps();
      expect(all.find((gap) => gap.rule === 'incident-lifecycle')).toMatchObject({
        severity: 'medium',
        agent_id: owner,
        stream: 'snow-incidents',
        entity_type: 'incident',
        detected_at: '2026-11-27T09:00:00.000Z',
        due_at: '2026-11-27T10:00:00.000Z',
        detail: { kind: 'lifecycle', event_type: 'incident.created', after_event_type: 'incident.resolved' },
      });
      expect(all.find((gap) => gap.rule === 'sequence:snow-incidents')).toMatchObject({ severity: 'low', detail: { kind: 'sequence', sequence: 0, after_sequence: 4 } });
      expect(all.find((gap) => gap.rule === 'idempotency:zapier-orders')).toMatchObject({
        severity: 'high',
        agent_id: ordersOwner,
        risk_kind: 'order_duplication',
        cost_usd: 1500,
        detail: { kind: 'idempotency_conflict', source_id: sources.zapier.id, idempotency_key: 'msg_order_10042_created' },
      });
      expect(all.find((gap) => gap.type === 'field_drift')).toMatchObject({
        severity: 'high',
        agent_id: ordersOwner,
        stream: 'hubspot-deals',
        entity_type: 'deal',
        detected_at: '2026-11-27T09:01:00.000Z',
        risk_kind: 'revenue_mismatch',
        cost_usd: 800,
        detail: {
          left: { stream: 'hubspot-deals', field: '$.propertyValue', value: '52000' },
          right: { stream: 'sf-opportunities', field: '$.sObject.Amount' },
        },
      });
      expect(Number((all.find((gap) => gap.type === 'field_drift')!.detail.right as { value: unknown }).value)).toBe(48000);

      expect(await freshness()).toEqual({
        'zapier-orders': { status: 'within_slo', lag_seconds: 60, last_event_at: '2026-11-27T09:00:00.000Z', open_gaps: 2 },
        'n8n-tickets': { status: 'within_slo', lag_seconds: 60, last_event_at: '2026-11-27T09:00:00.000Z', open_gaps: 0 },
        'snow-incidents': { status: 'within_slo', lag_seconds: 60, last_event_at: '2026-11-27T09:00:00.000Z', open_gaps: 2 },
        'hubspot-deals': { status: 'within_slo', lag_seconds: 0, last_event_at: '2026-11-27T09:01:00.000Z', open_gaps: 1 },
        'sf-opportunities': { status: 'within_slo', lag_seconds: 60, last_event_at: '2026-11-27T09:00:00.000Z', open_gaps: 0 },
      });
    });

    it('09:30 — the ticket is resolved before its SLA deadline', async () => {
      clock.set('2026-11-27T09:30:00.000Z');
      await deliver('n8n', fixture('n8n', 'ticket-resolved.json'));
      // ServiceNow has been silent exactly its SLO (30 min): still within it. Stale means silent *longer* than the SLO.
      expect(await sweep()).toMatchObject({ skipped: false, stale_opened: 0, missing_opened: 0 });
      expect((await summary()).filter(([type]) => type === 'missing_record')).toEqual([]);
    });

    it('11:01 — the sweep finds the unfulfilled order (missing_record); ServiceNow is stale', async () => {
      clock.set('2026-11-27T11:01:00.000Z');
      expect(await sweep()).toMatchObject({ skipped: false, stale_opened: 1, missing_opened: 1 });
      // Dataverse checks its own timestamp: the opportunity won at 11:00 is delivered now.
      await deliver('dynamics365', fixture('dynamics365', 'opportunity-won.json'));
      const all = await gaps();
      expect(all.filter((gap) => gap.status === 'open').map((gap) => [gap.type, gap.rule, gap.entity_id])).toEqual([
        ['out_of_order', 'incident-lifecycle', '9d385017c611228701d22104cc95c371'],
        ['out_of_order', 'sequence:snow-incidents', '9d385017c611228701d22104cc95c371'],
        ['duplicate', 'idempotency:zapier-orders', 'ORD-10042'],
        ['duplicate', 'unique:zapier-orders:order.created', 'ORD-10042'],
        ['field_drift', 'deal-amount', '18004521337'],
        ['stale', 'stream:snow-incidents', null],
        ['missing_record', 'order-fulfilled', 'ORD-10042'],
      ]);
      expect(all.find((gap) => gap.type === 'stale')).toMatchObject({
        severity: 'high',
        agent_id: owner,
        detected_at: '2026-11-27T11:01:00.000Z',
        due_at: '2026-11-27T12:01:00.000Z',
        detail: { last_event_at: '2026-11-27T09:00:00.000Z', slo_seconds: 1800, stale_since: '2026-11-27T09:30:00.000Z', no_data: false },
      });
      expect(all.find((gap) => gap.type === 'missing_record')).toMatchObject({
        severity: 'high',
        agent_id: ordersOwner,
        stream: 'zapier-orders',
        detected_at: '2026-11-27T11:01:00.000Z',
        due_at: '2026-11-27T12:00:00.000Z', // the deadline (11:00) + resolve_within (default 1 h)
        risk_kind: 'order_unfulfilled',
        cost_usd: 1500,
        detail: { trigger_event_type: 'order.created', expected_event_type: 'order.fulfilled', deadline: '2026-11-27T11:00:00.000Z' },
      });
      const report = await freshness();
      expect(report['snow-incidents']).toEqual({ status: 'stale', lag_seconds: 7260, last_event_at: '2026-11-27T09:00:00.000Z', open_gaps: 3 });
      expect(report['zapier-orders']).toMatchObject({ status: 'within_slo', lag_seconds: 7260, open_gaps: 3 });
    });

    it('11:05–11:15 — late and corrected data closes every gap it answers, automatically', async () => {
      clock.set('2026-11-27T11:05:00.000Z');
      await deliver('zapier', fixture('zapier', 'order-fulfilled.json'));
      clock.set('2026-11-27T11:10:00.000Z');
      const closed = { ...json('servicenow', 'incident-resolved.json'), event: 'incident.closed', state: '7', sys_mod_count: '5', sys_updated_on: '2026-11-27 11:10:00' };
      await deliver('servicenow', text(closed));
      clock.set('2026-11-27T11:15:00.000Z');
      const [, amountChange] = JSON.parse(fixture('hubspot', 'deal-created.json').toString('utf8')) as Array<Record<string, unknown>>;
      await deliver('hubspot', text([{ ...amountChange, eventId: 3617294061, occurredAt: Date.parse('2026-11-27T11:15:00Z'), propertyValue: '48000' }]));

      expect(await summary()).toEqual([
        ['out_of_order', 'support', 'incident-lifecycle', '9d385017c611228701d22104cc95c371', 'resolved', 'auto'],
        ['out_of_order', 'support', 'sequence:snow-incidents', '9d385017c611228701d22104cc95c371', 'resolved', 'auto'],
        ['duplicate', 'order-to-cash', 'idempotency:zapier-orders', 'ORD-10042', 'open', null],
        ['duplicate', 'order-to-cash', 'unique:zapier-orders:order.created', 'ORD-10042', 'open', null],
        ['field_drift', 'revenue', 'deal-amount', '18004521337', 'resolved', 'auto'],
        ['stale', 'support', 'stream:snow-incidents', null, 'resolved', 'auto'],
        ['missing_record', 'order-to-cash', 'order-fulfilled', 'ORD-10042', 'resolved', 'auto'],
      ]);
      const all = await gaps();
      const resolvedAt = Object.fromEntries(all.filter((gap) => gap.resolved_at).map((gap) => [gap.rule, gap.resolved_at]));
      expect(resolvedAt).toEqual({
        'incident-lifecycle': '2026-11-27T11:10:00.000Z',
        'sequence:snow-incidents': '2026-11-27T11:10:00.000Z',
        'deal-amount': '2026-11-27T11:15:00.000Z',
        'stream:snow-incidents': '2026-11-27T11:10:00.000Z',
        'order-fulfilled': '2026-11-27T11:05:00.000Z',
      });
      expect(all.find((gap) => gap.type === 'field_drift')!.detail).toMatchObject({ agreed_value: '48000' });

      // Duplicates are facts, not delays: they stay open until someone deals with them.
      const duplicate = all.find((gap) => gap.rule === 'unique:zapier-orders:order.created')!;
      const resolve = await t.app.inject({
        method: 'POST',
        url: `/api/v1/sync/gaps/${duplicate.id}/resolve`,
        headers: t.as('operator'),
        payload: { reason: 'second Shopify order cancelled' },
      });
      expect(resolve.json()).toMatchObject({ status: 'resolved', resolution: 'manual', resolved_at: '2026-11-27T11:15:00.000Z' });

      const report = await freshness();
      expect(Object.fromEntries(Object.entries(report).map(([stream, value]) => [stream, [value.status, value.lag_seconds, value.open_gaps]]))).toEqual({
        'zapier-orders': ['within_slo', 600, 1],
        'n8n-tickets': ['within_slo', 6300, 0],
        'snow-incidents': ['within_slo', 300, 0],
        'hubspot-deals': ['within_slo', 0, 0],
        'sf-opportunities': ['within_slo', 8100, 0],
      });
    });

    it('13:01 — no gap for the ticket resolved in time; a stream that falls silent again opens a new stale gap', async () => {
      clock.set('2026-11-27T13:01:00.000Z');
      expect(await sweep()).toMatchObject({ skipped: false, stale_opened: 1, missing_opened: 0 });
      const open = (await gaps()).filter((gap) => gap.status === 'open');
      expect(open.map((gap) => [gap.type, gap.rule, gap.detected_at])).toEqual([
        ['duplicate', 'idempotency:zapier-orders', '2026-11-27T09:00:00.000Z'],
        ['stale', 'stream:snow-incidents', '2026-11-27T13:01:00.000Z'],
      ]);
      expect((await gaps()).filter((gap) => gap.contract === 'support' && gap.type === 'missing_record')).toEqual([]);
      const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(metrics).toContain('orca_sync_gaps_open{type="duplicate",gap_severity="high"} 1');
      expect(metrics).toContain('orca_sync_gaps_open{type="stale",gap_severity="high"} 1');
      expect(metrics).toContain('orca_sync_gaps_open{type="missing_record",gap_severity="high"} 0');
      expect(metrics).toContain('orca_sync_stream_lag_seconds{contract="support",stream="snow-incidents"} 6660');

      // Every other flow of the corpus kept its stream fresh and broke no rule.
      expect(await freshness(['crm-and-erp'])).toEqual({
        'hubspot-contacts': { status: 'within_slo', lag_seconds: 14460, last_event_at: '2026-11-27T09:00:00.000Z', open_gaps: 0 },
        'sf-leads': { status: 'within_slo', lag_seconds: 14460, last_event_at: '2026-11-27T09:00:00.000Z', open_gaps: 0 },
        'sap-purchase-orders': { status: 'within_slo', lag_seconds: 14460, last_event_at: '2026-11-27T09:00:00.000Z', open_gaps: 0 },
        'oracle-sales-orders': { status: 'within_slo', lag_seconds: 14460, last_event_at: '2026-11-27T09:00:00.000Z', open_gaps: 0 },
        'd365-accounts': { status: 'within_slo', lag_seconds: 14460, last_event_at: '2026-11-27T09:00:00.000Z', open_gaps: 0 },
        'd365-opportunities': { status: 'within_slo', lag_seconds: 7200, last_event_at: '2026-11-27T11:01:00.000Z', open_gaps: 0 },
      });
      expect((await gaps()).filter((gap) => gap.contract === 'crm-and-erp')).toEqual([]);
    });
  });
}
