import type { Queryable } from '../../platform/db/index.js';
import type { ExistingEvent, NewEvent } from './event.types.js';
import type { Event, ListEventsQuery } from './ingest.schemas.js';

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

const NEEDS_ESCAPE = /["\\]/;
const ESCAPED = /["\\]/g;

/**
 * A PostgreSQL array literal (`{…}`) for one column, passed as ONE text parameter and cast in SQL (`$1::uuid[]`):
 * the same bytes reach the server from PGlite and node-postgres (no driver-specific array encoding), and one
 * statement carries any number of rows (no 65,535-parameter ceiling). Every element is double-quoted with `"` and
 * `\` backslash-escaped, the array-literal rule, so any text round-trips; `null` is the unquoted NULL.
 */
export function arrayLiteral(values: ReadonlyArray<string | number | null>): string {
  let literal = '{';
  for (let index = 0; index < values.length; index += 1) {
    if (index > 0) literal += ',';
    const value = values[index];
    if (value === null || value === undefined) literal += 'NULL';
    else if (typeof value === 'number') literal += String(value);
    else literal += `"${NEEDS_ESCAPE.test(value) ? value.replace(ESCAPED, '\\$&') : value}"`;
  }
  return `${literal}}`;
}

/**
 * The ISO text of a timestamp column whose events mostly share one Date object (received_at: one per request):
 * formatted once per distinct object rather than once per event.
 */
function isoOnce(pick: (event: NewEvent) => Date): (event: NewEvent) => string {
  let last: Date | undefined;
  let text = '';
  return (event) => {
    const date = pick(event);
    if (date !== last) {
      last = date;
      text = date.toISOString();
    }
    return text;
  };
}

/** One column of every event, as an array literal. */
function column(events: NewEvent[], pick: (event: NewEvent) => string | number | null): string {
  return arrayLiteral(events.map(pick));
}

/**
 * Rows travel column-wise: one array parameter per column, zipped back into rows by ROWS FROM (the payloads as one
 * JSON array). One statement per batch whatever its size. The server parses typed arrays with less CPU than it
 * expands a jsonb document of row objects (jsonb_to_recordset, used before), and the inserts are PostgreSQL's share
 * of every ingested event.
 */
export function createIngestRepository(db: Queryable) {
  return {
    /** Inserts what is new and returns the ids actually inserted; repeats of a stored key are skipped, not failed. */
    async insertEvents(events: NewEvent[], tx: Queryable = db): Promise<Set<string>> {
      if (events.length === 0) return new Set();
      const { rows } = await tx.query<{ id: string }>(
        `insert into event (id, source_id, external_event_id, idempotency_key, payload_hash, event_type, entity_type,
                            entity_id, occurred_at, received_at, sequence, agent_id, correlation_id, payload)
         select * from rows from (
           unnest($1::uuid[]), unnest($2::uuid[]), unnest($3::text[]), unnest($4::text[]), unnest($5::text[]),
           unnest($6::text[]), unnest($7::text[]), unnest($8::text[]), unnest($9::timestamptz[]),
           unnest($10::timestamptz[]), unnest($11::bigint[]), unnest($12::uuid[]), unnest($13::text[]),
           jsonb_array_elements($14::jsonb))
         on conflict (source_id, idempotency_key) do nothing
         returning id`,
        // Only the columns: callers may hand over richer objects (the ingest service's prepared events).
        [
          column(events, (event) => event.id),
          column(events, (event) => event.source_id),
          column(events, (event) => event.external_event_id),
          column(events, (event) => event.idempotency_key),
          column(events, (event) => event.payload_hash),
          column(events, (event) => event.event_type),
          column(events, (event) => event.entity_type),
          column(events, (event) => event.entity_id),
          column(events, (event) => event.occurred_at.toISOString()),
          column(events, isoOnce((event) => event.received_at)),
          column(events, (event) => event.sequence),
          column(events, (event) => event.agent_id),
          column(events, (event) => event.correlation_id),
          JSON.stringify(events.map((event) => event.payload)),
        ],
        // Parsed and planned once per connection: a webhook batch is a few dozen rows, so parsing showed.
        { prepared: 'orca_event_insert' },
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
