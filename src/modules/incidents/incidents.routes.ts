import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../../platform/http/actor.js';
import { IdParams, problems } from '../../platform/http/schemas.js';
import { CreateIncidentBody, Incident, IncidentPage, ListIncidentsQuery, ResolveIncidentBody } from './incidents.schemas.js';
import type { IncidentService } from './incidents.service.js';

const tags = ['Trust'];

export function incidentRoutes(service: IncidentService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/incidents',
      {
        config: { access: 'viewer' },
        schema: { tags, operationId: 'listIncidents', summary: 'List incidents, newest first', querystring: ListIncidentsQuery, response: { 200: IncidentPage } },
      },
      async (request) => service.list(request.query),
    );

    app.post(
      '/incidents',
      {
        config: { access: 'operator' },
        schema: {
          tags,
          operationId: 'createIncident',
          summary: 'Open an incident',
          description:
            'Open high and critical incidents linked to an agent raise its risk exposure by 0.25 each (docs/trust.md). ' +
            '422 when the agent or gap it links to does not exist.',
          body: CreateIncidentBody,
          response: { 201: Incident, ...problems(422) },
        },
      },
      async (request, reply) => {
        const incident = await service.create(actorOf(request), request.body);
        return reply.code(201).header('location', `/api/v1/incidents/${incident.id}`).send(incident);
      },
    );

    app.get(
      '/incidents/:id',
      {
        config: { access: 'viewer' },
        schema: { tags, operationId: 'getIncident', summary: 'Read an incident', params: IdParams, response: { 200: Incident } },
      },
      async (request) => service.get(request.params.id),
    );

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
