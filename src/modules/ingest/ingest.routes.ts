import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.js';
import { rawBodyOf, withRawBody } from '../../platform/http/raw-body.js';
import { problems } from '../../platform/http/schemas.js';
import type { RawDelivery } from './adapters/index.js';
import type { IngestMetrics } from './ingest.metrics.js';
import {
  BATCH_BODY_LIMIT,
  BatchResult,
  EventPage,
  EventsBatchBody,
  IngestResult,
  ListEventsQuery,
  RunsBatchBody,
  RunsResult,
  SourceIdParams,
} from './ingest.schemas.js';
import type { IngestService } from './ingest.service.js';

const tags = ['Ingestion'];

/**
 * Lower-cased header names with their first value: what adapters verify against (RawDelivery). Node already
 * lower-cases names and joins repeated headers, except the few it keeps as arrays (set-cookie): only then is a
 * copy needed.
 */
function headersOf(request: FastifyRequest): Record<string, string | undefined> {
  const received = request.headers;
  for (const name in received) {
    if (Array.isArray(received[name])) {
      const headers: Record<string, string | undefined> = {};
      for (const [key, value] of Object.entries(received)) headers[key] = Array.isArray(value) ? value[0] : value;
      return headers;
    }
  }
  return received as Record<string, string | undefined>;
}

function seconds(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

export function ingestRoutes(service: IngestService, metrics: IngestMetrics): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Webhooks: in a scope of their own, whatever the media type (JSON, SOAP XML, CloudEvents, …) the body stays the
    // exact bytes received, because signatures are computed over those bytes, never over re-serialised JSON.
    await withRawBody(app, (raw) => {
      raw.post(
        '/ingest/:sourceId',
        {
          // Authenticated by the source's signature, not an API key: vendors cannot add ORCA's header (roles.ts).
          config: { access: 'signed' },
          schema: {
            tags,
            operationId: 'ingestWebhook',
            summary: "Receive a webhook in the source's native format",
            description:
              'The signature is verified over the raw body with the scheme of the source kind (docs/ingestion.md); failures are 401. ' +
              'New events: 201. A delivery whose events were all stored before: 200 with duplicate: true (stored once). ' +
              'Salesforce sources are answered with the SOAP Ack (text/xml) instead of JSON. 404 for an unknown or disabled source; ' +
              '422 when the delivery does not map to canonical events.',
            params: SourceIdParams,
            consumes: ['*/*'],
            documentedBody: Type.Unknown({
              description: "the sender's own delivery (JSON, CloudEvents, SOAP XML…), exactly as signed: docs/ingestion-formats.md",
            }),
            response: {
              200: {
                description: 'Every event of the delivery was stored before (stored once); or the SOAP Ack of a Salesforce source',
                content: { 'application/json': { schema: IngestResult }, 'text/xml': { schema: Type.String({ description: 'the SOAP Ack' }) } },
              },
              201: IngestResult,
              ...problems(422),
            },
          },
        },
        async (request, reply) => {
          const started = process.hrtime.bigint();
          const delivery: RawDelivery = {
            method: request.method,
            url: request.url,
            headers: headersOf(request),
            body: rawBodyOf(request),
          };
          // Without an API key, the edge leaves the rate limit to this route (platform/edge/webhook-admission.ts).
          const admission = request.webhookAdmission;
          try {
            const result = await service.receiveWebhook(request.params.sourceId, delivery, admission?.verified);
            // The adapter's own answer (e.g. a SOAP Ack), sent as given rather than through the JSON serializer.
            if (result.kind === 'native') return await (reply as FastifyReply).code(result.status).type(result.contentType).send(result.body);
            return await reply.code(result.status).send(result.body);
          } catch (error) {
            // A delivery that did not authenticate counts against its address's anonymous budget, which may refuse it (429).
            if (admission && error instanceof AppError && (error.code === 'unauthorized' || error.code === 'not_found')) await admission.refused();
            throw error;
          } finally {
            metrics.duration.observe({ endpoint: 'webhook' }, seconds(started));
          }
        },
      );
    });

    app.post(
      '/events',
      {
        config: { access: 'ingest' },
        bodyLimit: BATCH_BODY_LIMIT,
        schema: {
          tags,
          operationId: 'ingestEvents',
          summary: 'Store a batch of canonical events (all or nothing)',
          description:
            'Up to 10,000 events or 10 MiB. A repeated idempotency_key (per source) is stored once. Problems with items are ' +
            'answered 422 with one entry per item in errors[] (path /body/events/<index>/<field>), and nothing is stored. ' +
            '201 when something new was stored, 200 when every item was a repeat.',
          body: EventsBatchBody,
          response: { 200: BatchResult, 201: BatchResult, ...problems(422) },
        },
      },
      async (request, reply) => {
        const started = process.hrtime.bigint();
        try {
          const result = await service.ingestBatch(request.body.events);
          return await reply.code(result.status).send(result.body);
        } finally {
          metrics.duration.observe({ endpoint: 'events' }, seconds(started));
        }
      },
    );

    app.post(
      '/runs',
      {
        config: { access: 'ingest' },
        bodyLimit: BATCH_BODY_LIMIT,
        schema: {
          tags,
          operationId: 'ingestRuns',
          summary: 'Store a batch of agent runs (all or nothing)',
          description:
            'Up to 10,000 runs. Every agent_id must name a registered agent (else 422 per item, nothing stored). Give each run ' +
            'an id to make retries safe: a run whose id is stored already is counted as a duplicate.',
          body: RunsBatchBody,
          response: { 200: RunsResult, 201: RunsResult, ...problems(422) },
        },
      },
      async (request, reply) => {
        const started = process.hrtime.bigint();
        try {
          const result = await service.ingestRuns(request.body.runs);
          return await reply.code(result.status).send(result.body);
        } finally {
          metrics.duration.observe({ endpoint: 'runs' }, seconds(started));
        }
      },
    );

    app.get(
      '/events',
      {
        config: { access: 'viewer' },
        schema: {
          tags,
          operationId: 'listEvents',
          summary: 'List stored events',
          description: 'Filters combine with AND; since/until bound received_at unless time_field=occurred_at. Newest first.',
          querystring: ListEventsQuery,
          response: { 200: EventPage },
        },
      },
      async (request) => service.listEvents(request.query),
    );
  };
}

