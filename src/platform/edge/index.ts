import cors from '@fastify/cors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter } from 'prom-client';
import type { OrcaConfig } from '../config/schema.js';
import { isAllowed } from '../auth/permissions.js';
import type { Principal } from '../http/actor.js';
import { sendProblem } from '../http/problem.js';
import type { Logger } from '../telemetry/logger.js';
import type { Metrics } from '../telemetry/metrics.js';
import type { RouteAccess } from '../http/roles.js';
import { presentedCredential, type PresentedCredential } from './credentials.js';
import { csrfTokenMatches, isSafeMethod, sessionTokenOf } from './session-cookie.js';
import { createIpBlocklist } from './ip-block.js';
import { createRateLimiter, rateLimitHeader, type LimiterDecision } from './rate-limit.js';
import { computeSecurityHeaders } from './security-headers.js';
import type { RateLimitStore } from './rate-limit-store.js';
import type { WebhookAdmission } from './webhook-admission.js';
import { AppError } from '../errors.js';

export { consoleContentSecurityPolicy, docsContentSecurityPolicy } from './security-headers.js';
export type { WebhookAdmission } from './webhook-admission.js';

export interface EdgeDeps {
  config: Readonly<OrcaConfig>;
  /** Answers synchronously when the key is cached, with a promise when it has to be read. */
  authenticate: (key: string) => Principal | null | Promise<Principal | null>;
  /**
   * Resolves a console session cookie (docs/console.md) to its principal (with `session` set), or null when it ended.
   * Without it, session cookies are ignored.
   */
  authenticateSession?: (token: string) => Principal | null | Promise<Principal | null>;
  rateLimitStore: RateLimitStore;
  metrics: Metrics;
  logger: Logger;
  now: () => number;
}

type HookDone = (error?: Error) => void;

/** What authenticated a request: a key header, nothing, something malformed, or a console session cookie. */
type EdgeCredential = PresentedCredential | { kind: 'session' };
const SESSION: EdgeCredential = Object.freeze({ kind: 'session' });

const EXPOSED_HEADERS = ['x-correlation-id', 'ratelimit', 'ratelimit-policy', 'retry-after', 'location'];

/**
 * The security edge, in the order a request meets it (docs/SECURITY.md):
 * blocked IP → 403; credentials resolved; rate limit (per key, per IP when anonymous; public routes exempt; a webhook
 * without a key is counted by its route, per source once its signature verifies) → 429; role check from the route's
 * `config.access` → 401/403. Then security headers and CORS on every answer.
 */
