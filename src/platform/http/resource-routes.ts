import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { actorOf, type Actor } from './actor.js';
import type { RouteAccess } from './roles.js';
import { IdParams, problems } from './schemas.js';

type App = Parameters<FastifyPluginAsyncTypebox>[0];

/** What a route's OpenAPI operation says of itself; `problems` are the error statuses its service answers (schemas.ts). */
export interface RouteDocs {
  operationId: string;
  summary: string;
  description?: string;
  problems?: number[];
}

const documented = ({ operationId, summary, description }: RouteDocs) => ({ operationId, summary, ...(description === undefined ? {} : { description }) });

/**
 * The routes of a resource kept by id under one path (docs/API.md conventions): list with a query, create (201 with
 * its Location), read, update and delete (204) by id. A module registers those it has and writes only what differs —
 * its schemas, its documentation and the service call — so that they all behave alike. `access` is one for all the
 * routes, or one for the reads (list, read) and one for the writes.
 */
export function resourceRoutes(app: App, resource: { path: string; tags: string[]; access: RouteAccess | { read: RouteAccess; write: RouteAccess } }) {
  const { path, tags } = resource;
  const { read, write } = typeof resource.access === 'string' ? { read: resource.access, write: resource.access } : resource.access;
  // Typed as any schema, not the route's own: the type provider cannot resolve a reply type from a schema still generic
  // here. The callbacks below are typed from the schemas instead, and fastify validates and serialises by them.
  const responses = (status: number, schema: TSchema, docs: RouteDocs): Record<number, unknown> => ({ [status]: schema, ...problems(...(docs.problems ?? [])) });
  return {
    list<Q extends TSchema, P extends TSchema>(docs: RouteDocs, querystring: Q, page: P, list: (query: Static<Q>) => Promise<Static<P>>): void {
      app.get(path, { config: { access: read }, schema: { tags, ...documented(docs), querystring: querystring as TSchema, response: responses(200, page, docs) } }, async (request) =>
        list(request.query as Static<Q>),
      );
    },

    create<B extends TSchema, R extends TSchema>(docs: RouteDocs, body: B, created: R, create: (actor: Actor, body: Static<B>) => Promise<Static<R> & { id: string }>): void {
      app.post(path, { config: { access: write }, schema: { tags, ...documented(docs), body: body as TSchema, response: responses(201, created, docs) } }, async (request, reply) => {
        const record = await create(actorOf(request), request.body as Static<B>);
        return reply.code(201).header('location', `/api/v1${path}/${record.id}`).send(record);
      });
    },

    get<R extends TSchema>(docs: RouteDocs, record: R, get: (id: string) => Promise<Static<R>>): void {
      app.get(`${path}/:id`, { config: { access: read }, schema: { tags, ...documented(docs), params: IdParams, response: responses(200, record, docs) } }, async (request) =>
        get(request.params.id),
      );
    },

    update<B extends TSchema, R extends TSchema>(docs: RouteDocs, body: B, record: R, update: (actor: Actor, id: string, body: Static<B>) => Promise<Static<R>>): void {
      app.patch(`${path}/:id`, { config: { access: write }, schema: { tags, ...documented(docs), params: IdParams, body: body as TSchema, response: responses(200, record, docs) } }, async (request) =>
        update(actorOf(request), request.params.id, request.body as Static<B>),
      );
    },

    /** DELETE answers 204 with no body once `remove` is done. */
    remove(docs: RouteDocs, remove: (actor: Actor, id: string) => Promise<unknown>): void {
      app.delete(
        `${path}/:id`,
        { config: { access: write }, schema: { tags, ...documented(docs), params: IdParams, response: responses(204, Type.Null({ description: 'deleted' }), docs) } },
        async (request, reply) => {
          await remove(actorOf(request), request.params.id);
          return reply.code(204).send(null);
        },
      );
    },
  };
}
