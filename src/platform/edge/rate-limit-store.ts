import type { Redis } from 'ioredis';

/** A fixed-window counter: how many hits `key` has in the window containing `now`, and when that window ends. */
export interface WindowCount {
  count: number;
  resetAt: number;
}

export interface RateLimitStore {
  /**
   * Counts one hit. The per-process store answers synchronously: the limiter runs on every request, and a promise
   * per hit (plus the microtask to resume) is a measurable part of what the edge costs (`npm run bench -- http-cost`).
   */
  hit(key: string, windowMs: number, now: number): WindowCount | Promise<WindowCount>;
}

/** A store that always answers with a promise (Redis, and Redis with its fallback). */
export interface AsyncRateLimitStore extends RateLimitStore {
  hit(key: string, windowMs: number, now: number): Promise<WindowCount>;
}

function windowStart(now: number, windowMs: number): number {
  return Math.floor(now / windowMs) * windowMs;
}

/** Per-process counters: the default without Redis, and the fallback when Redis fails. */
export function createLocalStore(): RateLimitStore & { hit(key: string, windowMs: number, now: number): WindowCount; size(): number } {
  const windows = new Map<string, WindowCount>();
  let lastSweep = 0;
  return {
    hit(key, windowMs, now) {
      // Drop expired windows at most once a second so the map cannot grow without bound.
      if (now - lastSweep > 1000) {
        for (const [k, w] of windows) if (w.resetAt <= now) windows.delete(k);
        lastSweep = now;
      }
      const resetAt = windowStart(now, windowMs) + windowMs;
      const current = windows.get(key);
      if (current && current.resetAt === resetAt) {
        current.count += 1;
        return { count: current.count, resetAt };
      }
      windows.set(key, { count: 1, resetAt });
      return { count: 1, resetAt };
    },
    size: () => windows.size,
  };
}

/** Shared counters in Redis: one INCR per request, the key expiring with its window. */
export function createRedisStore(redis: Redis, timeoutMs: number): AsyncRateLimitStore {
  return {
    async hit(key, windowMs, now) {
      const start = windowStart(now, windowMs);
      const redisKey = `orca:ratelimit:${key}:${start}`;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`redis did not answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        const result = await Promise.race([redis.multi().incr(redisKey).pexpire(redisKey, windowMs + 1000).exec(), timeout]);
        const [incr] = result ?? [];
        if (!incr || incr[0]) throw incr?.[0] ?? new Error('redis transaction was aborted');
        return { count: Number(incr[1]), resetAt: start + windowMs };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

export interface FallbackObserver {
  /** The primary failed or did not answer; the fallback decided. Telemetry counts it and notes the outage. */
  onFallback(error: Error): void;
  /** The primary answered: the end of an outage that no connection event announces (a Redis that hung). */
  onPrimaryAnswer?(): void;
}

/**
 * Redis when it answers, per-process counters when it does not: limits degrade to per-replica but never
 * fail open, and a Redis outage never becomes a 5xx.
 */
export function createFallbackStore(primary: RateLimitStore, fallback: RateLimitStore, observer: FallbackObserver): AsyncRateLimitStore {
  return {
    async hit(key, windowMs, now) {
      let counted: WindowCount;
      try {
        counted = await primary.hit(key, windowMs, now);
      } catch (error) {
        observer.onFallback(error as Error);
        return fallback.hit(key, windowMs, now);
      }
      observer.onPrimaryAnswer?.();
      return counted;
    },
  };
}
