import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../../platform/http/actor.js';
import { ROLES } from '../../platform/http/roles.js';
import { IdParams, Page, PaginationQuery, Timestamp, Uuid, problems } from '../../platform/http/schemas.js';
import type { KeyService } from './keys.service.js';

const Role = Type.Unsafe<(typeof ROLES)[number]>({ type: 'string', enum: [...ROLES], title: 'Role', description: 'what the key may do (docs/SECURITY.md)' });

const ApiKey = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    prefix: Type.String({ description: 'public part of the key, for recognising it' }),
    role: Role,
    origin: Type.String({ description: 'api, cli, bootstrap (first start) or env (API_KEYS)' }),
    created_by: Type.String(),
    created_at: Timestamp,
    expires_at: Type.Union([Timestamp, Type.Null()]),
    last_used_at: Type.Union([Timestamp, Type.Null()]),
    revoked_at: Type.Union([Timestamp, Type.Null()]),
    status: Type.Unsafe<'active' | 'revoked' | 'expired'>({ type: 'string', enum: ['active', 'revoked', 'expired'] }),
  },
  { title: 'ApiKey' },
);

const CreatedKey = Type.Object(
  { key: ApiKey, secret: Type.String({ description: 'the key itself: shown in this response only, never again' }) },
  { title: 'CreatedApiKey' },
);

const CreateKeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    role: Role,
    expires_in: Type.Optional(Type.String({ pattern: '^\\d+(ms|s|m|h|d)$', description: 'e.g. 30d' })),
    expires_at: Type.Optional(Timestamp),
  },
  { additionalProperties: false, title: 'CreateApiKeyRequest' },
);

const tags = ['Keys'];

export function keyRoutes(service: KeyService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/keys',
      {
        config: { access: 'admin' },
        schema: {
          tags,
          operationId: 'listKeys',
          summary: 'List API keys (never their secrets)',
          querystring: Type.Object({ ...PaginationQuery }, { additionalProperties: false }),
          response: { 200: Page(ApiKey, 'ApiKeyPage') },
        },
      },
      async (request) => service.list(request.query),
    );

    app.post(
      '/keys',
      {
        config: { access: 'admin' },
        schema: {
          tags,
          operationId: 'createKey',
          summary: 'Create an API key; the secret is in this response only',
          body: CreateKeyBody,
          response: { 201: CreatedKey },
        },
      },
      async (request, reply) => {
        const { name, role, expires_in: expiresIn, expires_at: expiresAt } = request.body;
        const created = await service.create(actorOf(request), { name, role, expiresIn, expiresAt });
        reply.header('cache-control', 'no-store');
        return reply.code(201).header('location', `/api/v1/keys/${created.key.id}`).send(created);
      },
    );

    app.get(
      '/keys/:id',
      {
        config: { access: 'admin' },
        schema: {
          tags,
          operationId: 'getKey',
          summary: 'Read one API key (never its secret); the Location a key creation answers',
          params: IdParams,
          response: { 200: ApiKey },
        },
      },
      async (request) => service.get(request.params.id),
    );

    app.delete(
      '/keys/:id',
      {
        config: { access: 'admin' },
        schema: {
          tags,
          operationId: 'revokeKey',
          summary: 'Revoke an API key (takes effect within 1 s on every replica)',
          description: '409 when the key is already revoked, or is the last active admin key.',
          params: IdParams,
          response: { 200: ApiKey, ...problems(409) },
        },
      },
      async (request) => service.revoke(actorOf(request), request.params.id),
    );
  };
}
