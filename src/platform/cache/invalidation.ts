import type { Database, Queryable } from '../db/index.js';
import type { Logger } from '../telemetry/logger.js';
import type { ReadThroughCache } from './cache.js';

export const INVALIDATION_CHANNEL = 'orca_cache_invalidate';

interface InvalidationMessage {
  cache: string;
  key: string;
}

/**
 * Keeps every replica's caches coherent through PostgreSQL LISTEN/NOTIFY: a write NOTIFYs inside its own
 * transaction (delivered to every listener only if it commits) and invalidates this replica's entry after the
 * commit. While the LISTEN connection is down, caches are bypassed, and they are emptied when it returns,
 * because notifications sent meanwhile were lost.
 */
export function createCacheInvalidation(db: Database, logger: Logger) {
  const caches = new Map<string, ReadThroughCache<object>>();
  let subscription: { close(): Promise<void> } | undefined;
  let listening = false;

  const setListening = (now: boolean) => {
    listening = now;
    for (const cache of caches.values()) {
      cache.clear();
      cache.setEnabled(now);
    }
    if (now) logger.debug('cache invalidation feed is listening');
    else logger.warn('cache invalidation feed lost; caches are bypassed until it reconnects');
  };

  const onMessage = (payload: string) => {
    let message: InvalidationMessage;
    try {
      message = JSON.parse(payload) as InvalidationMessage;
    } catch {
      return;
    }
    const cache = caches.get(message.cache);
    if (!cache) return;
    if (message.key === '*') cache.clear();
    else cache.invalidate(message.key);
  };

  return {
    register<V extends object>(cache: ReadThroughCache<V>): ReadThroughCache<V> {
      // Until the feed confirms it is listening, serve from the database only.
      cache.setEnabled(listening);
      caches.set(cache.name, cache as unknown as ReadThroughCache<object>);
      return cache;
    },

    /** Call inside the writing transaction. */
    async notify(tx: Queryable, cache: string, key: string): Promise<void> {
      await tx.query('select pg_notify($1, $2)', [INVALIDATION_CHANNEL, JSON.stringify({ cache, key } satisfies InvalidationMessage)]);
    },

    async start(): Promise<void> {
      subscription ??= await db.listen(INVALIDATION_CHANNEL, onMessage, setListening);
    },

    async stop(): Promise<void> {
      await subscription?.close();
      subscription = undefined;
      listening = false;
    },
  };
}

export type CacheInvalidation = ReturnType<typeof createCacheInvalidation>;
