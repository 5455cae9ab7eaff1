import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { consoleContentSecurityPolicy } from '../../platform/edge/index.js';
import { sendProblem } from '../../platform/http/problem.js';
import { chooseEncoding, type ConsoleBuild } from './console-assets.js';

/** Content-hashed names change whenever the content does: a browser may keep them for a year without asking. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The page names the current hashed files, so it is revalidated on every load (cheap: ETag → 304). */
const REVALIDATE = 'no-cache';

const NOT_BUILT = 'the console is not built: run `npm run build` (docs/console.md)';

/**
 * /console and everything under it answer with the console's page (its router reads the path), /console/assets/* with
 * the built files, and / sends a browser to /console/. Public like /docs: the page and its code carry no data, every
 * API call they make needs the session (docs/console.md). Hidden from the OpenAPI document, which describes the API.
 */
export function consoleRoutes(loadBuild: () => ConsoleBuild | undefined) {
  return async (app: FastifyInstance): Promise<void> => {
    const schema = { hide: true };
    const config = { access: 'public' as const };

    const sendIndex = (request: FastifyRequest, reply: FastifyReply) => {
      const build = loadBuild();
      if (!build) return sendProblem(request, reply, 'not_found', NOT_BUILT);
      reply.header('content-security-policy', consoleContentSecurityPolicy(request.protocol === 'https'));
      reply.header('cache-control', REVALIDATE).header('etag', build.indexEtag);
      if (request.headers['if-none-match'] === build.indexEtag) return reply.code(304).send();
      return reply.type('text/html; charset=utf-8').send(build.index);
    };

    app.get('/', { config, schema }, (_request, reply) => reply.redirect('/console/', 302));
    app.get('/console', { config, schema }, sendIndex);
    app.get('/console/*', { config, schema }, sendIndex);

    app.get<{ Params: { file: string } }>('/console/assets/:file', { config, schema }, (request, reply) => {
      const build = loadBuild();
      if (!build) return sendProblem(request, reply, 'not_found', NOT_BUILT);
      const asset = build.assets.get(`assets/${request.params.file}`);
      if (!asset) return sendProblem(request, reply, 'not_found', `no console file ${request.params.file}`);
      const vary = reply.getHeader('vary');
      reply.header('cache-control', IMMUTABLE).header('etag', asset.etag).header('vary', vary ? `${String(vary)}, Accept-Encoding` : 'Accept-Encoding');
      if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
      const encoding = chooseEncoding(request.headers['accept-encoding'], Object.keys(asset.encoded) as Array<keyof typeof asset.encoded>);
      const body = encoding ? asset.encoded[encoding] : undefined;
      if (encoding && body) reply.header('content-encoding', encoding);
      return reply.type(asset.type).send(body ?? asset.body);
    });
  };
}
