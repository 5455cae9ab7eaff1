/**
 * The names of the receivers that exist, kept between reads: every alert evaluation needs them (routes name
 * receivers, and a notification for one deleted since is skipped), and at a few evaluations a second they were a
 * statement each for a list that changes a few times a year. Kept coherent across replicas by the cache
 * invalidation feed (platform/cache/invalidation.ts): every write to a receiver row announces itself inside its
 * transaction (the repository does it, so no write path can forget), every replica drops the list when the
 * notification arrives, and this one also drops it at once after its own commit. While the feed is down the list is
 * read from the database every time: it is never served stale.
 */
import type { ReadThroughCache } from '../../platform/cache/index.js';
import type { CacheInvalidation } from '../../platform/cache/index.js';
import type { Queryable } from '../../platform/db/index.js';

export const RECEIVER_NAMES_CACHE = 'receiver_names';
/** The one key: the cache holds one list. */
const KEY = 'live';

export function createReceiverNames(deps: {
  /** Reads the live receivers' names (sorted). */
  read: () => Promise<string[]>;
  cache: ReadThroughCache<{ names: string[] }>;
  invalidation: Pick<CacheInvalidation, 'notify'>;
}) {
  const { cache } = deps;
  return {
    /** The names of the receivers that exist now (a copy: callers may change it). */
    async names(): Promise<string[]> {
      const entry = await cache.get(KEY, async () => ({ names: await deps.read() }));
      return [...(entry?.names ?? [])];
    },
    /** Inside the transaction of any write to a receiver row: every replica drops the list once it commits. */
    announce: (tx: Queryable) => deps.invalidation.notify(tx, cache.name, KEY),
    /** After this process's own write ended (committed or not): its next read goes to the database. */
    forget(): void {
      cache.invalidate(KEY);
    },
  };
}

export type ReceiverNames = ReturnType<typeof createReceiverNames>;
