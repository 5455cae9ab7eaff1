import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest, type RouteOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Container } from './container.js';
import { correlationIdFor, CORRELATION_HEADER } from './platform/http/correlation.js';
import { handleFrameworkError, installErrorHandlers } from './platform/http/error-handler.js';
import { installJsonBodyParser } from './platform/http/json-body.js';
import { handleClientError } from './platform/http/client-errors.js';
import { lazyValidatorCompiler } from './platform/http/validation.js';
import { buildLazySerializer } from './platform/http/serialization.js';
import { ROLES, type RouteAccess } from './platform/http/roles.js';
import { PRE_SCRUBBED } from './platform/telemetry/logger.js';
import { redactQueryValues, scrubString } from './platform/telemetry/redact.js';
import { installEdge } from './platform/edge/index.js';
import { registerOpenApi } from './platform/http/openapi/index.js';
import { epochMilliseconds } from './platform/http/epoch.js';
import { installHeapGuard } from './platform/http/heap-guard.js';
import { installRequestTracing } from './platform/http/request-tracing.js';
import { installDrainGate } from './platform/http/drain-gate.js';
import './platform/http/actor.js';

const ACCESS_VALUES: readonly RouteAccess[] = ['public', 'signed', 'authenticated', ...ROLES, 'viewer_or_requester'];

/**
 * Builds the HTTP application with every production option; never listens (server.ts does), so tests run
 * the exact same app through `inject` or on an ephemeral port.
 */
export interface BuildAppOptions {
  /**
   * The security edge (IP blocking, auth, rate limits, headers, CORS). Always on in ORCA; only the benchmark
   * turns it off, to measure what it costs. Not reachable from configuration.
   */
  edge?: boolean;
  /**
   * Sees every route as it is registered. Schemas compile at a route's first request (validation.ts,
   * serialization.ts); the test that compiles every route's schemas up front collects them through this.
   */
  onRoute?: (route: RouteOptions) => void;
}

/**
 * A route authenticated by its sender's signature may take that credential from a query parameter the source
 * names (a Salesforce `token_param`): no list of secret-like names covers it. A URL no route matched declares
 * nothing either (a sender configured with a wrong path still sends its key).
 */
function queryMayHideSecrets(request: FastifyRequest, matchedRoute: string | undefined): boolean {
  return matchedRoute === undefined || request.routeOptions.config?.access === 'signed';
}

