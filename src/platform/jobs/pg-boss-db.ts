import type PgBoss from 'pg-boss';
import type { Queryable } from '../db/driver.js';

/**
 * pg-boss wraps each of its scripts of several commands (install, migrations, maintenance) in one transaction that
 * it opens itself with `BEGIN;`, and passes them without parameters. Only those go through `exec`: the embedded
 * database refuses several commands in one parameterised statement.
 */
export function isPgBossScript(text: string, values: readonly unknown[] | undefined): boolean {
  return (values === undefined || values.length === 0) && /^\s*begin\s*;/i.test(text);
}

/**
 * pg-boss's executor over an ORCA connection: the database itself (every statement pg-boss makes), or a caller's
 * transaction (a job sent with `tx`, which then exists only if that transaction commits).
 */
export function pgBossExecutor(target: Queryable): PgBoss.Db {
  return {
    async executeSql(text: string, values?: unknown[]) {
      if (isPgBossScript(text, values)) {
        await target.exec(text);
        return { rows: [] };
      }
      return target.query(text, values ?? []);
    },
  };
}
