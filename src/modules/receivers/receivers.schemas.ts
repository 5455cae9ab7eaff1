import { Type, type Static } from '@sinclair/typebox';
import { literalUnion, Page, PaginationQuery, Timestamp, Uuid } from '../../platform/http/schemas.js';

export const RECEIVER_KINDS = ['alertmanager', 'slack', 'webhook'] as const;
export type ReceiverKind = (typeof RECEIVER_KINDS)[number];

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'dead_lettered'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const ReceiverKindSchema = literalUnion(RECEIVER_KINDS, {
  title: 'ReceiverKind',
  description: 'what the receiver speaks: Alertmanager API v2, a Slack incoming webhook, or JSON signed with Standard Webhooks (docs/receivers.md)',
});

/** A routing tree names receivers by name: kept to characters that need no quoting in YAML or label matchers. */
const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', description: 'unique; how alert routes name the receiver' });
const Url = Type.String({ minLength: 1, maxLength: 2048, description: 'http or https; checked against the SSRF guard (OUTBOUND_ALLOW_CIDRS)' });

/** Standard Webhooks secrets: `whsec_` and 24 to 64 random bytes in base64. */
const Secret = Type.String({
  pattern: '^whsec_[A-Za-z0-9+/]{32,88}={0,2}$',
  description: 'webhook receivers only: the Standard Webhooks signing secret, whsec_ + base64 of 24–64 random bytes (write-only)',
});
const Token = Type.String({
  minLength: 1,
  maxLength: 4096,
  pattern: '^[\\x21-\\x7e]+$',
  description: 'sent as Authorization: Bearer <token> (alertmanager and webhook receivers; write-only)',
});
const Headers = Type.Record(Type.String({ minLength: 1, maxLength: 100 }), Type.String({ maxLength: 4096 }), {
  maxProperties: 20,
  description: 'extra request headers; their values are write-only (responses list the names)',
});

export const Receiver = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    kind: ReceiverKindSchema,
    url: Type.String({ description: 'the URL with what may be a credential redacted: a Slack path, query values, user info' }),
    has_secret: Type.Boolean(),
    has_token: Type.Boolean(),
    header_names: Type.Array(Type.String()),
    origin: Type.Unsafe<'api' | 'config'>({
      type: 'string',
      enum: ['api', 'config'],
      description: 'config: kept by ALERTMANAGER_URL or ALERT_WEBHOOK_URL at every start-up',
    }),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { additionalProperties: false, title: 'Receiver' },
);
export type Receiver = Static<typeof Receiver>;

export const ReceiverWithGeneratedSecret = Type.Object(
  {
    ...Receiver.properties,
    generated_secret: Type.Optional(Type.String({ description: 'present only when ORCA generated the signing secret: shown this once, never again' })),
  },
  { additionalProperties: false, title: 'ReceiverWithGeneratedSecret' },
);
export type ReceiverWithGeneratedSecret = Static<typeof ReceiverWithGeneratedSecret>;

export const ReceiverPage = Page(Receiver, 'ReceiverPage');

export const CreateReceiverBody = Type.Object(
  {
    name: Name,
    kind: ReceiverKindSchema,
    url: Url,
    secret: Type.Optional(Secret),
    token: Type.Optional(Token),
    headers: Type.Optional(Headers),
  },
  { additionalProperties: false, title: 'CreateReceiverRequest' },
);
export type CreateReceiverInput = Static<typeof CreateReceiverBody>;

export const UpdateReceiverBody = Type.Object(
  {
    name: Type.Optional(Name),
    url: Type.Optional(Url),
    secret: Type.Optional(Secret),
    token: Type.Optional(Type.Union([Token, Type.Null()], { description: 'null removes the token' })),
    headers: Type.Optional(Type.Union([Headers, Type.Null()], { description: 'replaces every extra header; null removes them' })),
  },
  { additionalProperties: false, title: 'UpdateReceiverRequest', description: 'The kind cannot change: create another receiver.' },
);
export type UpdateReceiverInput = Static<typeof UpdateReceiverBody>;

export const ListReceiversQuery = Type.Object({ kind: Type.Optional(ReceiverKindSchema), ...PaginationQuery }, { additionalProperties: false });
export type ListReceiversQuery = Static<typeof ListReceiversQuery>;

export const ReceiverTestResult = Type.Object(
  {
    notification_id: Type.String({ description: 'the webhook-id of the test notification' }),
    outcome: Type.Unsafe<'delivered' | 'rejected' | 'failed'>({
      type: 'string',
      enum: ['delivered', 'rejected', 'failed'],
      description: 'delivered (2xx); rejected (the receiver answered another status); failed (no answer: refused, breaker_open, timeout, network, too_large)',
    }),
    status: Type.Union([Type.Integer(), Type.Null()], { description: "the receiver's HTTP status; null when it did not answer" }),
    duration_ms: Type.Integer(),
    error: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false, title: 'ReceiverTestResult' },
);
export type ReceiverTestResult = Static<typeof ReceiverTestResult>;

export const DeliveryStatusSchema = literalUnion(DELIVERY_STATUSES, {
  title: 'DeliveryStatus',
  description: 'pending (waiting for its next attempt); failed (the last attempt failed, a retry is scheduled); delivered; dead_lettered (given up)',
});

export const Delivery = Type.Object(
  {
    id: Uuid,
    notification_id: Type.String({ description: 'the webhook-id: the same on every attempt' }),
    notification_kind: Type.Unsafe<'alert' | 'test' | 'report'>({ type: 'string', enum: ['alert', 'test', 'report'], description: 'report: a scheduled report (docs/reports.md)' }),
    notification_status: Type.Unsafe<'firing' | 'resolved'>({ type: 'string', enum: ['firing', 'resolved'] }),
    group_key: Type.String(),
    alerts: Type.Integer({ description: 'alerts in the notification' }),
    receiver_id: Uuid,
    receiver_name: Type.String(),
    receiver_kind: ReceiverKindSchema,
    status: DeliveryStatusSchema,
    attempts: Type.Integer(),
    last_status: Type.Union([Type.Integer(), Type.Null()], { description: "the receiver's last HTTP status; null when it has not answered" }),
    last_error: Type.Union([Type.String(), Type.Null()]),
    correlation_id: Type.Union([Type.String(), Type.Null()], { description: 'of the request or job that caused the notification' }),
    created_at: Timestamp,
    updated_at: Timestamp,
    last_attempt_at: Type.Union([Timestamp, Type.Null()]),
    delivered_at: Type.Union([Timestamp, Type.Null()]),
    dead_lettered_at: Type.Union([Timestamp, Type.Null()]),
  },
  { additionalProperties: false, title: 'Delivery' },
);
export type Delivery = Static<typeof Delivery>;

export const DeliveryPage = Page(Delivery, 'DeliveryPage');

export const ListDeliveriesQuery = Type.Object(
  { status: Type.Optional(DeliveryStatusSchema), receiver_id: Type.Optional(Uuid), ...PaginationQuery },
  { additionalProperties: false },
);
export type ListDeliveriesQuery = Static<typeof ListDeliveriesQuery>;
