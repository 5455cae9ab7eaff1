import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/index.js';
import { AppError, notFound, type FieldError } from '../../platform/errors.js';
import type { Actor } from '../../platform/http/actor.js';
import { decodeCursor, pageOf } from '../../platform/http/cursor.js';
import { newId } from '../../platform/ids.js';
import type { AuditService } from '../audit/index.js';
import type { DeliveryService, ReceiverService } from '../receivers/index.js';
import { parseWindow } from '../trust/window.js';
import { checkSchedule } from './cron.js';
import type { ReportKind } from './report-builders.js';
import type { RunRow, ScheduleRepository, ScheduleRow } from './schedules.repository.js';
import type { CreateReportScheduleInput, ReportRun, ReportSchedule } from './schedules.schemas.js';

export interface ScheduleServiceDeps {
  db: Database;
  repository: ScheduleRepository;
  audit: Pick<AuditService, 'append'>;
  clock: Clock;
  receivers: Pick<ReceiverService, 'get'>;
  deliveries: Pick<DeliveryService, 'byNotificationIds'>;
  available: (kind: ReportKind) => boolean;
}

export function createScheduleService(deps: ScheduleServiceDeps) {
  const { db, repository, audit, clock } = deps;

  function toSchedule(row: ScheduleRow): ReportSchedule {
    return {
      id: row.id,
      name: row.name,
      cron: row.cron,
      time_zone: row.time_zone,
      report_kind: row.report_kind,
      format: row.format,
      window: row.report_window,
      receiver_ids: row.receiver_ids,
      next_run_at: row.next_run_at.toISOString(),
      report_available: deps.available(row.report_kind),
      created_by: row.created_by,
      created_at: row.created_at.toISOString(),
      updated_at: row.updated_at.toISOString(),
    };
  }

  /** Every receiver must exist and take reports (webhook, Slack): all problems in one 422, each at its index. */
  async function checkReceivers(ids: string[]): Promise<void> {
    const errors: FieldError[] = [];
    for (const [index, id] of ids.entries()) {
      const path = `/body/receiver_ids/${index}`;
      try {
        const receiver = await deps.receivers.get(id);
        if (receiver.kind === 'alertmanager') errors.push({ path, message: `receiver ${receiver.name} is an Alertmanager: it takes alerts, not reports` });
      } catch (error) {
        if (error instanceof AppError && error.code === 'not_found') errors.push({ path, message: `no receiver has the id ${id}` });
        else throw error;
      }
    }
    if (errors.length > 0) throw new AppError('unprocessable', errors.map((e) => e.message).join('; '), { errors });
  }

  async function toRuns(rows: RunRow[]): Promise<ReportRun[]> {
    const ids = rows.flatMap((row) => row.deliveries.map((handover) => handover.notification_id).filter((id): id is string => id !== null));
    const deliveries = new Map((await deps.deliveries.byNotificationIds(ids)).map((delivery) => [delivery.notification_id, delivery]));
    return rows.map((row) => ({
      id: row.id,
      schedule_id: row.schedule_id,
      scheduled_for: row.scheduled_for.toISOString(),
      status: row.status,
      attempts: row.attempts,
      error: row.error,
      media_type: row.media_type,
      report_bytes: row.report_bytes,
      report_sha256: row.report_sha256,
      correlation_id: row.correlation_id,
      created_at: row.created_at.toISOString(),
      started_at: row.started_at?.toISOString() ?? null,
      finished_at: row.finished_at?.toISOString() ?? null,
      deliveries: row.deliveries.map((handover) => {
        const delivery = handover.notification_id === null ? undefined : deliveries.get(handover.notification_id);
        return {
          receiver_id: handover.receiver_id,
          notification_id: handover.notification_id,
          delivery_id: delivery?.id ?? null,
          status: delivery?.status ?? null,
          attempts: delivery?.attempts ?? 0,
          last_error: delivery?.last_error ?? handover.error,
          delivered_at: delivery?.delivered_at ?? null,
        };
      }),
    }));
  }

  return {
    async create(actor: Actor, input: CreateReportScheduleInput): Promise<ReportSchedule> {
      const timeZone = input.time_zone ?? 'UTC';
      const windowLabel = input.window ?? '30d';
      try {
        parseWindow(windowLabel);
      } catch {
        throw new AppError('validation_failed', 'window must be a duration from 1h to 365d, in hours or days (e.g. 24h, 7d, 30d)', {
          errors: [{ path: '/body/window', message: 'must be between 1h and 365d, e.g. 30d' }],
        });
      }
      const nextRunAt = checkSchedule({ cron: input.cron, timeZone }, clock.now());
      await checkReceivers(input.receiver_ids);
      const row = await db.transaction(async (tx) => {
        const created = await repository.insert(
          {
            id: newId(),
            name: input.name,
            cron: input.cron,
            time_zone: timeZone,
            report_kind: input.report_kind,
            format: input.format ?? 'json',
            report_window: windowLabel,
            receiver_ids: input.receiver_ids,
            next_run_at: nextRunAt,
            created_by: actor.id,
          },
          tx,
        );
        await audit.append(tx, {
          actor: actor.id,
          action: 'report_schedule.create',
          target: `report_schedule:${created.id}`,
          before: null,
          after: toSchedule(created),
          correlationId: actor.correlationId,
        });
        return created;
      });
      return toSchedule(row);
    },

    async get(id: string): Promise<ReportSchedule> {
      const row = await repository.findById(id);
      if (!row) throw notFound(`report schedule ${id}`);
      return toSchedule(row);
    },

    async list(query: { limit?: number; cursor?: string }): Promise<{ items: ReportSchedule[]; next_cursor: string | null }> {
      const limit = query.limit ?? 50;
      const page = pageOf(await repository.list(limit + 1, decodeCursor(query.cursor)), limit);
      return { items: page.items.map(toSchedule), next_cursor: page.next_cursor };
    },

    /** Soft delete: no further run; runs still queued are cancelled; past runs stay readable. */
    async remove(actor: Actor, id: string): Promise<void> {
      await db.transaction(async (tx) => {
        const row = await repository.findById(id, tx, { forUpdate: true });
        if (!row) throw notFound(`report schedule ${id}`);
        const at = clock.now();
        await repository.softDelete(id, at, tx);
        await repository.cancelQueuedRuns(id, at, tx);
        await audit.append(tx, {
          actor: actor.id,
          action: 'report_schedule.delete',
          target: `report_schedule:${id}`,
          before: toSchedule(row),
          after: { deleted_at: at.toISOString() },
          correlationId: actor.correlationId,
        });
      });
    },

    /** Newest first, with each receiver's delivery as the receivers module records it. A deleted schedule's runs too. */
    async runs(id: string, query: { limit?: number; cursor?: string }): Promise<{ items: ReportRun[]; next_cursor: string | null }> {
      if (!(await repository.findById(id, db, { includeDeleted: true }))) throw notFound(`report schedule ${id}`);
      const limit = query.limit ?? 50;
      const page = pageOf(await repository.listRuns(id, limit + 1, decodeCursor(query.cursor)), limit);
      return { items: await toRuns(page.items), next_cursor: page.next_cursor };
    },
  };
}

export type ScheduleService = ReturnType<typeof createScheduleService>;
