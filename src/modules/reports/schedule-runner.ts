/**
 * Running report schedules (docs/reports.md "Scheduled reports"). A scheduled check, once per interval across
 * replicas, turns every due schedule into one run row per cron time and queues its job in the same transaction; the
 * unique (schedule, cron time) key and SKIP LOCKED make a cron time run once however many replicas check. The run's
 * job builds the report as of its cron time and hands one notification per receiver to the receivers' durable
 * deliveries, recording all of it in one transaction.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/index.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { JobContext, JobQueue } from '../../platform/jobs/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { NotificationSink, ReceiverService } from '../receivers/index.js';
import { latestRunAtOrBefore, nextRunAfter } from './cron.js';
import { renderReport } from './report-builders.js';
import { reportNotification, type ReportHandover } from './report-notification.js';
import type { ReportMetrics } from './reports.metrics.js';
import type { ReportService } from './reports.service.js';
import type { RunHandover, RunRow, ScheduleRepository, ScheduleRow } from './schedules.repository.js';

export const REPORT_SCHEDULE_CHECK_QUEUE = 'reports.schedules.check';
export const REPORT_RUN_QUEUE = 'reports.run';
/** Retries of a run whose generation or hand-over failed unexpectedly (a database error), before it is failed. */
export const RUN_RETRIES = 2;

export interface RunJob {
  run_id: string;
}

/** Schedules turned into runs per transaction; a longer backlog takes several. */
const DUE_BATCH = 100;
/** The most a report may weigh: it travels whole in every webhook notification and in each delivery record. */
export const MAX_REPORT_BYTES = 4 * 1024 * 1024;
/** Where a schedule whose cron times cannot be computed any more is parked (it stays listed; the log says why). */
const NEVER = new Date('9999-12-31T00:00:00.000Z');

export interface ScheduleRunnerDeps {
  db: Database;
  repository: ScheduleRepository;
  jobs: Pick<JobQueue, 'send'>;
  reports: Pick<ReportService, 'generate'>;
  receivers: Pick<ReceiverService, 'get'>;
  sink: Pick<NotificationSink, 'enqueue'>;
  clock: Clock;
  logger: Logger;
  metrics: ReportMetrics;
  /** ORCA's own address, for the link a notification carries back to the report. */
  baseUrl: string;
}

