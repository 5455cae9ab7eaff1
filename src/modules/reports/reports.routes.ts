import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ExecutiveQuery, ExecutiveReportSchema, type ReportFormat } from './reports.schemas.js';
import type { ReportService } from './reports.service.js';
import { HTML_CSP, toCsv, toHtml, toMarkdown } from './render.js';
import { toHealingCsv, toHealingHtml, toHealingMarkdown } from './healing-render.js';
import { HealingReportSchema } from './healing.schemas.js';

const MEDIA_TYPES: Record<ReportFormat, string> = {
  json: 'application/json; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

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
          response: {
            200: {
              content: {
                'application/json': { schema: ExecutiveReportSchema },
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
        const report = await service.executive(request.query.window);
        reply.header('vary', 'Accept');
        if (format === 'json') return reply.type(MEDIA_TYPES.json).send(report);
        const body = format === 'md' ? toMarkdown(report) : format === 'csv' ? toCsv(report) : toHtml(report);
        if (format === 'html') reply.header('content-security-policy', HTML_CSP);
        if (format === 'csv') reply.header('content-disposition', 'attachment; filename="orca-executive-summary.csv"');
        return reply.type(MEDIA_TYPES[format]).send(body);
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
