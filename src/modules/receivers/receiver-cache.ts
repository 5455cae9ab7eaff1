/**
 * Opened receivers (URL, secret, token and headers unsealed) kept between deliveries, so that a burst of deliveries
 * to one receiver does not read and decrypt it once per notification. An entry is used only while the receiver's
 * `updated_at` is the one the delivery's own row read carries (deliveries.repository.ts joins it): a PATCH or DELETE
 * on any replica moves `updated_at`, so a stale entry is never used; this process also drops an entry at once when
 * it changes the receiver itself. Small and least-recently-used first out: receivers are few.
 */
import type { OpenedReceiver } from './receiver-request.js';

export const RECEIVER_CACHE_SIZE = 64;

export function createReceiverCache(maxEntries = RECEIVER_CACHE_SIZE) {
  /** Map order is insertion order: re-inserting on use keeps the least recently used first. */
  const entries = new Map<string, { updatedAt: number; receiver: OpenedReceiver }>();

  return {
    /**
     * The receiver opened, from the cache when its version is `updatedAt`, else by `load` (undefined when the
     * receiver no longer exists).
     */
    async open(id: string, updatedAt: Date, load: () => Promise<{ receiver: OpenedReceiver; updatedAt: Date } | undefined>): Promise<OpenedReceiver | undefined> {
      const cached = entries.get(id);
      if (cached && cached.updatedAt === updatedAt.getTime()) {
        entries.delete(id);
        entries.set(id, cached);
        return cached.receiver;
      }
      const loaded = await load();
      entries.delete(id);
      if (!loaded) return undefined;
      entries.set(id, { updatedAt: loaded.updatedAt.getTime(), receiver: loaded.receiver });
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      return loaded.receiver;
    },
    /** After this process changed or deleted the receiver. */
    forget(id: string): void {
      entries.delete(id);
    },
    get size(): number {
      return entries.size;
    },
  };
}

export type ReceiverCache = ReturnType<typeof createReceiverCache>;
