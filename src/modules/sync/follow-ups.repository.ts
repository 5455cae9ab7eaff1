import type { Queryable } from '../../platform/db/index.js';
import { retentionCondition, type RetentionScope } from './entity-state.repository.js';

/** A follow-up awaited after its trigger (a sync_followup row). */
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

/** A follow-up as a batch records it: satisfied already when its follow-up event arrived before the trigger. */
export type AwaitedFollowUp = FollowUpRow & { satisfied_at: Date | null; satisfied_by: string | null };

/** The follow-ups the analyzer awaits (sync_followup): recorded on a trigger, satisfied or overdue later. */
export function createFollowUpsRepository(db: Queryable) {
  return {
    /** The follow-ups a batch's triggers await, in one statement; a trigger already recorded is skipped. */
    async insertFollowUps(tx: Queryable, rows: AwaitedFollowUp[]): Promise<void> {
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

    /** Forgets up to `limit` satisfied (or retired) follow-ups of the scope not written for `idleMs`; returns how many. */
    async forgetSatisfied(scope: RetentionScope, idleMs: number, limit: number, tx: Queryable = db): Promise<number> {
      const which = retentionCondition(scope);
      const { rowCount } = await tx.query(
        `delete from sync_followup where id in (
           select id from sync_followup
           where ${which.sql} and satisfied_at is not null and updated_at < now() - $2 * interval '1 millisecond' limit $3)`,
        [which.value, idleMs, limit],
      );
      return rowCount;
    },
  };
}

export type FollowUpsRepository = ReturnType<typeof createFollowUpsRepository>;
