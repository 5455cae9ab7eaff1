import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { resourceRoutes } from '../../platform/http/resource-routes.js';
import { IdParams } from '../../platform/http/schemas.js';
import {
  CreateReportScheduleBody,
  ListReportRunsQuery,
  ListReportSchedulesQuery,
  ReportRunPage,
  ReportSchedule,
  ReportSchedulePage,
} from './schedules.schemas.js';
import type { ScheduleService } from './schedules.service.js';

const tags = ['Reports'];

/** Schedules make ORCA send reports out: operators write them; viewers read them and their runs. */
export function scheduleRoutes(service: ScheduleService): FastifyPluginAsyncTypebox {
  return async (app) => {
    const schedules = resourceRoutes(app, { path: '/report-schedules', tags, access: { read: 'viewer', write: 'operator' } });
    schedules.list(
      {
        operationId: 'listReportSchedules',
        summary: 'List report schedules',
        description: 'Newest first; pass next_cursor as cursor for the next page. Deleted schedules are not listed.',
      },
      ListReportSchedulesQuery,
      ReportSchedulePage,
      (query) => service.list(query),
    );
    schedules.create(
      {
        operationId: 'createReportSchedule',
        summary: 'Schedule a report to be generated and sent to receivers',
        description:
          'A cron expression read in an IANA time zone, a report kind, format and window, and webhook or Slack receivers (docs/reports.md "Scheduled reports"). ' +
          '400 naming the expression when the cron does not parse or never matches, or naming the time zone when it is unknown; 422 when a receiver does not exist or is an Alertmanager. Audited.',
        problems: [422],
      },
      CreateReportScheduleBody,
      ReportSchedule,
      (actor, body) => service.create(actor, body),
    );
    schedules.get({ operationId: 'getReportSchedule', summary: 'Read a report schedule' }, ReportSchedule, (id) => service.get(id));
    schedules.remove(
      {
        operationId: 'deleteReportSchedule',
        summary: 'Delete a report schedule (soft)',
        description: 'No further run; a run still queued is cancelled; past runs stay readable under /runs. Audited.',
      },
      (actor, id) => service.remove(actor, id),
    );

    app.get(
      '/report-schedules/:id/runs',
      {
        config: { access: 'viewer' },
        schema: {
          tags,
          operationId: 'listReportRuns',
          summary: 'List the runs of a report schedule',
          description: 'Newest first, each with its status, the report\'s size and SHA-256, and every receiver\'s delivery (also for a deleted schedule).',
          params: IdParams,
          querystring: ListReportRunsQuery,
          response: { 200: ReportRunPage },
        },
      },
      async (request) => service.runs(request.params.id, request.query),
    );
  };
}
