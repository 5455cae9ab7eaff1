import type { Queryable } from '../../platform/db/index.js';
import { createAnalysisProgressRepository } from './analysis-progress.repository.js';
import { createContractsRepository } from './contracts.repository.js';
import { createEntityStateRepository } from './entity-state.repository.js';
import { createFollowUpsRepository } from './follow-ups.repository.js';
import { createGapsRepository } from './gaps.repository.js';
import { createStreamStateRepository } from './stream-state.repository.js';

/** The sync module's repositories, one per aggregate, on one database. */
export function createSyncRepositories(db: Queryable) {
  return {
    contracts: createContractsRepository(db),
    gaps: createGapsRepository(db),
    streamStates: createStreamStateRepository(db),
    entityStates: createEntityStateRepository(db),
    followUps: createFollowUpsRepository(db),
    progress: createAnalysisProgressRepository(db),
  };
}

export type SyncRepositories = ReturnType<typeof createSyncRepositories>;
