import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fixture, signDelivery } from '../../../../test/fixtures/ingest/sign.js';
import { ADAPTERS, applyMapping, DEFAULT_MAPPINGS, EnvelopeError, type RawDelivery, type SigningSettings } from './index.js';

const secret = 'sn-shared-9f2c7e1a4b8d';
const now = new Date('2026-11-27T09:00:03.000Z');
const settings: SigningSettings = { secrets: [secret, 'sn-previous-3b6e0d9c'], toleranceSeconds: 300, options: {} };
const url = '/api/v1/ingest/0193a5b2-0000-7000-8000-000000000006';

describe('ServiceNow and Oracle ERP HMAC adapters', () => {
  const servicenow = ADAPTERS.servicenow;
  const oracle = ADAPTERS.oracle_erp;
  const signed = (kind: 'servicenow' | 'oracle_erp', name: string, overrides: Partial<Parameters<typeof signDelivery>[2]> = {}): RawDelivery =>
    signDelivery(kind, fixture(kind, name), { secret, now, url, ...overrides });

  it('accepts hex (ServiceNow) and base64 (Oracle) HMAC-SHA256 of "<timestamp>.<body>", current and previous secret', () => {
    expect(servicenow.verify(signed('servicenow', 'incident-created.json'), settings, now)).toEqual({ ok: true });
    expect(servicenow.verify(signed('servicenow', 'incident-created.json', { secret: 'sn-previous-3b6e0d9c' }), settings, now)).toEqual({ ok: true });
    expect(oracle.verify(signed('oracle_erp', 'sales-order-created.json'), settings, now)).toEqual({ ok: true });
  });

  it('honours the configured header names, encoding and a body-only signature', () => {
    const body = fixture('servicenow', 'incident-created.json');
    const digest = createHmac('sha256', secret).update(body).digest('hex');
    const raw: RawDelivery = { method: 'POST', url, headers: { 'x-signature': `sha256=${digest}` }, body };
    const options = { signature_header: 'X-Signature', signed_payload: 'body', signature_encoding: 'hex' };
    expect(servicenow.verify(raw, { ...settings, options }, now)).toEqual({ ok: true });
    // Read as base64, the 64 hex characters are 48 bytes: not a SHA-256 digest.
    expect(servicenow.verify(raw, { ...settings, options: { ...options, signature_encoding: 'base64' } }, now)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(servicenow.verify(raw, { ...settings, options: { ...options, signed_payload: 'timestamp.body' } }, now)).toEqual({ ok: false, reason: 'malformed' });
    const stale = { ...raw, headers: { ...raw.headers, 'x-servicenow-timestamp': String(Math.floor(now.getTime() / 1000) - 900) } };
    expect(servicenow.verify(stale, { ...settings, options }, now)).toEqual({ ok: false, reason: 'stale_timestamp' });
  });

  it('rejects forged, tampered, wrong-length, replayed and unsigned deliveries', () => {
    expect(servicenow.verify(signed('servicenow', 'incident-created.json', { secret: 'forged' }), settings, now)).toEqual({ ok: false, reason: 'bad_signature' });
    const tampered = signed('servicenow', 'incident-created.json');
    tampered.body = Buffer.from(tampered.body.toString().replace('"1"', '"2"'));
    expect(servicenow.verify(tampered, settings, now)).toEqual({ ok: false, reason: 'bad_signature' });
    const retimed = signed('servicenow', 'incident-created.json');
    retimed.headers['x-servicenow-timestamp'] = String(Number(retimed.headers['x-servicenow-timestamp']) + 1);
    expect(servicenow.verify(retimed, settings, now)).toEqual({ ok: false, reason: 'bad_signature' });
    const short = signed('servicenow', 'incident-created.json');
    short.headers['x-servicenow-signature'] = (short.headers['x-servicenow-signature'] ?? '').slice(0, 62);
    expect(servicenow.verify(short, settings, now)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(servicenow.verify(signed('servicenow', 'incident-created.json'), settings, new Date(now.getTime() + 301_000))).toEqual({ ok: false, reason: 'stale_timestamp' });
    const unsigned = signed('oracle_erp', 'sales-order-created.json');
    delete unsigned.headers['x-oracle-signature'];
    expect(oracle.verify(unsigned, settings, now)).toEqual({ ok: false, reason: 'missing_signature' });
    const noTime = signed('oracle_erp', 'sales-order-created.json');
    delete noTime.headers['x-oracle-timestamp'];
    expect(oracle.verify(noTime, settings, now)).toEqual({ ok: false, reason: 'malformed' });
    const badTime = signed('oracle_erp', 'sales-order-created.json', { headers: { 'x-oracle-timestamp': '12:00' } });
    expect(oracle.verify(badTime, settings, now)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('maps a ServiceNow incident created → resolved with sys_mod_count as the sequence', () => {
    const events = ['incident-created.json', 'incident-resolved.json'].map((name) => servicenow.parse(signed('servicenow', name))[0]!);
    expect(events.map((event) => event.idempotencyKey)).toEqual(['9d385017c611228701d22104cc95c371:0', '9d385017c611228701d22104cc95c371:4']);
    expect(events.map((event) => applyMapping(event, DEFAULT_MAPPINGS.servicenow))).toEqual([
      { event_type: 'incident.created', entity_type: 'incident', entity_id: '9d385017c611228701d22104cc95c371', occurred_at: '2026-11-27T09:00:00.000Z', sequence: 0, agent_id: null, correlation_key: null },
      { event_type: 'incident.resolved', entity_type: 'incident', entity_id: '9d385017c611228701d22104cc95c371', occurred_at: '2026-11-27T11:00:00.000Z', sequence: 4, agent_id: null, correlation_key: null },
    ]);
  });

  it('takes the idempotency key from configured paths and reports a missing one with its path', () => {
    const delivery = signed('servicenow', 'incident-created.json');
    const [event] = servicenow.parse(delivery, { idempotency_paths: ['$.number', '$.sys_updated_on'] });
    expect(event?.idempotencyKey).toBe('INC0010023:2026-11-27 09:00:00');
    expect(() => servicenow.parse(delivery, { idempotency_paths: ['$.missing'] })).toThrow(expect.objectContaining({ path: '$.missing' }));
    const batch = { ...delivery, body: Buffer.from(JSON.stringify([{ sys_id: 'a', sys_mod_count: 1 }, { sys_id: 'b' }])) };
    expect(() => servicenow.parse(batch)).toThrow(expect.objectContaining({ path: '$[1].sys_mod_count' }));
    expect(() => servicenow.parse({ ...delivery, body: Buffer.from('[]') })).toThrow(EnvelopeError);
    expect(() => servicenow.parse({ ...delivery, body: Buffer.from('[1]') })).toThrow(expect.objectContaining({ path: '$[0]' }));
  });

  it('maps an Oracle sales order created', () => {
    const [event] = oracle.parse(signed('oracle_erp', 'sales-order-created.json'));
    expect(event).toMatchObject({ externalEventId: 'c3f1e0b2-5a7d-4f61-9b8e-2d4c6a8f0e13', idempotencyKey: 'c3f1e0b2-5a7d-4f61-9b8e-2d4c6a8f0e13' });
    expect(applyMapping(event!, DEFAULT_MAPPINGS.oracle_erp)).toEqual({
      event_type: 'salesOrder.created',
      entity_type: 'salesOrder',
      entity_id: '300000123456789',
      occurred_at: '2026-11-27T09:20:00.000Z',
      sequence: null,
      agent_id: null,
      correlation_key: null,
    });
  });
});
