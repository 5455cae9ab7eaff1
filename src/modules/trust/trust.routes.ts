import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams } from '../../platform/http/schemas.js';
import { AgentTrustSchema, HistoryQuery, KpiHistoryPage, KpiReportSchema, WindowQuery } from './trust.schemas.js';
import type { TrustService } from './trust.service.js';

const tags = ['Trust'];

export function trustRoutes(service: TrustService): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Lives here rather than in the agents module: trust is computed from runs, decisions, gaps and incidents.
    app.get(
      '/agents/:id/trust',
      {
        config: { access: 'viewer' },
        schema: {
          tags: ['Agents', ...tags],
          operationId: 'getAgentTrust',
          summary: "An agent's trust score with its components, inputs, weights and confidence",
          description: 'Organisation KPIs over the trailing window (default 30d); formulas and worked examples in docs/trust.md.',
          params: IdParams,
          querystring: WindowQuery,
          response: { 200: AgentTrustSchema },
        },
      },
      async (request) => service.agentTrust(request.params.id, request.query.window),
    );

    app.get(
      '/kpis',
      {
        config: { access: 'viewer' },
        schema: {
          tags,
          operationId: 'getKpis',
          summary: 'Organisation KPIs over a trailing window, each with numerator, denominator, inputs and band',
          querystring: WindowQuery,
          response: { 200: KpiReportSchema },
        },
      },
      async (request) => service.kpis(request.query.window),
    );

    app.get(
      '/kpis/history',
      {
        config: { access: 'viewer' },
        schema: {
          tags,
          operationId: 'listKpiSnapshots',
          summary: 'KPI snapshots taken on schedule, newest first',
          querystring: HistoryQuery,
          response: { 200: KpiHistoryPage },
        },
      },
      async (request) => service.history(request.query),
    );
  };
}
