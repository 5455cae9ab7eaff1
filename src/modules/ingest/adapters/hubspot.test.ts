import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fixture, signDelivery } from '../../../../test/fixtures/ingest/sign.js';
import { decodeHubSpotUri } from './hubspot.js';
import { ADAPTERS, applyMapping, DEFAULT_MAPPINGS, EnvelopeError, type RawDelivery, type SigningSettings } from './index.js';

const adapter = ADAPTERS.hubspot;
const secret = '3f8e5b2a-7c1d-4e9f-a6b0-2d4c8e1f3a5b';
const previous = 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d';
const now = new Date('2026-11-27T09:00:01.000Z');
const settings: SigningSettings = { secrets: [secret, previous], toleranceSeconds: 300, options: {} };
const url = '/api/v1/ingest/0193a5b2-0000-7000-8000-000000000002';

function delivery(overrides: Partial<Parameters<typeof signDelivery>[2]> = {}): RawDelivery {
  return signDelivery('hubspot', fixture('hubspot', 'deal-created.json'), { secret, now, url, host: 'orca.example.com', ...overrides });
}

describe('HubSpot v3 adapter', () => {
  it('accepts a v3 signature over method + https://host/path + body + timestamp, with the current or previous secret', () => {
    expect(adapter.verify(delivery(), settings, now)).toEqual({ ok: true });
    expect(adapter.verify(delivery({ secret: previous }), settings, now)).toEqual({ ok: true });
  });

  it('computes the documented v3 source string (independent check of the byte layout)', () => {
    const body = '[{"eventId":1}]';
    const timestamp = String(now.getTime());
    const signature = createHmac('sha256', secret).update(`POSThttps://orca.example.com${url}${body}${timestamp}`).digest('base64');
    const raw: RawDelivery = {
      method: 'POST',
      url,
      headers: { host: 'orca.example.com', 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': timestamp },
      body: Buffer.from(body),
    };
    expect(adapter.verify(raw, settings, now)).toEqual({ ok: true });
  });

  it('decodes exactly the characters HubSpot decodes in the URI, in either case', () => {
    expect(decodeHubSpotUri('https://h/p?x=a%3Ab%2Fc%3Fd%40e%21f%24g%27h%28i%29j%2Ak%2Cl%3Bm')).toBe("https://h/p?x=a:b/c?d@e!f$g'h(i)j*k,l;m");
    expect(decodeHubSpotUri('https://h/p?x=%3a%20%2B%26')).toBe('https://h/p?x=:%20%2B%26');
    const signed = delivery({ url: `${url}?portal=62515&redirect=https%3A%2F%2Fexample.com%2Fdone%3Fok%3D1` });
    expect(adapter.verify(signed, settings, now)).toEqual({ ok: true });
  });

  it('uses public_base_url when configured, else x-forwarded-proto and x-forwarded-host', () => {
    const behindPrefix = delivery({ publicBaseUrl: 'https://gateway.example.com/orca' });
    expect(adapter.verify(behindPrefix, settings, now)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(adapter.verify(behindPrefix, { ...settings, options: { public_base_url: 'https://gateway.example.com/orca/' } }, now)).toEqual({ ok: true });
    const signedForHttp = delivery({ publicBaseUrl: 'http://orca.internal:8080' });
    signedForHttp.headers = { ...signedForHttp.headers, host: '10.0.0.5', 'x-forwarded-proto': 'http', 'x-forwarded-host': 'orca.internal:8080' };
    expect(adapter.verify(signedForHttp, settings, now)).toEqual({ ok: true });
  });

  it('rejects timestamps older than five minutes even when the source tolerates more', () => {
    const signed = delivery();
    const lenient = { ...settings, toleranceSeconds: 3600 };
    expect(adapter.verify(signed, lenient, new Date(now.getTime() + 300_000))).toEqual({ ok: true });
    expect(adapter.verify(signed, lenient, new Date(now.getTime() + 300_001))).toEqual({ ok: false, reason: 'stale_timestamp' });
  });

  it('rejects forged, tampered, wrong-method, wrong-length and missing signatures with their reasons', () => {
    expect(adapter.verify(delivery({ secret: 'not-the-secret' }), settings, now)).toEqual({ ok: false, reason: 'bad_signature' });
    const tampered = delivery();
    tampered.body = Buffer.from(tampered.body.toString().replace('48000', '4800'));
    expect(adapter.verify(tampered, settings, now)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(adapter.verify({ ...delivery(), method: 'PUT' }, settings, now)).toEqual({ ok: false, reason: 'bad_signature' });
    const short = delivery();
    short.headers['x-hubspot-signature-v3'] = Buffer.alloc(20, 7).toString('base64');
    expect(adapter.verify(short, settings, now)).toEqual({ ok: false, reason: 'bad_signature' });
    const { 'x-hubspot-signature-v3': _s, ...unsigned } = delivery().headers;
    expect(adapter.verify({ ...delivery(), headers: unsigned }, settings, now)).toEqual({ ok: false, reason: 'missing_signature' });
    const { 'x-hubspot-request-timestamp': _t, ...noTimestamp } = delivery().headers;
    expect(adapter.verify({ ...delivery(), headers: noTimestamp }, settings, now)).toEqual({ ok: false, reason: 'malformed' });
    const { host: _h, ...noHost } = delivery().headers;
    expect(adapter.verify({ ...delivery(), headers: noHost }, settings, now)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('parses each array element as one event keyed portalId:subscriptionId:eventId, without attemptNumber', () => {
    const events = adapter.parse(delivery());
    expect(events.map((event) => [event.externalEventId, event.idempotencyKey])).toEqual([
      ['3617294051', '62515:2411007:3617294051'],
      ['3617294052', '62515:2411012:3617294052'],
    ]);
    expect(events[1]?.document).not.toHaveProperty('attemptNumber');
    expect(events[1]?.document).toMatchObject({ propertyName: 'amount', propertyValue: '48000' });
    expect(events.map((event) => applyMapping(event, DEFAULT_MAPPINGS.hubspot))).toEqual([
      { event_type: 'deal.creation', entity_type: 'deal', entity_id: '18004521337', occurred_at: '2026-11-27T09:00:00.000Z', sequence: null, agent_id: null, correlation_key: null },
      { event_type: 'deal.propertyChange', entity_type: 'deal', entity_id: '18004521337', occurred_at: '2026-11-27T09:00:00.450Z', sequence: null, agent_id: null, correlation_key: null },
    ]);
  });

  it('takes the entity type of object.* events from objectTypeId', () => {
    const body = JSON.stringify([{ eventId: 9, subscriptionId: 1, portalId: 2, occurredAt: 1795770000000, subscriptionType: 'object.creation', objectTypeId: '0-3', objectId: 77 }]);
    const [event] = adapter.parse({ method: 'POST', url, headers: {}, body: Buffer.from(body) });
    expect(event?.defaults).toMatchObject({ event_type: 'object.creation', entity_type: 'deal', entity_id: '77' });
  });

  it('reports envelope errors with their path', () => {
    const parse = (body: string) => () => adapter.parse({ method: 'POST', url, headers: {}, body: Buffer.from(body) });
    expect(parse('{"eventId":1}')).toThrow(EnvelopeError);
    expect(parse('[]')).toThrow(/empty/);
    expect(parse('[{"subscriptionType":"deal.creation"}]')).toThrow(expect.objectContaining({ path: '$[0].eventId' }));
    expect(parse('[{"eventId":1}]')).toThrow(expect.objectContaining({ path: '$[0].subscriptionType' }));
  });
});
