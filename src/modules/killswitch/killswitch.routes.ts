import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../../platform/http/actor.js';
import { IdParams, problems } from '../../platform/http/schemas.js';
import type { KillSwitchPreviewService } from './killswitch.preview.js';
import { ActivationDetail, ActivationPage, ExecuteBody, ListQuery, Preview, PreviewBody, ReleaseBody } from './killswitch.schemas.js';
import type { KillSwitchService } from './killswitch.service.js';
import type { SelectorInput } from './selection.js';

const tags = ['Kill switch'];

export function killSwitchRoutes(service: KillSwitchService, previews: KillSwitchPreviewService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/kill-switch/preview',
      {
        // An operator may prepare the blast radius; only an admin may execute it (docs/kill-switch.md "Who may do what").
        config: { access: 'operator' },
        schema: {
          tags,
          operationId: 'previewKillSwitch',
          summary: 'Preview what a kill switch would stop, and get a token to execute exactly that',
          description:
            'Lists the selected agents, their pending approvals, the sync contracts they own and the sources feeding them, their ' +
            'decisions of the last 24 hours and runs of the last hour. Suspends nothing. The preview token is valid for 5 minutes ' +
            'and only for this exact selection (each agent and its status).',
          body: PreviewBody,
          response: { 200: Preview },
        },
      },
      async (request) => previews.preview(actorOf(request), request.body as { selector: SelectorInput }),
    );

    app.post(
      '/kill-switch',
      {
        config: { access: 'admin' },
        schema: {
          tags,
          operationId: 'activateKillSwitch',
          summary: 'Suspend every agent of a preview, in one audited transaction',
          description:
            'Every replica denies the next policy evaluation of each suspended agent (within a second). 409 when the preview was ' +
            'already used, is older than 5 minutes, or its selection changed since (an agent now matches or no longer does, or ' +
            'changed status); 422 when the token names no preview or the selection is empty.',
          body: ExecuteBody,
          response: { 201: ActivationDetail, ...problems(409, 422) },
        },
      },
      async (request, reply) => {
        const activation = await service.execute(actorOf(request), request.body);
        return reply.code(201).header('location', `/api/v1/kill-switch/${activation.id}`).send(activation);
      },
    );

    app.get(
      '/kill-switch',
      {
        config: { access: 'viewer' },
        schema: {
          tags,
          operationId: 'listKillSwitches',
          summary: 'Kill switch activations, newest first',
          querystring: ListQuery,
          response: { 200: ActivationPage },
        },
      },
      async (request) => service.list(request.query),
    );

    app.get(
      '/kill-switch/:id',
      {
        config: { access: 'viewer' },
        schema: {
          tags,
          operationId: 'getKillSwitch',
          summary: 'A kill switch activation with each agent it selected',
          params: IdParams,
          response: { 200: ActivationDetail },
        },
      },
      async (request) => service.get(request.params.id),
    );

    app.post(
      '/kill-switch/:id/release',
      {
        config: { access: 'admin' },
        schema: {
          tags,
          operationId: 'releaseKillSwitch',
          summary: 'Restore each agent the kill switch still holds to its previous status',
          description:
            'Agents whose status someone changed since are skipped; an agent another active kill switch also selected stays suspended, ' +
            'held by that one. 409 when already released.',
          params: IdParams,
          body: ReleaseBody,
          response: { 200: ActivationDetail, ...problems(409) },
        },
      },
      async (request) => service.release(actorOf(request), request.params.id, request.body),
    );
  };
}
