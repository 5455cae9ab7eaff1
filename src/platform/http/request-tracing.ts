/**
 * A server span for every request when tracing is on (docs/observability.md, "Traces"): a child of the caller's
 * `traceparent` when it sends a valid one, a new trace otherwise. Installed only with tracing: without it, no hook
 * here runs at all.
 *
 * Fastify's instrumentation (@fastify/otel) brings @opentelemetry/instrumentation and minimatch and wraps every hook
 * and handler in a span of its own; ORCA needs one span per request, and three hooks make it the active span where
 * it matters: where the request arrives, again where its body has been read (that ends in a socket event, outside
 * the request's context), and while the hooks after the answer run, so the access log line carries the trace id.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { OpenSpan, Tracing } from '../telemetry/tracing.js';

const SPAN = Symbol('orca.request.span');

type TracedRequest = FastifyRequest & { [SPAN]?: OpenSpan };

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

export function installRequestTracing(app: FastifyInstance, tracing: Tracing): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url;
    const span = tracing.start({
      // The route's template, never the URL: it is bounded, and a path or query may carry a credential.
      name: route === undefined ? request.method : `${request.method} ${route}`,
      kind: 'server',
      parent: { traceparent: header(request, 'traceparent'), tracestate: header(request, 'tracestate') },
      attributes: { 'http.request.method': request.method, 'http.route': route, 'url.scheme': request.protocol, 'orca.correlation_id': request.id },
    });
    if (!span) return done();
    (request as TracedRequest)[SPAN] = span;
    span.run(done);
  });

  app.addHook('preValidation', (request, _reply, done) => {
    const span = (request as TracedRequest)[SPAN];
    if (span) span.run(done);
    else done();
  });

  app.addHook('onResponse', (request, reply, done) => {
    const span = (request as TracedRequest)[SPAN];
    if (!span) return done();
    delete (request as TracedRequest)[SPAN];
    span.setAttributes({ 'http.response.status_code': reply.statusCode });
    // A 4xx is the client's mistake, not the server's failure (OpenTelemetry's HTTP conventions).
    if (reply.statusCode >= 500) span.setError(`answered ${reply.statusCode}`);
    span.run(done);
    span.end();
  });

  // A client gone before the answer: onResponse may never run, and the span still ends.
  app.addHook('onRequestAbort', (request, done) => {
    const span = (request as TracedRequest)[SPAN];
    if (span) {
      delete (request as TracedRequest)[SPAN];
      span.setAttributes({ 'orca.request.aborted': true });
      span.end();
    }
    done();
  });
}
