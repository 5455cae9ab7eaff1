import type { Redis } from 'ioredis';

/** A fixed-window counter: how many hits `key` has in the window containing `now`, and when that window ends. */
export interface WindowCount {
  count: number;
  resetAt: number;
}

export interface RateLimitStore {
  hit(key: string, windowMs: number, now: number): Promise<WindowCount>;
}

function windowStart(now: number, windowMs: number): number {
  return Math.floor(now / windowMs) * windowMs;
}

/** Per-process counters: the default without Redis, and the fallback when Redis fails. */
export function createLocalStore(): RateLimitStore & { size(): number } {
  const windows = new Map<string, WindowCount>();
  let lastSweep = 0;
  return {
    async hit(key, windowMs, now) {
      // Drop expired windows at most once a second so the map cannot grow without bound.
      if (now - lastSweep > 1000) {
        for (const [k, w] of windows) if (w.resetAt <= now) windows.delete(k);
        lastSweep = now;
      }
      const resetAt = windowStart(now, windowMs) + windowMs;
      const current = windows.get(key);
      if (current && current.resetAt === resetAt) {
        current.count += 1;
        return { ...current };
      }
      const fresh = { count: 1, resetAt };
      windows.set(key, fresh);
      return { ...fresh };
    },
    size: () => windows.size,
  };
}

/** Shared counters in Redis: one INCR per request, the key expiring with its window. */
export function createRedisStore(redis: Redis, timeoutMs: number): RateLimitStore {
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

/**
 * Redis when it answers, per-process counters when it does not: limits degrade to per-replica but never
 * fail open, and a Redis outage never becomes a 5xx. `onFallback` lets telemetry log and count each fallback.
 */
export function createFallbackStore(primary: RateLimitStore, fallback: RateLimitStore, onFallback: (error: Error) => void): RateLimitStore {
  return {
    async hit(key, windowMs, now) {
      try {
        return await primary.hit(key, windowMs, now);
      } catch (error) {
        onFallback(error as Error);
        return fallback.hit(key, windowMs, now);
      }
    },
  };
}
