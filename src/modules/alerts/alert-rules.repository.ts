import type { Queryable } from '../../platform/db/index.js';

export interface AlertRulesRow {
  id: string;
  version: number;
  document: Record<string, unknown>;
  source: string;
  format: 'yaml' | 'json';
  created_by: string;
  active: boolean;
  created_at: Date;
}

export function createAlertRulesRepository(db: Queryable) {
  return {
    async findActive(tx: Queryable = db): Promise<AlertRulesRow | undefined> {
      const { rows } = await tx.query<AlertRulesRow>('select * from alert_rules where active');
      return rows[0];
    },

    /** Serialises writers across replicas for the rest of the transaction, then returns the next version. */
    async lockAndNextVersion(tx: Queryable): Promise<number> {
      await tx.query("select pg_advisory_xact_lock(hashtext('orca_alert_rules_version'))");
      const { rows } = await tx.query<{ version: number | null }>('select max(version) as version from alert_rules');
      return (rows[0]?.version ?? 0) + 1;
    },

    async insertActive(
      values: { id: string; version: number; document: unknown; source: string; format: 'yaml' | 'json'; created_by: string },
      tx: Queryable,
    ): Promise<AlertRulesRow> {
      await tx.query('update alert_rules set active = false where active');
      const { rows } = await tx.query<AlertRulesRow>(
        `insert into alert_rules (id, version, document, source, format, created_by, active)
         values ($1, $2, $3, $4, $5, $6, true) returning *`,
        [values.id, values.version, JSON.stringify(values.document), values.source, values.format, values.created_by],
      );
      return rows[0]!;
    },
  };
}

export type AlertRulesRepository = ReturnType<typeof createAlertRulesRepository>;
