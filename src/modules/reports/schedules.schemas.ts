import { Type, type Static } from '@sinclair/typebox';
import { Page, PaginationQuery, Timestamp, Uuid } from '../../platform/http/schemas.js';
import { WINDOW_PATTERN } from '../trust/index.js';
import { REPORT_KINDS } from './report-builders.js';
import { REPORT_FORMATS } from './reports.schemas.js';

const enumOf = <T extends string>(values: readonly T[], title: string, description: string) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], title, description });

export const ReportKindSchema = enumOf(
  REPORT_KINDS,
  'ReportKind',
  'executive (docs/reports.md "Executive summary"), drift ("Drift report"), healing ("Healing report": self-healing actions and outcomes)',
);
export const ReportFormatSchema = enumOf(REPORT_FORMATS, 'ReportFormat', 'json, md (Markdown), csv or html');

export const RUN_STATUSES = ['queued', 'sent', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const ReportSchedule = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    cron: Type.String(),
    time_zone: Type.String(),
    report_kind: ReportKindSchema,
    format: ReportFormatSchema,
    window: Type.String({ description: 'the trailing window each report covers' }),
    receiver_ids: Type.Array(Uuid),
    next_run_at: Timestamp,
    report_available: Type.Boolean({ description: 'false when this version of ORCA cannot build the report kind: its runs fail until it can' }),
    created_by: Type.String({ description: 'the API key id (or cli:<user>) that created it' }),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { additionalProperties: false, title: 'ReportSchedule' },
);
export type ReportSchedule = Static<typeof ReportSchedule>;

export const ReportSchedulePage = Page(ReportSchedule, 'ReportSchedulePage');

export const CreateReportScheduleBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, description: 'shown in notifications' }),
    cron: Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'five fields (minute hour day-of-month month day-of-week, e.g. "0 8 * * 1") or @hourly, @daily, @weekly, @monthly, @yearly',
    }),
    time_zone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, default: 'UTC', description: 'IANA time zone the cron expression is read in (e.g. Europe/Paris)' })),
    report_kind: ReportKindSchema,
    format: Type.Optional(Type.Unsafe<(typeof REPORT_FORMATS)[number]>({ type: 'string', enum: [...REPORT_FORMATS], default: 'json' })),
    window: Type.Optional(Type.String({ pattern: WINDOW_PATTERN, default: '30d', description: 'trailing window W of each report, 1h to 365d' })),
    receiver_ids: Type.Array(Uuid, {
      minItems: 1,
      maxItems: 20,
      uniqueItems: true,
      description: 'webhook or Slack receivers (GET /api/v1/receivers); Alertmanager receivers take alerts, not reports',
    }),
  },
  { additionalProperties: false, title: 'CreateReportScheduleRequest' },
);
export type CreateReportScheduleInput = Static<typeof CreateReportScheduleBody>;

export const ListReportSchedulesQuery = Type.Object({ ...PaginationQuery }, { additionalProperties: false });

export const ReportRunDelivery = Type.Object(
  {
    receiver_id: Uuid,
    notification_id: Type.Union([Type.String(), Type.Null()], { description: 'the webhook-id; null when nothing was handed to the receiver' }),
    delivery_id: Type.Union([Uuid, Type.Null()]),
    status: Type.Union([Type.String(), Type.Null()], { description: 'the delivery status (GET /api/v1/deliveries); null when nothing was handed over' }),
    attempts: Type.Integer(),
    last_error: Type.Union([Type.String(), Type.Null()], { description: 'why the delivery failed, or why the receiver got nothing (it was deleted)' }),
    delivered_at: Type.Union([Timestamp, Type.Null()]),
  },
  { additionalProperties: false, title: 'ReportRunDelivery' },
);

export const ReportRun = Type.Object(
  {
    id: Uuid,
    schedule_id: Uuid,
    scheduled_for: Timestamp,
    status: Type.Unsafe<RunStatus>({
      type: 'string',
      enum: [...RUN_STATUSES],
      description: 'queued (waiting for its job); sent (generated and handed to every receiver\'s durable delivery); failed (error says why); cancelled (the schedule was deleted first)',
    }),
    attempts: Type.Integer(),
    error: Type.Union([Type.String(), Type.Null()]),
    media_type: Type.Union([Type.String(), Type.Null()]),
    report_bytes: Type.Union([Type.Integer(), Type.Null()]),
    report_sha256: Type.Union([Type.String(), Type.Null()], { description: 'SHA-256 (hex) of the report as rendered, the same as the envelope\'s report.sha256' }),
    correlation_id: Type.Union([Type.String(), Type.Null()]),
    created_at: Timestamp,
    started_at: Type.Union([Timestamp, Type.Null()]),
    finished_at: Type.Union([Timestamp, Type.Null()]),
    deliveries: Type.Array(ReportRunDelivery),
  },
  { additionalProperties: false, title: 'ReportRun' },
);
export type ReportRun = Static<typeof ReportRun>;

export const ReportRunPage = Page(ReportRun, 'ReportRunPage');
export const ListReportRunsQuery = Type.Object({ ...PaginationQuery }, { additionalProperties: false });
