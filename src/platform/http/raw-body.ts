import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';

type App = Parameters<FastifyPluginAsyncTypebox>[0];

/**
 * Registers `routes` in a scope of their own where the body, whatever its media type (JSON, form, SOAP XML, …), stays
 * the exact bytes received: signed webhooks, whose signatures cover those bytes and never re-serialised JSON.
 */
export async function withRawBody(app: App, routes: (raw: App) => void): Promise<void> {
  await app.register(async (scope) => {
    const raw = scope.withTypeProvider<TypeBoxTypeProvider>();
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    routes(raw);
  });
}

/** The bytes of a request to a route registered by withRawBody; none for a request without a body. */
export const rawBodyOf = (request: FastifyRequest): Buffer => (Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0));
