import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { actorOf } from '../../platform/http/actor.js';
import { IdParams, problems } from '../../platform/http/schemas.js';
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
    app.get(
      '/report-schedules',
      {
        config: { access: 'viewer' },
        schema: {
          tags,
          operationId: 'listReportSchedules',
          summary: 'List report schedules',
          description: 'Newest first; pass next_cursor as cursor for the next page. Deleted schedules are not listed.',
          querystring: ListReportSchedulesQuery,
          response: { 200: ReportSchedulePage },
        },
      },
      async (request) => service.list(request.query),
    );

    app.post(
      '/report-schedules',
      {
        config: { access: 'operator' },
        schema: {
          tags,
          operationId: 'createReportSchedule',
          summary: 'Schedule a report to be generated and sent to receivers',
          description:
            'A cron expression read in an IANA time zone, a report kind, format and window, and webhook or Slack receivers (docs/reports.md "Scheduled reports"). ' +
            '400 naming the expression when the cron does not parse or never matches, or naming the time zone when it is unknown; 422 when a receiver does not exist or is an Alertmanager. Audited.',
          body: CreateReportScheduleBody,
          response: { 201: ReportSchedule, ...problems(422) },
        },
      },
      async (request, reply) => {
        const schedule = await service.create(actorOf(request), request.body);
        return reply.code(201).header('location', `/api/v1/report-schedules/${schedule.id}`).send(schedule);
      },
    );

    app.get(
      '/report-schedules/:id',
      {
        config: { access: 'viewer' },
        schema: { tags, operationId: 'getReportSchedule', summary: 'Read a report schedule', params: IdParams, response: { 200: ReportSchedule } },
      },
      async (request) => service.get(request.params.id),
    );

    app.delete(
      '/report-schedules/:id',
      {
        config: { access: 'operator' },
        schema: {
          tags,
          operationId: 'deleteReportSchedule',
          summary: 'Delete a report schedule (soft)',
          description: 'No further run; a run still queued is cancelled; past runs stay readable under /runs. Audited.',
          params: IdParams,
          response: { 204: Type.Null({ description: 'deleted' }) },
        },
      },
      async (request, reply) => {
        await service.remove(actorOf(request), request.params.id);
        return reply.code(204).send(null);
      },
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
