import { randomUUID } from 'node:crypto';
import { expect, it, vi } from 'vitest';
import { fixture, signDelivery, standardWebhooksSecret } from '../../fixtures/ingest/sign.js';
import { createSource, deliver, describeIngest, eventsOf, type Json } from './helpers.js';

/**
 * What must NOT be stored (issue 4 items 1–4): forged, stale, unsigned and wrong-length signatures are 401 and counted
 * per source; unknown, disabled and deleted sources are 404; a bad envelope is 400 and a mapping failure 422 with the
 * failing path, storing nothing; the same key with another payload keeps the original and reports a conflict.
 */

const problemJson = 'application/problem+json; charset=utf-8';
const order = (id: string, total: number) =>
  JSON.stringify({ type: 'order.created', timestamp: '2026-11-27T09:00:00.000Z', data: { object: 'order', id, total } });

describeIngest('webhook verification', (ctx, clock) => {
  const secrets: string[] = [];

  it('answers 401 to forged, tampered, unsigned, stale and wrong-length signatures, stores nothing, and counts each', async () => {
    const t = ctx();
    clock.set(new Date());
    const { id, secret } = await createSource(t, 'generic');
    secrets.push(secret);
    const url = `/api/v1/ingest/${id}`;
    const body = order('ORD-1', 10);
    const good = signDelivery('generic', body, { secret, now: clock.now(), url });

    const forged = signDelivery('generic', body, { secret: standardWebhooksSecret(), now: clock.now(), url, id: good.headers['webhook-id'] });
    const tampered = { ...good, body: Buffer.from(order('ORD-1', 99_999)) };
    const { 'webhook-signature': _signature, ...unsignedHeaders } = good.headers;
    const unsigned = { ...good, headers: unsignedHeaders };
    const stale = signDelivery('generic', body, { secret, now: new Date(clock.now().getTime() - 10 * 60_000), url });
    const wrongLength = { ...good, headers: { ...good.headers, 'webhook-signature': `${good.headers['webhook-signature']!.slice(0, -4)}` } };

    const reasons: string[] = [];
    for (const delivery of [forged, tampered, unsigned, stale, wrongLength]) {
      const response = await deliver(t, delivery);
      expect(response.statusCode, response.body).toBe(401);
      expect(response.headers['content-type']).toBe(problemJson);
      reasons.push((response.json() as { detail: string }).detail);
    }
    expect(reasons).toEqual([
      "the delivery's signature did not verify (bad_signature)",
      "the delivery's signature did not verify (bad_signature)",
      "the delivery's signature did not verify (missing_signature)",
      "the delivery's signature did not verify (stale_timestamp)",
      "the delivery's signature did not verify (bad_signature)",
    ]);
    expect(await eventsOf(t, id)).toEqual([]);
    expect((await deliver(t, good)).statusCode).toBe(201);

    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('orca_ingest_signature_failures_total{source_kind="generic",reason="bad_signature"} 3');
    expect(metrics).toContain('orca_ingest_signature_failures_total{source_kind="generic",reason="missing_signature"} 1');
    expect(metrics).toContain('orca_ingest_signature_failures_total{source_kind="generic",reason="stale_timestamp"} 1');
    const rejections = t.logs.filter((line) => line.msg === 'webhook signature rejected');
    expect(rejections.map((line) => [line.source_id, line.source_kind, line.reason])).toEqual([
      [id, 'generic', 'bad_signature'],
      [id, 'generic', 'bad_signature'],
      [id, 'generic', 'missing_signature'],
      [id, 'generic', 'stale_timestamp'],
      [id, 'generic', 'bad_signature'],
    ]);
  });

  it('HubSpot: outside the 5-minute window is 401; Salesforce: an organisation not on the allow-list is 401', async () => {
    const t = ctx();
    clock.set(new Date());
    const hubspot = await createSource(t, 'hubspot');
    secrets.push(hubspot.secret);
    const old = signDelivery('hubspot', fixture('hubspot', 'deal-created.json'), {
      secret: hubspot.secret,
      now: new Date(clock.now().getTime() - 6 * 60_000),
      url: `/api/v1/ingest/${hubspot.id}`,
    });
    const response = await deliver(t, old);
    expect(response.statusCode).toBe(401);
    expect((response.json() as { detail: string }).detail).toBe("the delivery's signature did not verify (stale_timestamp)");

    const salesforce = await createSource(t, 'salesforce', { options: { allowed_organization_ids: ['00D000000000001AAA'] } });
    secrets.push(salesforce.secret);
    const foreign = signDelivery('salesforce', fixture('salesforce', 'lead-converted.xml'), {
      secret: salesforce.secret,
      now: clock.now(),
      url: `/api/v1/ingest/${salesforce.id}`,
    });
    const refused = await deliver(t, foreign);
    expect(refused.statusCode).toBe(401);
    expect((refused.json() as { detail: string }).detail).toBe("the delivery's signature did not verify (organization_not_allowed)");
    expect(await eventsOf(t, salesforce.id)).toEqual([]);
  });

  it('keeps both secrets valid during a rotation overlap and only the new one after it', async () => {
    const t = ctx();
    clock.set(new Date('2026-11-28T10:00:00Z'));
    const { id, secret: oldSecret } = await createSource(t, 'zapier');
    const newSecret = standardWebhooksSecret();
    secrets.push(oldSecret, newSecret);
    const rotate = await t.app.inject({
      method: 'POST',
      url: `/api/v1/sources/${id}/rotate-secret`,
      headers: t.as('admin'),
      payload: { secret: newSecret, overlap: '1h' },
    });
    expect(rotate.statusCode, rotate.body).toBe(200);
    expect((rotate.json() as Json).secret).toEqual({ rotated_at: '2026-11-28T10:00:00.000Z', previous_valid_until: '2026-11-28T11:00:00.000Z' });
    expect(rotate.body).not.toContain(newSecret);

    const send = (secret: string, entity: string) =>
      deliver(t, signDelivery('zapier', order(entity, 1), { secret, now: clock.now(), url: `/api/v1/ingest/${id}` }));
    clock.set(new Date('2026-11-28T10:59:59Z'));
    expect((await send(oldSecret, 'A')).statusCode).toBe(201);
    expect((await send(newSecret, 'B')).statusCode).toBe(201);
    clock.set(new Date('2026-11-28T11:00:00Z'));
    expect((await send(oldSecret, 'C')).statusCode).toBe(401);
    expect((await send(newSecret, 'D')).statusCode).toBe(201);
    expect((await eventsOf(t, id)).map((row) => row.entity_id)).toEqual(['A', 'B', 'D']);

    // Without an overlap the old secret stops at once; an omitted secret is generated and shown once.
    const immediate = await t.app.inject({ method: 'POST', url: `/api/v1/sources/${id}/rotate-secret`, headers: t.as('admin'), payload: { overlap: '0s' } });
    expect(immediate.statusCode).toBe(200);
    const generated = (immediate.json() as { generated_secret: string }).generated_secret;
    secrets.push(generated);
    expect((immediate.json() as Json).secret).toEqual({ rotated_at: '2026-11-28T11:00:00.000Z', previous_valid_until: null });
    expect((await send(newSecret, 'E')).statusCode).toBe(401);
    expect((await send(generated, 'F')).statusCode).toBe(201);

    const tooLong = await t.app.inject({ method: 'POST', url: `/api/v1/sources/${id}/rotate-secret`, headers: t.as('admin'), payload: { overlap: '31d' } });
    expect(tooLong.statusCode).toBe(400);
  });

  it('accepts a signed webhook without any ORCA key, as vendors send it; a key that comes along must be valid', async () => {
    const t = ctx();
    clock.set(new Date());
    const { id, secret } = await createSource(t, 'generic');
    secrets.push(secret);
    const signed = (entity: string) => signDelivery('generic', order(entity, 5), { secret, now: clock.now(), url: `/api/v1/ingest/${id}` });

    expect((await deliver(t, signed('NO-KEY'), 'none')).statusCode).toBe(201);
    // The signature authenticates: the role of a key that comes along does not matter.
    expect((await deliver(t, signed('VIEWER-KEY'), 'viewer')).statusCode).toBe(201);
    const badKey = signed('BAD-KEY');
    const refused = await t.app.inject({ method: 'POST', url: badKey.url, headers: { ...badKey.headers, 'x-api-key': 'orca_000000000000_not-a-valid-key' }, payload: badKey.body });
    expect(refused.statusCode).toBe(401);
    // Without a key, a forged signature is still 401.
    const forged = signDelivery('generic', order('FORGED', 5), { secret: standardWebhooksSecret(), now: clock.now(), url: `/api/v1/ingest/${id}` });
    expect((await deliver(t, forged, 'none')).statusCode).toBe(401);
    expect((await eventsOf(t, id)).length).toBe(2);
  });

  it('answers 404 for unknown, disabled and deleted sources', async () => {
    const t = ctx();
    clock.set(new Date());
    const { id, secret } = await createSource(t, 'generic');
    secrets.push(secret);
    const signed = (sourceId: string) => signDelivery('generic', order('X', 1), { secret, now: clock.now(), url: `/api/v1/ingest/${sourceId}` });

    expect((await deliver(t, signed(randomUUID()))).statusCode).toBe(404);
    // Looked up (and cached) through an upper-case URL first: disabling must still reach that lookup.
    expect((await deliver(t, signed(id.toUpperCase()))).statusCode).toBe(201);
    expect((await t.app.inject({ method: 'PATCH', url: `/api/v1/sources/${id}`, headers: t.as('admin'), payload: { enabled: false } })).statusCode).toBe(200);
    const disabled = await deliver(t, signed(id));
    expect(disabled.statusCode).toBe(404);
    expect((await deliver(t, signed(id.toUpperCase()))).statusCode).toBe(404);
    expect(disabled.headers['content-type']).toBe(problemJson);
    expect((await t.app.inject({ method: 'PATCH', url: `/api/v1/sources/${id}`, headers: t.as('admin'), payload: { enabled: true } })).statusCode).toBe(200);
    expect((await deliver(t, signed(id))).statusCode).toBe(201);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/sources/${id}`, headers: t.as('admin') })).statusCode).toBe(204);
    expect((await deliver(t, signed(id))).statusCode).toBe(404);
    expect((await deliver(t, signed(id), 'none')).statusCode).toBe(404);
  });

  it('answers 400 to a delivery that is not a valid envelope and 422 with the path when the mapping fails, storing nothing', async () => {
    const t = ctx();
    clock.set(new Date());
    const { id, secret } = await createSource(t, 'generic', { mapping: { entity_id: '$.data.order_number' } });
    secrets.push(secret);
    const url = `/api/v1/ingest/${id}`;

    const notJson = await deliver(t, signDelivery('generic', '{"type": "order.created",', { secret, now: clock.now(), url }));
    expect(notJson.statusCode, notJson.body).toBe(400);
    expect(notJson.headers['content-type']).toBe(problemJson);

    const unmapped = await deliver(t, signDelivery('generic', order('ORD-9', 5), { secret, now: clock.now(), url }));
    expect(unmapped.statusCode, unmapped.body).toBe(422);
    expect((unmapped.json() as { errors: unknown }).errors).toEqual([{ path: '$.data.order_number', message: 'entity_id: nothing at this path' }]);
    expect(await eventsOf(t, id)).toEqual([]);

    const mapped = await deliver(
      t,
      signDelivery('generic', JSON.stringify({ type: 'order.created', timestamp: '2026-11-27T09:00:00Z', data: { object: 'order', order_number: 'N-1' } }), {
        secret,
        now: clock.now(),
        url,
      }),
    );
    expect(mapped.statusCode, mapped.body).toBe(201);
    expect((await eventsOf(t, id)).map((row) => row.entity_id)).toEqual(['N-1']);
  });

  it('keeps the original when the same key arrives with another payload, answers duplicate + conflict, and tells the analyzer', async () => {
    const t = ctx();
    clock.set(new Date());
    const { id, secret } = await createSource(t, 'zapier');
    secrets.push(secret);
    const url = `/api/v1/ingest/${id}`;
    const conflicts = vi.spyOn(t.container.modules.sync.observer, 'duplicateConflict');
    try {
      const original = await deliver(t, signDelivery('zapier', order('ORD-77', 100), { secret, now: clock.now(), url, id: 'msg_same_key' }));
      expect(original.statusCode).toBe(201);
      const originalId = (original.json() as { events: Array<{ id: string }> }).events[0]!.id;
      const changed = await deliver(t, signDelivery('zapier', order('ORD-77', 250), { secret, now: clock.now(), url, id: 'msg_same_key' }));
      expect(changed.statusCode).toBe(200);
      expect(changed.json()).toEqual({
        accepted: 0,
        duplicates: 1,
        duplicate: true,
        conflict: true,
        events: [{ id: originalId, duplicate: true, conflict: true }],
      });
      const stored = await eventsOf(t, id);
      expect(stored.map((row) => [row.id, row.idempotency_key])).toEqual([[originalId, 'msg_same_key']]);
      const { rows } = await t.container.db.query<{ payload: { data: { total: number } } }>('select payload from event where id = $1', [originalId]);
      expect(rows[0]!.payload.data.total).toBe(100);
      expect(conflicts).toHaveBeenCalledTimes(1);
      expect(conflicts).toHaveBeenCalledWith({
        source_id: id,
        idempotency_key: 'msg_same_key',
        existing_event_id: originalId,
        entity_type: 'order',
        entity_id: 'ORD-77',
        received_at: clock.now(),
      });
      const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(metrics).toContain('orca_ingest_events_total{source_kind="zapier",outcome="conflict"} 1');
    } finally {
      conflicts.mockRestore();
    }
  });

  it('never logged a secret', () => {
    const text = JSON.stringify(ctx().logs);
    expect(secrets.length).toBeGreaterThan(8);
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});
