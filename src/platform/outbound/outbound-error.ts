import type { OutboundTarget } from './outbound.types.js';

/**
 * Why an outbound call got no HTTP answer — a bounded set, used as a metric outcome and in delivery records:
 * `refused` by the SSRF guard (or not an http(s) URL), `breaker_open` (the target's breaker let nothing through),
 * `timeout` (an attempt ran past its timeout), `network` (DNS, connection, TLS or protocol failure), `too_large`
 * (the answer's body exceeded OUTBOUND_MAX_RESPONSE_BYTES).
 */
export type OutboundFailureReason = 'refused' | 'breaker_open' | 'timeout' | 'network' | 'too_large';

export class OutboundError extends Error {
  readonly reason: OutboundFailureReason;
  /** The target called, once the client reports the failure (attempt-level errors have none yet). */
  readonly target: OutboundTarget | undefined;
  /** Attempts started through the breaker (0 when an open breaker, a refused literal address or a bad URL stopped the call first). */
  readonly attempts: number;

  constructor(reason: OutboundFailureReason, message: string, options: { cause?: unknown; target?: OutboundTarget; attempts?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OutboundError';
    this.reason = reason;
    this.target = options.target;
    this.attempts = options.attempts ?? 0;
  }
}
