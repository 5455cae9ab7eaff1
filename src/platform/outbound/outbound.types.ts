import type { StreamingFetch, StreamingFetchOptions } from './streaming-fetch.js';

export const OUTBOUND_TARGET_KINDS = ['receiver', 'callback', 'discovery', 'remediation', 'classifier'] as const;

/** What an outbound call is for: a bounded metric label (`orca_outbound_requests_total{target_kind}`). */
export type OutboundTargetKind = (typeof OUTBOUND_TARGET_KINDS)[number];

export interface OutboundTarget {
  kind: OutboundTargetKind;
  /** The breaker key: one breaker per target (a receiver's id, a discovery source's id…). */
  id: string;
}

export interface OutboundRequest {
  url: string;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
  /** Per-attempt timeout; OUTBOUND_TIMEOUT by default. */
  timeoutMs?: number;
  /** Retries after the first attempt (network errors, 5xx, 408, 429 honouring Retry-After); 0 when a job retries. */
  retries?: number;
  correlationId?: string;
  traceparent?: string;
}

export interface OutboundResponse {
  status: number;
  headers: Record<string, string>;
  /** At most OUTBOUND_MAX_RESPONSE_BYTES of the body, as text. */
  body: string;
  attempts: number;
}

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerStatus {
  target: string;
  kind: OutboundTargetKind;
  state: BreakerState;
  consecutiveFailures: number;
  openedAt: string | null;
}

/**
 * The only way out of the process. Rejects with an `OutboundError` (refused by the SSRF guard, breaker open,
 * timeout, network) — a received HTTP answer, even 4xx/5xx after retries, resolves.
 */
export interface OutboundClient {
  request(target: OutboundTarget, request: OutboundRequest): Promise<OutboundResponse>;
  /**
   * A `fetch` for a library that streams answers (an MCP client): guard, breaker, headers timeout, byte bound and
   * metrics as for `request`, but no buffering and no retries (streaming-fetch.ts).
   */
  fetch(target: OutboundTarget, options?: StreamingFetchOptions): StreamingFetch;
  /**
   * Throws a 400 AppError (validation_failed, naming `path`, `/body/url` by default) when the URL is not http(s),
   * its host does not resolve, or it resolves to an address the guard refuses; 503 when DNS cannot answer now.
   */
  assertAllowedUrl(url: string, path?: string): Promise<void>;
  breakers(): BreakerStatus[];
}
