import type { Clock } from '../../platform/clock.js';
import type { Queryable } from '../../platform/db/index.js';
import { decodeSeqCursor, encodeSeqCursor } from '../../platform/http/cursor.js';
import type { AuditRepository } from './audit.repository.js';
import { GENESIS_HASH, entryHash, verifyBatch, type ChainProblem, type StoredAuditEntry } from './chain.js';

export interface AuditRecord {
  actor: string;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
  correlationId: string | null;
}

export interface VerifyReport {
  valid: boolean;
  entries_checked: number;
  head_seq: number;
  head_hash: string;
  problems: ChainProblem[];
}

const VERIFY_BATCH = 1000;
const MAX_REPORTED_PROBLEMS = 100;

export function createAuditService({ repository, clock }: { repository: AuditRepository; clock: Clock }) {
  return {
    /** Appends inside the caller's transaction, so the change and its audit entry commit (or not) together. */
    async append(tx: Queryable, record: AuditRecord): Promise<void> {
      const head = await repository.lockHead(tx);
      const fields = {
        seq: (head?.seq ?? 0) + 1,
        at: clock.now().toISOString(),
        actor: record.actor,
        action: record.action,
        target: record.target,
        before: record.before ?? null,
        after: record.after ?? null,
        correlation_id: record.correlationId,
      };
      const prevHash = head?.hash ?? GENESIS_HASH;
      const entry: StoredAuditEntry = { ...fields, prev_hash: prevHash, hash: entryHash(prevHash, fields) };
      await repository.insert(entry, tx);
    },

    async list(query: { actor?: string; action?: string; target?: string; limit?: number; cursor?: string }) {
      const limit = query.limit ?? 50;
      const rows = await repository.list({ ...query, limit: limit + 1, beforeSeq: decodeSeqCursor(query.cursor) });
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return { items, next_cursor: rows.length > limit && last ? encodeSeqCursor(last.seq) : null };
    },

    /** The newest entry's seq and hash, on the caller's connection (a backup reads it inside its snapshot). */
    head(q?: Queryable): Promise<{ seq: number; hash: string } | undefined> {
      return repository.head(q);
    },

    /** Walks the whole chain in batches (bounded memory) and reports every broken link. */
    async verify(): Promise<VerifyReport> {
      let cursor = { seq: 0, hash: GENESIS_HASH };
      let checked = 0;
      const problems: ChainProblem[] = [];
      for (;;) {
        const batch = await repository.batchAfter(cursor.seq, VERIFY_BATCH);
        if (batch.length === 0) break;
        const result = verifyBatch(batch, cursor);
        problems.push(...result.problems.slice(0, MAX_REPORTED_PROBLEMS - problems.length));
        cursor = result.last;
        checked += batch.length;
      }
      return { valid: problems.length === 0, entries_checked: checked, head_seq: cursor.seq, head_hash: cursor.hash, problems };
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
