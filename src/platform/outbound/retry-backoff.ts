/**
 * How long to wait before retrying an outbound call: exponential backoff with decorrelated jitter (cockatiel's,
 * so that many ORCA replicas retrying one receiver do not fall into step), stretched to the receiver's own
 * `Retry-After` when it asks for longer.
 */
import { ExponentialBackoff, type IBackoff, type IBackoffFactory, type IRetryBackoffContext } from 'cockatiel';

/** An answer the retry policy may see as the result of a failed attempt. */
export interface AnswerWithHeaders {
  headers: Record<string, string>;
}

/**
 * `Retry-After` (RFC 9110 §10.2.3) in milliseconds from `now`: delay-seconds or an HTTP-date (a date in the past
 * means "now", 0). Undefined when absent or not understood.
 */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP-date always names its weekday and a GMT time; Date.parse alone also accepts bare numbers and ISO forms.
  if (!/^[A-Za-z]{3,9},? /.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

export interface RetryBackoffOptions {
  /** The median first delay; each later one about doubles (cockatiel's decorrelated jitter). */
  initialDelayMs: number;
  /** The longest delay, whether computed or asked for by Retry-After. */
  maxDelayMs: number;
  now: () => Date;
}

function retryAfterOf(context: IRetryBackoffContext<unknown>, now: Date): number {
  if (!('value' in context.result)) return 0;
  const answer = context.result.value as Partial<AnswerWithHeaders> | undefined;
  return parseRetryAfter(answer?.headers?.['retry-after'], now) ?? 0;
}

export function retryBackoff(options: RetryBackoffOptions): IBackoffFactory<IRetryBackoffContext<unknown>> {
  const exponential = new ExponentialBackoff({ initialDelay: options.initialDelayMs, maxDelay: options.maxDelayMs });
  const step = (computed: IBackoff<unknown>, context: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> => ({
    duration: Math.min(options.maxDelayMs, Math.max(computed.duration, retryAfterOf(context, options.now()))),
    next: (nextContext) => step(computed.next(nextContext), nextContext),
  });
  return { next: (context) => step(exponential.next(), context) };
}
