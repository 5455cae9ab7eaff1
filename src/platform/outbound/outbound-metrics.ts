import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { BreakerState, BreakerStatus, OutboundTargetKind } from './outbound.types.js';

/** How one attempt ended: an answer by status class, or why there was none. */
export type OutboundOutcome = 'success' | 'http_3xx' | 'http_4xx' | 'http_5xx' | 'timeout' | 'network' | 'refused' | 'breaker_open' | 'too_large';

/** `orca_breaker_state` values: ordered by how little the breaker lets through. */
export const BREAKER_STATE_VALUE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

export function outcomeOfStatus(status: number): OutboundOutcome {
  if (status >= 500) return 'http_5xx';
  if (status >= 400) return 'http_4xx';
  if (status >= 300) return 'http_3xx';
  return 'success';
}

export interface OutboundMetrics {
  /** One attempt; `seconds` when a request was sent (refusals and open breakers send nothing). */
  recordAttempt(kind: OutboundTargetKind, outcome: OutboundOutcome, seconds?: number): void;
}

export function createOutboundMetrics(registry: Registry, breakers: () => BreakerStatus[]): OutboundMetrics {
  const requests = new Counter({
    name: 'orca_outbound_requests_total',
    help: 'Outbound HTTP attempts (a retried call counts each attempt), by target kind and outcome',
    labelNames: ['target_kind', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'orca_outbound_request_duration_seconds',
    help: 'Outbound HTTP attempt latency, from sending to the end of the answer (or the failure)',
    labelNames: ['target_kind'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  new Gauge({
    name: 'orca_breaker_state',
    help: 'Circuit breaker of each outbound target: 0 closed, 1 half-open (probing), 2 open',
    labelNames: ['target', 'kind'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const breaker of breakers()) this.set({ target: breaker.target, kind: breaker.kind }, BREAKER_STATE_VALUE[breaker.state]);
    },
  });
  return {
    recordAttempt(kind, outcome, seconds) {
      requests.inc({ target_kind: kind, outcome });
      if (seconds !== undefined) duration.observe({ target_kind: kind }, seconds);
    },
  };
}
