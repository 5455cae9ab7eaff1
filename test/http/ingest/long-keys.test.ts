import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { fixture, signDelivery } from '../../fixtures/ingest/sign.js';
import { createSource, deliver, describeIngest, eventsOf } from './helpers.js';

/**
 * A sender chooses its delivery ids, and some choose long ones. A Standard Webhooks `webhook-id` of 2,700 characters
 * or a Salesforce Notification Id of 3,000 used to be a 500: the (source_id, idempotency_key) btree row exceeded
 * PostgreSQL's limit (~2.7 kB). Any key a sender may send is now stored: a key over 500 characters is kept as the
 * SHA-256 of its text, so the same long key is still a duplicate and a different one is not.
 */

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Deterministic but incompressible (PostgreSQL compresses a repetitive key below the limit): a chain of hashes. */
function noise(length: number, seed: string): string {
  let text = '';
  for (let block = sha256(seed); text.length < length; block = sha256(block)) text += block;
  return text.slice(0, length);
}

describeIngest('very long idempotency keys from senders', (ctx, clock) => {
  it('a Standard Webhooks webhook-id of 2,700 characters is stored under its hash; the same id again is a duplicate', async () => {
    const t = ctx();
    clock.set(new Date());
    const { id, secret } = await createSource(t, 'generic');
    const longId = `msg_${noise(2_696, 'webhook-id')}`;
    const delivery = signDelivery('generic', fixture('generic', 'batch.json'), { secret, now: clock.now(), url: `/api/v1/ingest/${id}`, id: longId });

    const first = await deliver(t, delivery, 'none');
    expect(first.statusCode, first.body).toBe(201);
    const stored = await eventsOf(t, id);
    expect(stored).toHaveLength(2);
    // batch.json carries two events: each one's key is derived from the delivery id, then hashed when it is too long.
    for (const row of stored) expect(row.idempotency_key).toMatch(/^key-sha256:[0-9a-f]{64}$/);
    const { rows } = await t.container.db.query<{ external_event_id: string }>('select external_event_id from event where source_id = $1', [id]);
    // The sender's own id is kept in full for tracing.
    expect(rows.every((row) => row.external_event_id.startsWith(longId))).toBe(true);

    const again = await deliver(t, delivery, 'none');
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ accepted: 0, duplicates: 2, duplicate: true });
    expect(await eventsOf(t, id)).toEqual(stored);

    // A different long id differing only in its last character is a different delivery.
    const other = signDelivery('generic', fixture('generic', 'batch.json'), { secret, now: clock.now(), url: `/api/v1/ingest/${id}`, id: `${longId.slice(0, -1)}${longId.endsWith('0') ? '1' : '0'}` });
    const third = await deliver(t, other, 'none');
    expect(third.statusCode, third.body).toBe(201);
    expect(await eventsOf(t, id)).toHaveLength(4);
  });

  it('a Salesforce Notification Id of 3,000 characters is acknowledged and stored; a retry is acknowledged as a duplicate', async () => {
    const t = ctx();
    clock.set(new Date());
    const { id, secret } = await createSource(t, 'salesforce', { options: { allowed_organization_ids: ['00D5e000000KQ2eEAG'] } });
    const longNotificationId = `04l${noise(2_997, 'notification-id')}`;
    const xml = fixture('salesforce', 'opportunity-won.xml').toString('utf8').replace(/(<Notification>\s*<Id>)[^<]+(<\/Id>)/, `$1${longNotificationId}$2`);
    expect(xml).toContain(longNotificationId);
    const delivery = signDelivery('salesforce', Buffer.from(xml, 'utf8'), { secret, now: clock.now(), url: `/api/v1/ingest/${id}` });

    for (const attempt of [1, 2]) {
      const response = await deliver(t, delivery, 'none');
      expect(response.statusCode, `attempt ${attempt}: ${response.body}`).toBe(200);
      expect(response.body).toContain('<Ack>true</Ack>');
    }
    const stored = await eventsOf(t, id);
    expect(stored.map((row) => row.idempotency_key)).toEqual([`key-sha256:${sha256(longNotificationId)}`]);
  });

  it('a key of exactly 500 characters is stored as sent', async () => {
    const t = ctx();
    clock.set(new Date());
    const { id, secret } = await createSource(t, 'zapier');
    const key = `msg_${'k'.repeat(496)}`;
    const delivery = signDelivery('zapier', fixture('zapier', 'order-created.json'), { secret, now: clock.now(), url: `/api/v1/ingest/${id}`, id: key });
    const response = await deliver(t, delivery, 'none');
    expect(response.statusCode, response.body).toBe(201);
    expect((await eventsOf(t, id)).map((row) => row.idempotency_key)).toEqual([key]);
  });
});
