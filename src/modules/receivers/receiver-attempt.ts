import type { Clock } from '../../platform/clock.js';
import { OutboundError, isTransientStatus, type OutboundClient } from '../../platform/outbound/index.js';
import { scrubString } from '../../platform/telemetry/redact.js';
import type { Notification } from './notification.js';
import { receiverRequest, type OpenedReceiver } from './receiver-request.js';

/** How much of a refusing receiver's answer is kept in the delivery record: enough to read why. */
const ANSWER_EXCERPT = 300;

/**
 * What one attempt came to. `delivered`: a 2xx. `retry`: the receiver is down, overloaded or asking for time (5xx,
 * 408, 429, a timeout, a network failure, an open breaker) — the same request may succeed later. `final`: asking
 * again would get the same answer (any other status, a URL the SSRF guard refuses, an answer too large).
 */
export type AttemptOutcome =
  | { result: 'delivered'; status: number; durationMs: number }
  | { result: 'retry' | 'final'; status: number | null; error: string; durationMs: number };

function answerError(status: number, body: string): string {
  const excerpt = scrubString(body.trim().slice(0, ANSWER_EXCERPT));
  return `the receiver answered HTTP ${status}${excerpt ? `: ${excerpt}` : ''}`;
}

/**
 * Sends one notification once (no retries inside the call: the delivery job retries with its own backoff and dead
 * letters, so a receiver that is down holds no worker), through the outbound client: SSRF guard, timeout, the
 * receiver's own circuit breaker, X-Correlation-ID.
 */
export async function attemptDelivery(
  deps: { outbound: Pick<OutboundClient, 'request'>; clock: Clock },
  receiver: OpenedReceiver,
  notification: Notification,
  correlationId: string | undefined,
): Promise<AttemptOutcome> {
  const started = performance.now();
  const duration = () => Math.round(performance.now() - started);
  try {
    const request = receiverRequest(receiver, notification, deps.clock.now());
    const answer = await deps.outbound.request({ kind: 'receiver', id: receiver.id }, { ...request, retries: 0, ...(correlationId ? { correlationId } : {}) });
    if (answer.status >= 200 && answer.status < 300) return { result: 'delivered', status: answer.status, durationMs: duration() };
    return { result: isTransientStatus(answer.status) ? 'retry' : 'final', status: answer.status, error: answerError(answer.status, answer.body), durationMs: duration() };
  } catch (error) {
    if (!(error instanceof OutboundError)) throw error;
    const final = error.reason === 'refused' || error.reason === 'too_large';
    return { result: final ? 'final' : 'retry', status: null, error: `${error.reason}: ${scrubString(error.message)}`, durationMs: duration() };
  }
}
