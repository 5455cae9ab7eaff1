import type { Queryable } from '../../platform/db/index.js';

/** One entity's memory under one rule (a sync_entity_state row). */
export interface EntityRef {
  contract: string;
  rule: string;
  key: string;
}

/** An entity-state row's identity, as a map key. */
export const entityKey = (ref: EntityRef): string => `${ref.contract}\u0000${ref.rule}\u0000${ref.key}`;

/** Whose idle memory the sweep forgets: one contract's, or that of every contract not in a list (removed ones). */
export type RetentionScope = { contract: string } | { otherThan: string[] };

/** The condition (on a `contract` column, as `$1`) and its value that select a retention scope's rows. */
export function retentionCondition(scope: RetentionScope): { sql: string; value: string | string[] } {
  return 'contract' in scope ? { sql: 'contract = $1', value: scope.contract } : { sql: 'not (contract = any($1::text[]))', value: scope.otherThan };
}

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

/**
 * The analyzer's per-entity memory (sync_entity_state), read and written a batch at a time. The batch methods take
 * the analysing transaction first, not as an option: outside one, their row locks would end with their statement.
 */
export function createEntityStateRepository(db: Queryable) {
  return {
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
     * The optimistic first step (see entity-batch.ts): locks and reads the state rows that already exist, in the
     * order given, and creates none. Returns the states aligned with `refs` and which of them have a row.
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

    /** Forgets up to `limit` memories of the scope not written for `idleMs` (database time); returns how many. */
    async forgetIdle(scope: RetentionScope, idleMs: number, limit: number, tx: Queryable = db): Promise<number> {
      const which = retentionCondition(scope);
      const { rowCount } = await tx.query(
        `delete from sync_entity_state where (contract, rule, key) in (
           select contract, rule, key from sync_entity_state
           where ${which.sql} and updated_at < now() - $2 * interval '1 millisecond' limit $3)`,
        [which.value, idleMs, limit],
      );
      return rowCount;
    },
  };
}

export type EntityStateRepository = ReturnType<typeof createEntityStateRepository>;
