import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/index.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { Metrics } from '../../platform/telemetry/metrics.js';
import type { AuditService } from '../audit/index.js';
import type { DeliveryService, NotificationSink, ReceiverService } from '../receivers/index.js';
import type { HealingData } from '../remediation/index.js';
import type { TrustService } from '../trust/index.js';
import { createDriftRepository } from './drift.repository.js';
import { registerReportMetrics } from './reports.metrics.js';
import { reportRoutes } from './reports.routes.js';
import { createReportService } from './reports.service.js';
import { createScheduleRunner } from './schedule-runner.js';
import { registerScheduleJobs } from './schedules.jobs.js';
import { createScheduleRepository } from './schedules.repository.js';
import { scheduleRoutes } from './schedules.routes.js';
import { createScheduleService } from './schedules.service.js';

export type { ReportService } from './reports.service.js';
export type { ExecutiveReport } from './executive.js';
export type { HealingReport } from './healing.js';
export { toHealingCsv, toHealingHtml, toHealingMarkdown } from './healing-render.js';
export type { DriftReport } from './drift.js';
export type { ReportBuilder } from './report-builders.js';
export { REPORT_RUN_QUEUE, REPORT_SCHEDULE_CHECK_QUEUE } from './schedule-runner.js';

/**
 * Reports (executive summary, drift report, healing report) and report schedules: cron-driven runs that build a
 * report and hand it to receivers as durable deliveries (docs/reports.md).
 */
export function createReportsModule(deps: {
  db: Database;
  metrics: Metrics;
  logger: Logger;
  clock: Clock;
  audit: Pick<AuditService, 'append'>;
  jobs: Pick<JobQueue, 'define' | 'schedule' | 'send'>;
  trust: Pick<TrustService, 'overview' | 'kpis' | 'openGapsByType'>;
  receivers: Pick<ReceiverService, 'get'>;
  deliveries: Pick<DeliveryService, 'byNotificationIds'>;
  sink: Pick<NotificationSink, 'enqueue'>;
  quarantineBelow: number;
  /** REPORT_SCHEDULE_CHECK_INTERVAL. */
  scheduleCheckIntervalMs: number;
  /** Where links in notifications point (ORCA's own API). */
  baseUrl: string;
  /** Self-healing's records over (from, to] (the remediation module): the healing report's data. */
  healing?: (from: Date, to: Date) => Promise<HealingData>;
}) {
  const logger = deps.logger.child({ module: 'reports' });
  const service = createReportService({
    trust: deps.trust,
    // A window's gaps in one grouped read: the budget of long reads, like the KPIs (DATABASE_HEAVY_STATEMENT_TIMEOUT).
    drift: createDriftRepository(deps.db.heavy),
    clock: deps.clock,
    quarantineBelow: deps.quarantineBelow,
    ...(deps.healing ? { healing: deps.healing } : {}),
  });
  const repository = createScheduleRepository(deps.db);
  const schedules = createScheduleService({
    db: deps.db,
    repository,
    audit: deps.audit,
    clock: deps.clock,
    receivers: deps.receivers,
    deliveries: deps.deliveries,
    available: service.available,
  });
  const runner = createScheduleRunner({
    db: deps.db,
    repository,
    jobs: deps.jobs,
    reports: service,
    receivers: deps.receivers,
    sink: deps.sink,
    clock: deps.clock,
    logger,
    metrics: registerReportMetrics(deps.metrics.registry),
    baseUrl: deps.baseUrl,
  });
  registerScheduleJobs(deps.jobs, runner, deps.scheduleCheckIntervalMs);
  return {
    service,
    schedules,
    /** Queues the runs of the schedules due now, in this process (tests, `orca` commands); the scheduled check does it otherwise. */
    dispatchDue: () => runner.dispatchDue(),
    routes: [reportRoutes(service), scheduleRoutes(schedules)],
  };
}

export type ReportsModule = ReturnType<typeof createReportsModule>;
