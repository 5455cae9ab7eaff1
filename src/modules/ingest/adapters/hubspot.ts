import { Type } from '@sinclair/typebox';
import { header, isRecord, own, parseJsonBody, textOf } from './json.js';
import { anyDigestMatches, checkFreshness, decodeBase64, fail, hmacSha256, OK, parseUnixTimestamp } from './signing.js';
import { EnvelopeError, type NativeEvent, type RawDelivery, type SigningSettings, type SourceAdapter, type Verification } from './types.js';

/**
 * HubSpot webhooks, signature v3 (developers.hubspot.com → "Validating requests"):
 * `X-HubSpot-Signature-v3` = base64(HMAC-SHA256(app client secret, method + URI + body + timestamp)), with
 * `X-HubSpot-Request-Timestamp` in milliseconds; requests older than 5 minutes are rejected whatever the source's
 * tolerance. The URI is the full URL HubSpot called, after decoding the URL-encoded characters HubSpot decodes.
 */

/** HubSpot rejects (and tells receivers to reject) v3 signatures older than five minutes. */
export const HUBSPOT_MAX_AGE_SECONDS = 300;

/** The characters HubSpot's v3 instructions decode in the request URI before signing (the question mark that
 *  starts the query string is already literal). */
const DECODED: Record<string, string> = {
  '%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$',
  '%27': "'", '%28': '(', '%29': ')', '%2A': '*', '%2C': ',', '%3B': ';',
};

export function decodeHubSpotUri(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (match) => DECODED[match.toUpperCase()] ?? match);
}

/**
 * The URL HubSpot called: `public_base_url` (scheme + host + any path prefix a proxy strips) + the request path and
 * query; without it, `x-forwarded-proto` (default https: HubSpot only calls HTTPS targets) + `x-forwarded-host` or
 * `host` + path and query.
 */
export function hubSpotRequestUri(delivery: RawDelivery, options: Record<string, unknown>): string | undefined {
  const base = typeof options.public_base_url === 'string' ? options.public_base_url.replace(/\/+$/, '') : undefined;
  if (base !== undefined && base.length > 0) return `${base}${delivery.url}`;
  const host = header(delivery.headers, 'x-forwarded-host')?.split(',')[0]?.trim() ?? header(delivery.headers, 'host');
  if (host === undefined) return undefined;
  const proto = header(delivery.headers, 'x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() ?? 'https';
  return `${proto}://${host}${delivery.url}`;
}

function verifyHubSpot(delivery: RawDelivery, settings: SigningSettings, now: Date): Verification {
  const signatureHeader = header(delivery.headers, 'x-hubspot-signature-v3');
  if (signatureHeader === undefined) return fail('missing_signature');
  const timestampHeader = header(delivery.headers, 'x-hubspot-request-timestamp');
  if (timestampHeader === undefined) return fail('malformed');
  const timestampMs = parseUnixTimestamp(timestampHeader, 'milliseconds');
  if (timestampMs === undefined) return fail('malformed');
  const presented = decodeBase64(signatureHeader);
  if (presented === undefined) return fail('malformed');
  const freshness = checkFreshness(timestampMs, now, Math.min(settings.toleranceSeconds, HUBSPOT_MAX_AGE_SECONDS));
  if (!freshness.ok) return freshness;
  const uri = hubSpotRequestUri(delivery, settings.options);
  if (uri === undefined) return fail('malformed');
  const decodedUri = decodeHubSpotUri(uri);
  const candidates = settings.secrets.map((secret) =>
    hmacSha256(Buffer.from(secret, 'utf8'), delivery.method.toUpperCase(), decodedUri, delivery.body, timestampHeader),
  );
  return anyDigestMatches(candidates, [presented]) ? OK : fail('bad_signature');
}

/** HubSpot's standard object type ids (object.* subscriptions of the new developer platform). */
const OBJECT_TYPES: Record<string, string> = { '0-1': 'contact', '0-2': 'company', '0-3': 'deal', '0-5': 'ticket', '0-7': 'product', '0-8': 'line_item' };

/**
 * The body is a JSON array of up to 100 events, each its own event. HubSpot documents that `eventId` alone is not
 * guaranteed unique, so the idempotency key is `portalId:subscriptionId:eventId`; `attemptNumber` (which changes on
 * every retry of the same event) is dropped from the stored document so a retry is an exact duplicate.
 */
function parseHubSpot(delivery: RawDelivery): NativeEvent[] {
  const body = parseJsonBody(delivery.body);
  if (!Array.isArray(body)) throw new EnvelopeError('a HubSpot webhook body is a JSON array of events', '$');
  if (body.length === 0) throw new EnvelopeError('the array of events is empty', '$');
  return body.map((element, index): NativeEvent => {
    const path = `$[${index}]`;
    if (!isRecord(element)) throw new EnvelopeError('each HubSpot event is a JSON object', path);
    const eventId = textOf(own(element, 'eventId'));
    if (eventId === undefined) throw new EnvelopeError('eventId is required', `${path}.eventId`);
    const subscriptionType = textOf(own(element, 'subscriptionType'));
    if (subscriptionType === undefined) throw new EnvelopeError('subscriptionType is required', `${path}.subscriptionType`);
    const portal = textOf(own(element, 'portalId')) ?? '';
    const subscription = textOf(own(element, 'subscriptionId')) ?? '';
    const document = Object.fromEntries(Object.entries(element).filter(([key]) => key !== 'attemptNumber'));
    const defaults: NativeEvent['defaults'] = { event_type: subscriptionType };
    const prefix = subscriptionType.split('.')[0] ?? '';
    const objectTypeId = textOf(own(element, 'objectTypeId'));
    const entityType = prefix === 'object' && objectTypeId !== undefined ? (OBJECT_TYPES[objectTypeId] ?? objectTypeId) : prefix;
    if (entityType !== '') defaults.entity_type = entityType;
    const objectId = textOf(own(element, 'objectId'));
    if (objectId !== undefined) defaults.entity_id = objectId;
    const occurredAt = own(element, 'occurredAt');
    if (typeof occurredAt === 'number' && Number.isFinite(occurredAt) && occurredAt >= 0 && occurredAt < 253402300800000) {
      defaults.occurred_at = new Date(Math.trunc(occurredAt)).toISOString();
    }
    return { externalEventId: eventId, idempotencyKey: `${portal}:${subscription}:${eventId}`, document, defaults };
  });
}

export const hubspotAdapter: SourceAdapter = {
  kind: 'hubspot',
  scheme: 'hubspot-v3',
  optionsSchema: Type.Object(
    {
      public_base_url: Type.Optional(
        Type.String({ pattern: '^https?://[^\\s?#]+$', maxLength: 2048, description: 'scheme://host[/prefix] HubSpot calls; defaults to the Host header over https' }),
      ),
    },
    { additionalProperties: false },
  ),
  verify: verifyHubSpot,
  parse: parseHubSpot,
  acknowledge: () => null,
};