export async function buildApp(container: Container, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const { config, logger, metrics } = container;
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    genReqId: correlationIdFor,
    // One line per request is written by the onResponse hook below instead of Fastify's two.
    logController: new LogController({ requestIdLogLabel: 'correlation_id', disableRequestLogging: true }),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    requestTimeout: config.requestTimeoutMs,
    // The backstop when something other than a database statement (which has its own budget) keeps a request waiting.
    handlerTimeout: config.handlerTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    http: {
      // Slow-loris defence: a client must finish its headers within HEADERS_TIMEOUT; Node checks at this interval.
      headersTimeout: config.headersTimeoutMs,
      connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(config.headersTimeoutMs / 4))),
      maxHeaderSize: config.maxHeaderSizeBytes,
    },
    // Requests arriving while draining are answered by the drain gate below, in ORCA's error format.
    return503OnClosing: false,
    frameworkErrors: handleFrameworkError,
    clientErrorHandler: handleClientError,
    routerOptions: { maxParamLength: 200 },
    // Compiled at first use: see serialization.ts and lazyValidatorCompiler (validation.ts).
    schemaController: { compilersFactory: { buildSerializer: buildLazySerializer } },
    // Plugins load once, at start. Fastify's 10 s default aborted starts on a loaded host (load 30 on 2 cores: the
    // API reference UI's plugin took longer); a slow start is better than a failed one, and /readyz gates traffic.
    pluginTimeout: 120_000,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorateRequest('principal', null);
  app.setValidatorCompiler(lazyValidatorCompiler);
  installJsonBodyParser(app);
  installErrorHandlers(app);
  installDrainGate(app);

  // No route may ship without declaring who may call it (enforced by the security edge).
  if (options.onRoute) app.addHook('onRoute', options.onRoute);
  app.addHook('onRoute', (route) => {
    // The API reference UI's own routes (HTML, JS, CSS) are public like the document they render (docs/ARCHITECTURE.md "HTTP API conventions").
    if (route.url === '/docs' || route.url.startsWith('/docs/')) route.config = { ...route.config, access: 'public' };
    if (route.method === 'HEAD' || route.method === 'OPTIONS') return;
    const access = route.config?.access;
    if (!access || !ACCESS_VALUES.includes(access)) {
      throw new Error(`route ${String(route.method)} ${route.url} does not declare config.access (${ACCESS_VALUES.join(' | ')})`);
    }
  });

  // Callback-style hooks: these run on every request, and an async hook costs a promise and a microtask each.
  // The correlation id is known when the request arrives: set first, it is on every answer that passes the hooks
  // (errors and 404s included: an error keeps the headers already set); Fastify's errors before routing set it in
  // handleFrameworkError. Set here rather than in an onSend hook, which costs its own hook run on every answer.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(CORRELATION_HEADER, request.id);
    done();
  });
  // Before every other hook: the edge's lookups and the access log line belong to the request's span.
  if (container.tracing) installRequestTracing(app, container.tracing);

  if (options.edge ?? true) {
    await installEdge(app, {
      config,
      authenticate: container.modules.keys.service.authenticate,
      authenticateSession: container.modules.sessions.service.authenticate,
      rateLimitStore: container.rateLimitStore,
      metrics,
      logger,
      // Read per call: tests swap the container's clock on a running app.
      now: () => epochMilliseconds(container.clock),
    });
  }
  // After the edge's hooks: only an authenticated, admitted request may reserve heap for its body.
  installHeapGuard(app);


  app.addHook('onResponse', (request, reply, done) => {
    const matched = request.routeOptions.url;
    const route = matched ?? 'unmatched';
    metrics.recordHttpRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    const level = reply.statusCode >= 500 ? 'error' : 'info';
    // Every field is known: only the URL can carry client text (a query string), so it alone is scrubbed here.
    // Webhooks and unmatched URLs lose every query value (docs/SECURITY.md, "Secrets in logs").
    request.log[level](
      {
        [PRE_SCRUBBED]: true,
        method: request.method,
        route,
        url: scrubString(queryMayHideSecrets(request, matched) ? redactQueryValues(request.url) : request.url),
        status_code: reply.statusCode,
        duration_ms: Math.round(reply.elapsedTime * 100) / 100,
      },
      'request completed',
    );
    done();
  });

  await registerOpenApi(app, { version: container.version });

  await app.register(
    container.modules.system.routes({
      registry: metrics.registry,
      version: container.version,
      role: container.role,
      databaseKind: container.db.kind,
      startedAt: container.startedAt,
      redisStatus: () => (container.redisState ? (container.redisState.isUp() ? 'up' : 'down') : 'not_configured'),
      breakers: () => container.outbound.breakers(),
      queueDepth: () => container.jobs.depth(),
      lastBackup: () => container.modules.backups.service.status(),
    }),
  );
  // A worker serves only probes and /metrics: orchestrators still need to watch it, clients must not reach it.
  if (container.role !== 'worker') {
    await app.register(container.modules.agents.routes, { prefix: '/api/v1' });
    await app.register(container.modules.keys.routes, { prefix: '/api/v1' });
    await app.register(container.modules.audit.routes, { prefix: '/api/v1' });
    await app.register(container.modules.policies.routes, { prefix: '/api/v1' });
    await app.register(container.modules.sync.routes, { prefix: '/api/v1' });
    await app.register(container.modules.sources.routes, { prefix: '/api/v1' });
    await app.register(container.modules.ingest.routes, { prefix: '/api/v1' });
    await app.register(container.modules.incidents.routes, { prefix: '/api/v1' });
    await app.register(container.modules.trust.routes, { prefix: '/api/v1' });
    for (const routes of container.modules.reports.routes) await app.register(routes, { prefix: '/api/v1' });
    await app.register(container.modules.evidence.routes, { prefix: '/api/v1' });
    for (const routes of container.modules.receivers.routes) await app.register(routes, { prefix: '/api/v1' });
    await app.register(container.modules.alerts.routes, { prefix: '/api/v1' });
    await app.register(container.modules.killSwitch.routes, { prefix: '/api/v1' });
    await app.register(container.modules.mcp.routes);
    await app.register(container.modules.remediation.routes, { prefix: '/api/v1' });
    await app.register(container.modules.sessions.routes, { prefix: '/api/v1' });
    await app.register(container.modules.console.routes);
    await app.register(container.modules.discovery.routes, { prefix: '/api/v1' });
    for (const routes of container.modules.approvals.routes) await app.register(routes, { prefix: '/api/v1' });
  }

  return app as unknown as FastifyInstance;
}
