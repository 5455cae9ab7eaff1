import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database, Queryable } from './driver.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/** Reads `NNNN_name.sql` files in order. Forward-only: there are no down migrations. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is the migrations directory shipped with ORCA, never a request's
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is the migrations directory shipped with ORCA, never a request's
      const sql = readFileSync(`${dir}/${file}`, 'utf8');
      return {
        version: Number(file.slice(0, 4)),
        name: file.slice(5, -4),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

let bundled: Migration[] | undefined;

/** The migrations shipped with this build, read from disk once. */
export function bundledMigrations(): Migration[] {
  bundled ??= loadMigrations();
  return bundled;
}

export interface MigrationReport {
  applied: Migration[];
  current: number;
}

export class MigrationError extends Error {}

async function ensureHistoryTable(tx: Queryable): Promise<void> {
  await tx.exec(`create table if not exists schema_migration (
    version integer primary key,
    name text not null,
    checksum text not null,
    applied_at timestamptz not null default now()
  )`);
}

/**
 * Applies pending migrations in one transaction under a transaction-scoped advisory lock, so that replicas
 * starting together run them once: the second waits for the first, then finds nothing to do. The lock key
 * includes the schema name so that separate schemas in one database (tests) do not serialise each other.
 * No statement budget applies: a migration may build an index over a large table, and a replica waits on the lock
 * for as long as another replica's migrations take.
 */
export async function migrate(db: Database, migrations: Migration[] = bundledMigrations()): Promise<MigrationReport> {
  return db.transaction(async (tx) => {
    await tx.query(`select pg_advisory_xact_lock(hashtext('orca:migrate:' || current_schema()))`);
    await ensureHistoryTable(tx);
    const { rows } = await tx.query<{ version: number; checksum: string }>('select version, checksum from schema_migration');
    const done = new Map(rows.map((row) => [row.version, row.checksum]));
    const applied: Migration[] = [];
    for (const migration of migrations) {
      const checksum = done.get(migration.version);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) {
          throw new MigrationError(
            `migration ${migration.version}_${migration.name} was changed after it was applied; migrations are forward-only — add a new one`,
          );
        }
        continue;
      }
      await tx.exec(migration.sql);
      await tx.query('insert into schema_migration (version, name, checksum) values ($1, $2, $3)', [
        migration.version,
        migration.name,
        migration.checksum,
      ]);
      applied.push(migration);
    }
    return { applied, current: Math.max(0, ...migrations.map((m) => m.version)) };
  }, { budget: 'unbounded' });
}

/** Lists the known migrations not yet applied; readiness requires none (a database ahead of the code is fine). */
export async function pendingMigrations(db: Queryable, migrations: Migration[] = bundledMigrations()): Promise<number[]> {
  const { rows } = await db.query<{ exists: boolean }>(`select to_regclass('schema_migration') is not null as exists`);
  if (!rows[0]?.exists) return migrations.map((m) => m.version);
  const applied = await db.query<{ version: number }>('select version from schema_migration');
  const versions = new Set(applied.rows.map((row) => row.version));
  return migrations.map((m) => m.version).filter((version) => !versions.has(version));
}