export function createScheduleRunner(deps: ScheduleRunnerDeps) {
  const { db, repository, clock } = deps;

  /** The cron time to run now (the latest one due: missed ones are not made up) and the next one after now. */
  function timesOf(schedule: ScheduleRow, now: Date, logger: Logger): { runAt: Date; next: Date } {
    const spec = { cron: schedule.cron, timeZone: schedule.time_zone };
    try {
      const latest = latestRunAtOrBefore(spec, now);
      const runAt = latest && latest > schedule.next_run_at ? latest : schedule.next_run_at;
      return { runAt, next: nextRunAfter(spec, now) ?? NEVER };
    } catch (error) {
      // Only a time zone the runtime no longer knows gets here: the schedule was checked when it was created.
      logger.error({ err: error, schedule_id: schedule.id }, 'cannot compute the cron times of a report schedule; it will not run again');
      return { runAt: schedule.next_run_at, next: NEVER };
    }
  }

  /** Queues a run for every schedule due at the clock's now; returns how many runs were queued. */
  async function dispatchDue(logger: Logger = deps.logger): Promise<number> {
    let queued = 0;
    for (;;) {
      const now = clock.now();
      const { due, sent } = await db.transaction(async (tx) => {
        const schedules = await repository.lockDue(now, DUE_BATCH, tx);
        let count = 0;
        for (const schedule of schedules) {
          const { runAt, next } = timesOf(schedule, now, logger);
          const runId = newId();
          if (await repository.insertRun({ id: runId, scheduleId: schedule.id, scheduledFor: runAt, correlationId: runId }, tx)) {
            await deps.jobs.send<RunJob>(REPORT_RUN_QUEUE, { run_id: runId }, { tx, singletonKey: `${schedule.id}:${runAt.toISOString()}`, correlationId: runId });
            count += 1;
          }
          await repository.advance(schedule.id, next, tx);
        }
        return { due: schedules.length, sent: count };
      });
      queued += sent;
      if (due < DUE_BATCH) return queued;
    }
  }

  async function finish(run: RunRow, schedule: ScheduleRow | undefined, status: 'failed' | 'cancelled', error: string, logger: Logger, handovers: RunHandover[] = []): Promise<void> {
    await repository.finishRun(run.id, { status, error, deliveries: handovers, at: clock.now() });
    if (schedule) deps.metrics.run(schedule.report_kind, status);
    logger.warn({ run_id: run.id, schedule_id: run.schedule_id, status, error }, `scheduled report run ${status}`);
  }

  /** Receivers in the schedule's order; a deleted one gets nothing, and the run says so. */
  async function resolveReceivers(ids: string[]): Promise<Array<{ id: string; name: string | undefined }>> {
    const resolved = [];
    for (const id of ids) {
      try {
        resolved.push({ id, name: (await deps.receivers.get(id)).name });
      } catch (error) {
        if (!(error instanceof AppError && error.code === 'not_found')) throw error;
        resolved.push({ id, name: undefined });
      }
    }
    return resolved;
  }

  async function generateAndHandOver(run: RunRow, schedule: ScheduleRow, correlationId: string, logger: Logger): Promise<void> {
    const started = performance.now();
    let generated;
    try {
      generated = await deps.reports.generate(schedule.report_kind, schedule.report_window, run.scheduled_for);
    } catch (error) {
      if (error instanceof AppError && error.status < 500) return finish(run, schedule, 'failed', error.message, logger);
      throw error;
    }
    const rendered = renderReport(generated, schedule.format);
    const bytes = Buffer.byteLength(rendered.text, 'utf8');
    deps.metrics.generated(schedule.report_kind, (performance.now() - started) / 1000);
    if (bytes > MAX_REPORT_BYTES) return finish(run, schedule, 'failed', `the report is ${bytes} bytes, more than the ${MAX_REPORT_BYTES} a notification may carry`, logger);
    const sha256 = createHash('sha256').update(rendered.text, 'utf8').digest('hex');
    // Read before the transaction: on the embedded database a read outside it would wait for it to end.
    const receivers = await resolveReceivers(schedule.receiver_ids);
    const gone = (id: string): RunHandover => ({ receiver_id: id, notification_id: null, error: 'the receiver was deleted' });
    if (receivers.every((receiver) => receiver.name === undefined)) {
      return finish(run, schedule, 'failed', 'every receiver of the schedule was deleted', logger, receivers.map((receiver) => gone(receiver.id)));
    }
    const handover: ReportHandover = {
      schedule: { id: schedule.id, name: schedule.name, kind: schedule.report_kind, window: schedule.report_window, format: schedule.format },
      runId: run.id,
      scheduledFor: run.scheduled_for,
      title: generated.builder.title,
      summary: generated.builder.summary(generated.report),
      link: `${deps.baseUrl.replace(/\/$/, '')}${generated.builder.path}?window=${encodeURIComponent(schedule.report_window)}&format=${schedule.format}`,
      rendered: { mediaType: rendered.mediaType, text: rendered.text, sha256 },
      generatedAt: clock.now().toISOString(),
    };
    const handed = await db.transaction(async (tx) => {
      // Another attempt of this run may have finished it meanwhile (a job that outlived its timeout).
      if ((await repository.findRun(run.id, tx, { forUpdate: true }))?.status !== 'queued') return false;
      const handovers: RunHandover[] = [];
      for (const receiver of receivers) {
        if (receiver.name === undefined) {
          handovers.push(gone(receiver.id));
          continue;
        }
        const notification = reportNotification(receiver.name, handover, correlationId);
        await deps.sink.enqueue(notification, { tx });
        handovers.push({ receiver_id: receiver.id, notification_id: notification.id, error: null });
      }
      await repository.finishRun(run.id, { status: 'sent', error: null, mediaType: rendered.mediaType, bytes, sha256, deliveries: handovers, at: clock.now() }, tx);
      return true;
    });
    if (!handed) return;
    deps.metrics.run(schedule.report_kind, 'sent');
    logger.info({ run_id: run.id, schedule_id: schedule.id, report_kind: schedule.report_kind, bytes, receivers: receivers.length }, 'scheduled report handed to its receivers');
  }

  async function runReport(job: JobContext<RunJob>): Promise<void> {
    const logger = job.logger.child({ run_id: job.data.run_id });
    const run = await repository.findRun(job.data.run_id);
    if (!run || run.status !== 'queued') {
      logger.debug({ status: run?.status ?? null }, 'report run job stands down: the run is finished');
      return;
    }
    const schedule = await repository.findById(run.schedule_id, db, { includeDeleted: true });
    if (!schedule || schedule.deleted_at) return finish(run, schedule, 'cancelled', 'the schedule was deleted before this run', logger);
    await repository.startRun(run.id, clock.now());
    try {
      await generateAndHandOver(run, schedule, job.correlationId, logger);
    } catch (error) {
      // The error itself goes to the log only: a database error's text is not for every viewer.
      if (job.attempt > RUN_RETRIES) {
        await finish(run, schedule, 'failed', `an internal error stopped the run; the log has it under correlation id ${job.correlationId}`, logger);
      }
      throw error;
    }
  }

  return { dispatchDue, runReport };
}

export type ScheduleRunner = ReturnType<typeof createScheduleRunner>;
