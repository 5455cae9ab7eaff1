import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../../platform/http/actor.js';
import { resourceRoutes } from '../../platform/http/resource-routes.js';
import { IdParams, problems } from '../../platform/http/schemas.js';
import {
  CreateDiscoverySourceBody,
  CreateRunBody,
  DiscoveryFindingPage,
  DiscoveryRun,
  DiscoveryRunPage,
  DiscoverySource,
  DiscoverySourcePage,
  ListDiscoverySourcesQuery,
  ListFindingsQuery,
  ListRunsQuery,
  UpdateDiscoverySourceBody,
} from './discovery.schemas.js';
import type { DiscoveryRunService } from './discovery-runs.service.js';
import type { DiscoverySourceService } from './discovery-sources.service.js';

const tags = ['Discovery'];

/**
 * Sources hold credentials and name what ORCA connects to or starts: admin only, and no response schema has a field
 * a credential could fill. Running discovery is an operator's action; reading runs and findings a viewer's.
 */
export function discoveryRoutes(sources: DiscoverySourceService, runs: DiscoveryRunService): FastifyPluginAsyncTypebox {
  return async (app) => {
    const discoverySources = resourceRoutes(app, { path: '/discovery/sources', tags, access: 'admin' });
    discoverySources.list(
      { operationId: 'listDiscoverySources', summary: 'List discovery sources', description: 'Newest first. Deleted sources are not listed.' },
      ListDiscoverySourcesQuery,
      DiscoverySourcePage,
      (query) => sources.list(query),
    );
    discoverySources.create(
      {
        operationId: 'createDiscoverySource',
        summary: 'Connect a system to discover agents from',
        description:
          'config and credentials are checked against the kind (docs/discovery.md); URLs go through the SSRF guard, a stdio command must be allowed by DISCOVERY_STDIO_COMMANDS. ' +
          'Credentials are write-only: stored encrypted, never returned. 409 when another source has the name.',
        problems: [409],
      },
      CreateDiscoverySourceBody,
      DiscoverySource,
      (actor, body) => sources.create(actor, body),
    );
    discoverySources.get({ operationId: 'getDiscoverySource', summary: 'Read a discovery source' }, DiscoverySource, (id) => sources.get(id));
    discoverySources.update(
      {
        operationId: 'updateDiscoverySource',
        summary: 'Update a discovery source',
        description: 'Fields given replace the stored ones; config and credentials are replaced whole, credentials null removes them. 409 when another source has the name.',
        problems: [409],
      },
      UpdateDiscoverySourceBody,
      DiscoverySource,
      (actor, id, body) => sources.update(actor, id, body),
    );
    discoverySources.remove(
      { operationId: 'deleteDiscoverySource', summary: 'Delete a discovery source (soft)', description: 'Its agents, their identities and its runs stay; it is no longer run or scheduled.' },
      (actor, id) => sources.remove(actor, id),
    );

    app.post(
      '/discovery/runs',
      {
        config: { access: 'operator' },
        schema: {
          tags,
          operationId: 'createDiscoveryRun',
          summary: 'Run discovery on a source now',
          description: 'Queued as a job (202); poll GET /discovery/runs/{id} until its status is succeeded, partial or failed. 422 for an unknown source; 409 when the source is disabled or already has a run queued or running.',
          body: CreateRunBody,
          response: { 202: DiscoveryRun, ...problems(409, 422) },
        },
      },
      async (request, reply) => {
        const run = await runs.request(actorOf(request), request.body.source_id);
        return reply.code(202).header('location', `/api/v1/discovery/runs/${run.id}`).send(run);
      },
    );

    app.get(
      '/discovery/runs',
      {
        config: { access: 'viewer' },
        schema: { tags, operationId: 'listDiscoveryRuns', summary: 'List discovery runs', description: 'Newest first; filter by source and status.', querystring: ListRunsQuery, response: { 200: DiscoveryRunPage } },
      },
      async (request) => runs.list(request.query),
    );

    app.get(
      '/discovery/runs/:id',
      { config: { access: 'viewer' }, schema: { tags, operationId: 'getDiscoveryRun', summary: 'Read a discovery run: status, counts and errors', params: IdParams, response: { 200: DiscoveryRun } } },
      async (request) => runs.get(request.params.id),
    );

    app.get(
      '/discovery/findings',
      {
        config: { access: 'viewer' },
        schema: {
          tags,
          operationId: 'listDiscoveryFindings',
          summary: 'Suspicious tool descriptions found by discovery',
          description: 'tool_poisoning (the description reads as a prompt injection) and rug_pull (it changed after the agent was approved); newest first.',
          querystring: ListFindingsQuery,
          response: { 200: DiscoveryFindingPage },
        },
      },
      async (request) => runs.findings(request.query),
    );
  };
}
