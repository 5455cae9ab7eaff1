import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { actorOf } from '../../platform/http/actor.js';
import { IdParams, problems } from '../../platform/http/schemas.js';
import {
  Agent,
  AgentEventPage,
  AgentPage,
  CreateAgentBody,
  HistoryQuery,
  ListAgentsQuery,
  RetireQuery,
  TransitionBody,
  UpdateAgentBody,
  type CreateAgentInput,
  type UpdateAgentInput,
} from './agents.schemas.js';
import type { AgentRecord } from './agents.repository.js';
import type { AgentService } from './agents.service.js';
import { LIFECYCLE_ACTIONS } from './lifecycle.js';

const tags = ['Agents'];

/** What Fastify sends with a serialized object; set explicitly when the body is already JSON text. */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export function agentRoutes(service: AgentService): FastifyPluginAsyncTypebox {
  // The agent cache hands out the same record object for every read until a write replaces it, so the JSON of a
  // read is built once per cached record instead of once per request (reading one agent is the hot read path;
  // serializing its ~1.5 kB body was a tenth of what the request cost). Keyed weakly: a record the cache drops
  // takes its body with it.
  const bodies = new WeakMap<AgentRecord, string>();
  return async (app) => {
    app.get(
      '/agents',
      {
        config: { access: 'viewer' },
        schema: {
          tags,
          operationId: 'listAgents',
          summary: 'List agents',
          description: 'Filters combine with AND. Newest first; pass next_cursor as cursor for the next page.',
          querystring: ListAgentsQuery,
          response: { 200: AgentPage },
        },
      },
      async (request) => service.list(request.query),
    );

    app.post(
      '/agents',
      {
        config: { access: 'operator' },
        schema: {
          tags,
          operationId: 'createAgent',
          summary: 'Register an agent',
          description: '409 when another agent from the same source already has this external_id.',
          body: CreateAgentBody,
          response: { 201: Agent, ...problems(409) },
        },
      },
      async (request, reply) => {
        const agent = await service.create(actorOf(request), request.body as CreateAgentInput);
        return reply.code(201).header('location', `/api/v1/agents/${agent.id}`).send(agent);
      },
    );

    app.get(
      '/agents/:id',
      {
        config: { access: 'viewer' },
        schema: { tags, operationId: 'getAgent', summary: 'Read an agent', params: IdParams, response: { 200: Agent } },
      },
      async (request, reply) => {
        const agent = await service.get(request.params.id);
        let body = bodies.get(agent);
        if (body === undefined) {
          // The route's own response serializer: the same bytes Fastify would send for the object.
          body = reply.serialize(agent) as string;
          bodies.set(agent, body);
        }
        // Already JSON text: sent as it is (the typed reply only knows the object form).
        return (reply as FastifyReply).type(JSON_CONTENT_TYPE).send(body);
      },
    );

    app.patch(
      '/agents/:id',
      {
        config: { access: 'operator' },
        schema: {
          tags,
          operationId: 'updateAgent',
          summary: 'Update an agent',
          description: 'Fields given replace the stored ones; null clears an optional field. The fingerprint is recomputed. 409 when the agent is retired.',
          params: IdParams,
          body: UpdateAgentBody,
          response: { 200: Agent, ...problems(409) },
        },
      },
      async (request) => service.update(actorOf(request), request.params.id, request.body as UpdateAgentInput),
    );

    app.delete(
      '/agents/:id',
      {
        config: { access: 'operator' },
        schema: {
          tags,
          operationId: 'deleteAgent',
          summary: 'Retire an agent (soft delete)',
          description: 'The same as POST /agents/{id}/retire; 409 when the lifecycle does not allow it.',
          params: IdParams,
          querystring: RetireQuery,
          response: { 200: Agent, ...problems(409) },
        },
      },
      async (request) => service.transition(actorOf(request), request.params.id, 'retire', request.query.reason ?? null),
    );

    for (const action of LIFECYCLE_ACTIONS) {
      app.post(
        `/agents/:id/${action}`,
        {
          config: { access: 'operator' },
          schema: {
            tags,
            operationId: `${action}Agent`,
            summary: `${action[0]!.toUpperCase()}${action.slice(1)} an agent`,
            description: 'Allowed only along the lifecycle state machine (docs/agents.md); otherwise 409.',
            params: IdParams,
            body: TransitionBody,
            response: { 200: Agent, ...problems(409) },
          },
        },
        async (request) => service.transition(actorOf(request), request.params.id, action, request.body.reason),
      );
    }

    app.get(
      '/agents/:id/history',
      {
        config: { access: 'viewer' },
        schema: {
          tags,
          operationId: 'listAgentHistory',
          summary: 'Status changes and definition changes of an agent, oldest first',
          params: IdParams,
          querystring: HistoryQuery,
          response: { 200: AgentEventPage },
        },
      },
      async (request) => service.history(request.params.id, request.query),
    );
  };
}

