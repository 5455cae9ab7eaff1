import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/index.js';
import { openPostgres } from '../../src/platform/db/postgres.js';
import { databaseTargets } from '../helpers/db.js';

const noObserver = () => {};
const server = databaseTargets.find((target) => target.name === 'postgres');

/**
 * QueryOptions.prepared keeps a statement prepared under its name on each PostgreSQL connection (parsed and planned
 * once), unless DATABASE_PREPARED_STATEMENTS=off, for poolers that cannot carry prepared statements.
 */
describe.skipIf(!server)('named prepared statements on a PostgreSQL server', () => {
  let url = '';
  let drop: () => Promise<void> = async () => {};
  const opened: Database[] = [];
  beforeAll(async () => {
    const provisioned = await server!.provision();
    url = provisioned.url!;
    drop = provisioned.drop;
  });
  afterAll(async () => {
    for (const db of opened) await db.close();
    await drop();
  });

  async function preparedNames(preparedStatements: boolean): Promise<{ names: string[]; answers: number[] }> {
    const db = await openPostgres({ url, poolMax: 1, preparedStatements, onPoolError: () => {} }, noObserver);
    opened.push(db);
    return db.transaction(async (tx) => {
      const answers: number[] = [];
      for (const value of [1, 2, 3]) {
        const { rows } = await tx.query<{ n: number }>('select $1::int + 1 as n', [value], { prepared: 'orca_test_plus_one' });
        answers.push(rows[0]!.n);
      }
      const { rows } = await tx.query<{ name: string }>('select name from pg_prepared_statements order by name');
      return { names: rows.map((row) => row.name), answers };
    });
  }

  it('keeps the statement under its name on the connection and answers as before', async () => {
    expect(await preparedNames(true)).toEqual({ names: ['orca_test_plus_one'], answers: [2, 3, 4] });
  });

  it('prepares nothing when DATABASE_PREPARED_STATEMENTS=off', async () => {
    expect(await preparedNames(false)).toEqual({ names: [], answers: [2, 3, 4] });
  });
});
