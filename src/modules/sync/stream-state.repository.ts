import type { Queryable } from '../../platform/db/index.js';

/** When a contracted stream last delivered (a sync_stream_state row): what its freshness is judged on. */
export interface StreamStateRow {
  contract: string;
  stream: string;
  last_event_at: Date | null;
  last_occurred_at: Date | null;
  events: number;
}

export function createStreamStateRepository(db: Queryable) {
  return {
    /** Records a batch's events of one stream; timestamps only move forward, so batches may commit in any order. */
    async touchStream(tx: Queryable, contract: string, stream: string, lastEventAt: Date, lastOccurredAt: Date, events: number): Promise<void> {
      await tx.query(
        `insert into sync_stream_state (contract, stream, last_event_at, last_occurred_at, events) values ($1, $2, $3, $4, $5)
         on conflict (contract, stream) do update set
           last_event_at = greatest(sync_stream_state.last_event_at, excluded.last_event_at),
           last_occurred_at = greatest(sync_stream_state.last_occurred_at, excluded.last_occurred_at),
           events = sync_stream_state.events + excluded.events,
           updated_at = now()`,
        [contract, stream, lastEventAt, lastOccurredAt, events],
      );
    },

    async streamStates(tx: Queryable = db): Promise<StreamStateRow[]> {
      const { rows } = await tx.query<StreamStateRow>('select contract, stream, last_event_at, last_occurred_at, events from sync_stream_state');
      return rows;
    },
  };
}

export type StreamStateRepository = ReturnType<typeof createStreamStateRepository>;
