import type { DuplicateConflict, StoredEvent } from './event.types.js';

/**
 * What the ingest module tells the rest of ORCA after events are durable (the sync analyzer implements it).
 * The ingest module takes an observer as a dependency; it never imports the analyzer.
 */
export interface IngestObserver {
  /** Called after the transaction holding these events committed, before the requests are acknowledged. Must not throw
   *  (log and count instead): the events are durable whatever the analysis does; the periodic sweep catches up. */
  eventsCommitted(events: StoredEvent[]): Promise<void>;
  /** Same idempotency key, different payload: opens a `duplicate` gap. Called after commit. */
  duplicateConflict(conflict: DuplicateConflict): Promise<void>;
  /** A webhook delivery whose signature did not verify (nothing was stored); alert rules count these. Must not throw. */
  signatureRejected?(rejection: { source_id: string; source_kind: string; reason: string }): Promise<void>;
}
