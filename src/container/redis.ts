/** Redis, when REDIS_URL is set: shared rate-limit counters, with per-process counters whenever it fails. */
import type { Redis } from 'ioredis';
import { Counter } from 'prom-client';
import type { OrcaConfig } from '../platform/config/schema.js';
import { createFallbackStore, createLocalStore, createRedisStore, type RateLimitStore } from '../platform/edge/rate-limit-store.js';
import { createDependencyState, type DependencyState } from '../platform/telemetry/dependency-state.js';
import type { Logger } from '../platform/telemetry/logger.js';
import type { Metrics } from '../platform/telemetry/metrics.js';

/**
 * Fails fast instead of queueing when Redis is away, so callers fall back at once rather than wait. Its connection
 * events feed `state`; a Redis that hangs sends none, and only the fallbacks and probes report it. The client library
 * is loaded only when REDIS_URL is set.
 */
async function connectRedis(url: string, state: DependencyState): Promise<Redis> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000, lazyConnect: false });
  redis.on('ready', () => state.up());
  // 'error' repeats on every reconnection attempt: the state logs the outage once.
  redis.on('error', (error: Error) => state.down(error));
  redis.on('close', () => state.down(new Error('the connection to redis closed')));
  return redis;
}

export interface SharedState {
  /** Both set, or neither (without REDIS_URL). */
  redis: { client: Redis; state: DependencyState } | undefined;
  rateLimitStore: RateLimitStore;
}

export async function connectSharedState(config: Pick<OrcaConfig, 'redisUrl'>, logger: Logger, metrics: Metrics): Promise<SharedState> {
  const redisState = config.redisUrl
    ? createDependencyState({
        name: 'redis',
        logger,
        registry: metrics.registry,
        outageMessage: 'redis unavailable; rate limits fall back to per-process counters',
        recoveryMessage: 'redis available again; rate limits are shared again',
      })
    : undefined;
  const redis = config.redisUrl && redisState ? await connectRedis(config.redisUrl, redisState) : undefined;
  const localStore = createLocalStore();
  const fallbacks = new Counter({
    name: 'orca_rate_limit_fallback_total',
    help: 'Rate-limit decisions taken with per-process counters because Redis failed',
    registers: [metrics.registry],
  });
  const rateLimitStore =
    redis && redisState
      ? createFallbackStore(createRedisStore(redis, 250), localStore, {
          onFallback: (error) => {
            fallbacks.inc();
            redisState.down(error);
          },
          onPrimaryAnswer: () => redisState.up(),
        })
      : localStore;
  return { redis: redis && redisState ? { client: redis, state: redisState } : undefined, rateLimitStore };
}
