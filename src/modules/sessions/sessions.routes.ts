import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { clearedSessionCookie, sessionCookie } from '../../platform/edge/session-cookie.js';
import { actorOf } from '../../platform/http/actor.js';
import { problems } from '../../platform/http/schemas.js';
import { ConsoleSession, SignInBody } from './sessions.schemas.js';
import type { SessionService } from './sessions.service.js';

const tags = ['Console'];

/**
 * The console's sign-in (docs/console.md). The session's CSRF token is in these answers, so none may be cached.
 * `request.protocol` is https over TLS, or from X-Forwarded-Proto when TRUST_PROXY trusts the peer: the cookie is
 * Secure exactly when the browser reached ORCA over HTTPS.
 */
export function sessionRoutes(service: SessionService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/session',
      {
        // The caller proves itself with the key in the body, checked here: no key header is needed (like a webhook's
        // signature), and every attempt is counted against the address's anonymous rate-limit budget first.
        config: { access: 'signed' },
        schema: {
          tags,
          operationId: 'signIn',
          summary: 'Exchange an API key for a console session cookie',
          description:
            'Sets the HttpOnly, SameSite=Strict session cookie (Secure over HTTPS). 401 for any key that is not accepted ' +
            '(unknown, revoked, expired: the answer does not say which); 403 for an ingest key. Each attempt counts against ' +
            'the caller address’s anonymous rate limit.',
          body: SignInBody,
          response: { 201: ConsoleSession, ...problems(401, 403) },
        },
        // Counted before the body is even validated: beyond the budget no key is checked, so guessing cannot go faster.
        preValidation: async (request) => {
          await request.webhookAdmission?.anonymous();
        },
      },
      async (request, reply) => {
        const { session, token, maxAgeSeconds } = await service.signIn(request.body.api_key, request.id);
        reply.header('set-cookie', sessionCookie(token, maxAgeSeconds, request.protocol === 'https'));
        reply.header('cache-control', 'no-store');
        return reply.code(201).send(session);
      },
    );

    app.get(
      '/session',
      {
        config: { access: 'viewer' },
        schema: {
          tags,
          operationId: 'getSession',
          summary: 'The console session this request was made with (its role, expiry and CSRF token)',
          description: '404 when the request was authenticated by an API key header rather than a session cookie.',
          response: { 200: ConsoleSession, ...problems(404) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return service.current(request.principal);
      },
    );

    app.delete(
      '/session',
      {
        config: { access: 'viewer' },
        schema: {
          tags,
          operationId: 'signOut',
          summary: 'Sign out: end the console session at once and clear its cookie',
          description: 'Needs the session’s X-CSRF-Token like every write. 404 when the request was authenticated by an API key header.',
          response: { 204: Type.Null({ description: 'signed out' }), ...problems(404) },
        },
      },
      async (request, reply) => {
        await service.signOut(actorOf(request), request.principal);
        reply.header('set-cookie', clearedSessionCookie(request.protocol === 'https'));
        return reply.code(204).send(null);
      },
    );
  };
}
