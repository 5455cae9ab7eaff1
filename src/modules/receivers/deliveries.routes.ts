import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../../platform/http/actor.js';
import { IdParams, problems } from '../../platform/http/schemas.js';
import type { DeliveryService } from './deliveries.service.js';
import { Delivery, DeliveryPage, ListDeliveriesQuery } from './receivers.schemas.js';

const tags = ['Receivers'];

/** Deliveries are operations work: operators watch them and send the failed ones again. */
export function deliveryRoutes(service: DeliveryService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/deliveries',
      {
        config: { access: 'operator' },
        schema: {
          tags,
          operationId: 'listDeliveries',
          summary: 'List notification deliveries',
          description: 'Newest first, filtered by status and receiver; pass next_cursor as cursor for the next page.',
          querystring: ListDeliveriesQuery,
          response: { 200: DeliveryPage },
        },
      },
      async (request) => service.list(request.query),
    );

    app.post(
      '/deliveries/:id/retry',
      {
        config: { access: 'operator' },
        schema: {
          tags,
          operationId: 'retryDelivery',
          summary: 'Send a failed or dead-lettered delivery again',
          description: 'Queued now with a fresh retry budget; the answer shows it pending. 409 when it is pending or delivered, or its receiver was deleted. Audited.',
          params: IdParams,
          response: { 200: Delivery, ...problems(409) },
        },
      },
      async (request) => service.retry(actorOf(request), request.params.id),
    );
  };
}
