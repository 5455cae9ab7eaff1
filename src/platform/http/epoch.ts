import { systemClock, type Clock } from '../clock.js';

/**
 * The clock's current time in epoch milliseconds, for code that asks on every request (the rate limiter, API key
 * expiry): the system clock is read with Date.now instead of allocating a Date each time; an injected clock (tests)
 * is asked as usual.
 */
export function epochMillisecondsOf(clock: Clock): () => number {
  return clock === systemClock ? Date.now : () => clock.now().getTime();
}
