/**
 * What the ingest module tells the rest of ORCA after events are durable (the sync analyzer implements it).
 * The ingest module takes an observer as a dependency; it never imports the analyzer.
 */
export interface StoredEvent {
  id: string;
  source_id: string;
  source_kind: string;
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

export interface IngestObserver {
  /** Called after the transaction holding these events committed, before the requests are acknowledged. Must not throw
   *  (log and count instead): the events are durable whatever the analysis does; the periodic sweep catches up. */
  eventsCommitted(events: StoredEvent[]): Promise<void>;
  /** Same idempotency key, different payload (docs/ingestion.md "Idempotency"): opens a `duplicate` gap. Called after commit. */
  duplicateConflict(conflict: {
    source_id: string;
    idempotency_key: string;
    existing_event_id: string;
    entity_type: string;
    entity_id: string;
    received_at: Date;
  }): Promise<void>;
}
