import type { Queryable } from '../../platform/db/index.js';

/** What a backup records about a database and a restore compares: all read on the caller's connection or snapshot. */
export function createBackupsRepository() {
  return {
    async currentSchema(q: Queryable): Promise<string> {
      const { rows } = await q.query<{ schema: string }>('select current_schema() as schema');
      return rows[0]?.schema ?? 'public';
    },

    /** The latest migration applied; 0 before the first. */
    async schemaVersion(q: Queryable): Promise<number> {
      const { rows } = await q.query<{ exists: boolean }>(`select to_regclass('schema_migration') is not null as exists`);
      if (!rows[0]?.exists) return 0;
      const applied = await q.query<{ version: number | null }>('select max(version) as version from schema_migration');
      return applied.rows[0]?.version ?? 0;
    },

    /**
     * Exact row counts of every table of ORCA's schema, in one statement (so in one snapshot): each count runs
     * through query_to_xml, which lets SQL count a table it names by value, with the name quoted by format('%I').
     */
    async rowCounts(q: Queryable): Promise<Record<string, number>> {
      const { rows } = await q.query<{ table_name: string; row_count: number }>(
        `select table_name,
                (xpath('/row/c/text()', query_to_xml(format('select count(*) as c from %I.%I', table_schema, table_name), false, true, '')))[1]::text::bigint
                  as row_count
           from information_schema.tables
          where table_schema = current_schema() and table_type = 'BASE TABLE'
          order by table_name`,
      );
      return Object.fromEntries(rows.map((row) => [row.table_name, Number(row.row_count)]));
    },

    /**
     * Turns the caller's transaction into a repeatable-read snapshot and exports it, so that pg_dump
     * (--snapshot) dumps exactly the state the caller counts. Must be the transaction's first query.
     */
    async exportSnapshot(tx: Queryable): Promise<string> {
      await tx.query('set transaction isolation level repeatable read, read only');
      const { rows } = await tx.query<{ snapshot: string }>('select pg_export_snapshot() as snapshot');
      const snapshot = rows[0]?.snapshot;
      if (!snapshot) throw new Error('pg_export_snapshot returned nothing');
      return snapshot;
    },

    /** Sessions other than this one connected to the same database: a restore into a database in use is refused. */
    async otherSessions(q: Queryable): Promise<number> {
      const { rows } = await q.query<{ sessions: number }>(
        `select count(*)::int as sessions from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`,
      );
      return rows[0]?.sessions ?? 0;
    },

    /** Moves the schema aside (a restore keeps the previous data until the restored data is verified). */
    async renameSchema(q: Queryable, from: string, to: string): Promise<void> {
      await q.query(`select set_config('orca.rename_from', $1, true), set_config('orca.rename_to', $2, true)`, [from, to]);
      await q.exec(`do $$ begin execute format('alter schema %I rename to %I', current_setting('orca.rename_from'), current_setting('orca.rename_to')); end $$`);
    },

    async createSchema(q: Queryable, name: string): Promise<void> {
      await q.query(`select set_config('orca.create_schema', $1, true)`, [name]);
      await q.exec(`do $$ begin execute format('create schema %I', current_setting('orca.create_schema')); end $$`);
    },

    async dropSchema(q: Queryable, name: string): Promise<void> {
      await q.query(`select set_config('orca.drop_schema', $1, true)`, [name]);
      await q.exec(`do $$ begin execute format('drop schema if exists %I cascade', current_setting('orca.drop_schema')); end $$`);
    },
  };
}

export type BackupsRepository = ReturnType<typeof createBackupsRepository>;
