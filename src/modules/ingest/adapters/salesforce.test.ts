import { describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { fixture, signDelivery } from '../../../../test/fixtures/ingest/sign.js';
import { ADAPTERS, applyMapping, DEFAULT_MAPPINGS, EnvelopeError, type RawDelivery, type SigningSettings } from './index.js';

const adapter = ADAPTERS.salesforce;
const token = 'Zr4t8WqK2nV6yB1mC5xL9pD3';
const now = new Date('2026-11-27T11:00:01.000Z');
const settings: SigningSettings = {
  secrets: [token, 'previous-token-still-overlapping'],
  toleranceSeconds: 300,
  options: { allowed_organization_ids: ['00D5e000000KQ2e'], action_event_types: { '04k5e000000CaRkAAK': 'opportunity.won', '04k5e000000CaRpAAK': 'lead.converted' } },
};
const url = '/api/v1/ingest/0193a5b2-0000-7000-8000-000000000004';

function delivery(name = 'opportunity-won.xml', overrides: Partial<Parameters<typeof signDelivery>[2]> = {}): RawDelivery {
  return signDelivery('salesforce', fixture('salesforce', name), { secret: token, now, url, ...overrides });
}

describe('Salesforce outbound message adapter', () => {
  it('accepts an allowed organisation (15- or 18-character id) presenting the shared token, current or previous', () => {
    expect(adapter.verify(delivery(), settings, now)).toEqual({ ok: true });
    expect(adapter.verify(delivery(), { ...settings, options: { allowed_organization_ids: ['00D5e000000KQ2eEAG'] } }, now)).toEqual({ ok: true });
    expect(adapter.verify(delivery('opportunity-won.xml', { secret: 'previous-token-still-overlapping' }), settings, now)).toEqual({ ok: true });
  });

  it('rejects an organisation outside the allow-list, and an empty allow-list', () => {
    expect(adapter.verify(delivery(), { ...settings, options: { allowed_organization_ids: ['00D000000000001'] } }, now)).toEqual({
      ok: false,
      reason: 'organization_not_allowed',
    });
    expect(adapter.verify(delivery(), { ...settings, options: {} }, now)).toEqual({ ok: false, reason: 'organization_not_allowed' });
    // Salesforce ids are case-sensitive.
    expect(adapter.verify(delivery(), { ...settings, options: { allowed_organization_ids: ['00d5e000000kq2e'] } }, now)).toEqual({
      ok: false,
      reason: 'organization_not_allowed',
    });
  });

  it('rejects a missing or wrong token before looking at the organisation', () => {
    expect(adapter.verify(delivery('opportunity-won.xml', { salesforceTokenParam: null }), settings, now)).toEqual({ ok: false, reason: 'missing_signature' });
    expect(adapter.verify(delivery('opportunity-won.xml', { secret: 'Zr4t8WqK2nV6yB1mC5xL9pDX' }), settings, now)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(adapter.verify(delivery('opportunity-won.xml', { secret: 'short' }), settings, now)).toEqual({ ok: false, reason: 'bad_signature' });
    const viaHeader = delivery('opportunity-won.xml', { salesforceTokenParam: null, headers: { 'X-Orca-Webhook-Key': token } });
    expect(adapter.verify(viaHeader, settings, now)).toEqual({ ok: true });
    const customParam = delivery('opportunity-won.xml', { salesforceTokenParam: 'k' });
    expect(adapter.verify(customParam, { ...settings, options: { ...settings.options, token_param: 'k' } }, now)).toEqual({ ok: true });
  });

  it('relies on the allow-list alone when the source has no secret', () => {
    expect(adapter.verify(delivery('opportunity-won.xml', { salesforceTokenParam: null }), { ...settings, secrets: [] }, now)).toEqual({ ok: true });
  });

  it('parses each Notification as one event keyed by its Notification Id', () => {
    const [won] = adapter.parse(delivery(), settings.options);
    expect(won).toMatchObject({ externalEventId: '04l5e00000Gx7QzAAJ', idempotencyKey: '04l5e00000Gx7QzAAJ' });
    expect(won?.document).toMatchObject({
      OrganizationId: '00D5e000000KQ2eEAG',
      ActionId: '04k5e000000CaRkAAK',
      sObjectType: 'Opportunity',
      sObject: { Id: '0065e00000AbCdEAAV', Amount: '48000.0', StageName: 'Closed Won', IsWon: 'true', HubSpot_Deal_Id__c: '18004521337' },
    });
    expect(applyMapping(won!, DEFAULT_MAPPINGS.salesforce)).toEqual({
      event_type: 'opportunity.won',
      entity_type: 'opportunity',
      entity_id: '0065e00000AbCdEAAV',
      occurred_at: '2026-11-27T11:00:00.000Z',
      sequence: null,
      agent_id: null,
      correlation_key: null,
    });
    const leads = adapter.parse(delivery('lead-converted.xml'), settings.options);
    expect(leads.map((event) => applyMapping(event, DEFAULT_MAPPINGS.salesforce))).toEqual([
      { event_type: 'lead.converted', entity_type: 'lead', entity_id: '00Q5e00000Lm9PqEAJ', occurred_at: '2026-11-27T09:20:00.000Z', sequence: null, agent_id: null, correlation_key: null },
      { event_type: 'lead.converted', entity_type: 'lead', entity_id: '00Q5e00000Lm9PrEAJ', occurred_at: '2026-11-27T09:25:00.000Z', sequence: null, agent_id: null, correlation_key: null },
    ]);
    expect(leads[1]?.document).toMatchObject({ sObject: { ConvertedOpportunityId: null } });
  });

  it('defaults the event type to <object>.changed when the ActionId is not configured', () => {
    const [event] = adapter.parse(delivery());
    expect(event?.defaults.event_type).toBe('opportunity.changed');
  });

  it('acknowledges with the SOAP Ack envelope as text/xml', () => {
    const ack = adapter.acknowledge({ accepted: 1, duplicates: 0 });
    expect(ack?.status).toBe(200);
    expect(ack?.contentType).toBe('text/xml; charset=utf-8');
    const parsed = new XMLParser({ removeNSPrefix: true }).parse(ack?.body ?? '') as Record<string, unknown>;
    expect(parsed).toEqual({ '?xml': '', Envelope: { Body: { notificationsResponse: { Ack: true } } } });
  });

  it('makes XXE and entity expansion impossible: any DTD is refused before parsing', () => {
    const xxe = fixture('salesforce', 'opportunity-won.xml')
      .toString()
      .replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')
      .replace('Closed Won', '&xxe;');
    const signed = signDelivery('salesforce', xxe, { secret: token, now, url });
    expect(adapter.verify(signed, settings, now)).toEqual({ ok: false, reason: 'malformed' });
    expect(() => adapter.parse(signed)).toThrow(/DTD/);
    const billion = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><lolz>&lol2;</lolz>';
    expect(() => adapter.parse({ ...signed, body: Buffer.from(billion) })).toThrow(EnvelopeError);
    const lowercase = xxe.replace('<!DOCTYPE', '<!doctype');
    expect(() => adapter.parse({ ...signed, body: Buffer.from(lowercase) })).toThrow(/DTD/);
    // The predefined entities decode to text, never to markup.
    const escaped = fixture('salesforce', 'opportunity-won.xml').toString().replace('Whitfield office fit-out', 'Smith &amp; Sons &lt;b&gt;fit-out&lt;/b&gt; &#169;');
    const [event] = adapter.parse({ ...signed, body: Buffer.from(escaped) });
    expect((event?.document as { sObject: { Name: string } }).sObject.Name).toBe('Smith & Sons <b>fit-out</b> ©');
  });

  it('reports envelope errors for non-XML, foreign SOAP bodies and empty notifications', () => {
    const parse = (xml: string) => () => adapter.parse({ method: 'POST', url, headers: {}, body: Buffer.from(xml) });
    expect(parse('not xml <')).toThrow(EnvelopeError);
    expect(parse('<a><b></a>')).toThrow(/well-formed/);
    expect(parse('<Envelope><Body><other/></Body></Envelope>')).toThrow(expect.objectContaining({ path: 'Envelope.Body.notifications' }));
    expect(parse('<Envelope><Body><notifications><OrganizationId>00D5e000000KQ2e</OrganizationId><ActionId>04k5e000000CaRk</ActionId></notifications></Body></Envelope>')).toThrow(
      /at least one Notification/,
    );
    expect(parse('<Envelope><Body><notifications><OrganizationId>00D5e000000KQ2e</OrganizationId><ActionId>04k5e000000CaRk</ActionId><Notification><Id>1</Id></Notification></notifications></Body></Envelope>')).toThrow(
      expect.objectContaining({ path: 'notifications.Notification[0].sObject' }),
    );
  });
});
