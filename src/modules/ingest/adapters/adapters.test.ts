import fc from 'fast-check';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { fixture, signDelivery, standardWebhooksSecret } from '../../../../test/fixtures/ingest/sign.js';
import { ADAPTERS, applyMapping, DEFAULT_MAPPINGS, EnvelopeError, MappingError, SOURCE_KINDS, type CanonicalFields, type SourceKind } from './index.js';

const swSecret = standardWebhooksSecret();
const url = '/api/v1/ingest/0193a5b2-0000-7000-8000-0000000000ff';
const at = (iso: string) => new Date(iso);

/** Every fixture of the corpus, signed as its vendor signs it, verified, parsed and mapped with the kind's default mapping. */
const corpus: { kind: SourceKind; file: string; now: string; expected: Partial<CanonicalFields>[] }[] = [
  {
    kind: 'zapier',
    file: 'order-created.json',
    now: '2026-11-27T09:00:01Z',
    expected: [{ event_type: 'order.created', entity_type: 'order', entity_id: 'ORD-10042', occurred_at: '2026-11-27T09:00:00.000Z', sequence: 1, agent_id: '0193a5b2-7c41-7d8e-9f00-1a2b3c4d5e6f', correlation_key: 'ORD-10042' }],
  },
  {
    kind: 'zapier',
    file: 'order-fulfilled.json',
    now: '2026-11-27T11:00:01Z',
    expected: [{ event_type: 'order.fulfilled', entity_type: 'order', entity_id: 'ORD-10042', occurred_at: '2026-11-27T11:00:00.000Z', sequence: 2 }],
  },
  {
    kind: 'n8n',
    file: 'ticket-opened.json',
    now: '2026-11-27T09:00:01Z',
    expected: [{ event_type: 'ticket.opened', entity_type: 'ticket', entity_id: 'TCK-5531', occurred_at: '2026-11-27T09:00:00.000Z', sequence: 1, agent_id: '0193a5b2-8d52-7e9f-a011-2b3c4d5e6f70' }],
  },
  {
    kind: 'n8n',
    file: 'ticket-resolved.json',
    now: '2026-11-27T12:30:01Z',
    expected: [{ event_type: 'ticket.resolved', entity_type: 'ticket', entity_id: 'TCK-5531', occurred_at: '2026-11-27T12:30:00.000Z', sequence: 2 }],
  },
  {
    kind: 'make',
    file: 'invoice-paid.json',
    now: '2026-11-27T10:15:01Z',
    expected: [{ event_type: 'invoice.paid', entity_type: 'invoice', entity_id: 'INV-2026-0917', occurred_at: '2026-11-27T10:15:00.000Z', sequence: null, agent_id: null, correlation_key: null }],
  },
  {
    kind: 'generic',
    file: 'batch.json',
    now: '2026-11-27T16:40:01Z',
    expected: [
      { event_type: 'shipment.created', entity_type: 'shipment', entity_id: 'SHP-881', occurred_at: '2026-11-27T09:05:00.000Z', sequence: 1 },
      { event_type: 'shipment.delivered', entity_type: 'shipment', entity_id: 'SHP-881', occurred_at: '2026-11-27T16:40:00.000Z', sequence: 2 },
    ],
  },
  {
    kind: 'hubspot',
    file: 'contact-updated.json',
    now: '2026-11-27T09:20:01Z',
    expected: [{ event_type: 'contact.propertyChange', entity_type: 'contact', entity_id: '51201', occurred_at: '2026-11-27T09:20:00.000Z' }],
  },
  {
    kind: 'hubspot',
    file: 'deal-created.json',
    now: '2026-11-27T09:00:01Z',
    expected: [
      { event_type: 'deal.creation', entity_type: 'deal', entity_id: '18004521337' },
      { event_type: 'deal.propertyChange', entity_type: 'deal', entity_id: '18004521337' },
    ],
  },
  { kind: 'salesforce', file: 'opportunity-won.xml', now: '2026-11-27T11:00:01Z', expected: [{ event_type: 'opportunity.changed', entity_type: 'opportunity', entity_id: '0065e00000AbCdEAAV' }] },
  { kind: 'salesforce', file: 'lead-converted.xml', now: '2026-11-27T09:25:01Z', expected: [{ entity_id: '00Q5e00000Lm9PqEAJ' }, { entity_id: '00Q5e00000Lm9PrEAJ' }] },
  { kind: 'dynamics365', file: 'account-created.json', now: '2026-11-27T09:00:01Z', expected: [{ event_type: 'account.create', entity_type: 'account' }] },
  { kind: 'dynamics365', file: 'opportunity-won.json', now: '2026-11-27T11:00:01Z', expected: [{ event_type: 'opportunity.win', entity_type: 'opportunity' }] },
  { kind: 'servicenow', file: 'incident-created.json', now: '2026-11-27T09:00:01Z', expected: [{ event_type: 'incident.created', sequence: 0 }] },
  { kind: 'servicenow', file: 'incident-resolved.json', now: '2026-11-27T11:00:01Z', expected: [{ event_type: 'incident.resolved', sequence: 4 }] },
  { kind: 'sap', file: 'purchase-order-created.json', now: '2026-11-27T09:20:01Z', expected: [{ entity_type: 'PurchaseOrder', entity_id: '4500000123' }] },
  { kind: 'oracle_erp', file: 'sales-order-created.json', now: '2026-11-27T09:20:01Z', expected: [{ event_type: 'salesOrder.created', entity_id: '300000123456789' }] },
  { kind: 'cloudevents', file: 'batch.json', now: '2026-11-27T09:21:01Z', expected: [{ sequence: 17 }, { sequence: 18 }] },
];

