import { CloudEvent } from 'cloudevents';
import { describe, expect, it } from 'vitest';
import { cloudEventDelivery, fixture, signDelivery, standardWebhooksSecret } from '../../../../test/fixtures/ingest/sign.js';
import { ADAPTERS, applyMapping, DEFAULT_MAPPINGS, EnvelopeError, type SigningSettings } from './index.js';

const secret = standardWebhooksSecret();
const now = new Date('2026-11-27T09:20:01.000Z');
const settings: SigningSettings = { secrets: [secret], toleranceSeconds: 300, options: {} };
const url = '/api/v1/ingest/0193a5b2-0000-7000-8000-000000000005';

const purchaseOrder = new CloudEvent({
  specversion: '1.0',
  type: 'sap.s4.beh.purchaseorder.v1.PurchaseOrder.Created.v1',
  source: '/default/sap.s4.beh/S4H_100',
  id: 'QgEK7wzuHtqdhJwqCS+VOA==',
  time: '2026-11-27T09:20:00Z',
  datacontenttype: 'application/json',
  data: { PurchaseOrder: '4500000123' },
});

const expectedPurchaseOrder = {
  event_type: 'sap.s4.beh.purchaseorder.v1.PurchaseOrder.Created.v1',
  entity_type: 'PurchaseOrder',
  entity_id: '4500000123',
  occurred_at: '2026-11-27T09:20:00.000Z',
  sequence: null,
  agent_id: null,
  correlation_key: null,
};

describe('CloudEvents adapter (sap, cloudevents)', () => {
  for (const mode of ['binary', 'structured'] as const) {
    it(`verifies and parses an SAP event built with the cloudevents SDK in ${mode} mode`, () => {
      const signed = cloudEventDelivery(purchaseOrder, mode, { secret, now, url, id: 'msg_po_1' });
      expect(ADAPTERS.sap.verify(signed, settings, now)).toEqual({ ok: true });
      const [event, ...rest] = ADAPTERS.sap.parse(signed);
      expect(rest).toEqual([]);
      expect(event?.externalEventId).toBe('QgEK7wzuHtqdhJwqCS+VOA==');
      expect(event?.idempotencyKey).toBe('/default/sap.s4.beh/S4H_100#QgEK7wzuHtqdhJwqCS+VOA==');
      expect(event?.document).toMatchObject({ specversion: '1.0', data: { PurchaseOrder: '4500000123' } });
      expect(applyMapping(event!, DEFAULT_MAPPINGS.sap)).toEqual(expectedPurchaseOrder);
    });
  }

  it('percent-decodes binary-mode header values', () => {
    const event = new CloudEvent({ type: 'com.example.order.created', source: '/shop/eu', id: 'e-1', subject: 'ORD 42/ü', data: { ok: true } });
    const signed = cloudEventDelivery(event, 'binary', { secret, now, url });
    signed.headers['ce-subject'] = 'ORD%2042%2F%C3%BC';
    const [parsed] = ADAPTERS.cloudevents.parse(signed);
    expect(parsed?.defaults).toMatchObject({ entity_id: 'ORD 42/ü', entity_type: 'order', event_type: 'com.example.order.created' });
  });

  it('parses the structured fixture and a batch, one event per element', () => {
    const single = signDelivery('sap', fixture('sap', 'purchase-order-created.json'), { secret, now, url });
    expect(ADAPTERS.sap.verify(single, settings, now)).toEqual({ ok: true });
    expect(applyMapping(ADAPTERS.sap.parse(single)[0]!, DEFAULT_MAPPINGS.sap)).toEqual(expectedPurchaseOrder);
    const batch = signDelivery('cloudevents', fixture('cloudevents', 'batch.json'), { secret, now, url });
    expect(batch.headers['content-type']).toBe('application/cloudevents-batch+json');
    expect(ADAPTERS.cloudevents.verify(batch, settings, now)).toEqual({ ok: true });
    expect(ADAPTERS.cloudevents.parse(batch).map((event) => applyMapping(event, DEFAULT_MAPPINGS.cloudevents))).toEqual([
      { event_type: 'com.example.inventory.stock.reserved', entity_type: 'stock', entity_id: 'SKU-CHAIR-ERG-02', occurred_at: '2026-11-27T09:21:00.000Z', sequence: 17, agent_id: null, correlation_key: null },
      { event_type: 'com.example.inventory.stock.reserved', entity_type: 'stock', entity_id: 'SKU-DESK-STAND-01', occurred_at: '2026-11-27T09:21:01.000Z', sequence: 18, agent_id: null, correlation_key: null },
    ]);
  });

  it('rejects unsigned, forged and stale deliveries', () => {
    const signed = cloudEventDelivery(purchaseOrder, 'structured', { secret, now, url });
    const { 'webhook-signature': _s, ...unsigned } = signed.headers;
    expect(ADAPTERS.sap.verify({ ...signed, headers: unsigned }, settings, now)).toEqual({ ok: false, reason: 'missing_signature' });
    expect(ADAPTERS.sap.verify(cloudEventDelivery(purchaseOrder, 'structured', { secret: standardWebhooksSecret(), now, url }), settings, now)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(ADAPTERS.sap.verify(signed, settings, new Date(now.getTime() + 600_000))).toEqual({ ok: false, reason: 'stale_timestamp' });
  });

  it('validates the required attributes and names the failing one', () => {
    const structured = (event: unknown) => () =>
      ADAPTERS.cloudevents.parse({ method: 'POST', url, headers: { 'content-type': 'application/cloudevents+json' }, body: Buffer.from(JSON.stringify(event)) });
    const valid = { specversion: '1.0', id: 'a', source: '/s', type: 't.x' };
    expect(structured(valid)).not.toThrow();
    expect(structured({ ...valid, specversion: '0.3' })).toThrow(expect.objectContaining({ path: '$.specversion' }));
    expect(structured({ ...valid, id: '' })).toThrow(expect.objectContaining({ path: '$.id' }));
    expect(structured({ ...valid, source: 5 })).toThrow(expect.objectContaining({ path: '$.source' }));
    expect(structured({ ...valid, time: 'yesterday' })).toThrow(expect.objectContaining({ path: '$.time' }));
    expect(structured([valid])).toThrow(EnvelopeError);
    const binary = ADAPTERS.cloudevents.parse.bind(null, { method: 'POST', url, headers: { 'ce-specversion': '1.0', 'ce-id': 'a', 'ce-source': '/s' }, body: Buffer.alloc(0) });
    expect(binary).toThrow(expect.objectContaining({ path: 'headers.ce-type' }));
    expect(() => ADAPTERS.cloudevents.parse({ method: 'POST', url, headers: { 'content-type': 'application/json' }, body: Buffer.from('{}') })).toThrow(/not a CloudEvent/);
    const batch = (body: string) => () => ADAPTERS.cloudevents.parse({ method: 'POST', url, headers: { 'content-type': 'application/cloudevents-batch+json' }, body: Buffer.from(body) });
    expect(batch('[]')).toThrow(/empty/);
    expect(batch(JSON.stringify([valid, { ...valid, type: undefined }]))).toThrow(expect.objectContaining({ path: '$[1].type' }));
  });
});
