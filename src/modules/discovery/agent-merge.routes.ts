import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../../platform/http/actor.js';
import { IdParams, problems } from '../../platform/http/schemas.js';
import { AgentSchema } from '../agents/index.js';
import type { MergeService } from './agent-merge.service.js';
import { MergeAgentBody, UnmergeAgentBody } from './discovery.schemas.js';

const tags = ['Agents'];

/**
 * Merging and unmerging agents by hand (docs/discovery.md "Merging"): operator, like the lifecycle actions — it
 * changes which agent a system's traffic is governed as, never what ORCA connects to (sources stay admin).
 */
export function agentMergeRoutes(service: MergeService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/agents/:id/merge',
      {
        config: { access: 'operator' },
        schema: {
          tags,
          operationId: 'mergeAgent',
          summary: 'Merge this agent into another',
          description:
            "The agent's identities, history, decisions, runs, approvals, trust snapshots, incidents, gaps and findings follow `into`, which takes its policy role if it has none; this agent becomes `merged`. Answers the surviving agent with its identities. 400 when `into` is the agent itself; 404 when either is unknown; 409 when either is merged already or retired.",
          params: IdParams,
          body: MergeAgentBody,
          response: { 200: AgentSchema, ...problems(404, 409) },
        },
      },
      async (request) => service.merge(actorOf(request), request.params.id, request.body),
    );

    app.post(
      '/agents/:id/unmerge',
      {
        config: { access: 'operator' },
        schema: {
          tags,
          operationId: 'unmergeAgent',
          summary: 'Give back an identity a merge brought to this agent',
          description:
            'Undoes the merge that brought `identity`: the agent it came with gets back its identities, the rows the merge moved and the status it had. Answers that agent with its identities. 404 when the agent or the identity is unknown; 409 when the identity belongs to another agent or is the agent\'s own.',
          params: IdParams,
          body: UnmergeAgentBody,
          response: { 200: AgentSchema, ...problems(404, 409) },
        },
      },
      async (request) => service.unmerge(actorOf(request), request.params.id, request.body),
    );
  };
}
