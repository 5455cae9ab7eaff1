import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams } from '../../platform/http/schemas.js';
import { ListRemediationsQuery, Remediation, RemediationPage } from './remediation.schemas.js';
import type { RemediationService } from './remediation.service.js';

const tags = ['Remediation'];

export function remediationRoutes(service: RemediationService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/remediations',
      {
        config: { access: 'viewer' },
        schema: {
          tags,
          operationId: 'listRemediations',
          summary: 'List remediations (self-healing actions on sync gaps), newest first',
          description: 'Filters: status, gap_id, agent_id (the gap’s owner), action (docs/self-healing.md).',
          querystring: ListRemediationsQuery,
          response: { 200: RemediationPage },
        },
      },
      async (request) => service.list(request.query),
    );

    app.get(
      '/remediations/:id',
      {
        config: { access: 'viewer' },
        schema: { tags, operationId: 'getRemediation', summary: 'Read a remediation: its attempts, status and outcome', params: IdParams, response: { 200: Remediation } },
      },
      async (request) => service.get(request.params.id),
    );
  };
}
