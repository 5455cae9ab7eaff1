import { Type } from '@sinclair/typebox';
import { isRecord, header, own, parseJsonBody, textOf } from './json.js';
import { anyDigestMatches, checkFreshness, decodeBase64, fail, hmacSha256, OK, parseUnixTimestamp } from './signing.js';
import { EnvelopeError, type NativeEvent, type RawDelivery, type SigningSettings, type SourceAdapter, type SourceKind, type Verification } from './types.js';

/**
 * Standard Webhooks (https://www.standardwebhooks.com): `webhook-signature` carries space-separated `v1,<base64>`
 * HMAC-SHA256 signatures of `<webhook-id>.<webhook-timestamp>.<raw body>`, keyed with the base64 part of the
 * `whsec_…` secret. Several signatures may be present (the sender's own key rotation); one match suffices.
 *
 * Svix, the sending service behind many vendors' webhooks, emits the same scheme under `svix-id`, `svix-timestamp`
 * and `svix-signature` (its plans white-label them as `webhook-*` only on request): each `svix-*` header is read as
 * its `webhook-*` alias, the `webhook-*` name winning when both are sent (they carry the same values).
 */

type StandardHeader = 'id' | 'timestamp' | 'signature';

/** A Standard Webhooks header under its `webhook-` name, or under Svix's `svix-` name when that one is absent. */
function standardHeader(headers: RawDelivery['headers'], name: StandardHeader): string | undefined {
  return header(headers, `webhook-${name}`) ?? header(headers, `svix-${name}`);
}

/** The HMAC key of a Standard Webhooks secret: base64 after an optional `whsec_` prefix (as the reference library). */
export function standardWebhooksKey(secret: string): Buffer | undefined {
  const key = decodeBase64(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret);
  return key !== undefined && key.length > 0 ? key : undefined;
}

/** Verify the three Standard Webhooks headers over the raw body; shared by the CloudEvents adapter. */
export function verifyStandardWebhooks(delivery: RawDelivery, settings: SigningSettings, now: Date): Verification {
  const signatureHeader = standardHeader(delivery.headers, 'signature');
  if (signatureHeader === undefined) return fail('missing_signature');
  const id = standardHeader(delivery.headers, 'id');
  const timestampHeader = standardHeader(delivery.headers, 'timestamp');
  if (id === undefined || timestampHeader === undefined) return fail('malformed');
  const timestampMs = parseUnixTimestamp(timestampHeader, 'seconds');
  if (timestampMs === undefined) return fail('malformed');
  const presented: Buffer[] = [];
  let versioned = 0;
  for (const entry of signatureHeader.split(' ')) {
    if (entry === '') continue;
    const comma = entry.indexOf(',');
    if (comma < 0) continue;
    versioned += 1;
    if (entry.slice(0, comma) !== 'v1') continue;
    const bytes = decodeBase64(entry.slice(comma + 1));
    if (bytes !== undefined) presented.push(bytes);
  }
  if (versioned === 0) return fail('malformed');
  const freshness = checkFreshness(timestampMs, now, settings.toleranceSeconds);
  if (!freshness.ok) return freshness;
  const prefix = `${id}.${timestampHeader.trim()}.`;
  const candidates: Buffer[] = [];
  for (const secret of settings.secrets) {
    const key = standardWebhooksKey(secret);
    if (key !== undefined) candidates.push(hmacSha256(key, prefix, delivery.body));
  }
  return anyDigestMatches(candidates, presented) ? OK : fail('bad_signature');
}

/**
 * The payload is any JSON document; the Standard Webhooks recommended shape `{type, timestamp, data}` fills the
 * defaults. An array body is a batch: one event per element, keyed `<webhook-id>:<index>`.
 */
function parseStandardWebhooks(delivery: RawDelivery): NativeEvent[] {
  const id = standardHeader(delivery.headers, 'id');
  if (id === undefined) throw new EnvelopeError('the webhook-id (or svix-id) header is required', 'headers.webhook-id');
  const body = parseJsonBody(delivery.body);
  const timestampMs = parseUnixTimestamp(standardHeader(delivery.headers, 'timestamp') ?? '', 'seconds');
  const envelopeTime = timestampMs === undefined ? undefined : new Date(timestampMs).toISOString();
  const one = (document: unknown, key: string): NativeEvent => {
    const defaults: NativeEvent['defaults'] = {};
    if (envelopeTime !== undefined) defaults.occurred_at = envelopeTime;
    if (isRecord(document)) {
      const type = textOf(own(document, 'type'));
      if (type !== undefined) defaults.event_type = type;
    }
    return { externalEventId: id, idempotencyKey: key, document, defaults };
  };
  if (Array.isArray(body)) {
    if (body.length === 0) throw new EnvelopeError('the batch is empty', '$');
    return body.map((element, index) => one(element, `${id}:${index}`));
  }
  return [one(body, id)];
}

export function createStandardWebhooksAdapter(kind: SourceKind): SourceAdapter {
  return {
    kind,
    scheme: 'standard-webhooks',
    optionsSchema: Type.Object({}, { additionalProperties: false }),
    verify: verifyStandardWebhooks,
    parse: parseStandardWebhooks,
    acknowledge: () => null,
  };
}