export async function installEdge(app: FastifyInstance, deps: EdgeDeps): Promise<void> {
  const { config, metrics } = deps;
  const isBlocked = createIpBlocklist(config.blockedIps);
  const limiter = createRateLimiter(config, deps.rateLimitStore, deps.now);

  const blocked = new Counter({ name: 'orca_blocked_requests_total', help: 'Requests refused because the client IP is in BLOCKED_IPS', registers: [metrics.registry] });
  const authFailures = new Counter({
    name: 'orca_auth_failures_total',
    help: 'Requests refused by authentication or authorisation, by reason',
    labelNames: ['reason'] as const,
    registers: [metrics.registry],
  });
  const limited = new Counter({
    name: 'orca_rate_limited_total',
    help: 'Requests refused with 429, by rate-limit policy',
    labelNames: ['policy'] as const,
    registers: [metrics.registry],
  });

  // First, so that every answer carries them: CORS preflights (answered by the plugin below), blocks, 401s, 429s.
  // A route may still override one (the /docs UI sets its own CSP).
  const corsEnabled = config.corsOrigins.length > 0;
  // Without CORS_ORIGIN the plugin below is not registered; `Vary: Origin`, the one header it added to every answer
  // then, is sent from here so that the answers stay the same.
  const everyAnswer = corsEnabled ? computeSecurityHeaders() : Object.freeze({ ...computeSecurityHeaders(), vary: 'Origin' });
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(everyAnswer);
    done();
  });

  // Without CORS_ORIGIN no origin is allowed: the plugin would only add `Vary: Origin` and hand every preflight to
  // the 404 handler, which routing does anyway. It is registered only when there is an origin to allow, so that
  // the default does not pay for it on every request (about 2 µs: an options copy, closures, the Vary merge).
  if (corsEnabled) {
    const allowedOrigins = new Set(config.corsOrigins);
    await app.register(cors, {
      // Exact match only; an unknown origin gets no CORS headers at all. `*` is refused by configuration.
      origin: (origin, callback) => callback(null, origin !== undefined && allowedOrigins.has(origin)),
      credentials: true,
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['content-type', 'authorization', 'x-api-key', 'x-correlation-id'],
      exposedHeaders: EXPOSED_HEADERS,
      maxAge: 600,
      strictPreflight: true,
    });
  }

  const UNAUTHENTICATED_DETAIL = {
    missing: 'an API key is required (X-API-Key or Authorization: Bearer)',
    invalid: 'the API key is invalid, expired or revoked',
    session: 'the console session has ended (expired, signed out or its key revoked); sign in again',
  } as const;
  const refuseUnauthenticated = (request: FastifyRequest, reply: FastifyReply, credential: EdgeCredential): void => {
    const reason = credential.kind === 'none' ? 'missing' : credential.kind === 'session' ? 'session' : 'invalid';
    authFailures.inc({ reason });
    reply.header('www-authenticate', 'Bearer realm="orca"');
    sendProblem(request, reply, 'unauthorized', UNAUTHENTICATED_DETAIL[reason]);
  };

  /** After the rate limit: the role check. Sends the refusal, or lets the request go on (`done`). */
  const authorise = (
    request: FastifyRequest,
    reply: FastifyReply,
    access: RouteAccess | undefined,
    credential: EdgeCredential,
    principal: Principal | null,
    decision: LimiterDecision,
    done: HookDone,
  ): void => {
    reply.header('ratelimit-policy', decision.policyHeader);
    reply.header('ratelimit', rateLimitHeader(decision));
    if (!decision.allowed) {
      limited.inc({ policy: decision.policy });
      reply.header('retry-after', String(Math.max(1, decision.resetSeconds)));
      sendProblem(request, reply, 'rate_limited', `rate limit of ${decision.limit} requests per ${limiter.windowSeconds} s exceeded`);
      return;
    }
    // Unknown routes fall through to the 404 handler (after counting against the caller's limit).
    if (access === undefined) return done();
    // A webhook needs no key (its signature is checked by the route), but a key it does present must be valid.
    if (access === 'signed' && credential.kind === 'none') return done();
    if (!principal) return refuseUnauthenticated(request, reply, credential);
    // A browser sends the session cookie with any request to ORCA; only ORCA's own pages can read the session's
    // synchronizer token and echo it (docs/console.md "CSRF"). Key headers are never sent by a browser on its own.
    if (principal.session && !isSafeMethod(request.method) && !csrfTokenMatches(request.headers, principal.session.csrfToken)) {
      authFailures.inc({ reason: 'csrf' });
      sendProblem(request, reply, 'forbidden', 'a write made with a console session needs the X-CSRF-Token header of that session');
      return;
    }
    if (!isAllowed(access, principal.role)) {
      authFailures.inc({ reason: 'forbidden' });
      sendProblem(request, reply, 'forbidden', `this route needs a ${access} key; yours is ${principal.role}`);
      return;
    }
    done();
  };

  /** A webhook's count, taken by its route once the signature is checked: RateLimit headers, and a 429 beyond the budget. */
  const admit = async (reply: FastifyReply, pending: LimiterDecision | Promise<LimiterDecision>): Promise<void> => {
    const decision = await pending;
    reply.header('ratelimit-policy', decision.policyHeader);
    reply.header('ratelimit', rateLimitHeader(decision));
    if (decision.allowed) return;
    limited.inc({ policy: decision.policy });
    throw new AppError('rate_limited', `rate limit of ${decision.limit} requests per ${limiter.windowSeconds} s exceeded`, {
      retryAfterSeconds: Math.max(1, decision.resetSeconds),
    });
  };

  const webhookAdmission = (request: FastifyRequest, reply: FastifyReply): WebhookAdmission => ({
    verified: (sourceId) => admit(reply, limiter.check({ sourceId })),
    refused: () => admit(reply, limiter.check({ ip: request.ip })),
    anonymous: () => admit(reply, limiter.check({ ip: request.ip })),
  });

  app.decorateRequest('webhookAdmission', null);

  /** After authentication: the rate limit, per key or (anonymous) per IP. */
  const limit = (
    request: FastifyRequest,
    reply: FastifyReply,
    access: RouteAccess | undefined,
    credential: EdgeCredential,
    principal: Principal | null,
    done: HookDone,
  ): void => {
    request.principal = principal;
    const decision = limiter.check(principal ? { keyId: principal.id, role: principal.role } : { ip: request.ip });
    if (decision instanceof Promise) {
      decision.then((decided) => authorise(request, reply, access, credential, principal, decided, done)).catch(done);
    } else {
      authorise(request, reply, access, credential, principal, decision, done);
    }
  };

  // Callback-style, continuing synchronously when the key and the counter are in memory (the common case): an async
  // hook costs a promise and a microtask per await even when nothing is waited for. Steps that do wait (a key not
  // cached yet, a Redis counter) continue from their promise; a failure goes to the error handler, as it did when
  // an async hook rejected.
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: HookDone) => {
    // The direct peer and (when TRUST_PROXY believes the proxy) the forwarded client are both checked.
    if (isBlocked(request.socket.remoteAddress) || isBlocked(request.ip)) {
      blocked.inc();
      sendProblem(request, reply, 'forbidden', 'requests from this address are blocked');
      return;
    }

    const access = request.routeOptions.config?.access;
    if (access === 'public' || request.method === 'OPTIONS') return done();

    const credential = presentedCredential(request.headers);
    if (access === 'signed' && credential.kind === 'none') {
      // Counted by the route once it knows whether the signature verified (webhook-admission.ts).
      request.webhookAdmission = webhookAdmission(request, reply);
      return done();
    }
    if (credential.kind === 'none' && deps.authenticateSession && access !== 'signed') {
      // No key header: a console session cookie, if any, authenticates (never on public or signed routes, whose
      // callers prove themselves otherwise). A sign-in therefore works whatever stale cookie the browser still holds.
      const cookieValue = sessionTokenOf(request.headers);
      if (cookieValue !== undefined) {
        const session = deps.authenticateSession(cookieValue);
        if (session instanceof Promise) {
          session.then((resolved) => limit(request, reply, access, SESSION, resolved, done)).catch(done);
        } else {
          limit(request, reply, access, SESSION, session, done);
        }
        return;
      }
    }
    if (credential.kind !== 'key') return limit(request, reply, access, credential, null, done);
    const principal = deps.authenticate(credential.value);
    if (principal instanceof Promise) {
      principal.then((resolved) => limit(request, reply, access, credential, resolved, done)).catch(done);
    } else {
      limit(request, reply, access, credential, principal, done);
    }
  });
}
