/**
 * A `fetch` for libraries that must stream an answer (an MCP client reading Server-Sent Events) but should still
 * leave the process the way every other call does: the SSRF guard on the connected address, the target's circuit
 * breaker, a timeout until the answer's headers, correlation and trace headers, a bound on the bytes read, metrics.
 * Unlike `request`, it does not buffer and does not retry (the library owns its protocol and its retries), and a
 * stream stays open until its reader, the server or the caller's AbortSignal ends it.
 */
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import type { Clock } from '../clock.js';
import type { Tracing } from '../telemetry/tracing.js';
import { VALID_CORRELATION_ID } from '../http/correlation.js';
import type { AddressGuard } from './address-guard.js';
import { hostOf, refuseLiteralAddress } from './guarded-lookup.js';
import { OutboundError } from './outbound-error.js';
import { outcomeOfStatus, type OutboundMetrics } from './outbound-metrics.js';
import type { OutboundTarget } from './outbound.types.js';
import type { TargetBreaker } from './target-breaker.js';
import { childTraceparent } from './trace-context.js';

/** The shape of `fetch` that libraries accept as an option (the MCP SDK's `FetchLike`). */
export type StreamingFetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

export interface StreamingFetchOptions {
  correlationId?: string;
  /** Until the answer's headers arrive; OUTBOUND_TIMEOUT by default. */
  timeoutMs?: number;
  /** Most bytes read from one answer's body; OUTBOUND_MAX_RESPONSE_BYTES by default. */
  maxResponseBytes?: number;
}

export interface StreamingFetchDeps {
  guard: AddressGuard;
  lookup: LookupFunction;
  agents: { http: http.Agent; https: https.Agent };
  breakerFor: (target: OutboundTarget) => TargetBreaker;
  metrics: OutboundMetrics;
  clock: Clock;
  version: string;
  timeoutMs: number;
  maxResponseBytes: number;
  /** With tracing on, a client span from the request until the answer's headers (the stream itself is not timed). */
  tracing?: Tracing | undefined;
}

interface Answer {
  status: number;
  headers: Headers;
  body: http.IncomingMessage;
}

function headersOf(init: RequestInit['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  new Headers(init).forEach((value, name) => (flat[name] = value));
  return flat;
}

function bodyOf(body: RequestInit['body']): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  throw new TypeError('the outbound streaming fetch sends string or byte bodies only');
}

/** The body as a web stream that fails once it has carried more than `limit` bytes. */
function boundedStream(body: http.IncomingMessage, limit: number): ReadableStream<Uint8Array> {
  let received = 0;
  body.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > limit) body.destroy(new OutboundError('too_large', `the answer's body exceeds ${limit} bytes`));
  });
  return Readable.toWeb(body) as ReadableStream<Uint8Array>;
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

export function createStreamingFetch(deps: StreamingFetchDeps) {
  return (target: OutboundTarget, options: StreamingFetchOptions = {}): StreamingFetch => {
    const timeoutMs = options.timeoutMs ?? deps.timeoutMs;
    const maxResponseBytes = options.maxResponseBytes ?? deps.maxResponseBytes;
    const correlationId = options.correlationId !== undefined && VALID_CORRELATION_ID.test(options.correlationId) ? options.correlationId : undefined;

    return async (input, init = {}) => {
      const url = new URL(input);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundError('refused', `only http and https URLs are called (got ${url.protocol})`);
      try {
        refuseLiteralAddress(deps.guard, hostOf(url));
      } catch (error) {
        deps.metrics.recordAttempt(target.kind, 'refused');
        throw error;
      }
      const headers = headersOf(init.headers);
      headers['user-agent'] = `orca/${deps.version}`;
      if (correlationId) headers['x-correlation-id'] = correlationId;
      const method = init.method ?? 'GET';
      const span = deps.tracing?.start({
        name: method,
        kind: 'client',
        attributes: { 'http.request.method': method, 'server.address': url.hostname, 'orca.outbound.target_kind': target.kind, 'orca.outbound.target_id': target.id },
      });
      headers.traceparent = span?.traceparent ?? childTraceparent(undefined);
      const body = bodyOf(init.body);
      if (body !== undefined) headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
      const started = performance.now();
      const seconds = () => (performance.now() - started) / 1000;

      const exchange = () =>
        new Promise<Answer>((resolve, reject) => {
          const transport = url.protocol === 'https:' ? https : http;
          const request = transport.request(url, {
            method,
            headers,
            agent: url.protocol === 'https:' ? deps.agents.https : deps.agents.http,
            lookup: deps.lookup,
            ...(init.signal ? { signal: init.signal } : {}),
          });
          const timer = setTimeout(() => request.destroy(new OutboundError('timeout', `no answer within ${timeoutMs} ms`)), timeoutMs);
          request.on('error', (error) => {
            clearTimeout(timer);
            reject(error instanceof OutboundError ? error : new OutboundError('network', (error as Error).message, { cause: error }));
          });
          request.on('response', (response) => {
            clearTimeout(timer);
            const answerHeaders = new Headers();
            for (const [name, value] of Object.entries(response.headers)) {
              if (value !== undefined) answerHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
            }
            resolve({ status: response.statusCode ?? 0, headers: answerHeaders, body: response });
          });
          request.end(body);
        });

      let answer: Answer;
      try {
        answer = await deps.breakerFor(target).execute(exchange);
      } catch (error) {
        span?.fail(error);
        span?.end();
        const reason = error instanceof OutboundError ? error.reason : 'breaker_open';
        deps.metrics.recordAttempt(target.kind, reason, reason === 'breaker_open' ? undefined : seconds());
        if (error instanceof OutboundError) throw error;
        throw new OutboundError('breaker_open', `the circuit breaker of ${target.kind} ${target.id} is open: nothing was sent`, { cause: error });
      }
      deps.metrics.recordAttempt(target.kind, outcomeOfStatus(answer.status), seconds());
      if (span) {
        span.setAttributes({ 'http.response.status_code': answer.status });
        if (answer.status >= 400) span.setError(`the target answered ${answer.status}`);
        span.end();
      }
      if (answer.status < 200 || answer.status > 599) {
        answer.body.destroy();
        throw new OutboundError('network', `unexpected HTTP status ${answer.status}`);
      }
      if (NULL_BODY_STATUSES.has(answer.status)) {
        answer.body.resume();
        return new Response(null, { status: answer.status, headers: answer.headers });
      }
      return new Response(boundedStream(answer.body, maxResponseBytes), { status: answer.status, headers: answer.headers });
    };
  };
}
