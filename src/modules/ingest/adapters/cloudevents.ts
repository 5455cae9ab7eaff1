import { Type } from '@sinclair/typebox';
import { header, isRecord, mediaType, own, parseJsonBody, textOf } from './json.js';
import { verifyStandardWebhooks } from './standard-webhooks.js';
import { EnvelopeError, type NativeEvent, type RawDelivery, type SourceAdapter, type SourceKind } from './types.js';

/**
 * CloudEvents 1.0 over HTTP (github.com/cloudevents/spec → http-protocol-binding.md): structured mode
 * (`application/cloudevents+json`, one event), batched mode (`application/cloudevents-batch+json`, an array) and
 * binary mode (attributes in `ce-*` headers, the body is `data`). The CloudEvents webhook spec leaves
 * authentication to the `Authorization` header, which ORCA reserves for its own API keys; the payload signature is
 * therefore Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature` over the raw body), the same
 * as the generic kind. SAP Event Mesh / Advanced Event Mesh and other producers deliver through a signing relay or
 * a webhook subscription configured to add these headers (docs/ingestion-formats.md).
 */

const REQUIRED = ['id', 'source', 'type'] as const;
// eslint-disable-next-line security/detect-unsafe-regex -- anchored, and no unbounded quantifier is nested in another: linear in the input
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
/** `sap.s4.beh.purchaseorder.v1.PurchaseOrder.Created.v1`: SAP S/4HANA business events name the object and action. */
const SAP_TYPE = /^sap\.[a-z0-9]+\.beh\.[a-z0-9]+\.v\d+\.([A-Za-z0-9]+)\.([A-Za-z0-9]+)\.v\d+$/;

/** `at(attribute)` names where the attribute came from: `$.id` in structured mode, `headers.ce-id` in binary mode. */
function validate(event: Record<string, unknown>, at: (attribute: string) => string): void {
  if (own(event, 'specversion') !== '1.0') throw new EnvelopeError('specversion must be "1.0"', at('specversion'));
  for (const attribute of REQUIRED) {
    const value = own(event, attribute);
    if (typeof value !== 'string' || value.length === 0) throw new EnvelopeError(`${attribute} is required (a non-empty string)`, at(attribute));
  }
  const time = own(event, 'time');
  if (time !== undefined && (typeof time !== 'string' || !RFC3339.test(time) || Number.isNaN(Date.parse(time)))) {
    throw new EnvelopeError('time must be an RFC 3339 timestamp', at('time'));
  }
}

function toNative(event: Record<string, unknown>): NativeEvent {
  const id = own(event, 'id') as string;
  const source = own(event, 'source') as string;
  const type = own(event, 'type') as string;
  const defaults: NativeEvent['defaults'] = { event_type: type };
  const sap = SAP_TYPE.exec(type);
  const data = own(event, 'data');
  if (sap) {
    const object = sap[1] as string;
    defaults.entity_type = object;
    const key = isRecord(data) ? textOf(own(data, object)) : undefined;
    if (key !== undefined) defaults.entity_id = key;
  } else {
    const segments = type.split('.');
    if (segments.length >= 2 && (segments[segments.length - 2] ?? '') !== '') defaults.entity_type = segments[segments.length - 2];
  }
  const subject = textOf(own(event, 'subject'));
  if (subject !== undefined && defaults.entity_id === undefined) defaults.entity_id = subject;
  const time = own(event, 'time');
  if (typeof time === 'string') defaults.occurred_at = new Date(Date.parse(time)).toISOString();
  const sequence = textOf(own(event, 'sequence'));
  if (sequence !== undefined && /^\d{1,15}$/.test(sequence)) defaults.sequence = Number(sequence);
  return { externalEventId: id, idempotencyKey: `${source}#${id}`, document: event, defaults };
}

/** Binary mode: header values are percent-encoded (http-protocol-binding §3.1.3.2). */
function decodeHeaderValue(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function parseBinary(delivery: RawDelivery): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(delivery.headers)) {
    if (!name.startsWith('ce-') || value === undefined) continue;
    const attribute = name.slice(3);
    if (!/^[a-z0-9]{1,20}$/.test(attribute)) continue;
    event[attribute] = decodeHeaderValue(value);
  }
  const type = mediaType(delivery.headers);
  if (type !== undefined) event.datacontenttype = header(delivery.headers, 'content-type');
  if (delivery.body.length > 0) {
    if (type === undefined || type === 'application/json' || type.endsWith('+json')) event.data = parseJsonBody(delivery.body);
    else if (type.startsWith('text/') || type.endsWith('xml')) event.data = delivery.body.toString('utf8');
    else event.data_base64 = delivery.body.toString('base64');
  }
  return event;
}

function parseCloudEvents(delivery: RawDelivery): NativeEvent[] {
  const type = mediaType(delivery.headers);
  if (type === 'application/cloudevents+json') {
    const event = parseJsonBody(delivery.body);
    if (!isRecord(event)) throw new EnvelopeError('a structured CloudEvent is a JSON object', '$');
    validate(event, (attribute) => `$.${attribute}`);
    return [toNative(event)];
  }
  if (type === 'application/cloudevents-batch+json') {
    const batch = parseJsonBody(delivery.body);
    if (!Array.isArray(batch)) throw new EnvelopeError('a CloudEvents batch is a JSON array', '$');
    if (batch.length === 0) throw new EnvelopeError('the batch is empty', '$');
    return batch.map((event, index) => {
      if (!isRecord(event)) throw new EnvelopeError('each CloudEvent is a JSON object', `$[${index}]`);
      validate(event, (attribute) => `$[${index}].${attribute}`);
      return toNative(event);
    });
  }
  if (header(delivery.headers, 'ce-specversion') !== undefined) {
    const event = parseBinary(delivery);
    validate(event, (attribute) => `headers.ce-${attribute}`);
    return [toNative(event)];
  }
  throw new EnvelopeError('not a CloudEvent: expected application/cloudevents+json, application/cloudevents-batch+json or ce-* headers', 'headers.content-type');
}

export function createCloudEventsAdapter(kind: SourceKind): SourceAdapter {
  return {
    kind,
    scheme: 'cloudevents+standard-webhooks',
    optionsSchema: Type.Object({}, { additionalProperties: false }),
    verify: verifyStandardWebhooks,
    parse: parseCloudEvents,
    acknowledge: () => null,
  };
}
