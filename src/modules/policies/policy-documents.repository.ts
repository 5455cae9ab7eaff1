import type { Queryable } from '../../platform/db/index.js';
import type { PolicyMode } from './policy-document.js';

export interface PolicyRow {
  id: string;
  version: number;
  document: Record<string, unknown>;
  source: string;
  format: 'yaml' | 'json';
  mode: PolicyMode;
  created_by: string;
  active: boolean;
  created_at: Date;
}

export function createPolicyDocumentRepository(db: Queryable) {
  return {
    async findActive(tx: Queryable = db): Promise<PolicyRow | undefined> {
      const { rows } = await tx.query<PolicyRow>('select * from policy where active');
      return rows[0];
    },

    async findVersion(version: number): Promise<PolicyRow | undefined> {
      const { rows } = await db.query<PolicyRow>('select * from policy where version = $1', [version]);
      return rows[0];
    },

    async listVersions(limit: number, beforeVersion?: number): Promise<PolicyRow[]> {
      const { rows } = await db.query<PolicyRow>(
        `select * from policy ${beforeVersion !== undefined ? 'where version < $2' : ''} order by version desc limit $1`,
        beforeVersion !== undefined ? [limit, beforeVersion] : [limit],
      );
      return rows;
    },

    /** Serialises writers across replicas for the rest of the transaction, then returns the next version. */
    async lockAndNextVersion(tx: Queryable): Promise<number> {
      await tx.query("select pg_advisory_xact_lock(hashtext('orca_policy_version'))");
      const { rows } = await tx.query<{ version: number | null }>('select max(version) as version from policy');
      return (rows[0]?.version ?? 0) + 1;
    },

    async insertActive(
      values: { id: string; version: number; document: unknown; source: string; format: 'yaml' | 'json'; mode: PolicyMode; created_by: string },
      tx: Queryable,
    ): Promise<PolicyRow> {
      await tx.query('update policy set active = false, updated_at = now() where active');
      const { rows } = await tx.query<PolicyRow>(
        `insert into policy (id, version, document, source, format, mode, created_by, active)
         values ($1, $2, $3, $4, $5, $6, $7, true) returning *`,
        [values.id, values.version, JSON.stringify(values.document), values.source, values.format, values.mode, values.created_by],
      );
      return rows[0]!;
    },
  };
}

export type PolicyDocumentRepository = ReturnType<typeof createPolicyDocumentRepository>;
