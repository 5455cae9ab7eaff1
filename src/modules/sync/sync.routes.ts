import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { documentSourceOf, installDocumentBodyParsers } from '../../platform/documents/document-body.js';
import { YAML_MEDIA_TYPES } from '../../platform/documents/parse-document.js';
import { actorOf } from '../../platform/http/actor.js';
import { IdParams, problems } from '../../platform/http/schemas.js';
import { ContractsQuery, ContractsVersion, FreshnessReport, Gap, GapPage, GapQuery, ResolveBody, SyncContractsDocument } from './sync.schemas.js';
import type { SyncService } from './sync.service.js';

const tags = ['Sync'];

export function syncRoutes(service: SyncService): FastifyPluginAsyncTypebox {
  return async (app) => {
    installDocumentBodyParsers(app);

    app.get(
      '/sync/contracts',
      {
        config: { access: 'viewer' },
        schema: {
          tags,
          operationId: 'getSyncContracts',
          summary: 'The active sync contracts document (or a past version)',
          description: '404 when no contracts were written yet, or the version asked for does not exist.',
          querystring: ContractsQuery,
          response: { 200: ContractsVersion, ...problems(404) },
        },
      },
      async (request) => service.getContracts(request.query.version),
    );

    app.put(
      '/sync/contracts',
      {
        config: { access: 'operator', documentBody: true },
        schema: {
          tags,
          operationId: 'replaceSyncContracts',
          summary: 'Replace the sync contracts (a new version; every version is kept)',
          description:
            'YAML (application/yaml, text/yaml) or JSON. Invalid documents are 400 with the path of each problem; an owner agent that does not exist is 422. Format: docs/sync.md.',
          consumes: ['application/json', ...YAML_MEDIA_TYPES],
          body: SyncContractsDocument,
          response: { 200: ContractsVersion, ...problems(422) },
        },
      },
      async (request) => service.putContracts(actorOf(request), request.body, documentSourceOf(request)?.format ?? 'json'),
    );

    app.get(
      '/sync/gaps',
      {
        config: { access: 'viewer' },
        schema: {
          tags,
          operationId: 'listGaps',
          summary: 'Sync gaps, newest first',
          description: 'Filters combine with AND; pass next_cursor as cursor for the next page.',
          querystring: GapQuery,
          response: { 200: GapPage },
        },
      },
      async (request) => service.listGaps(request.query),
    );

    app.get(
      '/sync/gaps/:id',
      {
        config: { access: 'viewer' },
        schema: { tags, operationId: 'getGap', summary: 'One sync gap', params: IdParams, response: { 200: Gap } },
      },
      async (request) => service.getGap(request.params.id),
    );

    app.post(
      '/sync/gaps/:id/resolve',
      {
        config: { access: 'operator' },
        schema: {
          tags,
          operationId: 'resolveGap',
          summary: 'Resolve a gap by hand',
          description: '409 when the gap is already resolved (automatically or by hand).',
          params: IdParams,
          body: ResolveBody,
          response: { 200: Gap, ...problems(409) },
        },
      },
      async (request) => service.resolveGap(actorOf(request), request.params.id, request.body.reason),
    );

    app.get(
      '/sync/freshness',
      {
        config: { access: 'viewer' },
        schema: {
          tags,
          operationId: 'getSyncFreshness',
          summary: 'Freshness of every stream of the active contracts',
          description: 'Per stream: last event received, lag, SLO and status (within_slo, stale, no_data).',
          response: { 200: FreshnessReport },
        },
      },
      async () => service.freshness(),
    );
  };
}
