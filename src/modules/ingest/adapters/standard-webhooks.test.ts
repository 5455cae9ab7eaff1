import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { fixture, signDelivery, standardWebhooksSecret } from '../../../../test/fixtures/ingest/sign.js';
import { ADAPTERS, EnvelopeError, type RawDelivery, type SigningSettings } from './index.js';

const adapter = ADAPTERS.zapier;
const now = new Date('2026-11-27T09:00:05.000Z');
const current = standardWebhooksSecret();
const previous = standardWebhooksSecret();
const settings: SigningSettings = { secrets: [current, previous], toleranceSeconds: 300, options: {} };
const url = '/api/v1/ingest/0193a5b2-0000-7000-8000-000000000001';

function delivery(secret = current, at = now, id = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W'): RawDelivery {
  return signDelivery('zapier', fixture('zapier', 'order-created.json'), { secret, now: at, url, id });
}

describe('Standard Webhooks adapter (generic, zapier, n8n, make)', () => {
  it('accepts a delivery signed by the standardwebhooks library with the current secret', () => {
    expect(adapter.verify(delivery(), settings, now)).toEqual({ ok: true });
  });

  it('accepts the previous secret while a rotation overlap lasts, and refuses it once the overlap is over', () => {
    const signed = delivery(previous);
    expect(adapter.verify(signed, settings, now)).toEqual({ ok: true });
    expect(adapter.verify(signed, { ...settings, secrets: [current] }, now)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('accepts when one of several space-separated signatures matches (the sender rotating its own key)', () => {
    const signed = delivery();
    const other = new Webhook(standardWebhooksSecret()).sign('msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', now, signed.body.toString());
    signed.headers['webhook-signature'] = `${other} v2,abc ${signed.headers['webhook-signature']}`;
    expect(adapter.verify(signed, settings, now)).toEqual({ ok: true });
  });

  it('rejects a forged signature, a tampered body and a changed webhook-id', () => {
    const forged = delivery(standardWebhooksSecret());
    expect(adapter.verify(forged, settings, now)).toEqual({ ok: false, reason: 'bad_signature' });
    const tampered = delivery();
    tampered.body = Buffer.from(tampered.body.toString().replace('1249.5', '1.5'));
    expect(adapter.verify(tampered, settings, now)).toEqual({ ok: false, reason: 'bad_signature' });
    const renamed = delivery();
    renamed.headers['webhook-id'] = 'msg_other';
    expect(adapter.verify(renamed, settings, now)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('rejects a wrong-length signature as a bad signature', () => {
    const signed = delivery();
    signed.headers['webhook-signature'] = `v1,${Buffer.alloc(31, 1).toString('base64')}`;
    expect(adapter.verify(signed, settings, now)).toEqual({ ok: false, reason: 'bad_signature' });
    signed.headers['webhook-signature'] = `v1,${(signed.headers['webhook-signature'] ?? '').slice(3)}AAAA`;
    expect(adapter.verify(signed, settings, now)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('rejects a replay outside the tolerance (stale or from the future)', () => {
    const signed = delivery();
    expect(adapter.verify(signed, settings, new Date(now.getTime() + 300_000))).toEqual({ ok: true });
    expect(adapter.verify(signed, settings, new Date(now.getTime() + 301_000))).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(adapter.verify(signed, settings, new Date(now.getTime() - 301_000))).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(adapter.verify(signed, { ...settings, toleranceSeconds: 60 }, new Date(now.getTime() + 61_000))).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
  });

  it('names a missing signature, and malformed headers, apart', () => {
    const signed = delivery();
    const { 'webhook-signature': _signature, ...unsigned } = signed.headers;
    expect(adapter.verify({ ...signed, headers: unsigned }, settings, now)).toEqual({ ok: false, reason: 'missing_signature' });
    const { 'webhook-id': _id, ...noId } = signed.headers;
    expect(adapter.verify({ ...signed, headers: noId }, settings, now)).toEqual({ ok: false, reason: 'malformed' });
    expect(adapter.verify({ ...signed, headers: { ...signed.headers, 'webhook-timestamp': 'yesterday' } }, settings, now)).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(adapter.verify({ ...signed, headers: { ...signed.headers, 'webhook-signature': 'garbage' } }, settings, now)).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('refuses everything when no secret is configured or the secret is not base64', () => {
    expect(adapter.verify(delivery(), { ...settings, secrets: [] }, now)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(adapter.verify(delivery(), { ...settings, secrets: ['whsec_!!!'] }, now)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('parses one event keyed by webhook-id with the envelope defaults', () => {
    const events = adapter.parse(delivery());
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      externalEventId: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
      idempotencyKey: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
      defaults: { event_type: 'order.created', occurred_at: '2026-11-27T09:00:05.000Z' },
    });
    expect(adapter.acknowledge({ accepted: 1, duplicates: 0 })).toBeNull();
  });

  it('parses an array body as a batch keyed <webhook-id>:<index>', () => {
    const signed = signDelivery('generic', fixture('generic', 'batch.json'), { secret: current, now, url, id: 'msg_batch' });
    expect(ADAPTERS.generic.verify(signed, settings, now)).toEqual({ ok: true });
    expect(ADAPTERS.generic.parse(signed).map((event) => event.idempotencyKey)).toEqual(['msg_batch:0', 'msg_batch:1']);
  });

  it('reports envelope errors for a missing webhook-id, non-JSON and an empty batch', () => {
    const signed = delivery();
    const { 'webhook-id': _id, ...noId } = signed.headers;
    expect(() => adapter.parse({ ...signed, headers: noId })).toThrow(EnvelopeError);
    expect(() => adapter.parse({ ...signed, body: Buffer.from('{"type":') })).toThrow(/not valid JSON/);
    expect(() => adapter.parse({ ...signed, body: Buffer.from([0xff, 0xfe]) })).toThrow(/UTF-8/);
    expect(() => adapter.parse({ ...signed, body: Buffer.from('[]') })).toThrow(/empty/);
  });

  describe('under the svix-* header names Svix-based senders use', () => {
    /** The same delivery with each webhook-* header renamed svix-*, as a sender on Svix's default branding sends it. */
    const asSvix = (signed: RawDelivery): RawDelivery => ({
      ...signed,
      headers: Object.fromEntries(Object.entries(signed.headers).map(([name, value]) => [name.replace(/^webhook-/, 'svix-'), value])),
    });

    it('verifies and parses exactly as under the webhook-* names', () => {
      const svix = asSvix(delivery());
      expect(Object.keys(svix.headers).filter((name) => name.startsWith('webhook-'))).toEqual([]);
      expect(adapter.verify(svix, settings, now)).toEqual({ ok: true });
      expect(adapter.parse(svix)).toEqual(adapter.parse(delivery()));
    });

    it('refuses a forged or stale one with the same reasons, and names a missing svix-signature as missing', () => {
      expect(adapter.verify(asSvix(delivery(standardWebhooksSecret())), settings, now)).toEqual({ ok: false, reason: 'bad_signature' });
      expect(adapter.verify(asSvix(delivery()), settings, new Date(now.getTime() + 301_000))).toEqual({ ok: false, reason: 'stale_timestamp' });
      const { 'svix-signature': _signature, ...unsigned } = asSvix(delivery()).headers;
      expect(adapter.verify({ ...delivery(), headers: unsigned }, settings, now)).toEqual({ ok: false, reason: 'missing_signature' });
    });

    it('prefers the webhook-* header when a sender sends both names', () => {
      const both = delivery();
      both.headers['svix-id'] = 'msg_not_the_signed_one';
      both.headers['svix-signature'] = `v1,${Buffer.alloc(32, 1).toString('base64')}`;
      expect(adapter.verify(both, settings, now)).toEqual({ ok: true });
      expect(adapter.parse(both)[0]?.idempotencyKey).toBe('msg_2KWPBgLlAfxdpx2AI54pPJ85f4W');
    });
  });
});
