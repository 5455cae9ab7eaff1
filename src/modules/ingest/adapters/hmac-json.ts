import { Type } from '@sinclair/typebox';
import { header, isRecord, own, parseJsonBody, textOf } from './json.js';
import { evaluatePath } from './mapping.js';
import { anyDigestMatches, checkFreshness, decodeDigest, fail, hmacSha256, OK, parseUnixTimestamp } from './signing.js';
import { EnvelopeError, type NativeEvent, type RawDelivery, type SigningSettings, type SourceAdapter, type SourceKind, type Verification } from './types.js';

/**
 * JSON over HTTP with an HMAC-SHA256 header — ServiceNow (an Outbound REST Message sent from a business rule or
 * flow) and Oracle ERP / Fusion (a business event relayed by Oracle Integration). Neither platform has a native
 * webhook signature, so ORCA defines one that their scripting can produce (docs/ingestion-formats.md):
 *
 *   signature header = hex or base64 of HMAC-SHA256(secret, `<timestamp>.<raw body>`)
 *   timestamp header = Unix seconds (or milliseconds) when the request was sent
 *
 * Header names are configurable. `signed_payload: body` accepts producers that can only sign the body; the
 * timestamp then is unsigned, so a replay is caught by the idempotency key rather than the window.
 */

interface HmacJsonProfile {
  kind: SourceKind;
  signatureHeader: string;
  timestampHeader: string;
  idempotencyPaths: string[];
  defaults(record: Record<string, unknown>): NativeEvent['defaults'];
  externalId(record: Record<string, unknown>): string | null;
}

function options(settings: Record<string, unknown>, profile: HmacJsonProfile) {
  const text = (key: string, fallback: string) => (typeof settings[key] === 'string' && settings[key] !== '' ? (settings[key] as string) : fallback);
  const encoding = text('signature_encoding', 'auto');
  return {
    signatureHeader: text('signature_header', profile.signatureHeader).toLowerCase(),
    timestampHeader: text('timestamp_header', profile.timestampHeader).toLowerCase(),
    encoding: (encoding === 'hex' || encoding === 'base64' ? encoding : 'auto') as 'hex' | 'base64' | 'auto',
    signTimestamp: text('signed_payload', 'timestamp.body') !== 'body',
    idempotencyPaths:
      Array.isArray(settings.idempotency_paths) && settings.idempotency_paths.length > 0 && settings.idempotency_paths.every((p) => typeof p === 'string')
        ? (settings.idempotency_paths as string[])
        : profile.idempotencyPaths,
  };
}

function verifyWith(profile: HmacJsonProfile) {
  return (delivery: RawDelivery, settings: SigningSettings, now: Date): Verification => {
    const config = options(settings.options, profile);
    const signature = header(delivery.headers, config.signatureHeader);
    if (signature === undefined) return fail('missing_signature');
    const timestamp = header(delivery.headers, config.timestampHeader);
    if (timestamp === undefined && config.signTimestamp) return fail('malformed');
    const presented = decodeDigest(signature, config.encoding);
    if (presented === undefined) return fail('malformed');
    if (timestamp !== undefined) {
      const timestampMs = parseUnixTimestamp(timestamp, 'auto');
      if (timestampMs === undefined) return fail('malformed');
      const freshness = checkFreshness(timestampMs, now, settings.toleranceSeconds);
      if (!freshness.ok) return freshness;
    }
    const prefix = config.signTimestamp ? `${timestamp}.` : '';
    const candidates = settings.secrets.map((secret) => hmacSha256(Buffer.from(secret, 'utf8'), prefix, delivery.body));
    return anyDigestMatches(candidates, [presented]) ? OK : fail('bad_signature');
  };
}

function idempotencyKey(record: Record<string, unknown>, paths: string[], at: string): string {
  const parts = paths.map((path) => {
    let value: unknown;
    try {
      value = evaluatePath(record, path);
    } catch {
      throw new EnvelopeError(`the idempotency path ${path} is not a valid JSON path`, path);
    }
    const text = textOf(value);
    if (text === undefined) throw new EnvelopeError(`the idempotency key needs a value at ${path}`, `${at}${path.slice(1)}`);
    return text;
  });
  return parts.join(':');
}

