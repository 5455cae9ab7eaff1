import type { Queryable } from '../../platform/db/index.js';
import type { StoredEvent } from '../ingest/index.js';

/** A stored event as the analyzer reads it back (the producer agent plays no part in the analysis). */
export type AnalyzedEventRow = Omit<StoredEvent, 'agent_id'>;

/** A stored event above the watermark, without its payload, and whether some transaction analysed it already. */
export interface PendingEventRow {
  id: string;
  source_id: string;
  source_kind: string;
  entity_type: string;
  analyzed: boolean;
}

const SWEEP_LOCK = 'orca:sync:sweep:';

/**
 * Durable analysis (sync_checkpoint, sync_analyzed_event): a watermark over event ids, the events claimed above it,
 * and the reads of the ingest module's stored events that catching up needs. Methods take the analysing
 * transaction first: a claim or a lock outside one would be released at once.
 */
export function createAnalysisProgressRepository(db: Queryable) {
  return {
    /**
     * Claims events for analysis in the analysing transaction: returns the ids this transaction may apply. An id
     * another transaction claimed (committed, or in flight: this waits for it) is not returned, so each event is
     * applied once. Ids are sorted so that concurrent claims lock in one order.
     */
    async claimEvents(tx: Queryable, ids: string[]): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const { rows } = await tx.query<{ event_id: string }>(
        `insert into sync_analyzed_event (event_id) select unnest($1::uuid[]) on conflict do nothing returning event_id`,
        [[...new Set(ids.map((id) => id.toLowerCase()))].sort()],
      );
      return new Set(rows.map((row) => row.event_id));
    },

    /** The analysis watermark, locked until the transaction ends. */
    async lockCheckpoint(tx: Queryable): Promise<string> {
      await tx.query(`insert into sync_checkpoint (name, event_id) values ('analysis', '00000000-0000-0000-0000-000000000000') on conflict do nothing`);
      const { rows } = await tx.query<{ event_id: string }>(`select event_id from sync_checkpoint where name = 'analysis' for update`);
      return rows[0]!.event_id;
    },

    /** Moves the watermark up to `eventId` and forgets the claims at or below it. */
    async advanceCheckpoint(tx: Queryable, eventId: string): Promise<void> {
      await tx.query(`update sync_checkpoint set event_id = $1, updated_at = now() where name = 'analysis' and event_id < $1`, [eventId]);
      await tx.query('delete from sync_analyzed_event where event_id <= $1', [eventId]);
    },

    /** One page of stored events above the watermark and below `before` (no payloads), with whether each was analysed. */
    async eventsAfter(tx: Queryable, after: string, before: string, limit: number): Promise<PendingEventRow[]> {
      const { rows } = await tx.query<PendingEventRow>(
        `select e.id, e.source_id, s.kind as source_kind, e.entity_type, (a.event_id is not null) as analyzed
         from event e join source s on s.id = e.source_id left join sync_analyzed_event a on a.event_id = e.id
         where e.id > $1 and e.id < $2 order by e.id limit $3`,
        [after, before, limit],
      );
      return rows;
    },

    /** Stored events by id, in id (arrival) order, as the analyzer reads them. */
    async loadEvents(ids: string[], tx: Queryable = db): Promise<AnalyzedEventRow[]> {
      if (ids.length === 0) return [];
      const { rows } = await tx.query<Omit<AnalyzedEventRow, 'sequence'> & { sequence: string | number | bigint | null }>(
        `select e.id, e.source_id, s.kind as source_kind, e.event_type, e.entity_type, e.entity_id, e.occurred_at, e.received_at,
                e.sequence, e.correlation_id, e.payload
         from event e join source s on s.id = e.source_id where e.id = any($1::uuid[]) order by e.id`,
        [ids],
      );
      return rows.map((row) => ({ ...row, sequence: row.sequence === null ? null : Number(row.sequence) }));
    },

    /** The kind of a registered source (a duplicate conflict names its source by id; contracts may name kinds). */
    async sourceKind(sourceId: string, tx: Queryable = db): Promise<string | undefined> {
      const { rows } = await tx.query<{ kind: string }>('select kind from source where id = $1', [sourceId]);
      return rows[0]?.kind;
    },

    /**
     * Takes the sweep's transaction-scoped advisory lock if no other transaction holds it: one sweeper at a time
     * across replicas (per schema), released when the transaction ends.
     */
    async tryLockSweep(tx: Queryable): Promise<boolean> {
      const { rows } = await tx.query<{ locked: boolean }>(`select pg_try_advisory_xact_lock(hashtext($1 || current_schema())) as locked`, [SWEEP_LOCK]);
      return rows[0]?.locked === true;
    },
  };
}

export type AnalysisProgressRepository = ReturnType<typeof createAnalysisProgressRepository>;
