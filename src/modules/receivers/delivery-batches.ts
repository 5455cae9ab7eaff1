/**
 * The delivery jobs' reads and writes, group-committed (platform/db/group-commit.ts): the jobs of one fetch read
 * their deliveries in one statement, and the attempts that finish while another batch is being written are recorded
 * together in the next one. Each job still waits for its own read and for its attempt's write to commit before it
 * goes on (and before its job is completed), so a crash at any moment loses nothing: at least once, as before.
 */
import type { Database } from '../../platform/db/index.js';
import { createGroupCommitter } from '../../platform/db/group-commit.js';
import type { AttemptRecord, DeliveryRepository, ListedDeliveryRow } from './deliveries.repository.js';

/** Ids per statement: far above DELIVERY_CONCURRENCY's useful range, well below any statement size limit. */
const MAX_BATCH = 200;

export function createDeliveryBatches(db: Database, deliveries: Pick<DeliveryRepository, 'findByIds' | 'recordAttempts'>) {
  const reads = createGroupCommitter<string, ListedDeliveryRow | undefined>({
    db,
    autocommit: db,
    // The end of the current turn of the event loop: the jobs of one fetch start together and read together.
    maxWaitMs: 0,
    maxBatch: MAX_BATCH,
    write: async (query, ids) => {
      const rows = new Map((await deliveries.findByIds([...new Set(ids)], query)).map((row) => [row.id, row]));
      return ids.map((id) => rows.get(id));
    },
  });
  const attempts = createGroupCommitter<AttemptRecord & { id: string; dispatchId: string }, boolean>({
    db,
    autocommit: db,
    maxWaitMs: 0,
    maxBatch: MAX_BATCH,
    write: (query, records) => deliveries.recordAttempts(records, query),
  });
  return {
    findById: (id: string): Promise<ListedDeliveryRow | undefined> => reads.submit(id),
    /** As DeliveryRepository.recordAttempt: false when the delivery was dispatched again meanwhile. */
    recordAttempt: (id: string, dispatchId: string, record: AttemptRecord): Promise<boolean> => attempts.submit({ ...record, id, dispatchId }),
  };
}

export type DeliveryBatches = ReturnType<typeof createDeliveryBatches>;
