import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../../platform/http/actor.js';
import { resourceRoutes } from '../../platform/http/resource-routes.js';
import { IdParams } from '../../platform/http/schemas.js';
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
    const receivers = resourceRoutes(app, { path: '/receivers', tags, access: 'admin' });
    receivers.list(
      {
        operationId: 'listReceivers',
        summary: 'List alert receivers',
        description: 'Newest first; pass next_cursor as cursor for the next page. Deleted receivers are not listed.',
      },
      ListReceiversQuery,
      ReceiverPage,
      (query) => service.list(query),
    );
    receivers.create(
      {
        operationId: 'createReceiver',
        summary: 'Create an alert receiver',
        description:
          'The URL must be http(s) and allowed by the SSRF guard (400 naming /body/url otherwise). Secret, token and header values are write-only: ' +
          'stored encrypted, never returned. A webhook receiver without a secret gets one generated, returned once as generated_secret. ' +
          '409 when another receiver has the name.',
        problems: [409],
      },
      CreateReceiverBody,
      ReceiverWithGeneratedSecret,
      (actor, body) => service.create(actor, body),
    );
    receivers.get({ operationId: 'getReceiver', summary: 'Read an alert receiver' }, Receiver, (id) => service.get(id));
    receivers.update(
      {
        operationId: 'updateReceiver',
        summary: 'Update an alert receiver (name, URL, secret, token, headers)',
        description: 'Fields given replace the stored ones; the kind cannot change. 409 when another receiver has the name.',
        problems: [409],
      },
      UpdateReceiverBody,
      Receiver,
      (actor, id, body) => service.update(actor, id, body),
    );
    receivers.remove(
      {
        operationId: 'deleteReceiver',
        summary: 'Delete an alert receiver (soft)',
        description: 'Its deliveries stay listed; those not yet delivered are dead-lettered. A receiver kept by a setting comes back at the next start-up.',
      },
      (actor, id) => service.remove(actor, id),
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
