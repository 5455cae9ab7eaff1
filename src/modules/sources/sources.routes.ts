import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { actorOf } from '../../platform/http/actor.js';
import { IdParams, problems } from '../../platform/http/schemas.js';
import {
  CreateSourceBody,
  ListSourcesQuery,
  RotateSecretBody,
  Source,
  SourcePage,
  SourceWithGeneratedSecret,
  UpdateSourceBody,
} from './sources.schemas.js';
import type { SourceService } from './sources.service.js';

const tags = ['Sources'];

/** Sources hold signing secrets: every route is admin-only, and no response schema has a field a secret could fill. */
export function sourceRoutes(service: SourceService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/sources',
      {
        config: { access: 'admin' },
        schema: {
          tags,
          operationId: 'listSources',
          summary: 'List sources',
          description: 'Newest first; pass next_cursor as cursor for the next page. Deleted sources are not listed.',
          querystring: ListSourcesQuery,
          response: { 200: SourcePage },
        },
      },
      async (request) => service.list(request.query),
    );

    app.post(
      '/sources',
      {
        config: { access: 'admin' },
        schema: {
          tags,
          operationId: 'createSource',
          summary: 'Connect a source',
          description:
            'The secret is write-only: stored encrypted, never returned. Omit it and ORCA generates one, returned once as generated_secret. ' +
            '409 when another source has the same name.',
          body: CreateSourceBody,
          response: { 201: SourceWithGeneratedSecret, ...problems(409) },
        },
      },
      async (request, reply) => {
        const source = await service.create(actorOf(request), request.body);
        return reply.code(201).header('location', `/api/v1/sources/${source.id}`).send(source);
      },
    );

    app.get(
      '/sources/:id',
      {
        config: { access: 'admin' },
        schema: { tags, operationId: 'getSource', summary: 'Read a source', params: IdParams, response: { 200: Source } },
      },
      async (request) => service.get(request.params.id),
    );

    app.patch(
      '/sources/:id',
      {
        config: { access: 'admin' },
        schema: {
          tags,
          operationId: 'updateSource',
          summary: 'Update a source (name, enabled, signing options, mapping)',
          description: 'Fields given replace the stored ones. The secret changes only through rotate-secret. 409 when another source has the name.',
          params: IdParams,
          body: UpdateSourceBody,
          response: { 200: Source, ...problems(409) },
        },
      },
      async (request) => service.update(actorOf(request), request.params.id, request.body),
    );

    app.delete(
      '/sources/:id',
      {
        config: { access: 'admin' },
        schema: {
          tags,
          operationId: 'deleteSource',
          summary: 'Delete a source (soft)',
          description: 'Its events stay; deliveries to it are answered 404 from now on.',
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
      '/sources/:id/rotate-secret',
      {
        config: { access: 'admin' },
        schema: {
          tags,
          operationId: 'rotateSourceSecret',
          summary: 'Rotate the signing secret with an overlap',
          description:
            'The new secret verifies at once; the previous one keeps verifying for `overlap` (default 24h). Omit secret and ORCA generates one, returned once as generated_secret.',
          params: IdParams,
          body: RotateSecretBody,
          response: { 200: SourceWithGeneratedSecret },
        },
      },
      async (request) => service.rotateSecret(actorOf(request), request.params.id, request.body),
    );
  };
}
