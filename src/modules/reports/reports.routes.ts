import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { driftToCsv, driftToHtml, driftToMarkdown } from './drift-render.js';
import { MEDIA_TYPES } from './report-builders.js';
import { DriftReportSchema, ExecutiveQuery, ExecutiveReportSchema, type ReportFormat } from './reports.schemas.js';
import type { ReportService } from './reports.service.js';
import { toCsv, toHtml, toMarkdown } from './executive-render.js';
import { toHealingCsv, toHealingHtml, toHealingMarkdown } from './healing-render.js';
import { HealingReportSchema } from './healing.schemas.js';
import { HTML_CSP } from './report-format.js';

/** `?format=` wins; otherwise the first of the Accept header's types (by q) that ORCA can produce; JSON by default. */
export function negotiateFormat(format: ReportFormat | undefined, accept: string | undefined): ReportFormat {
  if (format) return format;
  const ranked = (accept ?? '')
    .split(',')
    .map((part, index) => {
      const [type = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { type: type.trim(), q: q ? Number(q.slice(2)) || 0 : 1, index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { type } of ranked) {
    if (type === 'application/json' || type === 'application/*') return 'json';
    if (type === 'text/markdown' || type === 'text/x-markdown') return 'md';
    if (type === 'text/csv') return 'csv';
    if (type === 'text/html') return 'html';
    if (type === '*/*') return 'json';
  }
  return 'json';
}

/** Sends a report in the negotiated format, with the headers each format needs. */
function sendReport<R>(
  reply: FastifyReply,
  format: ReportFormat,
  report: R,
  render: { md: (r: R) => string; csv: (r: R) => string; html: (r: R) => string },
  csvName: string,
): FastifyReply {
  reply.header('vary', 'Accept');
  if (format === 'json') return reply.type(MEDIA_TYPES.json).send(report);
  const body = render[format](report);
  if (format === 'html') reply.header('content-security-policy', HTML_CSP);
  if (format === 'csv') reply.header('content-disposition', `attachment; filename="${csvName}"`);
  return reply.type(MEDIA_TYPES[format]).send(body);
}

type App = Parameters<FastifyPluginAsyncTypebox>[0];

/** A report over a trailing window, as JSON or rendered: what differs from one report route to the next. */
interface ReportRoute<R> {
  path: string;
  operationId: string;
  summary: string;
  description: string;
  schema: TSchema;
  build: (window: Static<typeof ExecutiveQuery>['window']) => Promise<R>;
  render: { md: (r: R) => string; csv: (r: R) => string; html: (r: R) => string };
  csvName: string;
}

/** GET `path` for a viewer: the report in the format ?format= or the Accept header asks for (docs/reports.md). */
function reportRoute<R>(app: App, route: ReportRoute<R>): void {
  app.get(
    route.path,
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['Reports'],
        operationId: route.operationId,
        summary: route.summary,
        description: route.description,
        querystring: ExecutiveQuery,
        produces: ['application/json', 'text/markdown', 'text/csv', 'text/html'],
        response: {
          200: {
            content: {
              'application/json': { schema: route.schema },
              'text/markdown': { schema: Type.String() },
              'text/csv': { schema: Type.String() },
              'text/html': { schema: Type.String() },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const format = negotiateFormat(request.query.format, request.headers.accept);
      return sendReport(reply, format, await route.build(request.query.window), route.render, route.csvName);
    },
  );
}

export function reportRoutes(service: ReportService): FastifyPluginAsyncTypebox {
  return async (app) => {
    reportRoute(app, {
      path: '/reports/executive',
      operationId: 'getExecutiveReport',
      summary: 'Executive summary: KPIs with inputs and bands, trends, top risks, open gaps, insights, recommendations',
      description: 'JSON, Markdown, CSV or self-contained HTML, chosen by ?format= or the Accept header (docs/reports.md).',
      schema: ExecutiveReportSchema,
      build: (window) => service.executive(window),
      render: { md: toMarkdown, csv: toCsv, html: toHtml },
      csvName: 'orca-executive-summary.csv',
    });
    reportRoute(app, {
      path: '/reports/drift',
      operationId: 'getDriftReport',
      summary: 'Drift report: sync gaps detected over the window by kind, contract and owner agent, with their cost',
      description:
        'Gaps detected in (now − window, now]: how many are open, resolved or withdrawn, what they put at stake and what early resolution avoided. JSON, Markdown, CSV or HTML by ?format= or Accept (docs/reports.md).',
      schema: DriftReportSchema,
      build: (window) => service.drift(window),
      render: { md: driftToMarkdown, csv: driftToCsv, html: driftToHtml },
      csvName: 'orca-drift-report.csv',
    });
    reportRoute(app, {
      path: '/reports/healing',
      operationId: 'getHealingReport',
      summary: 'Healing report: remediation actions and outcomes, time to heal, self-resolution, cost avoided',
      description: 'Over the trailing window; JSON, Markdown, CSV or self-contained HTML by ?format= or the Accept header (docs/reports.md).',
      schema: HealingReportSchema,
      build: (window) => service.healing(window),
      render: { md: toHealingMarkdown, csv: toHealingCsv, html: toHealingHtml },
      csvName: 'orca-healing-report.csv',
    });
  };
}
