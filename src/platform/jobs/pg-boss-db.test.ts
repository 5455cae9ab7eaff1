import { describe, expect, it } from 'vitest';
import type { Queryable } from '../db/driver.js';
import { isPgBossScript, pgBossExecutor } from './pg-boss-db.js';

describe('pg-boss executor', () => {
  it('sends pg-boss\'s own transaction scripts (no parameters, starting with BEGIN) to exec, everything else to query', async () => {
    const calls: Array<[string, string, unknown[] | undefined]> = [];
    const target: Queryable = {
      query: async <Row>(text: string, values?: unknown[]) => {
        calls.push(['query', text, values]);
        return { rows: [{ ok: 1 } as Row], rowCount: 1 };
      },
      exec: async (script) => void calls.push(['exec', script, undefined]),
    };
    const executor = pgBossExecutor(target);
    const script = '\n    BEGIN;\n    SET LOCAL lock_timeout = 30000;\n    SELECT 1;\n    COMMIT;\n  ';
    await expect(executor.executeSql(script, [])).resolves.toEqual({ rows: [] });
    await expect(executor.executeSql('SELECT version from pgboss.version', undefined as unknown as unknown[])).resolves.toEqual({ rows: [{ ok: 1 }], rowCount: 1 });
    await executor.executeSql('SELECT pgboss.create_queue($1, $2)', ['q', {}]);
    expect(calls).toEqual([
      ['exec', script, undefined],
      ['query', 'SELECT version from pgboss.version', []],
      ['query', 'SELECT pgboss.create_queue($1, $2)', ['q', {}]],
    ]);
  });

  it('never treats a parameterised statement or one that merely mentions BEGIN as a script', () => {
    expect(isPgBossScript('BEGIN; SELECT $1; COMMIT;', ['x'])).toBe(false);
    expect(isPgBossScript("SELECT 'BEGIN;'", [])).toBe(false);
    expect(isPgBossScript('begin;\nselect 1;\ncommit;', undefined)).toBe(true);
  });
});
