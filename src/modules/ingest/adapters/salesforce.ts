import { Type } from '@sinclair/typebox';
import { XMLParser } from 'fast-xml-parser';
import { header, isRecord, own, textOf } from './json.js';
import { anyDigestMatches, fail, OK, queryParameter } from './signing.js';
import { EnvelopeError, type NativeEvent, type RawDelivery, type SigningSettings, type SourceAdapter, type Verification } from './types.js';

/**
 * Salesforce Outbound Messages (developer.salesforce.com → "Understanding the Outbound Messaging WSDL"): a SOAP
 * `notifications` call carrying OrganizationId, ActionId and up to 100 `Notification`s (each an `Id` and an
 * `sObject`), acknowledged with `<notificationsResponse><Ack>true</Ack></notificationsResponse>`; until it is
 * acknowledged Salesforce retries for up to 24 hours.
 *
 * Salesforce does not sign outbound messages. ORCA therefore requires (1) the sending organisation's id to be in
 * the source's allow-list and (2) when the source has a secret, that secret as the `token` query parameter of the
 * endpoint URL configured in Salesforce (outbound messages cannot carry custom headers; `x-orca-webhook-key` is
 * accepted too, for proxies). There is no timestamp, so no replay window: a replayed notification is a duplicate of
 * its Notification Id and is stored once.
 */

export const SALESFORCE_TOKEN_HEADER = 'x-orca-webhook-key';
export const DEFAULT_SALESFORCE_TOKEN_PARAM = 'token';
const MAX_NOTIFICATIONS = 100;

/** SOAP forbids a DTD; refusing any DOCTYPE or ENTITY declaration outright makes XXE and entity expansion impossible. */
const DTD = /<!\s*(DOCTYPE|ENTITY)/i;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  // Only predefined entities and character references can occur: any DTD (hence any declared entity) is refused
  // before parsing. `htmlEntities` is what makes the parser decode character references such as &#169;.
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
  maxNestedTags: 64,
  isArray: (name) => name === 'Notification',
});

/** Strip attributes, turn `xsi:nil="true"` into null and `{#text}` into its text. */
function simplify(value: unknown, depth = 0): unknown {
  if (depth > 64) throw new EnvelopeError('the message is nested too deeply');
  if (Array.isArray(value)) return value.map((item) => simplify(item, depth + 1));
  if (!isRecord(value)) return value;
  if (own(value, '@_nil') === 'true') return null;
  const entries = Object.entries(value).filter(([key]) => !key.startsWith('@_'));
  if (entries.length === 1 && entries[0]?.[0] === '#text') return entries[0][1];
  if (entries.length === 0) return '';
  return Object.fromEntries(entries.map(([key, inner]) => [key, simplify(inner, depth + 1)]));
}

interface OutboundMessage {
  organizationId: string;
  actionId: string;
  notifications: Record<string, unknown>[];
}

export function parseOutboundMessage(body: Buffer): OutboundMessage {
  if (body.length === 0) throw new EnvelopeError('the body is empty');
  let xml: string;
  try {
    xml = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new EnvelopeError('the body is not valid UTF-8');
  }
  if (DTD.test(xml)) throw new EnvelopeError('DTDs and entity declarations are not accepted in SOAP messages');
  let tree: unknown;
  try {
    tree = parser.parse(xml, true);
  } catch {
    throw new EnvelopeError('the body is not well-formed XML');
  }
  const envelope = isRecord(tree) ? own(tree, 'Envelope') : undefined;
  const soapBody = isRecord(envelope) ? own(envelope, 'Body') : undefined;
  const notifications = isRecord(soapBody) ? own(soapBody, 'notifications') : undefined;
  if (!isRecord(notifications)) throw new EnvelopeError('not a SOAP Envelope/Body/notifications message', 'Envelope.Body.notifications');
  const organizationId = textOf(own(notifications, 'OrganizationId'));
  if (organizationId === undefined) throw new EnvelopeError('OrganizationId is required', 'notifications.OrganizationId');
  const actionId = textOf(own(notifications, 'ActionId'));
  if (actionId === undefined) throw new EnvelopeError('ActionId is required', 'notifications.ActionId');
  const list = own(notifications, 'Notification');
  if (!Array.isArray(list) || list.length === 0) throw new EnvelopeError('at least one Notification is required', 'notifications.Notification');
  if (list.length > MAX_NOTIFICATIONS) throw new EnvelopeError('at most 100 Notifications per message', 'notifications.Notification');
  return {
    organizationId,
    actionId,
    notifications: list.map((item, index) => {
      if (!isRecord(item)) throw new EnvelopeError('a Notification is an element', `notifications.Notification[${index}]`);
      return item;
    }),
  };
}

