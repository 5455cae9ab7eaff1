import { type Queryable, whereClause } from '../../platform/db/index.js';
import type { ContractDocument, GapType, Severity } from './contract.js';
import type { StoredEvent } from '../ingest/index.js';

export interface ContractVersionRecord {
  version: number;
  document: ContractDocument;
  format: 'yaml' | 'json';
  created_by: string;
  correlation_id: string | null;
  created_at: Date;
}

export interface GapRow {
  id: string;
  type: GapType;
  severity: Severity;
  contract: string | null;
  stream: string | null;
  rule: string;
  entity_type: string | null;
  entity_id: string | null;
  agent_id: string | null;
  detected_at: Date;
  due_at: Date | null;
  resolved_at: Date | null;
  resolution: 'auto' | 'manual' | null;
  resolved_by: string | null;
  resolution_reason: string | null;
  risk_kind: string | null;
  cost_usd: number;
  detail: Record<string, unknown>;
}

export type NewGap = Omit<GapRow, 'resolved_at' | 'resolution' | 'resolved_by' | 'resolution_reason'>;

export interface GapIdentity {
  type: GapType;
  contract: string | null;
  rule: string;
  entity_id: string | null;
}

/** One entity's memory under one rule (a sync_entity_state row). */
export interface EntityRef {
  contract: string;
  rule: string;
  key: string;
}

/** An entity-state row's identity, as a map key. */
export const entityKey = (ref: EntityRef): string => `${ref.contract}\u0000${ref.rule}\u0000${ref.key}`;

/** The identity of an entity's gap of one type under one rule, as a map key. */
export const gapKey = (type: GapType, ref: { contract: string; rule: string; entity_id?: string; key?: string }): string =>
  `${type}\u0000${ref.contract}\u0000${ref.rule}\u0000${ref.entity_id ?? ref.key ?? ''}`;

export interface StreamStateRow {
  contract: string;
  stream: string;
  last_event_at: Date | null;
  last_occurred_at: Date | null;
  events: number;
}

export interface FollowUpRow {
  id: string;
  contract: string;
  rule: string;
  key: string;
  trigger_event_id: string;
  trigger_at: Date;
  open_at: Date;
  due_at: Date;
}

/** A stored event as the analyzer reads it back (the producer agent plays no part in the analysis). */
export type AnalyzedEventRow = Omit<StoredEvent, 'agent_id'>;

export interface GapFilters {
  type?: GapType;
  severity?: Severity;
  status?: 'open' | 'resolved';
  contract?: string;
  agent_id?: string;
  entity?: string;
  stream?: string;
  rule?: string;
}

const GAP_COLUMNS = [
  'id',
  'type',
  'severity',
  'contract',
  'stream',
  'rule',
  'entity_type',
  'entity_id',
  'agent_id',
  'detected_at',
  'due_at',
  'risk_kind',
  'cost_usd',
  'detail',
] as const satisfies readonly (keyof NewGap)[];

/**
 * Locks (FOR UPDATE, in the order given) and reads the state rows of these entities that exist; `index` is each
 * entity's position in the caller's list, returned with its state (undefined for a row created empty).
 */
async function lockExisting(tx: Queryable, entities: Array<{ ref: EntityRef; index: number }>): Promise<Array<{ n: number; state: unknown }>> {
  const { rows } = await tx.query<{ n: string | number; state: unknown }>(
    `select x.n, s.state
     from rows from (unnest($1::text[]), unnest($2::text[]), unnest($3::text[]), unnest($4::int[])) as x(contract, rule, key, n)
     join sync_entity_state s on s.contract = x.contract and s.rule = x.rule and s.key = x.key
     order by x.n
     for update of s`,
    [entities.map(({ ref }) => ref.contract), entities.map(({ ref }) => ref.rule), entities.map(({ ref }) => ref.key), entities.map(({ index }) => index)],
  );
  return rows.map((row) => ({ n: Number(row.n), state: row.state ?? undefined }));
}

