import type { Queryable } from '../../platform/db/index.js';

export function createSystemRepository(db: Queryable) {
  return {
    /** The highest migration applied to this database; 0 before the first. */
    async schemaVersion(tx: Queryable = db): Promise<number> {
      const { rows } = await tx.query<{ version: number | null }>('select max(version) as version from schema_migration');
      return rows[0]?.version ?? 0;
    },
  };
}

export type SystemRepository = ReturnType<typeof createSystemRepository>;
