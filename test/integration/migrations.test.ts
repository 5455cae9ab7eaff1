import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database, Queryable } from '../../src/platform/db/driver.js';
import { MigrationError, bundledMigrations, migrate, pendingMigrations, type Migration } from '../../src/platform/db/migrate.js';
import { openPglite } from '../../src/platform/db/pglite.js';
import { openPostgres } from '../../src/platform/db/postgres.js';
import { createSchema, serverUrl } from '../helpers/db.js';

/**
 * docs/OPERATIONS.md "Migrations": numbered forward-only migrations, applied in one transaction under an advisory lock, shared by
 * `orca migrate` and start-up. These tests run the real migration files on PGlite and (when configured) on the
 * PostgreSQL server, and compare the resulting schemas through the catalogs.
 */

const noObserver = () => {};

interface Opened {
  db: Database;
  close(): Promise<void>;
}

interface Target {
  name: 'pglite' | 'postgres';
  /** A fresh, empty database (PGlite in memory, or a new schema on the server). */
  open(): Promise<Opened>;
}

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function openServerDatabase(url: string): Promise<Database> {
  return openPostgres({ url, poolMax: 2, preparedStatements: true, onPoolError: () => {} }, noObserver);
}

const pglite: Target = {
  name: 'pglite',
  async open() {
    const db = await openPglite(undefined, noObserver);
    return { db, close: () => db.close() };
  },
};

const postgres: Target = {
  name: 'postgres',
  async open() {
    const schema = await createSchema(serverUrl as string);
    const db = await openServerDatabase(schema.url);
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      await db.close();
      await schema.drop();
    };
    cleanups.push(close);
    return { db, close };
  },
};

const targets: Target[] = serverUrl ? [pglite, postgres] : [pglite];
if (!serverUrl) console.warn('[migrations.test] ORCA_TEST_DATABASE_URL is unset: migrations are tested on PGlite only');

async function using<T>(target: Target, fn: (db: Database) => Promise<T>): Promise<T> {
  const opened = await target.open();
  try {
    return await fn(opened.db);
  } finally {
    await opened.close();
  }
}

