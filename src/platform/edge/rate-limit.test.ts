import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRateLimiter, rateLimitHeaders } from './rate-limit.js';
import { createFallbackStore, createLocalStore, createRedisStore, type RateLimitStore } from './rate-limit-store.js';

const MINUTE = 60_000;
// An instant well inside a one-minute window: 10 s after 2025-01-01T00:00:00Z, which is a minute boundary.
const WINDOW_START = Date.UTC(2025, 0, 1);

function limiterAt(start: number, config: { max: number; windowMs?: number; roleMax?: Record<string, number>; webhookMax?: number }) {
  let now = start;
  const limiter = createRateLimiter(
    { rateLimitMax: config.max, rateLimitWindowMs: config.windowMs ?? MINUTE, rateLimitRoleMax: config.roleMax ?? {}, rateLimitWebhookMax: config.webhookMax ?? config.max },
    createLocalStore(),
    () => now,
  );
  return {
    limiter,
    setNow(value: number) {
      now = value;
    },
  };
}

describe('createRateLimiter (fixed windows aligned to the epoch)', () => {
  it('counts down remaining and reports seconds to the end of the window', async () => {
    const { limiter } = limiterAt(WINDOW_START + 10_000, { max: 5 });
    const caller = { keyId: 'k1', role: 'viewer' as const };
    const decisions = [];
    for (let i = 0; i < 7; i += 1) decisions.push(await limiter.check(caller));
    expect(decisions.map((d) => d.remaining)).toEqual([4, 3, 2, 1, 0, 0, 0]);
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false, false]);
    for (const decision of decisions) expect(decision).toMatchObject({ policy: 'viewer', limit: 5, resetSeconds: 50 });
  });

  it('rounds the reset up to whole seconds and never reports 0 s before the window has ended', async () => {
    const { limiter, setNow } = limiterAt(WINDOW_START, { max: 5 });
    const caller = { ip: '192.0.2.1' };
    expect((await limiter.check(caller)).resetSeconds).toBe(60);
    setNow(WINDOW_START + 59_001);
    expect((await limiter.check(caller)).resetSeconds).toBe(1);
    setNow(WINDOW_START + 59_999);
    expect((await limiter.check(caller)).resetSeconds).toBe(1);
    setNow(WINDOW_START + 1);
    expect((await limiter.check(caller)).resetSeconds).toBe(60);
  });

  it('starts a new window at the boundary, not a window length after the first hit', async () => {
    const { limiter, setNow } = limiterAt(WINDOW_START + 50_000, { max: 2 });
    const caller = { keyId: 'k1', role: 'operator' as const };
    expect(await limiter.check(caller)).toMatchObject({ allowed: true, remaining: 1, resetSeconds: 10 });
    expect(await limiter.check(caller)).toMatchObject({ allowed: true, remaining: 0, resetSeconds: 10 });
    setNow(WINDOW_START + MINUTE - 1);
    expect(await limiter.check(caller)).toMatchObject({ allowed: false, remaining: 0, resetSeconds: 1 });
    setNow(WINDOW_START + MINUTE);
    expect(await limiter.check(caller)).toMatchObject({ allowed: true, remaining: 1, resetSeconds: 60 });
    setNow(WINDOW_START + MINUTE + 30_000);
    expect(await limiter.check(caller)).toMatchObject({ allowed: true, remaining: 0, resetSeconds: 30 });
    expect(await limiter.check(caller)).toMatchObject({ allowed: false, remaining: 0, resetSeconds: 30 });
  });

  it('keeps one counter per key, whatever the role', async () => {
    const { limiter } = limiterAt(WINDOW_START, { max: 2 });
    await limiter.check({ keyId: 'a', role: 'viewer' });
    await limiter.check({ keyId: 'a', role: 'viewer' });
    expect((await limiter.check({ keyId: 'a', role: 'viewer' })).allowed).toBe(false);
    expect(await limiter.check({ keyId: 'b', role: 'viewer' })).toMatchObject({ allowed: true, remaining: 1 });
  });

  it('applies a per-role maximum to that role only', async () => {
    const { limiter } = limiterAt(WINDOW_START, { max: 100, roleMax: { viewer: 2, ingest: 1000 } });
    const viewer = { keyId: 'v', role: 'viewer' as const };
    expect(await limiter.check(viewer)).toMatchObject({ allowed: true, policy: 'viewer', limit: 2, remaining: 1 });
    expect(await limiter.check(viewer)).toMatchObject({ allowed: true, limit: 2, remaining: 0 });
    expect(await limiter.check(viewer)).toMatchObject({ allowed: false, limit: 2, remaining: 0 });
    expect(await limiter.check({ keyId: 'o', role: 'operator' })).toMatchObject({ allowed: true, policy: 'operator', limit: 100, remaining: 99 });
    expect(await limiter.check({ keyId: 'i', role: 'ingest' })).toMatchObject({ allowed: true, policy: 'ingest', limit: 1000, remaining: 999 });
    // Anonymous callers have no role: the global maximum applies.
    expect(await limiter.check({ ip: '192.0.2.1' })).toMatchObject({ allowed: true, policy: 'anonymous', limit: 100, remaining: 99 });
  });

  it('counts anonymous callers per IP, apart from keys that happen to have the same text', async () => {
    const { limiter } = limiterAt(WINDOW_START, { max: 1 });
    expect(await limiter.check({ ip: '192.0.2.1' })).toMatchObject({ allowed: true, policy: 'anonymous', remaining: 0 });
    expect(await limiter.check({ ip: '192.0.2.1' })).toMatchObject({ allowed: false, policy: 'anonymous' });
    expect(await limiter.check({ ip: '192.0.2.2' })).toMatchObject({ allowed: true, remaining: 0 });
    expect(await limiter.check({ keyId: '192.0.2.1', role: 'viewer' })).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('counts verified webhook deliveries per source, under their own maximum, apart from IPs and keys', async () => {
    const { limiter } = limiterAt(WINDOW_START, { max: 1, webhookMax: 2 });
    expect(await limiter.check({ ip: '192.0.2.1' })).toMatchObject({ allowed: true, policy: 'anonymous', remaining: 0 });
    expect(await limiter.check({ ip: '192.0.2.1' })).toMatchObject({ allowed: false, policy: 'anonymous' });
    expect(await limiter.check({ sourceId: 's1' })).toMatchObject({ allowed: true, policy: 'webhook', limit: 2, remaining: 1 });
    expect(await limiter.check({ sourceId: 's1' })).toMatchObject({ allowed: true, policy: 'webhook', remaining: 0 });
    expect(await limiter.check({ sourceId: 's1' })).toMatchObject({ allowed: false, policy: 'webhook', remaining: 0, resetSeconds: 60 });
    expect(await limiter.check({ sourceId: 's2' })).toMatchObject({ allowed: true, remaining: 1 });
    expect(await limiter.check({ keyId: 's2', role: 'ingest' })).toMatchObject({ allowed: true, policy: 'ingest', remaining: 0 });
  });

  it('reports the window in whole seconds, rounded up', () => {
    expect(limiterAt(0, { max: 1, windowMs: 15 * MINUTE }).limiter.windowSeconds).toBe(900);
    expect(limiterAt(0, { max: 1, windowMs: 1500 }).limiter.windowSeconds).toBe(2);
  });
});

