import { type Queryable, whereClause } from '../../platform/db/index.js';
import type { RemediationActionName, StoredGap } from '../sync/index.js';
import type { RemediationStatus, Transition } from './remediation-state.js';

export interface RemediationRow {
  id: string;
  gap_id: string;
  gap_type: string;
  contract: string | null;
  rule: string;
  entity_id: string | null;
  agent_id: string | null;
  action: RemediationActionName;
  position: number;
  receiver: string | null;
  status: RemediationStatus;
  attempts: number;
  max_attempts: number;
  verify_within_ms: number;
  next_attempt_at: Date | null;
  dispatched_attempt: number;
  dispatched_at: Date | null;
  verify_until: Date | null;
  last_attempt_at: Date | null;
  finished_at: Date | null;
  healed_at: Date | null;
  reason: string | null;
  last_error: string | null;
  result: Record<string, unknown>;
  correlation_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export type NewRemediation = Omit<RemediationRow, 'updated_at' | 'last_attempt_at' | 'verify_until' | 'healed_at' | 'last_error' | 'result' | 'attempts'>;

/** The sync gap a remediation serves, as this module reads it (the sync module owns the table and its row type). */
export type GapRecord = Pick<
  StoredGap,
  'id' | 'type' | 'severity' | 'contract' | 'stream' | 'rule' | 'entity_type' | 'entity_id' | 'agent_id' | 'detected_at' | 'due_at' | 'resolved_at' | 'resolution' | 'detail'
>;

/** An open remediation with the state of its gap, for the scheduler. */
export type RemediationWithGap = RemediationRow & {
  gap_detected_at: Date;
  gap_resolved_at: Date | null;
  gap_resolution: 'auto' | 'manual' | null;
  gap_closed_because: string | null;
};

export interface RemediationFilters {
  status?: RemediationStatus;
  gap_id?: string;
  agent_id?: string;
  action?: RemediationActionName;
}

const INSERT_COLUMNS = [
  'id',
  'gap_id',
  'gap_type',
  'contract',
  'rule',
  'entity_id',
  'agent_id',
  'action',
  'position',
  'receiver',
  'status',
  'max_attempts',
  'verify_within_ms',
  'next_attempt_at',
  'dispatched_attempt',
  'dispatched_at',
  'finished_at',
  'reason',
  'correlation_id',
  'created_at',
] as const satisfies readonly (keyof NewRemediation)[];

const INSERT_SQL = `insert into remediation (${[...INSERT_COLUMNS, 'updated_at'].join(', ')})`;

const WITH_GAP = `select r.*, g.detected_at as gap_detected_at, g.resolved_at as gap_resolved_at, g.resolution as gap_resolution, g.detail->>'closed_because' as gap_closed_because
                    from remediation r join sync_gap g on g.id = r.gap_id`;

export function createRemediationRepository(db: Queryable) {
  return {
    /** One statement for all the records of a gap: this runs in the transaction that opens the gap. */
    async insert(rows: NewRemediation[], tx: Queryable): Promise<void> {
      if (rows.length === 0) return;
      const width = INSERT_COLUMNS.length + 1;
      const placeholders = rows.map((_, row) => `(${Array.from({ length: width }, (__, column) => `$${row * width + column + 1}`).join(', ')})`).join(', ');
      // A new record was last updated when it was created.
      const values = rows.flatMap((row) => [...INSERT_COLUMNS.map((column) => row[column]), row.created_at]);
      await tx.query(`${INSERT_SQL} values ${placeholders} on conflict (gap_id, position) do nothing`, values);
    },

    async findById(id: string, tx: Queryable = db): Promise<RemediationRow | undefined> {
      const { rows } = await tx.query<RemediationRow>('select * from remediation where id = $1', [id]);
      return rows[0];
    },

    /** Keyset pagination on id (UUIDv7), newest first. */
    async list(filters: RemediationFilters & { limit: number; after?: string }): Promise<RemediationRow[]> {
      const where = whereClause();
      if (filters.status) where.add((p) => `status = ${p}`, filters.status);
      if (filters.gap_id) where.add((p) => `gap_id = ${p}`, filters.gap_id);
      if (filters.agent_id) where.add((p) => `agent_id = ${p}`, filters.agent_id);
      if (filters.action) where.add((p) => `action = ${p}`, filters.action);
      if (filters.after) where.add((p) => `id < ${p}`, filters.after);
      const limit = where.bind(filters.limit);
      const { text, values } = where.build();
      const { rows } = await db.query<RemediationRow>(`select * from remediation ${text} order by id desc limit ${limit}`, values);
      return rows;
    },

    /**
     * Starts attempt `attempt`: from pending with the attempt before it done, or again from acting when the job of
     * this attempt ran before and died (the job queue retries it). Returns the row, or undefined when the job is
     * stale (the attempt ran, or the remediation finished).
     */
    async claimAttempt(id: string, attempt: number, at: Date, tx: Queryable = db): Promise<RemediationRow | undefined> {
      const { rows } = await tx.query<RemediationRow>(
        `update remediation set status = 'acting', attempts = $2, last_attempt_at = $3, next_attempt_at = null, updated_at = $3
          where id = $1 and ((status = 'pending' and attempts = $2 - 1) or (status = 'acting' and attempts = $2))
          returning *`,
        [id, attempt, at],
      );
      return rows[0];
    },

    /**
     * Applies a transition if the row is still in one of `from` at `attempts` (another replica or an earlier run may
     * have moved it on). Returns the updated row, or undefined when it had moved.
     */
    async applyTransition(
      id: string,
      expected: { from: readonly RemediationStatus[]; attempts: number },
      transition: Transition,
      extra: { last_error?: string | null; result?: Record<string, unknown> },
      at: Date,
      tx: Queryable = db,
    ): Promise<RemediationRow | undefined> {
      const { rows } = await tx.query<RemediationRow>(
        `update remediation set status = $4::text,
                next_attempt_at = $5, verify_until = coalesce($6, verify_until), finished_at = $7, healed_at = $8,
                reason = coalesce($9, reason), last_error = case when $10::boolean then $11 else last_error end,
                result = coalesce($12::jsonb, result), updated_at = $13
          where id = $1 and status = any($2::text[]) and attempts = $3
          returning *`,
        [
          id,
          [...expected.from],
          expected.attempts,
          transition.status,
          transition.status === 'pending' ? transition.next_attempt_at : null,
          transition.status === 'verifying' ? transition.verify_until : null,
          'finished_at' in transition ? transition.finished_at : null,
          'healed_at' in transition ? (transition.healed_at ?? null) : null,
          'reason' in transition ? transition.reason : null,
          extra.last_error !== undefined,
          extra.last_error ?? null,
          extra.result === undefined ? null : JSON.stringify(extra.result),
          at,
        ],
      );
      return rows[0];
    },

    /** Open remediations whose gap has closed (all of them, or those of `gapIds`), locked for their settlement. */
    async openWithClosedGap(limit: number, gapIds: string[] | undefined, tx: Queryable): Promise<RemediationWithGap[]> {
      const { rows } = await tx.query<RemediationWithGap>(
        `${WITH_GAP}
          where r.status in ('pending', 'verifying') and g.resolved_at is not null and ($2::uuid[] is null or r.gap_id = any($2::uuid[]))
          order by r.id limit $1 for update of r skip locked`,
        [limit, gapIds ?? null],
      );
      return rows;
    },

    /** Verifying remediations whose window is over while their gap is still open. */
    async expiredVerifications(now: Date, limit: number, tx: Queryable): Promise<RemediationRow[]> {
      const { rows } = await tx.query<RemediationRow>(
        `select r.* from remediation r join sync_gap g on g.id = r.gap_id
          where r.status = 'verifying' and r.verify_until < $1 and g.resolved_at is null
          order by r.verify_until limit $2 for update of r skip locked`,
        [now, limit],
      );
      return rows;
    },

    /**
     * Attempts due and not yet sent to a job, or sent before `staleBefore` and still not started (pending) or not
     * finished (acting): their job was lost, so they are sent again (the claim keeps it to one run per attempt).
     */
    async dueAttempts(now: Date, staleBefore: Date, limit: number, tx: Queryable): Promise<RemediationRow[]> {
      const { rows } = await tx.query<RemediationRow>(
        `select * from remediation
          where (status = 'pending' and next_attempt_at <= $1 and (dispatched_attempt <= attempts or dispatched_at < $2))
             or (status = 'acting' and dispatched_at < $2)
          order by next_attempt_at nulls first, id limit $3 for update skip locked`,
        [now, staleBefore, limit],
      );
      return rows;
    },

    async markDispatched(id: string, attempt: number, at: Date, tx: Queryable): Promise<void> {
      await tx.query('update remediation set dispatched_attempt = $2, dispatched_at = $3 where id = $1', [id, attempt, at]);
    },

    async findGap(id: string, tx: Queryable = db): Promise<GapRecord | undefined> {
      const { rows } = await tx.query<GapRecord>(
        `select id, type, severity, contract, stream, rule, entity_type, entity_id, agent_id, detected_at, due_at, resolved_at, resolution, detail
           from sync_gap where id = $1`,
        [id],
      );
      return rows[0];
    },
  };
}

export type RemediationRepository = ReturnType<typeof createRemediationRepository>;
