import type { Queryable } from '../../platform/db/index.js';
import type { ReportKind } from './report-builders.js';
import type { ReportFormat } from './reports.schemas.js';
import type { RunStatus } from './schedules.schemas.js';

export interface ScheduleRow {
  id: string;
  name: string;
  cron: string;
  time_zone: string;
  report_kind: ReportKind;
  format: ReportFormat;
  report_window: string;
  receiver_ids: string[];
  next_run_at: Date;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

/** What a run handed to one receiver: the notification, or why the receiver got nothing. */
export interface RunHandover {
  receiver_id: string;
  notification_id: string | null;
  error: string | null;
}

export interface RunRow {
  id: string;
  schedule_id: string;
  scheduled_for: Date;
  status: RunStatus;
  attempts: number;
  error: string | null;
  media_type: string | null;
  report_bytes: number | null;
  report_sha256: string | null;
  deliveries: RunHandover[];
  correlation_id: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

/** uuid[] read as text[], which both drivers parse into an array of strings. */
const SCHEDULE_COLUMNS = `id, name, cron, time_zone, report_kind, format, report_window, receiver_ids::text[] as receiver_ids, next_run_at,
  created_by, created_at, updated_at, deleted_at`;

export function createScheduleRepository(db: Queryable) {
  return {
    async insert(row: Omit<ScheduleRow, 'created_at' | 'updated_at' | 'deleted_at'>, tx: Queryable = db): Promise<ScheduleRow> {
      const { rows } = await tx.query<ScheduleRow>(
        `insert into report_schedule (id, name, cron, time_zone, report_kind, format, report_window, receiver_ids, next_run_at, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8::uuid[], $9, $10) returning ${SCHEDULE_COLUMNS}`,
        [row.id, row.name, row.cron, row.time_zone, row.report_kind, row.format, row.report_window, row.receiver_ids, row.next_run_at, row.created_by],
      );
      return rows[0]!;
    },

    /** A live schedule (deleted ones only with `includeDeleted`). */
    async findById(id: string, tx: Queryable = db, options: { forUpdate?: boolean; includeDeleted?: boolean } = {}): Promise<ScheduleRow | undefined> {
      const { rows } = await tx.query<ScheduleRow>(
        `select ${SCHEDULE_COLUMNS} from report_schedule where id = $1${options.includeDeleted ? '' : ' and deleted_at is null'}${options.forUpdate ? ' for update' : ''}`,
        [id],
      );
      return rows[0];
    },

    /** Live schedules, newest first (keyset on the UUIDv7 id). */
    async list(limit: number, before: string | undefined): Promise<ScheduleRow[]> {
      const { rows } = before
        ? await db.query<ScheduleRow>(`select ${SCHEDULE_COLUMNS} from report_schedule where deleted_at is null and id < $1 order by id desc limit $2`, [before, limit])
        : await db.query<ScheduleRow>(`select ${SCHEDULE_COLUMNS} from report_schedule where deleted_at is null order by id desc limit $1`, [limit]);
      return rows;
    },

    async softDelete(id: string, at: Date, tx: Queryable): Promise<void> {
      await tx.query('update report_schedule set deleted_at = $2, updated_at = $2 where id = $1', [id, at]);
    },

    /**
     * Live schedules whose next run is due, locked for the caller's transaction; another replica checking at the same
     * moment skips them (SKIP LOCKED) rather than waiting to run them a second time.
     */
    async lockDue(now: Date, limit: number, tx: Queryable): Promise<ScheduleRow[]> {
      const { rows } = await tx.query<ScheduleRow>(
        `select ${SCHEDULE_COLUMNS} from report_schedule where deleted_at is null and next_run_at <= $1 order by next_run_at, id limit $2 for update skip locked`,
        [now, limit],
      );
      return rows;
    },

    async advance(id: string, nextRunAt: Date, tx: Queryable): Promise<void> {
      await tx.query('update report_schedule set next_run_at = $2 where id = $1', [id, nextRunAt]);
    },

    /** The run of one cron time; undefined when that cron time already has its run (the unique key decides). */
    async insertRun(run: { id: string; scheduleId: string; scheduledFor: Date; correlationId: string | null }, tx: Queryable): Promise<string | undefined> {
      const { rows } = await tx.query<{ id: string }>(
        `insert into report_run (id, schedule_id, scheduled_for, correlation_id) values ($1, $2, $3, $4)
         on conflict (schedule_id, scheduled_for) do nothing returning id`,
        [run.id, run.scheduleId, run.scheduledFor, run.correlationId],
      );
      return rows[0]?.id;
    },

    async findRun(id: string, tx: Queryable = db, options: { forUpdate?: boolean } = {}): Promise<RunRow | undefined> {
      const { rows } = await tx.query<RunRow>(`select * from report_run where id = $1${options.forUpdate ? ' for update' : ''}`, [id]);
      return rows[0];
    },

    async startRun(id: string, at: Date, tx: Queryable = db): Promise<void> {
      await tx.query('update report_run set attempts = attempts + 1, started_at = coalesce(started_at, $2) where id = $1', [id, at]);
    },

    async finishRun(
      id: string,
      outcome: { status: Exclude<RunStatus, 'queued'>; error: string | null; mediaType?: string; bytes?: number; sha256?: string; deliveries?: RunHandover[]; at: Date },
      tx: Queryable = db,
    ): Promise<void> {
      await tx.query(
        `update report_run set status = $2, error = $3, media_type = $4, report_bytes = $5, report_sha256 = $6, deliveries = $7::jsonb, finished_at = $8
          where id = $1`,
        [id, outcome.status, outcome.error, outcome.mediaType ?? null, outcome.bytes ?? null, outcome.sha256 ?? null, JSON.stringify(outcome.deliveries ?? []), outcome.at],
      );
    },

    /** Runs still waiting for their job when the schedule is deleted: they will not run. */
    async cancelQueuedRuns(scheduleId: string, at: Date, tx: Queryable): Promise<void> {
      await tx.query(
        `update report_run set status = 'cancelled', error = 'the schedule was deleted before this run', finished_at = $2 where schedule_id = $1 and status = 'queued'`,
        [scheduleId, at],
      );
    },

    /** Newest first. */
    async listRuns(scheduleId: string, limit: number, before: string | undefined): Promise<RunRow[]> {
      const { rows } = before
        ? await db.query<RunRow>('select * from report_run where schedule_id = $1 and id < $2 order by id desc limit $3', [scheduleId, before, limit])
        : await db.query<RunRow>('select * from report_run where schedule_id = $1 order by id desc limit $2', [scheduleId, limit]);
      return rows;
    },
  };
}

export type ScheduleRepository = ReturnType<typeof createScheduleRepository>;
