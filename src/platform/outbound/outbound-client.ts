/**
 * The only way out of the process (docs/outbound.md): every call has a per-attempt timeout, retries with jittered
 * exponential backoff, a circuit breaker per target and the SSRF guard, carries X-Correlation-ID and traceparent,
 * and is counted, timed and logged. The resilience pieces are cockatiel's policies, composed per call as
 * retry → breaker (per target, long-lived) → timeout → one HTTP exchange.
 */
import { randomUUID } from 'node:crypto';
import http, { validateHeaderName, validateHeaderValue } from 'node:http';
import https from 'node:https';
import { BrokenCircuitError, TaskCancelledError, TimeoutStrategy, handleWhen, retry, timeout } from 'cockatiel';
import type { Registry } from 'prom-client';
import type { Clock } from '../clock.js';
import type { OrcaConfig } from '../config/schema.js';
import { VALID_CORRELATION_ID } from '../http/correlation.js';
import type { Logger } from '../telemetry/logger.js';
import type { OpenSpan, Tracing } from '../telemetry/tracing.js';
import { createAddressGuard } from './address-guard.js';
import { createGuardedLookup, hostOf, refuseLiteralAddress, systemResolveHost, type ResolveHost } from './guarded-lookup.js';
import { sendHttpAttempt, type HttpAnswer } from './http-attempt.js';
import { OutboundError } from './outbound-error.js';
import { createOutboundMetrics, outcomeOfStatus, type OutboundOutcome } from './outbound-metrics.js';
import type { BreakerState, BreakerStatus, OutboundClient, OutboundRequest, OutboundResponse, OutboundTarget } from './outbound.types.js';
import { parseRetryAfter, retryBackoff } from './retry-backoff.js';
import { DEFAULT_BREAKER_SETTINGS, createTargetBreaker, type TargetBreaker } from './target-breaker.js';
import { assertAllowedUrl as assertUrl } from './url-check.js';
import { childTraceparent } from './trace-context.js';
import { createStreamingFetch } from './streaming-fetch.js';

export type OutboundSettings = Pick<
  OrcaConfig,
  'outboundTimeoutMs' | 'outboundRetries' | 'outboundMaxResponseBytes' | 'outboundAllowCidrs' | 'outboundBreakerOpenMs'
>;

export interface OutboundClientDeps {
  settings: OutboundSettings;
  registry: Registry;
  logger: Logger;
  clock: Clock;
  /** ORCA's version, sent as `User-Agent: orca/<version>`. */
  version: string;
  /** The system resolver unless a test supplies a fake DNS. */
  resolveHost?: ResolveHost;
  /** Median first retry delay (later ones about double) and the longest wait, Retry-After included. */
  retryDelay?: { initialMs: number; maxMs: number };
  /**
   * With tracing on, each call is a client span (the caller's child) and its `traceparent` names that span, so the
   * target's own spans join ORCA's trace (docs/observability.md, "Traces").
   */
  tracing?: Tracing | undefined;
}

export const DEFAULT_RETRY_DELAY = { initialMs: 200, maxMs: 10_000 };

/** Statuses that say "not now" rather than "no": the target's failure, retried and counted by its breaker. */
export function isTransientStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

const isTransientError = (error: unknown) =>
  error instanceof TaskCancelledError || (error instanceof OutboundError && (error.reason === 'network' || error.reason === 'timeout'));

function outcomeOfError(error: unknown): OutboundOutcome {
  if (error instanceof TaskCancelledError) return 'timeout';
  if (error instanceof BrokenCircuitError) return 'breaker_open';
  if (error instanceof OutboundError) return error.reason;
  return 'network';
}

/** A URL the client may try, or the reason it may not (only http and https leave the process). */
function parseTargetUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundError('refused', 'not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundError('refused', `only http and https URLs are called (got ${url.protocol})`);
  return url;
}

function requestHeaders(request: OutboundRequest, version: string, span: OpenSpan | undefined): { headers: Record<string, string>; correlationId: string } {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    // A bad header is the caller's bug: thrown here, it can never be mistaken for the target's failure.
    validateHeaderName(name);
    validateHeaderValue(name, value);
    headers[name.toLowerCase()] = value;
  }
  const correlationId = request.correlationId !== undefined && VALID_CORRELATION_ID.test(request.correlationId) ? request.correlationId : randomUUID();
  headers['user-agent'] = `orca/${version}`;
  headers['x-correlation-id'] = correlationId;
  headers.traceparent = span?.traceparent ?? childTraceparent(request.traceparent);
  if (request.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(Buffer.byteLength(request.body));
  }
  return { headers, correlationId };
}

