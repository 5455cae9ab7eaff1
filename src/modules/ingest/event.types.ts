/**
 * Every shape an event takes inside ORCA, derived from one declaration: the event as it is stored. The API's own
 * view of a stored event is its response schema (ingest.schemas.ts `Event`).
 */
export interface EventRecord {
  id: string;
  source_id: string;
  external_event_id: string | null;
  idempotency_key: string;
  payload_hash: string;
  event_type: string;
  entity_type: string;
  entity_id: string;
  occurred_at: Date;
  received_at: Date;
  sequence: number | null;
  agent_id: string | null;
  correlation_id: string | null;
  payload: unknown;
}

/** An event ready to store; ids and received_at are taken by the service, before the commit. */
export type NewEvent = EventRecord;

/** An event on its way through ingestion (prepare-event.ts makes them): what is stored, and its source's kind. */
export type PreparedEvent = EventRecord & { source_kind: string };

/**
 * A committed event as the observer receives it: a prepared event without the fields of deduplication. Handed over
 * as is, not copied.
 */
export type StoredEvent = Omit<PreparedEvent, 'external_event_id' | 'idempotency_key' | 'payload_hash'>;

/** The stored event that a repeat of its idempotency key is compared with. */
export type ExistingEvent = Pick<EventRecord, 'id' | 'source_id' | 'idempotency_key' | 'payload_hash' | 'entity_type' | 'entity_id' | 'received_at'>;

/**
 * A repeat of a stored idempotency key with a different payload: the repeat's key and arrival, the stored event's id
 * and entity.
 */
export type DuplicateConflict = Pick<EventRecord, 'source_id' | 'idempotency_key' | 'entity_type' | 'entity_id' | 'received_at'> & {
  existing_event_id: string;
};

/** What an event says about its entity, whichever way it arrived. */
export type EventContent = Pick<EventRecord, 'event_type' | 'entity_type' | 'entity_id' | 'sequence' | 'agent_id' | 'correlation_id' | 'payload'>;

/** How an event is told apart from its repeats. */
export type EventIdentity = Pick<EventRecord, 'external_event_id' | 'idempotency_key' | 'payload_hash'>;
