/** Time is a dependency so that windows, SLAs and freshness can be tested without sleeping. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
