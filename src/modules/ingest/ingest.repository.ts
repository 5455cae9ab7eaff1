import type { Queryable } from '../../platform/db/index.js';
import type { Event, ListEventsQuery } from './ingest.schemas.js';

/** An event ready to store; ids and received_at are taken by the service, before the commit. */
export interface NewEvent {
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

export interface ExistingEvent {
  id: string;
  source_id: string;
  idempotency_key: string;
  payload_hash: string;
  entity_type: string;
  entity_id: string;
  received_at: Date;
}

export interface NewRun {
  id: string;
  agent_id: string;
  started_at: string;
  duration_ms: number;
  outcome: 'success' | 'error' | 'timeout';
  error_kind: string | null;
  tokens_in: number;
  tokens_out: number;
  cost_usd: number;
  correlation_id: string | null;
  received_at: Date;
}

interface EventRow extends Omit<Event, 'occurred_at' | 'received_at'> {
  occurred_at: Date;
  received_at: Date;
}

const EVENT_RECORD = `x(id uuid, source_id uuid, external_event_id text, idempotency_key text, payload_hash text, event_type text,
  entity_type text, entity_id text, occurred_at timestamptz, received_at timestamptz, sequence bigint, agent_id uuid,
  correlation_id text, payload jsonb)`;

/**
 * Rows travel as ONE jsonb parameter expanded by jsonb_to_recordset: one statement per batch whatever its size,
 * identical on PGlite and node-postgres (no driver-specific array encoding), and no 65,535-parameter ceiling.
 */
export function createIngestRepository(db: Queryable) {
  return {
    /** Inserts what is new and returns the ids actually inserted; repeats of a stored key are skipped, not failed. */
    async insertEvents(events: NewEvent[], tx: Queryable = db): Promise<Set<string>> {
      if (events.length === 0) return new Set();
      const { rows } = await tx.query<{ id: string }>(
        `insert into event (id, source_id, external_event_id, idempotency_key, payload_hash, event_type, entity_type,
                            entity_id, occurred_at, received_at, sequence, agent_id, correlation_id, payload)
         select id, source_id, external_event_id, idempotency_key, payload_hash, event_type, entity_type, entity_id,
                occurred_at, received_at, sequence, agent_id, correlation_id, payload
         from jsonb_to_recordset($1::jsonb) as ${EVENT_RECORD}
         on conflict (source_id, idempotency_key) do nothing
         returning id`,
        // Only the columns: callers may hand over richer objects (the ingest service's prepared events).
        [
          JSON.stringify(
            events.map((event) => ({
              id: event.id,
              source_id: event.source_id,
              external_event_id: event.external_event_id,
              idempotency_key: event.idempotency_key,
              payload_hash: event.payload_hash,
              event_type: event.event_type,
              entity_type: event.entity_type,
              entity_id: event.entity_id,
              occurred_at: event.occurred_at,
              received_at: event.received_at,
              sequence: event.sequence,
              agent_id: event.agent_id,
              correlation_id: event.correlation_id,
              payload: event.payload,
            })),
          ),
        ],
      );
      return new Set(rows.map((row) => row.id));
    },

    async findByKeys(keys: Array<{ source_id: string; idempotency_key: string }>, tx: Queryable = db): Promise<ExistingEvent[]> {
      if (keys.length === 0) return [];
      const { rows } = await tx.query<ExistingEvent>(
        `select e.id, e.source_id, e.idempotency_key, e.payload_hash, e.entity_type, e.entity_id, e.received_at
         from event e
         join jsonb_to_recordset($1::jsonb) as k(source_id uuid, idempotency_key text)
           on e.source_id = k.source_id and e.idempotency_key = k.idempotency_key`,
        [JSON.stringify(keys)],
      );
      return rows;
    },

    /** Keyset pagination on id (UUIDv7 taken at receipt), newest first. */
    async listEvents(query: ListEventsQuery & { limit: number; after?: string }): Promise<Event[]> {
      const conditions: string[] = [];
      const values: unknown[] = [];
      const add = (sql: (placeholder: string) => string, value: unknown) => {
        values.push(value);
        conditions.push(sql(`$${values.length}`));
      };
      const timeField = query.time_field === 'occurred_at' ? 'occurred_at' : 'received_at';
      if (query.source_id) add((p) => `source_id = ${p}`, query.source_id);
      if (query.event_type) add((p) => `event_type = ${p}`, query.event_type);
      if (query.entity_type) add((p) => `entity_type = ${p}`, query.entity_type);
      if (query.entity_id) add((p) => `entity_id = ${p}`, query.entity_id);
      if (query.agent_id) add((p) => `agent_id = ${p}`, query.agent_id);
      if (query.since) add((p) => `${timeField} >= ${p}`, query.since);
      if (query.until) add((p) => `${timeField} < ${p}`, query.until);
      if (query.after) add((p) => `id < ${p}`, query.after);
      values.push(query.limit);
      const where = conditions.length > 0 ? `where ${conditions.join(' and ')}` : '';
      const { rows } = await db.query<EventRow>(
        `select id, source_id, external_event_id, idempotency_key, event_type, entity_type, entity_id, occurred_at,
                received_at, sequence, agent_id, correlation_id, payload
         from event ${where} order by id desc limit $${values.length}`,
        values,
      );
      return rows.map((row) => ({ ...row, occurred_at: row.occurred_at.toISOString(), received_at: row.received_at.toISOString() }));
    },

    /** The ids among `ids` that name a registered agent. */
    async existingAgents(ids: string[], tx: Queryable = db): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const { rows } = await tx.query<{ id: string }>(
        'select id from agent where id in (select value::uuid from jsonb_array_elements_text($1::jsonb))',
        [JSON.stringify(ids)],
      );
      return new Set(rows.map((row) => row.id));
    },

    /** Inserts the runs whose id is new; returns the ids inserted (a retried batch inserts nothing twice). */
    async insertRuns(runs: NewRun[], tx: Queryable = db): Promise<Set<string>> {
      const { rows } = await tx.query<{ id: string }>(
        `insert into run (id, agent_id, started_at, duration_ms, outcome, error_kind, tokens_in, tokens_out, cost_usd,
                          correlation_id, received_at)
         select id, agent_id, started_at, duration_ms, outcome, error_kind, tokens_in, tokens_out, cost_usd, correlation_id, received_at
         from jsonb_to_recordset($1::jsonb) as x(id uuid, agent_id uuid, started_at timestamptz, duration_ms integer,
              outcome text, error_kind text, tokens_in integer, tokens_out integer, cost_usd numeric, correlation_id text,
              received_at timestamptz)
         on conflict (id) do nothing
         returning id`,
        [JSON.stringify(runs)],
      );
      return new Set(rows.map((row) => row.id));
    },
  };
}

export type IngestRepository = ReturnType<typeof createIngestRepository>;
