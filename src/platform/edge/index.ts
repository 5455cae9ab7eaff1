import cors from '@fastify/cors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter } from 'prom-client';
import type { OrcaConfig } from '../config/schema.js';
import { isAllowed } from '../auth/permissions.js';
import type { Principal } from '../http/actor.js';
import { sendProblem } from '../http/problem.js';
import type { Logger } from '../telemetry/logger.js';
import type { Metrics } from '../telemetry/metrics.js';
import { presentedCredential } from './credentials.js';
import { createIpBlocklist } from './ip-block.js';
import { createRateLimiter, rateLimitHeaders } from './rate-limit.js';
import { computeSecurityHeaders } from './security-headers.js';
import type { RateLimitStore } from './rate-limit-store.js';

export interface EdgeDeps {
  config: Readonly<OrcaConfig>;
  authenticate: (key: string) => Promise<Principal | null>;
  rateLimitStore: RateLimitStore;
  metrics: Metrics;
  logger: Logger;
  now: () => number;
}

const EXPOSED_HEADERS = ['x-correlation-id', 'ratelimit', 'ratelimit-policy', 'retry-after', 'location'];

/**
 * The security edge, in the order a request meets it (docs/SECURITY.md):
 * blocked IP → 403; credentials resolved; rate limit (per key, per IP when anonymous; public routes exempt)
 * → 429; role check from the route's `config.access` → 401/403. Then security headers and CORS on every answer.
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
  const securityHeaders = computeSecurityHeaders();
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(securityHeaders);
    done();
  });

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

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    // The direct peer and (when TRUST_PROXY believes the proxy) the forwarded client are both checked.
    if (isBlocked(request.socket.remoteAddress) || isBlocked(request.ip)) {
      blocked.inc();
      return sendProblem(request, reply, 'forbidden', 'requests from this address are blocked');
    }

    const access = request.routeOptions.config?.access;
    if (access === 'public' || request.method === 'OPTIONS') return undefined;

    const credential = presentedCredential(request.headers);
    let principal: Principal | null = null;
    if (credential.kind === 'key') principal = await deps.authenticate(credential.value);
    request.principal = principal;

    const decision = await limiter.check(principal ? { keyId: principal.id, role: principal.role } : { ip: request.ip });
    void reply.headers(rateLimitHeaders(decision, limiter.windowSeconds));
    if (!decision.allowed) {
      limited.inc({ policy: decision.policy });
      reply.header('retry-after', String(Math.max(1, decision.resetSeconds)));
      return sendProblem(request, reply, 'rate_limited', `rate limit of ${decision.limit} requests per ${limiter.windowSeconds} s exceeded`);
    }

    // Unknown routes fall through to the 404 handler (after counting against the caller's limit).
    if (access === undefined) return undefined;
    // A webhook needs no key (its signature is checked by the route), but a key it does present must be valid.
    if (access === 'signed' && credential.kind === 'none') return undefined;
    if (!principal) {
      const reason = credential.kind === 'none' ? 'missing' : 'invalid';
      authFailures.inc({ reason });
      reply.header('www-authenticate', 'Bearer realm="orca"');
      return sendProblem(
        request,
        reply,
        'unauthorized',
        reason === 'missing' ? 'an API key is required (X-API-Key or Authorization: Bearer)' : 'the API key is invalid, expired or revoked',
      );
    }
    if (!isAllowed(access, principal.role)) {
      authFailures.inc({ reason: 'forbidden' });
      return sendProblem(request, reply, 'forbidden', `this route needs a ${access} key; yours is ${principal.role}`);
    }
    return undefined;
  });
}