describe('createRateLimiter: synchronous over the per-process store', () => {
  it('answers without a promise when the store does, and with one when it does not', async () => {
    const local = limiterAt(WINDOW_START, { max: 5 }).limiter.check({ ip: '192.0.2.1' });
    expect(local).not.toBeInstanceOf(Promise);
    expect(local).toMatchObject({ allowed: true, remaining: 4 });

    const asyncStore = createLocalStore();
    const limiter = createRateLimiter({ rateLimitMax: 5, rateLimitWindowMs: MINUTE, rateLimitRoleMax: {}, rateLimitWebhookMax: 5 }, { hit: async (...args) => asyncStore.hit(...args) }, () => WINDOW_START);
    const pending = limiter.check({ ip: '192.0.2.1' });
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toMatchObject({ allowed: true, remaining: 4, resetSeconds: 60 });
  });

  it('carries the RateLimit-Policy value of its policy, the same string for every request', () => {
    const { limiter } = limiterAt(WINDOW_START, { max: 100, roleMax: { viewer: 7 } });
    const first = limiter.check({ keyId: 'a', role: 'viewer' }) as Awaited<ReturnType<typeof limiter.check>>;
    const second = limiter.check({ keyId: 'b', role: 'viewer' }) as Awaited<ReturnType<typeof limiter.check>>;
    const anonymous = limiter.check({ ip: '192.0.2.1' }) as Awaited<ReturnType<typeof limiter.check>>;
    expect(first.policyHeader).toBe('"viewer";q=7;w=60');
    expect(second.policyHeader).toBe(first.policyHeader);
    expect(anonymous.policyHeader).toBe('"anonymous";q=100;w=60');
    expect(rateLimitHeaders(first, limiter.windowSeconds)['ratelimit-policy']).toBe(first.policyHeader);
  });
});

