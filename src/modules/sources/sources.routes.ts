import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../../platform/http/actor.js';
import { resourceRoutes } from '../../platform/http/resource-routes.js';
import { IdParams } from '../../platform/http/schemas.js';
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
    const sources = resourceRoutes(app, { path: '/sources', tags, access: 'admin' });
    sources.list(
      {
        operationId: 'listSources',
        summary: 'List sources',
        description: 'Newest first; pass next_cursor as cursor for the next page. Deleted sources are not listed.',
      },
      ListSourcesQuery,
      SourcePage,
      (query) => service.list(query),
    );
    sources.create(
      {
        operationId: 'createSource',
        summary: 'Connect a source',
        description:
          'The secret is write-only: stored encrypted, never returned. Omit it and ORCA generates one, returned once as generated_secret. ' +
          '409 when another source has the same name.',
        problems: [409],
      },
      CreateSourceBody,
      SourceWithGeneratedSecret,
      (actor, body) => service.create(actor, body),
    );
    sources.get({ operationId: 'getSource', summary: 'Read a source' }, Source, (id) => service.get(id));
    sources.update(
      {
        operationId: 'updateSource',
        summary: 'Update a source (name, enabled, signing options, mapping)',
        description: 'Fields given replace the stored ones. The secret changes only through rotate-secret. 409 when another source has the name.',
        problems: [409],
      },
      UpdateSourceBody,
      Source,
      (actor, id, body) => service.update(actor, id, body),
    );
    sources.remove(
      { operationId: 'deleteSource', summary: 'Delete a source (soft)', description: 'Its events stay; deliveries to it are answered 404 from now on.' },
      (actor, id) => service.remove(actor, id),
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
