import { afterAll, beforeAll, beforeEach, describe } from 'vitest';
import type { Database } from '../../src/platform/db/index.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { openPglite } from '../../src/platform/db/pglite.js';
import { openPostgres } from '../../src/platform/db/postgres.js';
import { databaseTargets, type DatabaseTarget } from '../helpers/db.js';

const noObserver = () => {};

/** A migrated database on the target (PGlite in memory, or a fresh schema on the PostgreSQL server), without the app. */
export async function openMigratedDatabase(target: DatabaseTarget): Promise<{ db: Database; close(): Promise<void> }> {
  const provisioned = await target.provision();
  const db = provisioned.url
    ? await openPostgres({ url: provisioned.url, poolMax: 4, preparedStatements: true, onPoolError: () => {} }, noObserver)
    : await openPglite(undefined, noObserver, { snapshot: provisioned.snapshot });
  try {
    // Already migrated (the template): this checks that nothing is pending, as the app's start-up does.
    await migrate(db);
  } catch (error) {
    await db.close();
    await provisioned.drop();
    throw error;
  }
  return {
    db,
    async close() {
      await db.close();
      await provisioned.drop();
    },
  };
}

/**
 * Runs a suite once per database target on one migrated database, emptied of `tables` before each test so that
 * every test asserts exact values over the rows it seeded itself.
 */
export function describeRepository(name: string, tables: readonly string[], suite: (db: () => Database, target: DatabaseTarget) => void): void {
  for (const target of databaseTargets) {
    describe(`${name} [${target.name}]`, () => {
      let opened: Awaited<ReturnType<typeof openMigratedDatabase>> | undefined;
      beforeAll(async () => {
        opened = await openMigratedDatabase(target);
      });
      afterAll(async () => {
        await opened?.close();
      });
      beforeEach(async () => {
        await opened!.db.query(`truncate ${tables.join(', ')} cascade`);
      });
      suite(() => {
        if (!opened) throw new Error('database not opened');
        return opened.db;
      }, target);
    });
  }
}
