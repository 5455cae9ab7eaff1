import { Type } from '@sinclair/typebox';
import { header, isRecord, own, parseJsonBody, textOf } from './json.js';
import { anyDigestMatches, checkFreshness, fail, queryParameter } from './signing.js';
import { EnvelopeError, type NativeEvent, type RawDelivery, type SigningSettings, type SourceAdapter, type Verification } from './types.js';

/**
 * Dynamics 365 / Dataverse webhooks (learn.microsoft.com → "Use Webhooks to create external handlers for server
 * events", "Register a WebHook"). Dataverse POSTs the RemoteExecutionContext as JSON and signs nothing: the webhook
 * registration carries a shared key, either as a header (authentication type HttpHeader; ORCA reads
 * `x-orca-webhook-key` unless `key_header` says otherwise) or as `?code=<key>` (authentication type WebhookKey).
 * The key is compared in constant time with each configured secret. Dataverse sends no signed timestamp, so the
 * replay window applies to the context's `OperationCreatedOn`, and duplicates are caught by the idempotency key.
 */

export const DEFAULT_DYNAMICS_KEY_HEADER = 'x-orca-webhook-key';
const MAX_DEPTH = 64;

/** `/Date(1700000000000)/` or `/Date(1700000000000+0000)/` (WCF DataContractJsonSerializer) → epoch ms. */
export function parseWcfDate(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  // eslint-disable-next-line security/detect-unsafe-regex -- anchored, and no unbounded quantifier is nested in another: linear in the input
  const match = /^\/Date\((-?\d{1,16})([+-]\d{4})?\)\/$/.exec(value);
  if (!match) {
    const iso = /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
    return Number.isNaN(iso) ? undefined : iso;
  }
  return Number(match[1]);
}

function isKeyValueList(value: unknown[]): boolean {
  return value.length > 0 && value.every((item) => isRecord(item) && typeof own(item, 'key') === 'string' && Object.keys(item).length === 2 && Object.hasOwn(item, 'value'));
}

/**
 * The document mappings see: the context with every `[{key, value}, …]` collection (InputParameters, Attributes,
 * PostEntityImages …) turned into an object keyed by `key`, and every `/Date(…)/` into an ISO timestamp, so that
 * `$.InputParameters.Target.Attributes.name` or `$.PostEntityImages.PostImage.Attributes.estimatedvalue` work.
 */
export function normaliseDataverse(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new EnvelopeError('the execution context is nested too deeply');
  if (typeof value === 'string') {
    const ms = /^\/Date\(/.test(value) ? parseWcfDate(value) : undefined;
    return ms !== undefined && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : value;
  }
  if (Array.isArray(value)) {
    if (isKeyValueList(value)) {
      return Object.fromEntries(value.map((item) => [(item as { key: string }).key, normaliseDataverse((item as { value: unknown }).value, depth + 1)]));
    }
    return value.map((item) => normaliseDataverse(item, depth + 1));
  }
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, normaliseDataverse(inner, depth + 1)]));
  return value;
}

function keyHeaderName(options: Record<string, unknown>): string {
  return typeof options.key_header === 'string' && options.key_header.length > 0 ? options.key_header.toLowerCase() : DEFAULT_DYNAMICS_KEY_HEADER;
}

function verifyDynamics(delivery: RawDelivery, settings: SigningSettings, now: Date): Verification {
  const presented = header(delivery.headers, keyHeaderName(settings.options)) ?? queryParameter(delivery.url, 'code');
  if (presented === undefined || presented.length === 0) return fail('missing_signature');
  const candidates = settings.secrets.map((secret) => Buffer.from(secret, 'utf8'));
  if (!anyDigestMatches(candidates, [Buffer.from(presented, 'utf8')])) return fail('bad_signature');
  let context: unknown;
  try {
    context = parseJsonBody(delivery.body);
  } catch {
    return fail('malformed');
  }
  const created = isRecord(context) ? parseWcfDate(own(context, 'OperationCreatedOn')) : undefined;
  if (created === undefined) return fail('malformed');
  return checkFreshness(created, now, settings.toleranceSeconds);
}

/** One execution context = one event, keyed `RequestId (else OperationId, else CorrelationId):MessageName:PrimaryEntityId:Stage`. */
function parseDynamics(delivery: RawDelivery): NativeEvent[] {
  const context = parseJsonBody(delivery.body);
  if (!isRecord(context)) throw new EnvelopeError('a Dataverse webhook body is a RemoteExecutionContext object', '$');
  const messageName = textOf(own(context, 'MessageName'));
  if (messageName === undefined) throw new EnvelopeError('MessageName is required', '$.MessageName');
  const entityName = textOf(own(context, 'PrimaryEntityName'));
  if (entityName === undefined) throw new EnvelopeError('PrimaryEntityName is required', '$.PrimaryEntityName');
  const entityId = textOf(own(context, 'PrimaryEntityId'));
  if (entityId === undefined) throw new EnvelopeError('PrimaryEntityId is required', '$.PrimaryEntityId');
  const requestId = textOf(own(context, 'RequestId')) ?? textOf(own(context, 'OperationId'));
  const correlationId = textOf(own(context, 'CorrelationId'));
  const identity = requestId ?? correlationId;
  if (identity === undefined) throw new EnvelopeError('RequestId, OperationId or CorrelationId is required', '$.RequestId');
  const stage = textOf(own(context, 'Stage')) ?? '';
  const created = parseWcfDate(own(context, 'OperationCreatedOn'));
  const defaults: NativeEvent['defaults'] = {
    event_type: `${entityName}.${messageName.toLowerCase()}`,
    entity_type: entityName,
    entity_id: entityId,
  };
  if (created !== undefined && created >= 0 && created < 253402300800000) defaults.occurred_at = new Date(created).toISOString();
  if (correlationId !== undefined) defaults.correlation_key = correlationId;
  return [
    {
      externalEventId: requestId ?? null,
      idempotencyKey: `${identity}:${messageName}:${entityId}:${stage}`,
      document: normaliseDataverse(context),
      defaults,
    },
  ];
}

export const dynamics365Adapter: SourceAdapter = {
  kind: 'dynamics365',
  scheme: 'dataverse-webhook-key',
  optionsSchema: Type.Object(
    {
      key_header: Type.Optional(
        Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$', description: `header carrying the HttpHeader key (default ${DEFAULT_DYNAMICS_KEY_HEADER}); ?code= is always accepted` }),
      ),
    },
    { additionalProperties: false },
  ),
  verify: verifyDynamics,
  parse: parseDynamics,
  acknowledge: () => null,
};