function secretFor(kind: SourceKind): string {
  return ['generic', 'zapier', 'n8n', 'make', 'sap', 'cloudevents'].includes(kind) ? swSecret : 'shared-secret-for-the-corpus';
}
const options = (kind: SourceKind): Record<string, unknown> => (kind === 'salesforce' ? { allowed_organization_ids: ['00D5e000000KQ2eEAG'] } : {});

describe('the fixture corpus', () => {
  for (const entry of corpus) {
    it(`${entry.kind}/${entry.file}: signed as the vendor signs, verified, parsed and mapped`, () => {
      const now = at(entry.now);
      const adapter = ADAPTERS[entry.kind];
      const delivery = signDelivery(entry.kind, fixture(entry.kind, entry.file), { secret: secretFor(entry.kind), now, url });
      expect(adapter.verify(delivery, { secrets: [secretFor(entry.kind)], toleranceSeconds: 300, options: options(entry.kind) }, now)).toEqual({ ok: true });
      const events = adapter.parse(delivery, options(entry.kind));
      expect(events).toHaveLength(entry.expected.length);
      events.forEach((event, index) => expect(applyMapping(event, DEFAULT_MAPPINGS[entry.kind])).toMatchObject(entry.expected[index] ?? {}));
      expect(new Set(events.map((event) => event.idempotencyKey)).size).toBe(events.length);
    });
  }

  it('covers every source kind', () => {
    expect(new Set(corpus.map((entry) => entry.kind))).toEqual(new Set(SOURCE_KINDS));
  });
});

describe('every adapter', () => {
  it('declares its kind, a scheme and an options schema that accepts its documented defaults', () => {
    for (const kind of SOURCE_KINDS) {
      const adapter = ADAPTERS[kind];
      expect(adapter.kind).toBe(kind);
      expect(adapter.scheme.length).toBeGreaterThan(0);
      expect(Value.Check(adapter.optionsSchema, options(kind)), kind).toBe(true);
      expect(Value.Check(adapter.optionsSchema, { unknown_option: true }), kind).toBe(false);
    }
    expect(Value.Check(ADAPTERS.salesforce.optionsSchema, {})).toBe(false);
  });

  it('never throws from verify, and throws only EnvelopeError from parse, whatever arrives (fuzz)', () => {
    const headerNames = fc.constantFrom(
      'content-type', 'host', 'webhook-id', 'webhook-timestamp', 'webhook-signature', 'x-hubspot-signature-v3', 'x-hubspot-request-timestamp',
      'x-orca-webhook-key', 'x-servicenow-signature', 'x-servicenow-timestamp', 'x-oracle-signature', 'x-oracle-timestamp', 'ce-specversion', 'ce-id', 'ce-source', 'ce-type', 'ce-time',
    );
    const headerValues = fc.oneof(fc.string(), fc.constantFrom('1.0', 'application/cloudevents+json', 'application/cloudevents-batch+json', 'v1,abc', '1795770000', 'application/json', '%E0%A4%A'));
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 256 }).map((bytes) => Buffer.from(bytes)),
      fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value) ?? 'null')),
      fc.constantFrom(...corpus.map((entry) => fixture(entry.kind, entry.file))),
      fc.string().map((text) => Buffer.from(`<Envelope><Body><notifications>${text}</notifications></Body></Envelope>`)),
    );
    fc.assert(
      fc.property(fc.constantFrom(...SOURCE_KINDS), fc.dictionary(headerNames, headerValues), body, fc.string(), fc.anything(), (kind, headers, bytes, query, sourceOptions) => {
        const adapter = ADAPTERS[kind];
        const delivery = { method: 'POST', url: `${url}?${query}`, headers, body: bytes };
        const safeOptions = typeof sourceOptions === 'object' && sourceOptions !== null ? (sourceOptions as Record<string, unknown>) : {};
        const verification = adapter.verify(delivery, { secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'x'], toleranceSeconds: 300, options: safeOptions }, at('2026-11-27T09:00:00Z'));
        expect(typeof verification.ok).toBe('boolean');
        try {
          for (const event of adapter.parse(delivery, safeOptions)) {
            expect(typeof event.idempotencyKey).toBe('string');
            try {
              applyMapping(event, DEFAULT_MAPPINGS[kind]);
            } catch (error) {
              if (!(error instanceof MappingError)) throw error;
            }
          }
        } catch (error) {
          if (!(error instanceof EnvelopeError)) throw error;
        }
      }),
      { numRuns: 3000 },
    );
  });
});