export function createSyncRepository(db: Queryable) {
  return {
    // ---- contracts ----
    async latestContractVersion(tx: Queryable = db): Promise<ContractVersionRecord | undefined> {
      const { rows } = await tx.query<ContractVersionRecord>('select * from sync_contract_version order by version desc limit 1');
      return rows[0];
    },

    async contractVersion(version: number): Promise<ContractVersionRecord | undefined> {
      const { rows } = await db.query<ContractVersionRecord>('select * from sync_contract_version where version = $1', [version]);
      return rows[0];
    },

    /** Versions are numbered 1, 2, … under a transaction-scoped lock, so concurrent PUTs on replicas never collide. */
    async insertContractVersion(
      tx: Queryable,
      values: { document: ContractDocument; format: 'yaml' | 'json'; created_by: string; correlation_id: string | null; created_at: Date },
    ): Promise<ContractVersionRecord> {
      await tx.query(`select pg_advisory_xact_lock(hashtext('orca:sync:contracts:' || current_schema()))`);
      const { rows } = await tx.query<ContractVersionRecord>(
        `insert into sync_contract_version (version, document, format, created_by, correlation_id, created_at)
         select coalesce(max(version), 0) + 1, $1, $2, $3, $4, $5 from sync_contract_version
         returning *`,
        [JSON.stringify(values.document), values.format, values.created_by, values.correlation_id, values.created_at],
      );
      return rows[0]!;
    },

    async existingAgents(ids: string[], tx: Queryable = db): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const { rows } = await tx.query<{ id: string }>('select id from agent where id = any($1::uuid[])', [ids]);
      return new Set(rows.map((row) => row.id));
    },

    async sourceKind(sourceId: string): Promise<string | undefined> {
      const { rows } = await db.query<{ kind: string }>('select kind from source where id = $1', [sourceId]);
      return rows[0]?.kind;
    },

    // ---- gaps ----
    /** Opens a gap unless one with the same identity is open; returns the open gap's id either way. */
    async openGap(tx: Queryable, gap: NewGap): Promise<{ id: string; opened: boolean }> {
      const placeholders = GAP_COLUMNS.map((_, index) => `$${index + 1}`).join(', ');
      const { rows } = await tx.query<{ id: string }>(
        `insert into sync_gap (${GAP_COLUMNS.join(', ')}) values (${placeholders})
         on conflict (type, coalesce(contract, ''), rule, coalesce(entity_id, '')) where resolved_at is null do nothing
         returning id`,
        GAP_COLUMNS.map((column) => (column === 'detail' ? JSON.stringify(gap.detail) : gap[column])),
      );
      if (rows[0]) return { id: rows[0].id, opened: true };
      const existing = await tx.query<{ id: string }>(
        `select id from sync_gap where type = $1 and coalesce(contract, '') = coalesce($2, '') and rule = $3
           and coalesce(entity_id, '') = coalesce($4, '') and resolved_at is null`,
        [gap.type, gap.contract, gap.rule, gap.entity_id],
      );
      return { id: existing.rows[0]!.id, opened: false };
    },

    /** Closes the open gap with this identity, if any (the data arrived or agrees again). */
    async autoResolve(tx: Queryable, identity: GapIdentity, at: Date, detail: Record<string, unknown>): Promise<GapRow[]> {
      const { rows } = await tx.query<GapRow>(
        `update sync_gap set resolved_at = $5, resolution = 'auto', resolved_by = 'analyzer', detail = detail || $6::jsonb, updated_at = now()
         where type = $1 and coalesce(contract, '') = coalesce($2, '') and rule = $3 and coalesce(entity_id, '') = coalesce($4, '')
           and resolved_at is null
         returning *`,
        [identity.type, identity.contract, identity.rule, identity.entity_id, at, JSON.stringify(detail)],
      );
      return rows;
    },

    async autoResolveIds(tx: Queryable, ids: string[], at: Date, detail: Record<string, unknown>): Promise<GapRow[]> {
      if (ids.length === 0) return [];
      const { rows } = await tx.query<GapRow>(
        `update sync_gap set resolved_at = $2, resolution = 'auto', resolved_by = 'analyzer', detail = detail || $3::jsonb, updated_at = now()
         where id = any($1::uuid[]) and resolved_at is null
         returning *`,
        [ids, at, JSON.stringify(detail)],
      );
      return rows;
    },

    async findGap(id: string, tx: Queryable = db, options: { forUpdate?: boolean } = {}): Promise<GapRow | undefined> {
      const { rows } = await tx.query<GapRow>(`select * from sync_gap where id = $1${options.forUpdate ? ' for update' : ''}`, [id]);
      return rows[0];
    },

    async resolveManually(tx: Queryable, id: string, at: Date, actor: string, reason: string): Promise<GapRow> {
      const { rows } = await tx.query<GapRow>(
        `update sync_gap set resolved_at = $2, resolution = 'manual', resolved_by = $3, resolution_reason = $4, updated_at = now()
         where id = $1 returning *`,
        [id, at, actor, reason],
      );
      return rows[0]!;
    },

    /** Keyset pagination on id (UUIDv7), newest first. */
    async listGaps(filters: GapFilters & { limit: number; after?: string }): Promise<GapRow[]> {
      const where = whereClause();
      if (filters.type) where.add((p) => `type = ${p}`, filters.type);
      if (filters.severity) where.add((p) => `severity = ${p}`, filters.severity);
      if (filters.status === 'open') where.addFixed('resolved_at is null');
      if (filters.status === 'resolved') where.addFixed('resolved_at is not null');
      if (filters.contract) where.add((p) => `contract = ${p}`, filters.contract);
      if (filters.agent_id) where.add((p) => `agent_id = ${p}`, filters.agent_id);
      if (filters.entity) where.add((p) => `entity_id = ${p}`, filters.entity);
      if (filters.stream) where.add((p) => `stream = ${p}`, filters.stream);
      if (filters.rule) where.add((p) => `rule = ${p}`, filters.rule);
      if (filters.after) where.add((p) => `id < ${p}`, filters.after);
      const limit = where.bind(filters.limit);
      const { text, values } = where.build();
      const { rows } = await db.query<GapRow>(`select * from sync_gap ${text} order by id desc limit ${limit}`, values);
      return rows;
    },

    async countOpenGaps(): Promise<Array<{ type: GapType; severity: Severity; count: number }>> {
      const { rows } = await db.query<{ type: GapType; severity: Severity; count: number }>(
        'select type, severity, count(*)::int8 as count from sync_gap where resolved_at is null group by type, severity',
      );
      return rows;
    },

    async openGapsByStream(): Promise<Array<{ contract: string; stream: string; count: number }>> {
      const { rows } = await db.query<{ contract: string; stream: string; count: number }>(
        `select contract, stream, count(*)::int8 as count from sync_gap
         where resolved_at is null and contract is not null and stream is not null group by contract, stream`,
      );
      return rows;
    },

    // ---- stream state ----
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

    // ---- per-entity state, a batch at a time ----
    /**
     * Locks the state rows of every entity a batch touches (creating empty ones first), in the order given — every
     * analysing transaction sorts them the same way (lockKey), so concurrent batches take turns without deadlock —
     * and returns their states, aligned with `refs` (undefined when nothing was stored yet). Two statements per
     * batch, whatever its size.
     */
    async lockEntityStates(tx: Queryable, refs: EntityRef[]): Promise<unknown[]> {
      if (refs.length === 0) return [];
      const states = new Array<unknown>(refs.length).fill(undefined);
      // Rows this statement creates are this transaction's until it ends (a concurrent creator of the same entity
      // waits on the unique key): they need no lock of their own, and hold no state yet.
      const created = await tx.query<EntityRef>(
        `insert into sync_entity_state (contract, rule, key, state)
         select contract, rule, key, 'null'::jsonb
         from rows from (unnest($1::text[]), unnest($2::text[]), unnest($3::text[])) with ordinality as x(contract, rule, key, n)
         order by n
         on conflict do nothing
         returning contract, rule, key`,
        [refs.map((ref) => ref.contract), refs.map((ref) => ref.rule), refs.map((ref) => ref.key)],
      );
      const fresh = new Set(created.rows.map(entityKey));
      const existing = refs.map((ref, index) => ({ ref, index })).filter(({ ref }) => !fresh.has(entityKey(ref)));
      if (existing.length === 0) return states;
      for (const row of await lockExisting(tx, existing)) states[row.n] = row.state;
      return states;
    },

    /**
     * The optimistic first step (see the engine's lockBatch): locks and reads the state rows that already exist, in
     * the order given, and creates none. Returns the states aligned with `refs` and which of them have a row.
     */
    async lockExistingEntityStates(tx: Queryable, refs: EntityRef[]): Promise<{ states: unknown[]; exists: boolean[] }> {
      const states = new Array<unknown>(refs.length).fill(undefined);
      const exists = new Array<boolean>(refs.length).fill(false);
      if (refs.length === 0) return { states, exists };
      for (const row of await lockExisting(tx, refs.map((ref, index) => ({ ref, index })))) {
        states[row.n] = row.state;
        exists[row.n] = true;
      }
      return { states, exists };
    },

    /**
     * Creates state rows with their states, in the order given (every analysing transaction creates in lock order).
     * A row another transaction created since this one looked is left alone; returns how many were created.
     */
    async createEntityStates(tx: Queryable, entries: Array<EntityRef & { state: unknown }>): Promise<number> {
      if (entries.length === 0) return 0;
      const { rows } = await tx.query(
        `insert into sync_entity_state (contract, rule, key, state)
         select contract, rule, key, state
         from rows from (unnest($1::text[]), unnest($2::text[]), unnest($3::text[]), jsonb_array_elements($4::jsonb)) with ordinality
              as x(contract, rule, key, state, n)
         order by n
         on conflict do nothing
         returning 1`,
        [entries.map((entry) => entry.contract), entries.map((entry) => entry.rule), entries.map((entry) => entry.key), JSON.stringify(entries.map((entry) => entry.state))],
      );
      return rows.length;
    },

    /** Writes the states a batch changed, one statement for all of them (their rows are locked by lockEntityStates). */
    async saveEntityStates(tx: Queryable, entries: Array<EntityRef & { state: unknown }>): Promise<void> {
      if (entries.length === 0) return;
      await tx.query(
        `update sync_entity_state s set state = x.state, updated_at = now()
         from rows from (unnest($1::text[]), unnest($2::text[]), unnest($3::text[]), jsonb_array_elements($4::jsonb)) as x(contract, rule, key, state)
         where s.contract = x.contract and s.rule = x.rule and s.key = x.key`,
        [entries.map((entry) => entry.contract), entries.map((entry) => entry.rule), entries.map((entry) => entry.key), JSON.stringify(entries.map((entry) => entry.state))],
      );
    },

    /**
     * The open gaps of the given types whose (contract, rule, entity) is one of `refs`, as `gapKey`s: which automatic
     * resolutions a batch may have to make, so that the others cost no statement.
     */
    async openGapKeys(tx: Queryable, types: GapType[], refs: EntityRef[]): Promise<Set<string>> {
      if (refs.length === 0) return new Set();
      const { rows } = await tx.query<{ type: GapType; contract: string; rule: string; entity_id: string }>(
        `select g.type, g.contract, g.rule, g.entity_id
         from rows from (unnest($1::text[]), unnest($2::text[]), unnest($3::text[])) as x(contract, rule, key)
         join sync_gap g on coalesce(g.contract, '') = x.contract and g.rule = x.rule and coalesce(g.entity_id, '') = x.key
         where g.type = any($4::text[]) and g.resolved_at is null`,
        [refs.map((ref) => ref.contract), refs.map((ref) => ref.rule), refs.map((ref) => ref.key), types],
      );
      return new Set(rows.map((row) => gapKey(row.type, row)));
    },

    // ---- follow-ups ----
    /** The follow-ups a batch's triggers await, in one statement; a trigger already recorded is skipped. */
    async insertFollowUps(tx: Queryable, rows: Array<FollowUpRow & { satisfied_at: Date | null; satisfied_by: string | null }>): Promise<void> {
      if (rows.length === 0) return;
      const iso = (date: Date | null) => (date === null ? null : date.toISOString());
      await tx.query(
        `insert into sync_followup (id, contract, rule, key, trigger_event_id, trigger_at, open_at, due_at, satisfied_at, satisfied_by)
         select * from rows from (unnest($1::uuid[]), unnest($2::text[]), unnest($3::text[]), unnest($4::text[]), unnest($5::uuid[]),
           unnest($6::timestamptz[]), unnest($7::timestamptz[]), unnest($8::timestamptz[]), unnest($9::timestamptz[]), unnest($10::uuid[]))
         on conflict (contract, rule, key, trigger_event_id) do nothing`,
        [
          rows.map((row) => row.id),
          rows.map((row) => row.contract),
          rows.map((row) => row.rule),
          rows.map((row) => row.key),
          rows.map((row) => row.trigger_event_id),
          rows.map((row) => iso(row.trigger_at)),
          rows.map((row) => iso(row.open_at)),
          rows.map((row) => iso(row.due_at)),
          rows.map((row) => iso(row.satisfied_at)),
          rows.map((row) => row.satisfied_by),
        ],
      );
    },

    /** Marks every awaited follow-up of the key satisfied; returns the gaps opened for them (to close). */
    async satisfyFollowUps(tx: Queryable, contract: string, rule: string, key: string, eventId: string, at: Date): Promise<string[]> {
      const { rows } = await tx.query<{ gap_id: string | null }>(
        `update sync_followup set satisfied_at = $5, satisfied_by = $4, updated_at = now()
         where contract = $1 and rule = $2 and key = $3 and satisfied_at is null
         returning gap_id`,
        [contract, rule, key, eventId, at],
      );
      return [...new Set(rows.map((row) => row.gap_id).filter((id): id is string => id !== null))];
    },

    /** Follow-ups whose gap should be open by now; skip-locked so that an overlapping sweep never double-handles one. */
    async dueFollowUps(tx: Queryable, now: Date, limit: number): Promise<FollowUpRow[]> {
      const { rows } = await tx.query<FollowUpRow>(
        `select id, contract, rule, key, trigger_event_id, trigger_at, open_at, due_at from sync_followup
         where satisfied_at is null and gap_id is null and open_at <= $1
         order by open_at limit $2 for update skip locked`,
        [now, limit],
      );
      return rows;
    },

    async linkFollowUpGap(tx: Queryable, id: string, gapId: string): Promise<void> {
      await tx.query('update sync_followup set gap_id = $2, updated_at = now() where id = $1', [id, gapId]);
    },

    /** A follow-up whose rule left the active contracts is no longer awaited. */
    async retireFollowUp(tx: Queryable, id: string, at: Date): Promise<void> {
      await tx.query('update sync_followup set satisfied_at = $2, updated_at = now() where id = $1', [id, at]);
    },

    // ---- durable analysis: watermark over event ids and the events claimed above it ----
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
    async eventsAfter(
      tx: Queryable,
      after: string,
      before: string,
      limit: number,
    ): Promise<Array<{ id: string; source_id: string; source_kind: string; entity_type: string; analyzed: boolean }>> {
      const { rows } = await tx.query<{ id: string; source_id: string; source_kind: string; entity_type: string; analyzed: boolean }>(
        `select e.id, e.source_id, s.kind as source_kind, e.entity_type, (a.event_id is not null) as analyzed
         from event e join source s on s.id = e.source_id left join sync_analyzed_event a on a.event_id = e.id
         where e.id > $1 and e.id < $2 order by e.id limit $3`,
        [after, before, limit],
      );
      return rows;
    },

    /** Stored events by id, in id (arrival) order, as the analyzer reads them. */
    async loadEvents(tx: Queryable, ids: string[]): Promise<AnalyzedEventRow[]> {
      if (ids.length === 0) return [];
      const { rows } = await tx.query<Omit<AnalyzedEventRow, 'sequence'> & { sequence: string | number | bigint | null }>(
        `select e.id, e.source_id, s.kind as source_kind, e.event_type, e.entity_type, e.entity_id, e.occurred_at, e.received_at,
                e.sequence, e.correlation_id, e.payload
         from event e join source s on s.id = e.source_id where e.id = any($1::uuid[]) order by e.id`,
        [ids],
      );
      return rows.map((row) => ({ ...row, sequence: row.sequence === null ? null : Number(row.sequence) }));
    },

    // ---- retention ----
    /**
     * Forgets up to `limit` per-entity memories of `contract` not written for `idleMs` (database time), and as many
     * satisfied (or retired) follow-ups. `contract` null: every contract not in `active`. Returns the rows deleted.
     */
    async forgetIdle(tx: Queryable, contract: string | null, active: string[], idleMs: number, limit: number): Promise<number> {
      const which = contract === null ? 'not (contract = any($1::text[]))' : 'contract = $1';
      const first = contract === null ? active : contract;
      const states = await tx.query(
        `delete from sync_entity_state where (contract, rule, key) in (
           select contract, rule, key from sync_entity_state
           where ${which} and updated_at < now() - $2 * interval '1 millisecond' limit $3)`,
        [first, idleMs, limit],
      );
      const followUps = await tx.query(
        `delete from sync_followup where id in (
           select id from sync_followup
           where ${which} and satisfied_at is not null and updated_at < now() - $2 * interval '1 millisecond' limit $3)`,
        [first, idleMs, limit],
      );
      return states.rowCount + followUps.rowCount;
    },

    /**
     * Open gaps attributed to a contract (to close those whose rule a new contracts version removed). Not locked:
     * the closing update re-checks `resolved_at is null`, so a gap the analyzer closes meanwhile stays as it closed.
     */
    async openAttributedGaps(tx: Queryable): Promise<Array<{ id: string; contract: string; rule: string }>> {
      const { rows } = await tx.query<{ id: string; contract: string; rule: string }>(
        'select id, contract, rule from sync_gap where resolved_at is null and contract is not null order by id',
      );
      return rows;
    },

    async tryLock(tx: Queryable, name: string): Promise<boolean> {
      const { rows } = await tx.query<{ locked: boolean }>(`select pg_try_advisory_xact_lock(hashtext($1 || current_schema())) as locked`, [name]);
      return rows[0]?.locked === true;
    },
  };
}

export type SyncRepository = ReturnType<typeof createSyncRepository>;
