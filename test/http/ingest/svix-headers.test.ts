import { expect, it } from 'vitest';
import { CloudEvent } from 'cloudevents';
import { cloudEventDelivery, fixture, signDelivery, standardWebhooksSecret, type SignedDelivery } from '../../fixtures/ingest/sign.js';
import { createSource, deliver, describeIngest, eventsOf } from './helpers.js';

/**
 * Senders built on Svix sign the Standard Webhooks scheme but name the headers `svix-id`, `svix-timestamp` and
 * `svix-signature` (docs/ingestion-formats.md): ORCA reads them as the `webhook-*` headers, for every kind that
 * verifies Standard Webhooks signatures, and refuses a bad signature under those names exactly as under the others.
 */

/** The delivery as a Svix-based sender sends it: every webhook-* header renamed svix-*, values unchanged. */
function asSvix(delivery: SignedDelivery): SignedDelivery {
  const headers = Object.fromEntries(Object.entries(delivery.headers).map(([name, value]) => [name.replace(/^webhook-/, 'svix-'), value]));
  expect(Object.keys(headers).filter((name) => name.startsWith('webhook-'))).toEqual([]);
  return { ...delivery, headers };
}

describeIngest('webhooks under the svix-* header names', (ctx, clock) => {
  it('stores a Zapier delivery signed under svix-* names once, keyed by svix-id, and a repeat is a duplicate', async () => {
    const t = ctx();
    clock.set(new Date());
    const { id, secret } = await createSource(t, 'zapier');
    const delivery = asSvix(
      signDelivery('zapier', fixture('zapier', 'order-created.json'), { secret, now: clock.now(), url: `/api/v1/ingest/${id}`, id: 'msg_svix_2KWPBgLlAfxdpx2AI54pPJ85f4W' }),
    );

    const first = await deliver(t, delivery);
    expect(first.statusCode, first.body).toBe(201);
    const stored = await eventsOf(t, id);
    expect(stored.map((row) => [row.event_type, row.entity_type, row.entity_id, row.idempotency_key])).toEqual([
      ['order.created', 'order', 'ORD-10042', 'msg_svix_2KWPBgLlAfxdpx2AI54pPJ85f4W'],
    ]);
    expect(first.json()).toEqual({ accepted: 1, duplicates: 0, duplicate: false, conflict: false, events: [{ id: stored[0]!.id, duplicate: false, conflict: false }] });

    const again = await deliver(t, delivery);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ accepted: 0, duplicates: 1, duplicate: true });
    expect(await eventsOf(t, id)).toEqual(stored);
  });

  it('stores a CloudEvent (binary mode) signed under svix-* names', async () => {
    const t = ctx();
    clock.set(new Date());
    const { id, secret } = await createSource(t, 'cloudevents');
    const event = new CloudEvent({ specversion: '1.0', id: 'evt-svix-1', source: '/inventory', type: 'com.example.stock.reserved', subject: 'SKU-1', data: { sku: 'SKU-1' } });
    const response = await deliver(t, asSvix(cloudEventDelivery(event, 'binary', { secret, now: clock.now(), url: `/api/v1/ingest/${id}` })));
    expect(response.statusCode, response.body).toBe(201);
    expect((await eventsOf(t, id)).map((row) => [row.event_type, row.entity_id])).toEqual([['com.example.stock.reserved', 'SKU-1']]);
  });

  it('answers 401 to a bad or missing signature under svix-* names, stores nothing, and counts each', async () => {
    const t = ctx();
    clock.set(new Date());
    const { id, secret } = await createSource(t, 'n8n');
    const url = `/api/v1/ingest/${id}`;
    const body = fixture('n8n', 'ticket-opened.json');
    const forged = asSvix(signDelivery('n8n', body, { secret: standardWebhooksSecret(), now: clock.now(), url }));
    const good = asSvix(signDelivery('n8n', body, { secret, now: clock.now(), url }));
    const tampered = { ...good, body: Buffer.from(body.toString('utf8').replace('TCK-5531', 'TCK-9999')) };
    const { 'svix-signature': _signature, ...unsignedHeaders } = good.headers;

    const details: string[] = [];
    for (const delivery of [forged, tampered, { ...good, headers: unsignedHeaders }]) {
      const response = await deliver(t, delivery);
      expect(response.statusCode, response.body).toBe(401);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      details.push((response.json() as { detail: string }).detail);
    }
    expect(details).toEqual([
      "the delivery's signature did not verify (bad_signature)",
      "the delivery's signature did not verify (bad_signature)",
      "the delivery's signature did not verify (missing_signature)",
    ]);
    expect(await eventsOf(t, id)).toEqual([]);
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('orca_ingest_signature_failures_total{source_kind="n8n",reason="bad_signature"} 2');
    expect(metrics).toContain('orca_ingest_signature_failures_total{source_kind="n8n",reason="missing_signature"} 1');
  });
});
