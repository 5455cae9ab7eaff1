import { type Queryable, whereClause } from '../../platform/db/index.js';
import type { StoredAuditEntry } from './chain.js';

interface AuditRow extends Omit<StoredAuditEntry, 'at'> {
  at: Date;
}

function toEntry(row: AuditRow): StoredAuditEntry {
  return { ...row, at: row.at.toISOString() };
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  target?: string;
  beforeSeq?: number;
  limit: number;
}

export function createAuditRepository(db: Queryable) {
  return {
    /** Serialises appends across replicas for the rest of the transaction: the chain has exactly one head. */
    async lockHead(tx: Queryable): Promise<{ seq: number; hash: string } | undefined> {
      await tx.query(`select pg_advisory_xact_lock(hashtext('orca:audit:' || current_schema()))`);
      const { rows } = await tx.query<{ seq: number; hash: string }>('select seq, hash from audit_entry order by seq desc limit 1');
      return rows[0];
    },

    async insert(entry: StoredAuditEntry, tx: Queryable): Promise<void> {
      await tx.query(
        `insert into audit_entry (seq, at, actor, action, target, before, after, correlation_id, prev_hash, hash)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          entry.seq,
          entry.at,
          entry.actor,
          entry.action,
          entry.target,
          entry.before === null ? null : JSON.stringify(entry.before),
          entry.after === null ? null : JSON.stringify(entry.after),
          entry.correlation_id,
          entry.prev_hash,
          entry.hash,
        ],
      );
    },

    /** The newest entry's seq and hash, without a lock (for the metric; appends use lockHead). */
    async head(q: Queryable = db): Promise<{ seq: number; hash: string } | undefined> {
      const { rows } = await q.query<{ seq: number; hash: string }>('select seq, hash from audit_entry order by seq desc limit 1');
      return rows[0];
    },

    /** Newest first. */
    async list(filter: AuditFilter): Promise<StoredAuditEntry[]> {
      const where = whereClause();
      if (filter.actor) where.add((p) => `actor = ${p}`, filter.actor);
      if (filter.action) where.add((p) => `action = ${p}`, filter.action);
      if (filter.target) where.add((p) => `target = ${p}`, filter.target);
      if (filter.beforeSeq !== undefined) where.add((p) => `seq < ${p}`, filter.beforeSeq);
      const limit = where.bind(filter.limit);
      const { text, values } = where.build();
      const { rows } = await db.query<AuditRow>(`select * from audit_entry ${text} order by seq desc limit ${limit}`, values);
      return rows.map(toEntry);
    },

    /** Oldest first, for verification in bounded batches. */
    async batchAfter(seq: number, limit: number): Promise<StoredAuditEntry[]> {
      const { rows } = await db.query<AuditRow>('select * from audit_entry where seq > $1 order by seq asc limit $2', [seq, limit]);
      return rows.map(toEntry);
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
