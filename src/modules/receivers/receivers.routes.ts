import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { actorOf } from '../../platform/http/actor.js';
import { IdParams, problems } from '../../platform/http/schemas.js';
import {
  CreateReceiverBody,
  ListReceiversQuery,
  Receiver,
  ReceiverPage,
  ReceiverTestResult,
  ReceiverWithGeneratedSecret,
  UpdateReceiverBody,
} from './receivers.schemas.js';
import type { ReceiverService } from './receivers.service.js';

const tags = ['Receivers'];

/** Receivers hold signing secrets and tokens: every route is admin-only, and no response has a field a secret could fill. */
export function receiverRoutes(service: ReceiverService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/receivers',
      {
        config: { access: 'admin' },
        schema: {
          tags,
          operationId: 'listReceivers',
          summary: 'List alert receivers',
          description: 'Newest first; pass next_cursor as cursor for the next page. Deleted receivers are not listed.',
          querystring: ListReceiversQuery,
          response: { 200: ReceiverPage },
        },
      },
      async (request) => service.list(request.query),
    );

    app.post(
      '/receivers',
      {
        config: { access: 'admin' },
        schema: {
          tags,
          operationId: 'createReceiver',
          summary: 'Create an alert receiver',
          description:
            'The URL must be http(s) and allowed by the SSRF guard (400 naming /body/url otherwise). Secret, token and header values are write-only: ' +
            'stored encrypted, never returned. A webhook receiver without a secret gets one generated, returned once as generated_secret. ' +
            '409 when another receiver has the name.',
          body: CreateReceiverBody,
          response: { 201: ReceiverWithGeneratedSecret, ...problems(409) },
        },
      },
      async (request, reply) => {
        const receiver = await service.create(actorOf(request), request.body);
        return reply.code(201).header('location', `/api/v1/receivers/${receiver.id}`).send(receiver);
      },
    );

    app.get(
      '/receivers/:id',
      { config: { access: 'admin' }, schema: { tags, operationId: 'getReceiver', summary: 'Read an alert receiver', params: IdParams, response: { 200: Receiver } } },
      async (request) => service.get(request.params.id),
    );

    app.patch(
      '/receivers/:id',
      {
        config: { access: 'admin' },
        schema: {
          tags,
          operationId: 'updateReceiver',
          summary: 'Update an alert receiver (name, URL, secret, token, headers)',
          description: 'Fields given replace the stored ones; the kind cannot change. 409 when another receiver has the name.',
          params: IdParams,
          body: UpdateReceiverBody,
          response: { 200: Receiver, ...problems(409) },
        },
      },
      async (request) => service.update(actorOf(request), request.params.id, request.body),
    );

    app.delete(
      '/receivers/:id',
      {
        config: { access: 'admin' },
        schema: {
          tags,
          operationId: 'deleteReceiver',
          summary: 'Delete an alert receiver (soft)',
          description: 'Its deliveries stay listed; those not yet delivered are dead-lettered. A receiver kept by a setting comes back at the next start-up.',
          params: IdParams,
          response: { 204: Type.Null({ description: 'deleted' }) },
        },
      },
      async (request, reply) => {
        await service.remove(actorOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/receivers/:id/test',
      {
        config: { access: 'admin' },
        schema: {
          tags,
          operationId: 'testReceiver',
          summary: 'Send a test notification now and report the outcome',
          description:
            'One attempt, no retry, through the same payload builder and outbound client as deliveries (SSRF guard, timeout, the receiver\'s circuit breaker). ' +
            'The answer is 200 whatever the receiver did: outcome, status, duration_ms and error say it. Audited.',
          params: IdParams,
          response: { 200: ReceiverTestResult },
        },
      },
      async (request) => service.test(actorOf(request), request.params.id, `${request.protocol}://${request.host}/api/v1/receivers/${request.params.id}`),
    );
  };
}