function migrationWith(version: number, name: string, sql: string): Migration {
  return { version, name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
}

async function history(db: Queryable) {
  const { rows } = await db.query<{ version: number; name: string; checksum: string; applied_at: Date }>(
    'select version, name, checksum, applied_at from schema_migration order by version',
  );
  return rows;
}

/**
 * The schema as the catalogs describe it: tables, columns (type, nullability, default), indexes and constraints of
 * the current schema. The schema name is stripped from definitions so that a test schema on the server compares
 * equal to PGlite's `public`.
 */
async function describeSchema(db: Queryable) {
  const current = (await db.query<{ schema: string }>('select current_schema() as schema')).rows[0]?.schema as string;
  const unqualify = (text: string) => text.split(`${current}.`).join('');
  const tables = await db.query(
    `select table_name, table_type from information_schema.tables where table_schema = current_schema() order by table_name`,
  );
  const columns = await db.query(
    `select table_name, column_name, ordinal_position, data_type, udt_name, is_nullable, column_default,
            character_maximum_length, numeric_precision, numeric_scale, is_identity, is_generated
       from information_schema.columns where table_schema = current_schema() order by table_name, ordinal_position`,
  );
  const indexes = await db.query<{ tablename: string; indexname: string; indexdef: string }>(
    `select tablename, indexname, indexdef from pg_indexes where schemaname = current_schema() order by tablename, indexname`,
  );
  // contype 'n' (NOT NULL as a catalog constraint) exists from PostgreSQL 18 on (PGlite 0.5 is 18, CI servers are
  // 14+): it is a catalog representation, not a schema difference, and nullability is compared through the columns.
  const constraints = await db.query<{ table_name: string; conname: string; contype: string; definition: string }>(
    `select t.relname as table_name, c.conname, c.contype, pg_get_constraintdef(c.oid) as definition
       from pg_constraint c join pg_class t on t.oid = c.conrelid
      where c.connamespace = (select oid from pg_namespace where nspname = current_schema()) and c.contype <> 'n'
      order by t.relname, c.conname`,
  );
  return {
    tables: tables.rows,
    columns: columns.rows,
    indexes: indexes.rows.map((row) => ({ ...row, indexdef: unqualify(row.indexdef) })),
    constraints: constraints.rows.map((row) => ({ ...row, definition: unqualify(row.definition) })),
  };
}

const bundled = bundledMigrations();
const latest = Math.max(...bundled.map((m) => m.version));

// Opening a fresh PGlite runs initdb in WASM (seconds on a busy machine): each target's migrated-in-one-go
// schema is described once and shared by the comparisons that need it.
const oneGoSchemas = new Map<Target['name'], ReturnType<typeof describeSchema>>();
function oneGoSchema(target: Target): ReturnType<typeof describeSchema> {
  let described = oneGoSchemas.get(target.name);
  if (!described) {
    described = using(target, async (db) => {
      await migrate(db);
      return describeSchema(db);
    });
    oneGoSchemas.set(target.name, described);
  }
  return described;
}
// PGlite cases open several fresh databases; bound a hang generously, this measures nothing.
const SUITE_TIMEOUT_MS = 240_000;

describe('bundled migrations', () => {
  it('are numbered uniquely and in order', () => {
    expect(bundled.length).toBeGreaterThan(0);
    const versions = bundled.map((m) => m.version);
    expect(new Set(versions).size).toBe(versions.length);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
  });
});

for (const target of targets) {
  describe(`migrations [${target.name}]`, { timeout: SUITE_TIMEOUT_MS }, () => {
    it('lists every migration as pending on an empty database, none once migrated', async () => {
      await using(target, async (db) => {
        expect(await pendingMigrations(db)).toEqual(bundled.map((m) => m.version));
        await migrate(db);
        expect(await pendingMigrations(db)).toEqual([]);
        const extra = migrationWith(9001, 'test_extra', 'create table test_extra (id integer primary key);');
        expect(await pendingMigrations(db, [...bundled, extra])).toEqual([9001]);
        const report = await migrate(db, [...bundled, extra]);
        expect(report.applied.map((m) => m.version)).toEqual([9001]);
        expect(await pendingMigrations(db, [...bundled, extra])).toEqual([]);
      });
    });

    it('migrating twice is a no-op: the second run applies nothing and leaves the history unchanged', async () => {
      await using(target, async (db) => {
        const first = await migrate(db);
        expect(first.applied.map((m) => m.version)).toEqual(bundled.map((m) => m.version));
        expect(first.current).toBe(latest);
        const historyAfterFirst = await history(db);
        const schemaAfterFirst = await describeSchema(db);
        expect(historyAfterFirst.map((row) => [row.version, row.name, row.checksum])).toEqual(bundled.map((m) => [m.version, m.name, m.checksum]));

        const second = await migrate(db);
        expect(second.applied).toEqual([]);
        expect(second.current).toBe(latest);
        expect(await history(db)).toEqual(historyAfterFirst);
        expect(await describeSchema(db)).toEqual(schemaAfterFirst);
      });
    });

    it('refuses, with MigrationError, a migration whose file changed after it was applied, and changes nothing', async () => {
      await using(target, async (db) => {
        await migrate(db);
        const before = await history(db);
        const schemaBefore = await describeSchema(db);
        const [first, ...rest] = bundled as [Migration, ...Migration[]];
        const edited = migrationWith(first.version, first.name, `${first.sql}\ncreate table sneaky_edit (id integer);\n`);
        // A new migration after the edited one must not be applied either: the whole run is one transaction.
        const next = migrationWith(9002, 'after_edit', 'create table after_edit (id integer);');
        const attempt = migrate(db, [edited, ...rest, next]);
        await expect(attempt).rejects.toBeInstanceOf(MigrationError);
        await expect(attempt).rejects.toThrow(new RegExp(`${first.version}_${first.name}`));
        expect(await history(db)).toEqual(before);
        expect(await describeSchema(db)).toEqual(schemaBefore);
        expect(await pendingMigrations(db)).toEqual([]);
      });
    });

    it('yields the same schema applied one migration at a time as applied in one go', async () => {
      const stepwise = await using(target, async (db) => {
        for (let count = 1; count <= bundled.length; count += 1) {
          const report = await migrate(db, bundled.slice(0, count));
          expect(report.applied.map((m) => m.version)).toEqual([bundled[count - 1]?.version]);
        }
        return describeSchema(db);
      });
      const oneGo = await oneGoSchema(target);
      expect(stepwise).toEqual(oneGo);
      // Guard against comparing two empty descriptions.
      expect(oneGo.tables.map((row) => row.table_name)).toContain('schema_migration');
      expect(oneGo.columns.length).toBeGreaterThan(0);
      expect(oneGo.indexes.length).toBeGreaterThan(0);
      expect(oneGo.constraints.length).toBeGreaterThan(0);
    });
  });
}

describe.skipIf(!serverUrl)(
  serverUrl ? 'migrations [postgres server only]' : 'migrations [postgres server only; skipped: ORCA_TEST_DATABASE_URL is unset]',
  { timeout: SUITE_TIMEOUT_MS },
  () => {
    it('PGlite and the PostgreSQL server end up with the same schema', async () => {
      const embedded = await oneGoSchema(pglite);
      const server = await oneGoSchema(postgres);
      expect(server).toEqual(embedded);
      expect(embedded.tables.length).toBeGreaterThan(1);
    });

    it('two concurrent migrate() calls on separate connections both succeed and apply each migration once', async () => {
      const schema = await createSchema(serverUrl as string);
      const a = await openServerDatabase(schema.url);
      const b = await openServerDatabase(schema.url);
      const observer = await openServerDatabase(schema.url);
      cleanups.push(async () => {
        await Promise.all([a.close(), b.close(), observer.close()]);
        await schema.drop();
      });
      // A slow last step keeps the first transaction open, so the other call must wait on the advisory lock
      // rather than merely running after it.
      const slow = migrationWith(9003, 'slow_step', 'select pg_sleep(1);');
      const migrations = [...bundled, slow];
      const running = Promise.all([migrate(a, migrations), migrate(b, migrations)]);

      // Proof that the calls overlapped: one backend is seen waiting on the advisory lock (bounded poll).
      let sawWaiter = false;
      const deadline = performance.now() + 5000;
      while (!sawWaiter && performance.now() < deadline) {
        // The bigint key of migrate()'s lock for this schema, split as pg_locks shows it (classid, objid).
        const { rows } = await observer.query<{ waiting: number }>(
          `with lock as (select hashtext('orca:migrate:' || $1)::bigint as key)
           select count(*)::int as waiting from pg_locks, lock
            where locktype = 'advisory' and not granted and objsubid = 1
              and database = (select oid from pg_database where datname = current_database())
              and classid::bigint = (lock.key >> 32) & 4294967295 and objid::bigint = lock.key & 4294967295`,
          [schema.schema],
        );
        sawWaiter = (rows[0]?.waiting ?? 0) > 0;
        if (!sawWaiter) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const [first, second] = await running;
      expect(sawWaiter).toBe(true);

      const appliedVersions = [...first.applied, ...second.applied].map((m) => m.version).sort((x, y) => x - y);
      expect(appliedVersions).toEqual(migrations.map((m) => m.version));
      // One call did everything, the other found nothing to do.
      expect([first.applied.length, second.applied.length].sort()).toEqual([0, migrations.length]);
      const rows = await history(observer);
      expect(rows.map((row) => row.version)).toEqual(migrations.map((m) => m.version));
      expect(await pendingMigrations(observer, migrations)).toEqual([]);
    });
  },
);