function parseWith(profile: HmacJsonProfile) {
  return (delivery: RawDelivery, sourceOptions: Record<string, unknown> = {}): NativeEvent[] => {
    const config = options(sourceOptions, profile);
    const body = parseJsonBody(delivery.body);
    const records = Array.isArray(body) ? body : [body];
    if (records.length === 0) throw new EnvelopeError('the batch is empty', '$');
    return records.map((record, index): NativeEvent => {
      const at = Array.isArray(body) ? `$[${index}]` : '$';
      if (!isRecord(record)) throw new EnvelopeError('each record is a JSON object', at);
      return {
        externalEventId: profile.externalId(record),
        idempotencyKey: idempotencyKey(record, config.idempotencyPaths, at),
        document: record,
        defaults: profile.defaults(record),
      };
    });
  };
}

/** ServiceNow `glide_date_time` values (`2026-11-28 09:15:00`) are UTC in the API and in scripts' getValue(). */
function glideToIso(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value)) return undefined;
  const time = Date.parse(`${value.replace(' ', 'T')}Z`);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

export const SERVICENOW_PROFILE: HmacJsonProfile = {
  kind: 'servicenow',
  signatureHeader: 'x-servicenow-signature',
  timestampHeader: 'x-servicenow-timestamp',
  // sys_mod_count grows with every update of a record, so two updates within the same second stay distinct.
  idempotencyPaths: ['$.sys_id', '$.sys_mod_count'],
  defaults(record) {
    const table = textOf(own(record, 'sys_class_name')) ?? textOf(own(record, 'table'));
    const defaults: NativeEvent['defaults'] = {};
    if (table !== undefined) defaults.entity_type = table;
    const event = textOf(own(record, 'event'));
    const operation = textOf(own(record, 'operation'));
    if (event !== undefined) defaults.event_type = event;
    else if (table !== undefined) defaults.event_type = `${table}.${operation ?? 'changed'}`;
    const sysId = textOf(own(record, 'sys_id'));
    if (sysId !== undefined) defaults.entity_id = sysId;
    const updated = glideToIso(own(record, 'sys_updated_on'));
    if (updated !== undefined) defaults.occurred_at = updated;
    const modCount = textOf(own(record, 'sys_mod_count'));
    if (modCount !== undefined && /^\d{1,15}$/.test(modCount)) defaults.sequence = Number(modCount);
    return defaults;
  },
  externalId: (record) => textOf(own(record, 'sys_id')) ?? null,
};

export const ORACLE_PROFILE: HmacJsonProfile = {
  kind: 'oracle_erp',
  signatureHeader: 'x-oracle-signature',
  timestampHeader: 'x-oracle-timestamp',
  idempotencyPaths: ['$.eventId'],
  defaults(record) {
    const defaults: NativeEvent['defaults'] = {};
    const type = textOf(own(record, 'eventType'));
    if (type !== undefined) defaults.event_type = type;
    const object = textOf(own(record, 'businessObject'));
    if (object !== undefined) defaults.entity_type = object;
    const time = textOf(own(record, 'eventTime'));
    if (time !== undefined && /^\d{4}-\d{2}-\d{2}T/.test(time) && !Number.isNaN(Date.parse(time))) defaults.occurred_at = new Date(Date.parse(time)).toISOString();
    return defaults;
  },
  externalId: (record) => textOf(own(record, 'eventId')) ?? null,
};

export function createHmacJsonAdapter(profile: HmacJsonProfile): SourceAdapter {
  return {
    kind: profile.kind,
    scheme: 'hmac-sha256',
    optionsSchema: Type.Object(
      {
        signature_header: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$', description: `default ${profile.signatureHeader}` })),
        timestamp_header: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$', description: `default ${profile.timestampHeader}` })),
        signature_encoding: Type.Optional(Type.Union([Type.Literal('hex'), Type.Literal('base64'), Type.Literal('auto')])),
        signed_payload: Type.Optional(Type.Union([Type.Literal('timestamp.body'), Type.Literal('body')])),
        idempotency_paths: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 256, pattern: '^\\$' }), { minItems: 1, maxItems: 8 })),
      },
      { additionalProperties: false },
    ),
    verify: verifyWith(profile),
    parse: parseWith(profile),
    acknowledge: () => null,
  };
}
