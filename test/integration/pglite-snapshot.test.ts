import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledMigrations, migrate } from '../../src/platform/db/migrate.js';
import { openPglite } from '../../src/platform/db/pglite.js';
import { buildPgliteSnapshot } from '../../src/platform/db/pglite-snapshot-build.js';
import { seedFromSnapshot } from '../../src/platform/db/pglite-snapshot.js';

/**
 * The first start of the embedded database from the snapshot `npm run build` ships (issue 22): an empty data
 * directory is seeded from it instead of running initdb, migrations still run on top, a data directory that holds a
 * database is never touched, and without a snapshot PGlite initialises the directory as before. PGlite only: the
 * snapshot is the embedded database's own data directory.
 */

let work: string;
let snapshot: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'orca-snapshot-'));
  snapshot = join(work, 'pglite-snapshot.tar.gz');
  expect(await buildPgliteSnapshot(snapshot)).toBe('built');
  expect(await buildPgliteSnapshot(snapshot)).toBe('up to date');
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('PGlite snapshot', { timeout: 300_000 }, () => {
  it('seeds an empty data directory that opens migrated: no migration is pending', async () => {
    const dataDir = join(work, 'seeded');
    expect(seedFromSnapshot(dataDir, snapshot)).toBe(true);
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    const db = await openPglite(dataDir, () => {});
    try {
      expect((await migrate(db)).applied).toEqual([]);
      const { rows } = await db.query<{ version: number }>('select version from schema_migration order by version');
      expect(rows.map((row) => row.version)).toEqual(bundledMigrations().map((migration) => migration.version));
    } finally {
      await db.close();
    }
  });

  it('runs the migrations the snapshot does not hold yet', async () => {
    const older = join(work, 'older.tar.gz');
    // A snapshot built with every migration but the last, as a package older than the code would carry.
    await buildPgliteSnapshot(older, bundledMigrations().slice(0, -1));
    const dataDir = join(work, 'older');
    expect(seedFromSnapshot(dataDir, older)).toBe(true);
    const db = await openPglite(dataDir, () => {});
    try {
      const report = await migrate(db);
      expect(report.applied.map((migration) => migration.version)).toEqual([bundledMigrations().at(-1)!.version]);
    } finally {
      await db.close();
    }
  });

  it('leaves a data directory that holds a database alone', () => {
    const dataDir = join(work, 'occupied');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'PG_VERSION'), '17\n');
    expect(seedFromSnapshot(dataDir, snapshot)).toBe(false);
  });

  it('without a snapshot, PGlite initialises the empty directory itself', async () => {
    const dataDir = join(work, 'no-snapshot');
    expect(seedFromSnapshot(dataDir, join(work, 'absent.tar.gz'))).toBe(false);
    expect(existsSync(dataDir)).toBe(false);
    const db = await openPglite(dataDir, () => {});
    try {
      expect((await migrate(db)).applied.length).toBe(bundledMigrations().length);
    } finally {
      await db.close();
    }
  });
});