export function createOutboundClient(deps: OutboundClientDeps): OutboundClient & { close(): void } {
  const { settings, logger, clock } = deps;
  const guard = createAddressGuard(settings.outboundAllowCidrs);
  const resolveHost = deps.resolveHost ?? systemResolveHost;
  const lookup = createGuardedLookup(guard, resolveHost);
  const retryDelay = deps.retryDelay ?? DEFAULT_RETRY_DELAY;
  // Kept-alive connections: a receiver taking a burst of deliveries is not paying a TCP (and TLS) handshake each.
  // Each socket was opened to an address the guarded lookup checked. The bound keeps a slow target from holding
  // an unbounded number of sockets; the attempt's timeout covers the wait for one. An idle socket is dropped after
  // 4 s, before common servers' keep-alive timeouts (5 s for Node) close it under a request being sent.
  const agentOptions = { keepAlive: true, maxSockets: 100, timeout: 4000 };
  const agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
  const breakerSettings = { ...DEFAULT_BREAKER_SETTINGS, openDurationMs: settings.outboundBreakerOpenMs };
  const targetFailures = handleWhen(isTransientError).orWhenResult((answer) => isTransientStatus((answer as HttpAnswer).status));
  const breakers = new Map<string, TargetBreaker>();
  const breakerStatuses = (): BreakerStatus[] =>
    [...breakers.values()].map((breaker) => breaker.status()).sort((a, b) => a.kind.localeCompare(b.kind) || a.target.localeCompare(b.target));
  const metrics = createOutboundMetrics(deps.registry, breakerStatuses);

  const logStateChange = (status: BreakerStatus, previous: BreakerState) => {
    const fields = { target_kind: status.kind, target_id: status.target, state: status.state, previous_state: previous, consecutive_failures: status.consecutiveFailures };
    if (status.state === 'open') logger.warn({ ...fields, opened_at: status.openedAt }, 'outbound circuit breaker opened: calls to the target fail at once');
    else if (status.state === 'half_open') logger.info(fields, 'outbound circuit breaker half-open: probing the target');
    else logger.info(fields, 'outbound circuit breaker closed');
  };

  function breakerFor(target: OutboundTarget): TargetBreaker {
    const key = `${target.kind}:${target.id}`;
    let breaker = breakers.get(key);
    if (!breaker) {
      breaker = createTargetBreaker({ target, failures: targetFailures, settings: breakerSettings, clock, onStateChange: logStateChange });
      breakers.set(key, breaker);
    }
    return breaker;
  }

  /** Retries transient failures, except an answer whose Retry-After is beyond the longest wait: it goes back now. */
  function retryPolicy(retries: number) {
    const retryable = handleWhen(isTransientError).orWhenResult((value) => {
      const answer = value as HttpAnswer;
      return isTransientStatus(answer.status) && (parseRetryAfter(answer.headers['retry-after'], clock.now()) ?? 0) <= retryDelay.maxMs;
    });
    return retry(retryable, { maxAttempts: retries, backoff: retryBackoff({ initialDelayMs: retryDelay.initialMs, maxDelayMs: retryDelay.maxMs, now: () => clock.now() }) });
  }

  function request(target: OutboundTarget, outbound: OutboundRequest): Promise<OutboundResponse> {
    const method = outbound.method ?? (outbound.body === undefined ? 'GET' : 'POST');
    const span = deps.tracing?.start({
      name: method,
      kind: 'client',
      // A traceparent the caller names is the parent; otherwise the active span (the request or job making the call).
      ...(outbound.traceparent === undefined ? {} : { parent: { traceparent: outbound.traceparent } }),
      attributes: { 'http.request.method': method, 'orca.outbound.target_kind': target.kind, 'orca.outbound.target_id': target.id },
    });
    if (!span) return call(target, outbound, method, undefined);
    return span
      .run(() => call(target, outbound, method, span))
      .then(
        (answer) => {
          span.setAttributes({ 'http.response.status_code': answer.status, 'http.request.resend_count': answer.attempts - 1 });
          if (answer.status >= 400) span.setError(`the target answered ${answer.status}`);
          return answer;
        },
        (error: unknown) => {
          span.fail(error);
          throw error;
        },
      )
      .finally(() => span.end());
  }

  async function call(target: OutboundTarget, outbound: OutboundRequest, method: NonNullable<OutboundRequest['method']>, span: OpenSpan | undefined): Promise<OutboundResponse> {
    const started = performance.now();
    const { headers, correlationId } = requestHeaders(outbound, deps.version, span);
    const timeoutMs = outbound.timeoutMs ?? settings.outboundTimeoutMs;
    const retries = outbound.retries ?? settings.outboundRetries;
    let attempts = 0;
    let host = '';
    const log = (fields: Record<string, unknown>, message: string) => {
      // Deliveries come in bursts: the line is not even built unless debug is on.
      if (!logger.isLevelEnabled('debug')) return;
      logger.debug(
        { correlation_id: correlationId, target_kind: target.kind, target_id: target.id, method, host, attempts, duration_ms: Math.round(performance.now() - started), ...fields },
        message,
      );
    };
    try {
      const url = parseTargetUrl(outbound.url);
      // The host and port only: a path (a Slack webhook's) or a query string may hold a credential.
      host = url.host;
      span?.setAttributes({ 'server.address': url.hostname, 'server.port': Number(url.port || (url.protocol === 'https:' ? 443 : 80)) });
      refuseLiteralAddress(guard, hostOf(url));
      const breaker = breakerFor(target);
      const attemptOnce = () =>
        breaker.execute(async () => {
          attempts += 1;
          const attemptStarted = performance.now();
          const seconds = () => (performance.now() - attemptStarted) / 1000;
          try {
            // Aggressive: the attempt ends at the deadline even if the exchange ignores the abort.
            const answer = await timeout(timeoutMs, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false }).execute(({ signal }) =>
              sendHttpAttempt({
                url,
                method,
                headers,
                body: outbound.body,
                maxResponseBytes: settings.outboundMaxResponseBytes,
                signal,
                lookup,
                agent: url.protocol === 'https:' ? agents.https : agents.http,
              }).catch((error: unknown) => {
                // The request aborted by the deadline may fail before cockatiel reports the timeout: same cause.
                throw signal.aborted ? new TaskCancelledError() : error;
              }),
            );
            metrics.recordAttempt(target.kind, outcomeOfStatus(answer.status), seconds());
            return answer;
          } catch (error) {
            const outcome = outcomeOfError(error);
            // A refusal sent nothing and ends the call: it is counted once, with the call's failure.
            if (outcome !== 'refused') metrics.recordAttempt(target.kind, outcome, seconds());
            throw error;
          }
        });
      const answer = retries > 0 ? await retryPolicy(retries).execute(attemptOnce) : await attemptOnce();
      log({ status: answer.status, outcome: outcomeOfStatus(answer.status) }, 'outbound call answered');
      return { ...answer, attempts };
    } catch (error) {
      const failure = reportedFailure(error, target, attempts, timeoutMs);
      // An open breaker or the guard stops the call before anything is sent: their outcome is counted here.
      if (failure.reason === 'breaker_open' || failure.reason === 'refused') metrics.recordAttempt(target.kind, failure.reason);
      log({ outcome: failure.reason, error: failure.message }, 'outbound call failed');
      throw failure;
    }
  }

  const streamingFetch = createStreamingFetch({
    tracing: deps.tracing,
    guard,
    lookup,
    agents,
    breakerFor,
    metrics,
    clock,
    version: deps.version,
    timeoutMs: settings.outboundTimeoutMs,
    maxResponseBytes: settings.outboundMaxResponseBytes,
  });

  return {
    request,
    fetch: streamingFetch,
    assertAllowedUrl: (url, path) => assertUrl(url, { guard, resolveHost, path }),
    breakers: breakerStatuses,
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

function reportedFailure(error: unknown, target: OutboundTarget, attempts: number, timeoutMs: number): OutboundError {
  const context = { target, attempts, cause: error };
  if (error instanceof TaskCancelledError) return new OutboundError('timeout', `no answer within ${timeoutMs} ms`, context);
  if (error instanceof BrokenCircuitError) return new OutboundError('breaker_open', `the circuit breaker of ${target.kind} ${target.id} is open: nothing was sent`, context);
  if (error instanceof OutboundError) return new OutboundError(error.reason, error.message, context);
  throw error;
}
