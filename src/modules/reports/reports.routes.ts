import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
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

const textFormats = {
  'text/markdown': { schema: Type.String() },
  'text/csv': { schema: Type.String() },
  'text/html': { schema: Type.String() },
};

export function reportRoutes(service: ReportService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/reports/executive',
      {
        config: { access: 'viewer' },
        schema: {
          tags: ['Reports'],
          operationId: 'getExecutiveReport',
          summary: 'Executive summary: KPIs with inputs and bands, trends, top risks, open gaps, insights, recommendations',
          description: 'JSON, Markdown, CSV or self-contained HTML, chosen by ?format= or the Accept header (docs/reports.md).',
          querystring: ExecutiveQuery,
          produces: ['application/json', 'text/markdown', 'text/csv', 'text/html'],
          response: { 200: { content: { 'application/json': { schema: ExecutiveReportSchema }, ...textFormats } } },
        },
      },
      async (request, reply) => {
        const format = negotiateFormat(request.query.format, request.headers.accept);
        const report = await service.executive(request.query.window);
        return sendReport(reply, format, report, { md: toMarkdown, csv: toCsv, html: toHtml }, 'orca-executive-summary.csv');
      },
    );

    app.get(
      '/reports/drift',
      {
        config: { access: 'viewer' },
        schema: {
          tags: ['Reports'],
          operationId: 'getDriftReport',
          summary: 'Drift report: sync gaps detected over the window by kind, contract and owner agent, with their cost',
          description:
            'Gaps detected in (now − window, now]: how many are open, resolved or withdrawn, what they put at stake and what early resolution avoided. JSON, Markdown, CSV or HTML by ?format= or Accept (docs/reports.md).',
          querystring: ExecutiveQuery,
          produces: ['application/json', 'text/markdown', 'text/csv', 'text/html'],
          response: { 200: { content: { 'application/json': { schema: DriftReportSchema }, ...textFormats } } },
        },
      },
      async (request, reply) => {
        const format = negotiateFormat(request.query.format, request.headers.accept);
        const report = await service.drift(request.query.window);
        return sendReport(reply, format, report, { md: driftToMarkdown, csv: driftToCsv, html: driftToHtml }, 'orca-drift-report.csv');
      },
    );

    app.get(
      '/reports/healing',
      {
        config: { access: 'viewer' },
        schema: {
          tags: ['Reports'],
          operationId: 'getHealingReport',
          summary: 'Healing report: remediation actions and outcomes, time to heal, self-resolution, cost avoided',
          description: 'Over the trailing window; JSON, Markdown, CSV or self-contained HTML by ?format= or the Accept header (docs/reports.md).',
          querystring: ExecutiveQuery,
          produces: ['application/json', 'text/markdown', 'text/csv', 'text/html'],
          response: {
            200: {
              content: {
                'application/json': { schema: HealingReportSchema },
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
        const report = await service.healing(request.query.window);
        reply.header('vary', 'Accept');
        if (format === 'json') return reply.type(MEDIA_TYPES.json).send(report);
        const body = format === 'md' ? toHealingMarkdown(report) : format === 'csv' ? toHealingCsv(report) : toHealingHtml(report);
        if (format === 'html') reply.header('content-security-policy', HTML_CSP);
        if (format === 'csv') reply.header('content-disposition', 'attachment; filename="orca-healing-report.csv"');
        return reply.type(MEDIA_TYPES[format]).send(body);
      },
    );
  };
}
