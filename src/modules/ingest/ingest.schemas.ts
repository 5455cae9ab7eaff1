import { Type, type Static } from '@sinclair/typebox';
import { PaginationQuery, Page, Timestamp, Uuid } from '../../platform/http/schemas.js';

/** Most events a POST /events batch may carry (issue 4: 10,000 events or 10 MiB). */
export const MAX_BATCH_EVENTS = 10_000;
export const MAX_BATCH_RUNS = 10_000;
export const BATCH_BODY_LIMIT = 10 * 1024 * 1024;

const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
const Nullable = <T extends ReturnType<typeof Type.String> | typeof Uuid | ReturnType<typeof Type.Integer>>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const SourceIdParams = Type.Object({ sourceId: Uuid }, { additionalProperties: false });

const EventOutcome = Type.Object(
  {
    id: Uuid,
    duplicate: Type.Boolean({ description: 'the idempotency key was already stored: id is the stored event' }),
    conflict: Type.Boolean({ description: 'same idempotency key, different payload: the original is kept and a duplicate gap opened' }),
  },
  { title: 'WebhookEventOutcome' },
);

export const IngestResult = Type.Object(
  {
    accepted: Type.Integer({ description: 'events newly stored' }),
    duplicates: Type.Integer({ description: 'events whose idempotency key was already stored (stored once)' }),
    duplicate: Type.Boolean({ description: 'true when nothing new was stored because every event was a repeat' }),
    conflict: Type.Boolean({ description: 'true when a repeat carried a different payload' }),
    events: Type.Array(EventOutcome, { description: 'one entry per event of the delivery, in order' }),
  },
  { title: 'WebhookResult' },
);
export type IngestResult = Static<typeof IngestResult>;

export const CanonicalEventInput = Type.Object(
  {
    source_id: Uuid,
    idempotency_key: Type.Optional(Text(500)),
    external_event_id: Type.Optional(Nullable(Text(500))),
    event_type: Text(200),
    entity_type: Text(200),
    entity_id: Text(500),
    occurred_at: Type.String({ format: 'date-time' }),
    sequence: Type.Optional(Nullable(Type.Integer({ minimum: -9007199254740991, maximum: 9007199254740991 }))),
    agent_id: Type.Optional(Nullable(Uuid)),
    correlation_id: Type.Optional(Nullable(Text(200))),
    payload: Type.Optional(Type.Unknown({ description: 'the business record as JSON (default {})' })),
  },
  { additionalProperties: false, title: 'CanonicalEvent' },
);
export type CanonicalEventInput = Static<typeof CanonicalEventInput>;

export const EventsBatchBody = Type.Object(
  { events: Type.Array(CanonicalEventInput, { minItems: 1, maxItems: MAX_BATCH_EVENTS }) },
  { additionalProperties: false, title: 'EventBatch' },
);
export type EventsBatchBody = Static<typeof EventsBatchBody>;

export const BatchResult = Type.Object(
  {
    accepted: Type.Integer(),
    duplicates: Type.Integer(),
    conflicts: Type.Integer(),
    ids: Type.Array(Uuid, { description: 'the stored id of each item, in order (the original one for a repeat)' }),
  },
  { title: 'EventBatchResult' },
);
export type BatchResult = Static<typeof BatchResult>;

export const RunInput = Type.Object(
  {
    id: Type.Optional(Uuid),
    agent_id: Uuid,
    started_at: Type.String({ format: 'date-time' }),
    duration_ms: Type.Integer({ minimum: 0, maximum: 2_147_483_647 }),
    outcome: Type.Unsafe<'success' | 'error' | 'timeout'>({ type: 'string', enum: ['success', 'error', 'timeout'] }),
    error_kind: Type.Optional(Nullable(Text(200))),
    tokens_in: Type.Optional(Type.Integer({ minimum: 0, maximum: 2_147_483_647 })),
    tokens_out: Type.Optional(Type.Integer({ minimum: 0, maximum: 2_147_483_647 })),
    cost_usd: Type.Optional(Type.Number({ minimum: 0, maximum: 1e12 })),
    correlation_id: Type.Optional(Nullable(Text(200))),
  },
  { additionalProperties: false, title: 'Run' },
);
export type RunInput = Static<typeof RunInput>;

export const RunsBatchBody = Type.Object(
  { runs: Type.Array(RunInput, { minItems: 1, maxItems: MAX_BATCH_RUNS }) },
  { additionalProperties: false, title: 'RunBatch' },
);
export type RunsBatchBody = Static<typeof RunsBatchBody>;

export const RunsResult = Type.Object(
  {
    accepted: Type.Integer(),
    duplicates: Type.Integer({ description: 'runs whose id was already stored (a retried batch); stored once' }),
    ids: Type.Array(Uuid),
  },
  { title: 'RunBatchResult' },
);
export type RunsResult = Static<typeof RunsResult>;

export const Event = Type.Object(
  {
    id: Uuid,
    source_id: Uuid,
    external_event_id: Type.Union([Type.String(), Type.Null()]),
    idempotency_key: Type.String(),
    event_type: Type.String(),
    entity_type: Type.String(),
    entity_id: Type.String(),
    occurred_at: Timestamp,
    received_at: Timestamp,
    sequence: Type.Union([Type.Integer(), Type.Null()]),
    agent_id: Type.Union([Uuid, Type.Null()]),
    correlation_id: Type.Union([Type.String(), Type.Null()]),
    payload: Type.Unknown(),
  },
  { title: 'Event' },
);
export type Event = Static<typeof Event>;

export const ListEventsQuery = Type.Object(
  {
    source_id: Type.Optional(Uuid),
    event_type: Type.Optional(Text(200)),
    entity_type: Type.Optional(Text(200)),
    entity_id: Type.Optional(Text(500)),
    agent_id: Type.Optional(Uuid),
    since: Type.Optional(Type.String({ format: 'date-time', description: 'inclusive lower bound on the time field' })),
    until: Type.Optional(Type.String({ format: 'date-time', description: 'exclusive upper bound on the time field' })),
    time_field: Type.Optional(
      Type.Unsafe<'occurred_at' | 'received_at'>({
        type: 'string',
        enum: ['occurred_at', 'received_at'],
        default: 'received_at',
        description: 'which timestamp since/until bound',
      }),
    ),
    ...PaginationQuery,
  },
  { additionalProperties: false },
);
export type ListEventsQuery = Static<typeof ListEventsQuery>;

export const EventPage = Page(Event, 'EventPage');
