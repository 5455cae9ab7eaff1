import { systemClock, type Clock } from '../clock.js';

/**
 * The clock's current time in epoch milliseconds, for code that asks on every request (the rate limiter, API key
 * expiry): the system clock is read with Date.now instead of allocating a Date each time; any other clock (tests
 * inject one, and may swap it on a running app) is asked as usual.
 */
export function epochMilliseconds(clock: Clock): number {
  return clock === systemClock ? Date.now() : clock.now().getTime();
}
