import { describe, expect, it } from 'vitest';
import { fixture, signDelivery } from '../../../../test/fixtures/ingest/sign.js';
import { ADAPTERS, applyMapping, DEFAULT_MAPPINGS, EnvelopeError, type RawDelivery, type SigningSettings } from './index.js';
import { normaliseDataverse, parseWcfDate } from './dynamics365.js';

const adapter = ADAPTERS.dynamics365;
const key = 'f6Kp2vQ9xL4mZ8rT1wY5bN3cH7jD0gS';
const previous = 'A1s2D3f4G5h6J7k8L9z0X1c2V3b4N5m6';
const settings: SigningSettings = { secrets: [key, previous], toleranceSeconds: 300, options: {} };
// OperationCreatedOn of account-created.json is 2026-11-27T09:00:00Z.
const now = new Date('2026-11-27T09:00:02.000Z');
const url = '/api/v1/ingest/0193a5b2-0000-7000-8000-000000000003';

function delivery(overrides: Partial<Parameters<typeof signDelivery>[2]> = {}, name = 'account-created.json'): RawDelivery {
  return signDelivery('dynamics365', fixture('dynamics365', name), { secret: key, now, url, ...overrides });
}

describe('Dynamics 365 / Dataverse adapter', () => {
  it('accepts the shared key as the HttpHeader, as ?code= (WebhookKey), and the previous key during rotation', () => {
    expect(adapter.verify(delivery(), settings, now)).toEqual({ ok: true });
    expect(adapter.verify(delivery({ dynamicsAuth: 'code' }), settings, now)).toEqual({ ok: true });
    expect(adapter.verify(delivery({ secret: previous }), settings, now)).toEqual({ ok: true });
  });

  it('reads the key from the header the source configures', () => {
    const signed = delivery({ keyHeader: 'X-Dataverse-Key' });
    expect(adapter.verify(signed, settings, now)).toEqual({ ok: false, reason: 'missing_signature' });
    expect(adapter.verify(signed, { ...settings, options: { key_header: 'X-Dataverse-Key' } }, now)).toEqual({ ok: true });
  });

  it('rejects a wrong key, a key of the wrong length and a missing key', () => {
    expect(adapter.verify(delivery({ secret: 'f6Kp2vQ9xL4mZ8rT1wY5bN3cH7jD0gX' }), settings, now)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(adapter.verify(delivery({ secret: 'short' }), settings, now)).toEqual({ ok: false, reason: 'bad_signature' });
    const signed = delivery();
    const { 'x-orca-webhook-key': _k, ...headers } = signed.headers;
    expect(adapter.verify({ ...signed, headers }, settings, now)).toEqual({ ok: false, reason: 'missing_signature' });
  });

  it('applies the replay window to OperationCreatedOn', () => {
    expect(adapter.verify(delivery(), settings, new Date('2026-11-27T09:05:00.000Z'))).toEqual({ ok: true });
    expect(adapter.verify(delivery(), settings, new Date('2026-11-27T09:05:01.000Z'))).toEqual({ ok: false, reason: 'stale_timestamp' });
    const signed = delivery();
    const context = JSON.parse(signed.body.toString()) as Record<string, unknown>;
    delete context.OperationCreatedOn;
    expect(adapter.verify({ ...signed, body: Buffer.from(JSON.stringify(context)) }, settings, now)).toEqual({ ok: false, reason: 'malformed' });
    expect(adapter.verify({ ...signed, body: Buffer.from('not json') }, settings, now)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('reads WCF dates with and without an offset', () => {
    expect(parseWcfDate('/Date(1795770000000)/')).toBe(1795770000000);
    expect(parseWcfDate('/Date(1795770000000+0000)/')).toBe(1795770000000);
    expect(parseWcfDate('2026-11-27T09:00:00Z')).toBe(1795770000000);
    expect(parseWcfDate('/Date(soon)/')).toBeUndefined();
    expect(parseWcfDate(42)).toBeUndefined();
  });

  it('turns key/value collections into objects and WCF dates into ISO for mapping', () => {
    expect(normaliseDataverse({ A: [{ key: 'x', value: '/Date(0)/' }], B: [], C: [{ key: 'y', value: 1, extra: true }] })).toEqual({
      A: { x: '1970-01-01T00:00:00.000Z' },
      B: [],
      C: [{ key: 'y', value: 1, extra: true }],
    });
    expect(normaliseDataverse([{ key: '__proto__', value: { polluted: true } }])).toEqual(Object.fromEntries([['__proto__', { polluted: true }]]));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('parses an account Create into one event with the documented key and defaults', () => {
    const [event, ...rest] = adapter.parse(delivery());
    expect(rest).toEqual([]);
    expect(event?.externalEventId).toBe('9a7c5e3b-1d2f-4a6b-8c0e-2f4a6c8e0b1d');
    expect(event?.idempotencyKey).toBe('9a7c5e3b-1d2f-4a6b-8c0e-2f4a6c8e0b1d:Create:7d1e3f50-9a2b-ef11-8409-000d3a6b5c21:40');
    expect(event?.document).toMatchObject({ InputParameters: { Target: { Attributes: { name: 'Whitfield Design GmbH', accountnumber: 'ACC-77120' } } } });
    expect(applyMapping(event!, DEFAULT_MAPPINGS.dynamics365)).toEqual({
      event_type: 'account.create',
      entity_type: 'account',
      entity_id: '7d1e3f50-9a2b-ef11-8409-000d3a6b5c21',
      occurred_at: '2026-11-27T09:00:00.000Z',
      sequence: null,
      agent_id: null,
      correlation_key: '5f2b7d9e-3c41-4b8a-9e07-6a1d2c3b4f50',
    });
  });

  it('parses an opportunity Win with the revenue reachable by path', () => {
    const [event] = adapter.parse(delivery({}, 'opportunity-won.json'));
    expect(applyMapping(event!, { ...DEFAULT_MAPPINGS.dynamics365, correlation_key: '$.InputParameters.OpportunityClose.Attributes.actualrevenue.Value' })).toEqual({
      event_type: 'opportunity.win',
      entity_type: 'opportunity',
      entity_id: '3b5d7f91-4c6e-ef11-8409-000d3a6b5c21',
      occurred_at: '2026-11-27T11:00:00.000Z',
      sequence: null,
      agent_id: null,
      correlation_key: '48000',
    });
  });

  it('reports envelope errors with their path', () => {
    const parse = (body: unknown) => () => adapter.parse({ method: 'POST', url, headers: {}, body: Buffer.from(JSON.stringify(body)) });
    expect(parse([])).toThrow(EnvelopeError);
    expect(parse({ PrimaryEntityName: 'account', PrimaryEntityId: 'x', RequestId: 'r' })).toThrow(expect.objectContaining({ path: '$.MessageName' }));
    expect(parse({ MessageName: 'Create', PrimaryEntityName: 'account', PrimaryEntityId: 'x' })).toThrow(expect.objectContaining({ path: '$.RequestId' }));
    let deep: unknown = 'leaf';
    for (let i = 0; i < 200; i += 1) deep = { a: deep };
    expect(parse({ MessageName: 'Create', PrimaryEntityName: 'a', PrimaryEntityId: 'x', RequestId: 'r', Deep: deep })).toThrow(/nested too deeply/);
  });
});
