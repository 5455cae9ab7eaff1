/**
 * Bulk registry writes for discovery, with the agents cache kept coherent: the caller runs them in its own
 * transaction, announces the agents it changed inside it (every replica drops them once it commits) and forgets
 * them here after the commit.
 */
import type { CacheInvalidation, ReadThroughCache } from '../../platform/cache/index.js';
import type { Queryable } from '../../platform/db/index.js';
import type { AgentBulkRepository } from './agents-bulk.repository.js';
import type { AgentRecord } from './agents.repository.js';

/** Past this many agents one notification empties the cache instead of one per agent. */
const ANNOUNCE_ONE_BY_ONE_UP_TO = 50;

export function createAgentBulkWriter(deps: { repository: AgentBulkRepository; cache: ReadThroughCache<AgentRecord>; invalidation: Pick<CacheInvalidation, 'notify'> }) {
  const { repository, cache, invalidation } = deps;
  return {
    ...repository,

    /** Inside the writing transaction: every replica drops these agents from its cache if it commits. */
    async announceChanged(tx: Queryable, ids: readonly string[]): Promise<void> {
      if (ids.length === 0) return;
      if (ids.length > ANNOUNCE_ONE_BY_ONE_UP_TO) {
        await invalidation.notify(tx, cache.name, '*');
        return;
      }
      for (const id of ids) await invalidation.notify(tx, cache.name, id);
    },

    /** After the commit: this replica forgets them at once rather than when the notification comes back. */
    forget(ids: readonly string[]): void {
      if (ids.length > ANNOUNCE_ONE_BY_ONE_UP_TO) cache.clear();
      else for (const id of ids) cache.invalidate(id);
    },
  };
}

export type AgentBulkWriter = ReturnType<typeof createAgentBulkWriter>;