/** Salesforce ids come as 15 case-sensitive characters or 18 with a checksum suffix: compare the first 15. */
function sameOrganization(a: string, b: string): boolean {
  return a.length >= 15 && b.length >= 15 && a.slice(0, 15) === b.slice(0, 15);
}

function verifySalesforce(delivery: RawDelivery, settings: SigningSettings): Verification {
  if (settings.secrets.length > 0) {
    const param = typeof settings.options.token_param === 'string' ? settings.options.token_param : DEFAULT_SALESFORCE_TOKEN_PARAM;
    const presented = queryParameter(delivery.url, param) ?? header(delivery.headers, SALESFORCE_TOKEN_HEADER);
    if (presented === undefined || presented.length === 0) return fail('missing_signature');
    const candidates = settings.secrets.map((secret) => Buffer.from(secret, 'utf8'));
    if (!anyDigestMatches(candidates, [Buffer.from(presented, 'utf8')])) return fail('bad_signature');
  }
  let message: OutboundMessage;
  try {
    message = parseOutboundMessage(delivery.body);
  } catch {
    return fail('malformed');
  }
  const allowed = Array.isArray(settings.options.allowed_organization_ids) ? settings.options.allowed_organization_ids : [];
  const permitted = allowed.some((id) => typeof id === 'string' && sameOrganization(id, message.organizationId));
  return permitted ? OK : fail('organization_not_allowed');
}

/** Each Notification one event, keyed by its Notification Id (stable across Salesforce's retries). */
function parseSalesforce(delivery: RawDelivery, options: Record<string, unknown> = {}): NativeEvent[] {
  const message = parseOutboundMessage(delivery.body);
  const eventTypes = isRecord(options.action_event_types) ? options.action_event_types : {};
  return message.notifications.map((notification, index): NativeEvent => {
    const path = `notifications.Notification[${index}]`;
    const id = textOf(own(notification, 'Id'));
    if (id === undefined) throw new EnvelopeError('Notification Id is required', `${path}.Id`);
    const rawObject = own(notification, 'sObject');
    if (!isRecord(rawObject)) throw new EnvelopeError('Notification sObject is required', `${path}.sObject`);
    const declared = textOf(own(rawObject, '@_type')) ?? '';
    const sObjectType = declared.includes(':') ? declared.slice(declared.indexOf(':') + 1) : declared;
    const sObject = simplify(rawObject) as Record<string, unknown>;
    const entityType = sObjectType === '' ? undefined : sObjectType.toLowerCase();
    const configured = textOf(own(eventTypes, message.actionId));
    const defaults: NativeEvent['defaults'] = {};
    if (entityType !== undefined) {
      defaults.entity_type = entityType;
      defaults.event_type = configured ?? `${entityType}.changed`;
    } else if (configured !== undefined) defaults.event_type = configured;
    const recordId = textOf(own(sObject, 'Id'));
    if (recordId !== undefined) defaults.entity_id = recordId;
    for (const field of ['LastModifiedDate', 'SystemModstamp', 'CreatedDate']) {
      const value = textOf(own(sObject, field));
      if (value !== undefined && !Number.isNaN(Date.parse(value))) {
        defaults.occurred_at = new Date(Date.parse(value)).toISOString();
        break;
      }
    }
    return {
      externalEventId: id,
      idempotencyKey: id,
      document: { OrganizationId: message.organizationId, ActionId: message.actionId, NotificationId: id, sObjectType, sObject },
      defaults,
    };
  });
}

const ACK =
  '<?xml version="1.0" encoding="UTF-8"?>' +
  '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">' +
  '<soapenv:Body><notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse></soapenv:Body>' +
  '</soapenv:Envelope>';

export const salesforceAdapter: SourceAdapter = {
  kind: 'salesforce',
  scheme: 'salesforce-outbound-message',
  optionsSchema: Type.Object(
    {
      allowed_organization_ids: Type.Array(Type.String({ pattern: '^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$' }), { minItems: 1, maxItems: 100 }),
      action_event_types: Type.Optional(
        Type.Record(Type.String({ pattern: '^[A-Za-z0-9]{15,18}$' }), Type.String({ minLength: 1, maxLength: 200 }), {
          description: 'workflow ActionId → canonical event type (default <object>.changed)',
        }),
      ),
      token_param: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'query parameter carrying the shared secret (default token)' })),
    },
    { additionalProperties: false },
  ),
  verify: (delivery, settings) => verifySalesforce(delivery, settings),
  parse: parseSalesforce,
  acknowledge: () => ({ status: 200, contentType: 'text/xml; charset=utf-8', body: ACK }),
};
