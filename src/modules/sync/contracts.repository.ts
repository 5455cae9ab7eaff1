import type { Queryable } from '../../platform/db/index.js';
import type { ContractDocument } from './contract-schema.js';

export interface ContractVersionRecord {
  version: number;
  document: ContractDocument;
  format: 'yaml' | 'json';
  created_by: string;
  correlation_id: string | null;
  created_at: Date;
}

/** The versions of the contracts document (sync_contract_version): append-only, the latest is the active one. */
export function createContractsRepository(db: Queryable) {
  return {
    async latestContractVersion(tx: Queryable = db): Promise<ContractVersionRecord | undefined> {
      const { rows } = await tx.query<ContractVersionRecord>('select * from sync_contract_version order by version desc limit 1');
      return rows[0];
    },

    async contractVersion(version: number, tx: Queryable = db): Promise<ContractVersionRecord | undefined> {
      const { rows } = await tx.query<ContractVersionRecord>('select * from sync_contract_version where version = $1', [version]);
      return rows[0];
    },

    /** Versions are numbered 1, 2, … under a transaction-scoped lock, so concurrent PUTs on replicas never collide. */
    async insertContractVersion(
      tx: Queryable,
      values: { document: ContractDocument; format: 'yaml' | 'json'; created_by: string; correlation_id: string | null; created_at: Date },
    ): Promise<ContractVersionRecord> {
      await tx.query(`select pg_advisory_xact_lock(hashtext('orca:sync:contracts:' || current_schema()))`);
      const { rows } = await tx.query<ContractVersionRecord>(
        `insert into sync_contract_version (version, document, format, created_by, correlation_id, created_at)
         select coalesce(max(version), 0) + 1, $1, $2, $3, $4, $5 from sync_contract_version
         returning *`,
        [JSON.stringify(values.document), values.format, values.created_by, values.correlation_id, values.created_at],
      );
      return rows[0]!;
    },

    /** Which of these agent ids are registered: a contract's owner must be (checked when a version is written). */
    async existingAgents(ids: string[], tx: Queryable = db): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const { rows } = await tx.query<{ id: string }>('select id from agent where id = any($1::uuid[])', [ids]);
      return new Set(rows.map((row) => row.id));
    },
  };
}

export type ContractsRepository = ReturnType<typeof createContractsRepository>;
