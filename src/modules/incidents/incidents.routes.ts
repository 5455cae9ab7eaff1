import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../../platform/http/actor.js';
import { resourceRoutes } from '../../platform/http/resource-routes.js';
import { IdParams, problems } from '../../platform/http/schemas.js';
import { CreateIncidentBody, Incident, IncidentPage, ListIncidentsQuery, ResolveIncidentBody } from './incidents.schemas.js';
import type { IncidentService } from './incidents.service.js';

const tags = ['Trust'];

export function incidentRoutes(service: IncidentService): FastifyPluginAsyncTypebox {
  return async (app) => {
    const incidents = resourceRoutes(app, { path: '/incidents', tags, access: { read: 'viewer', write: 'operator' } });
    incidents.list({ operationId: 'listIncidents', summary: 'List incidents, newest first' }, ListIncidentsQuery, IncidentPage, (query) => service.list(query));
    incidents.create(
      {
        operationId: 'createIncident',
        summary: 'Open an incident',
        description:
          'Open high and critical incidents linked to an agent raise its risk exposure by 0.25 each (docs/trust.md). ' +
          '422 when the agent or gap it links to does not exist.',
        problems: [422],
      },
      CreateIncidentBody,
      Incident,
      (actor, body) => service.create(actor, body),
    );
    incidents.get({ operationId: 'getIncident', summary: 'Read an incident' }, Incident, (id) => service.get(id));

    app.post(
      '/incidents/:id/resolve',
      {
        config: { access: 'operator' },
        schema: {
          tags,
          operationId: 'resolveIncident',
          summary: 'Resolve an incident (resolved_by human)',
          description: '409 when the incident is already resolved.',
          params: IdParams,
          body: ResolveIncidentBody,
          response: { 200: Incident, ...problems(409) },
        },
      },
      async (request) => service.resolve(actorOf(request), request.params.id, request.body ?? {}),
    );
  };
}
