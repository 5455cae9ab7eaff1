import { expect, it } from 'vitest';
import type { SourceKind } from '../../../src/modules/ingest/adapters/index.js';
import { fixture, signDelivery } from '../../fixtures/ingest/sign.js';
import { createSource, deliver, describeIngest, eventsOf, type Json } from './helpers.js';

/**
 * Every source kind end to end through HTTP (issue 4 items 2–4): a native delivery from test/fixtures/ingest, signed as
 * the vendor signs it, is verified over the raw bytes, parsed, mapped and stored once; the same delivery again is
 * answered as a duplicate and stores nothing.
 */

interface Case {
  kind: SourceKind;
  file: string;
  options?: Json;
  /** Deliveries whose own timestamps are checked (Dataverse) are sent at this time. */
  sentAt?: Date;
  /** [event_type, entity_type, entity_id] of each stored event, in delivery order */
  expected: Array<[string, string, string]>;
}

const CASES: Case[] = [
  { kind: 'zapier', file: 'order-created.json', expected: [['order.created', 'order', 'ORD-10042']] },
  { kind: 'n8n', file: 'ticket-opened.json', expected: [['ticket.opened', 'ticket', 'TCK-5531']] },
  { kind: 'make', file: 'invoice-paid.json', expected: [['invoice.paid', 'invoice', 'INV-2026-0917']] },
  {
    kind: 'generic',
    file: 'batch.json',
    expected: [
      ['shipment.created', 'shipment', 'SHP-881'],
      ['shipment.delivered', 'shipment', 'SHP-881'],
    ],
  },
  {
    kind: 'hubspot',
    file: 'deal-created.json',
    expected: [
      ['deal.creation', 'deal', '18004521337'],
      ['deal.propertyChange', 'deal', '18004521337'],
    ],
  },
  {
    kind: 'salesforce',
    file: 'opportunity-won.xml',
    options: { allowed_organization_ids: ['00D5e000000KQ2eEAG'] },
    expected: [['opportunity.changed', 'opportunity', '0065e00000AbCdEAAV']],
  },
  {
    kind: 'dynamics365',
    file: 'account-created.json',
    sentAt: new Date(1795770000000 + 30_000),
    expected: [['account.create', 'account', '7d1e3f50-9a2b-ef11-8409-000d3a6b5c21']],
  },
  { kind: 'servicenow', file: 'incident-created.json', expected: [['incident.created', 'incident', '9d385017c611228701d22104cc95c371']] },
  { kind: 'oracle_erp', file: 'sales-order-created.json', expected: [['salesOrder.created', 'salesOrder', '300000123456789']] },
  {
    kind: 'sap',
    file: 'purchase-order-created.json',
    expected: [['sap.s4.beh.purchaseorder.v1.PurchaseOrder.Created.v1', 'PurchaseOrder', '4500000123']],
  },
  {
    kind: 'cloudevents',
    file: 'batch.json',
    expected: [
      ['com.example.inventory.stock.reserved', 'stock', 'SKU-CHAIR-ERG-02'],
      ['com.example.inventory.stock.reserved', 'stock', 'SKU-DESK-STAND-01'],
    ],
  },
];

const SOAP_ACK =
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>' +
  '<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse></soapenv:Body></soapenv:Envelope>';

describeIngest('webhooks of every source kind', (ctx, clock) => {
  const secrets: string[] = [];

  for (const testCase of CASES) {
    it(`${testCase.kind}: ${testCase.file} is verified, stored once, and the same delivery again is a duplicate`, async () => {
      const t = ctx();
      clock.set(testCase.sentAt ?? new Date());
      const { id, secret } = await createSource(t, testCase.kind, { options: testCase.options ?? {} });
      secrets.push(secret);
      const delivery = signDelivery(testCase.kind, fixture(testCase.kind, testCase.file), { secret, now: clock.now(), url: `/api/v1/ingest/${id}` });

      const first = await deliver(t, delivery);
      const stored = await eventsOf(t, id);
      expect(stored.map((row) => [row.event_type, row.entity_type, row.entity_id])).toEqual(testCase.expected);

      const again = await deliver(t, delivery);
      expect(await eventsOf(t, id)).toEqual(stored);

      if (testCase.kind === 'salesforce') {
        // Salesforce retries until it reads the SOAP Ack, so a repeat is acknowledged the same way.
        for (const response of [first, again]) {
          expect(response.statusCode).toBe(200);
          expect(response.headers['content-type']).toBe('text/xml; charset=utf-8');
          expect(response.body).toBe(SOAP_ACK);
        }
        return;
      }
      expect(first.statusCode, first.body).toBe(201);
      expect(first.json()).toEqual({
        accepted: stored.length,
        duplicates: 0,
        duplicate: false,
        conflict: false,
        events: stored.map((row) => ({ id: row.id, duplicate: false, conflict: false })),
      });
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json()).toEqual({
        accepted: 0,
        duplicates: stored.length,
        duplicate: true,
        conflict: false,
        events: stored.map((row) => ({ id: row.id, duplicate: true, conflict: false })),
      });
    });
  }

  it('counts accepted and duplicate events per source kind', async () => {
    const metrics = (await ctx().app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('orca_ingest_events_total{source_kind="hubspot",outcome="accepted"} 2');
    expect(metrics).toContain('orca_ingest_events_total{source_kind="hubspot",outcome="duplicate"} 2');
    expect(metrics).toContain('orca_ingest_events_total{source_kind="zapier",outcome="accepted"} 1');
    expect(metrics).toMatch(/orca_ingest_duration_seconds_count\{endpoint="webhook"\} 22\n/);
    expect(metrics).toMatch(/orca_ingest_group_commit_batch_size_count \d+\n/);
  });

  it('never logged a secret', () => {
    const text = JSON.stringify(ctx().logs);
    expect(secrets.length).toBe(CASES.length);
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});
