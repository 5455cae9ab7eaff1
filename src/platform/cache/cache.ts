import { LRUCache } from 'lru-cache';
import { Counter, type Registry } from 'prom-client';

export interface CacheMetrics {
  requests: Counter<'cache' | 'result'>;
  evictions: Counter<'cache' | 'reason'>;
}

export function createCacheMetrics(registry: Registry): CacheMetrics {
  return {
    requests: new Counter({
      name: 'orca_cache_requests_total',
      help: 'Cache lookups by cache and result (hit, miss)',
      labelNames: ['cache', 'result'] as const,
      registers: [registry],
    }),
    evictions: new Counter({
      name: 'orca_cache_evictions_total',
      help: 'Entries leaving a cache, by reason (evict: size bound, expire: TTL, invalidate: a write here or on another replica)',
      labelNames: ['cache', 'reason'] as const,
      registers: [registry],
    }),
  };
}

export interface ReadThroughCache<V extends object> {
  readonly name: string;
  /** The cached value, or the loaded one (cached unless undefined). */
  get(key: string, load: () => Promise<V | undefined>): Promise<V | undefined>;
  invalidate(key: string): void;
  clear(): void;
  /** While false (the invalidation feed is down), every read goes to the database: stale data is never served. */
  setEnabled(enabled: boolean): void;
}

/**
 * A bounded LRU with a TTL in front of the database. Correctness across replicas comes from invalidation on
 * every write (see invalidation.ts); the TTL is only a backstop.
 */
export function createReadThroughCache<V extends object>(options: { name: string; max: number; ttlMs: number; metrics: CacheMetrics }): ReadThroughCache<V> {
  const { name, metrics } = options;
  let enabled = true;
  // A write that lands while a load is in flight must not let that load store the old value afterwards.
  let generation = 0;
  const cache = new LRUCache<string, V>({
    max: options.max,
    ttl: options.ttlMs,
    disposeAfter: (_value, _key, reason) => {
      if (reason === 'evict' || reason === 'expire') metrics.evictions.inc({ cache: name, reason });
    },
  });
  return {
    name,
    async get(key, load) {
      if (enabled) {
        const hit = cache.get(key);
        if (hit !== undefined) {
          metrics.requests.inc({ cache: name, result: 'hit' });
          return hit;
        }
      }
      metrics.requests.inc({ cache: name, result: 'miss' });
      const started = generation;
      const value = await load();
      if (enabled && value !== undefined && started === generation) cache.set(key, value);
      return value;
    },
    invalidate(key) {
      generation += 1;
      if (cache.delete(key)) metrics.evictions.inc({ cache: name, reason: 'invalidate' });
    },
    clear() {
      generation += 1;
      const size = cache.size;
      cache.clear();
      if (size > 0) metrics.evictions.inc({ cache: name, reason: 'invalidate' }, size);
    },
    setEnabled(value) {
      enabled = value;
      if (!value) this.clear();
    },
  };
}
