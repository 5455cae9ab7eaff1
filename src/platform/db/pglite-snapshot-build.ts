import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { bundledMigrations, migrate, type Migration } from './migrate.js';
import { createPglite, wrapPglite } from './pglite.js';
import { SNAPSHOT_PATH } from './pglite-snapshot.js';
/* eslint-disable security/detect-non-literal-fs-filename -- every path here is the packaged snapshot, the build's output folder or ORCA_DATA_DIR (configuration), never a request's */

/**
 * What the snapshot depends on: the migrations it holds and the PGlite release that wrote it (its files must match
 * the PostgreSQL that opens them). A build whose stamp matches keeps the snapshot it has: `npm start` builds first,
 * and initdb is the slow part.
 */
function stamp(migrations: Migration[]): string {
  // The package does not export its package.json; it sits one folder above its entry point.
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const pgliteVersion = (JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string }).version;
  const hash = createHash('sha256').update(`pglite ${pgliteVersion}\n`);
  for (const migration of migrations) hash.update(`${migration.version} ${migration.checksum}\n`);
  return hash.digest('hex');
}

/** Writes the initialised, migrated data directory beside the compiled database layer (SNAPSHOT_PATH). */
export async function buildPgliteSnapshot(path: string = SNAPSHOT_PATH, migrations: Migration[] = bundledMigrations()): Promise<'built' | 'up to date'> {
  const stampPath = `${path}.stamp`;
  const expected = stamp(migrations);
  if (existsSync(path) && existsSync(stampPath) && readFileSync(stampPath, 'utf8') === expected) return 'up to date';
  const lite = await createPglite(undefined);
  const db = await wrapPglite(lite, () => {});
  try {
    await migrate(db, migrations);
    await db.exec('checkpoint');
    const dump = await lite.dumpDataDir('gzip');
    writeFileSync(path, Buffer.from(await dump.arrayBuffer()));
    writeFileSync(stampPath, expected);
  } finally {
    await db.close();
  }
  return 'built';
}