describe('rateLimitHeaders (draft-ietf-httpapi-ratelimit-headers)', () => {
  it('writes the policy and the remaining quota with seconds to reset', () => {
    expect(rateLimitHeaders({ allowed: true, policy: 'viewer', limit: 5, remaining: 4, resetSeconds: 37 }, 60)).toEqual({
      'ratelimit-policy': '"viewer";q=5;w=60',
      ratelimit: '"viewer";r=4;t=37',
    });
    expect(rateLimitHeaders({ allowed: false, policy: 'anonymous', limit: 1000, remaining: 0, resetSeconds: 900 }, 900)).toEqual({
      'ratelimit-policy': '"anonymous";q=1000;w=900',
      ratelimit: '"anonymous";r=0;t=900',
    });
  });

  it('matches what the limiter decided', async () => {
    const { limiter } = limiterAt(WINDOW_START + 15_000, { max: 5 });
    const decision = await limiter.check({ keyId: 'k', role: 'viewer' });
    expect(rateLimitHeaders(decision, limiter.windowSeconds)).toEqual({ 'ratelimit-policy': '"viewer";q=5;w=60', ratelimit: '"viewer";r=4;t=45' });
  });
});

describe('createLocalStore', () => {
  it('counts per key within a window and reports the window end', async () => {
    const store = createLocalStore();
    expect(await store.hit('a', MINUTE, WINDOW_START + 5)).toEqual({ count: 1, resetAt: WINDOW_START + MINUTE });
    expect(await store.hit('a', MINUTE, WINDOW_START + 59_999)).toEqual({ count: 2, resetAt: WINDOW_START + MINUTE });
    expect(await store.hit('b', MINUTE, WINDOW_START + 59_999)).toEqual({ count: 1, resetAt: WINDOW_START + MINUTE });
    expect(await store.hit('a', MINUTE, WINDOW_START + MINUTE)).toEqual({ count: 1, resetAt: WINDOW_START + 2 * MINUTE });
  });

  it('returns copies: a caller cannot change the stored count', async () => {
    const store = createLocalStore();
    const first = await store.hit('a', MINUTE, WINDOW_START);
    first.count = 100;
    expect((await store.hit('a', MINUTE, WINDOW_START)).count).toBe(2);
  });

  it('forgets expired windows so that the map cannot grow without bound', async () => {
    const store = createLocalStore();
    for (let i = 0; i < 50; i += 1) await store.hit(`ip:${i}`, MINUTE, WINDOW_START);
    expect(store.size()).toBe(50);
    await store.hit('fresh', MINUTE, WINDOW_START + MINUTE + 2000);
    expect(store.size()).toBe(1);
  });
});

describe('createFallbackStore', () => {
  function failingStore(error = new Error('redis is down')): RateLimitStore & { calls: number } {
    const store = {
      calls: 0,
      async hit(): Promise<never> {
        store.calls += 1;
        throw error;
      },
    };
    return store;
  }

  it('uses the primary store while it answers and never touches the fallback', async () => {
    const primary = createLocalStore();
    const fallback = createLocalStore();
    const onFallback = vi.fn();
    const store = createFallbackStore(primary, fallback, { onFallback });
    expect(await store.hit('k', MINUTE, WINDOW_START)).toEqual({ count: 1, resetAt: WINDOW_START + MINUTE });
    expect(await store.hit('k', MINUTE, WINDOW_START)).toEqual({ count: 2, resetAt: WINDOW_START + MINUTE });
    expect(fallback.size()).toBe(0);
    expect(onFallback).not.toHaveBeenCalled();
  });

  it('answers from the local counters when the primary fails, and reports each fallback', async () => {
    const error = new Error('redis is down');
    const primary = failingStore(error);
    const fallback = createLocalStore();
    const onFallback = vi.fn();
    const store = createFallbackStore(primary, fallback, { onFallback });
    expect(await store.hit('k', MINUTE, WINDOW_START)).toEqual({ count: 1, resetAt: WINDOW_START + MINUTE });
    expect(await store.hit('k', MINUTE, WINDOW_START)).toEqual({ count: 2, resetAt: WINDOW_START + MINUTE });
    expect(primary.calls).toBe(2);
    expect(onFallback).toHaveBeenCalledTimes(2);
    expect(onFallback).toHaveBeenCalledWith(error);
  });

  it('never fails open: a limiter over a failing primary still refuses beyond the limit', async () => {
    const onFallback = vi.fn();
    const limiter = createRateLimiter(
      { rateLimitMax: 3, rateLimitWindowMs: MINUTE, rateLimitRoleMax: {}, rateLimitWebhookMax: 3 },
      createFallbackStore(failingStore(), createLocalStore(), { onFallback }),
      () => WINDOW_START,
    );
    const allowed = [];
    for (let i = 0; i < 5; i += 1) allowed.push((await limiter.check({ ip: '192.0.2.9' })).allowed);
    expect(allowed).toEqual([true, true, true, false, false]);
    expect(onFallback).toHaveBeenCalledTimes(5);
  });

  it('goes back to the primary as soon as it answers again', async () => {
    let down = true;
    const shared = createLocalStore();
    const primary: RateLimitStore = {
      async hit(key, windowMs, now) {
        if (down) throw new Error('redis is down');
        return shared.hit(key, windowMs, now);
      },
    };
    const fallback = createLocalStore();
    const onFallback = vi.fn();
    const onPrimaryAnswer = vi.fn();
    const store = createFallbackStore(primary, fallback, { onFallback, onPrimaryAnswer });
    await store.hit('k', MINUTE, WINDOW_START);
    await store.hit('k', MINUTE, WINDOW_START);
    expect(onPrimaryAnswer).not.toHaveBeenCalled();
    down = false;
    expect(await store.hit('k', MINUTE, WINDOW_START)).toEqual({ count: 1, resetAt: WINDOW_START + MINUTE });
    expect(onFallback).toHaveBeenCalledTimes(2);
    // A Redis that hung announces its return by no event: the first answer is what tells the outage is over.
    expect(onPrimaryAnswer).toHaveBeenCalledTimes(1);
  });
});

describe('createRedisStore', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** The part of ioredis the store uses: MULTI → INCR → PEXPIRE → EXEC. */
  function fakeRedis(exec: () => Promise<unknown>) {
    const commands: unknown[][] = [];
    const chain = {
      incr(key: string) {
        commands.push(['incr', key]);
        return chain;
      },
      pexpire(key: string, ms: number) {
        commands.push(['pexpire', key, ms]);
        return chain;
      },
      exec,
    };
    return { redis: { multi: () => chain } as unknown as Redis, commands };
  }

  it('increments one key per window that expires a second after the window', async () => {
    const { redis, commands } = fakeRedis(async () => [
      [null, 7],
      [null, 1],
    ]);
    const store = createRedisStore(redis, 250);
    expect(await store.hit('key:abc', MINUTE, WINDOW_START + 12_345)).toEqual({ count: 7, resetAt: WINDOW_START + MINUTE });
    expect(commands).toEqual([
      ['incr', `orca:ratelimit:key:abc:${WINDOW_START}`],
      ['pexpire', `orca:ratelimit:key:abc:${WINDOW_START}`, MINUTE + 1000],
    ]);
  });

  it('rejects when INCR fails inside the transaction or the transaction is aborted', async () => {
    const failure = new Error('WRONGTYPE');
    await expect(createRedisStore(fakeRedis(async () => [[failure, null]]).redis, 250).hit('k', MINUTE, WINDOW_START)).rejects.toBe(failure);
    await expect(createRedisStore(fakeRedis(async () => null).redis, 250).hit('k', MINUTE, WINDOW_START)).rejects.toThrow('redis transaction was aborted');
  });

  it('rejects when Redis does not answer within the timeout', async () => {
    vi.useFakeTimers();
    const store = createRedisStore(fakeRedis(() => new Promise(() => {})).redis, 250);
    const pending = store.hit('k', MINUTE, WINDOW_START);
    const outcome = expect(pending).rejects.toThrow('redis did not answer within 250 ms');
    await vi.advanceTimersByTimeAsync(249);
    let settled = false;
    void pending.catch(() => {}).finally(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await outcome;
  });
});
