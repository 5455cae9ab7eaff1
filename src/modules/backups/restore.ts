import { existsSync, openAsBlob, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { systemClock } from '../../platform/clock.js';
import type { OrcaConfig } from '../../platform/config/schema.js';
import { loadPgliteDataDir, openDatabase, type Database } from '../../platform/db/index.js';
import { bundledMigrations, migrate } from '../../platform/db/migrate.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import { createMetrics } from '../../platform/telemetry/metrics.js';
import { createAuditModule } from '../audit/index.js';
import { createBackupsRepository } from './backups.repository.js';
import { BackupError, verifyBackup, type BackupManifest } from './manifest.js';
import { libpqUrl, requirePgTool, runPgTool } from './pg-tools.js';

export type RestoreSettings = Pick<
  OrcaConfig,
  'databaseUrl' | 'databasePoolMax' | 'databasePreparedStatements' | 'databaseStatementTimeoutMs' | 'databaseHeavyStatementTimeoutMs' | 'dataDir'
>;

export interface RestoreReport {
  backup: string;
  kind: Database['kind'];
  backup_schema_version: number;
  migrations_applied: number[];
  schema_version: number;
  tables_checked: number;
  audit_entries_checked: number;
  audit_head_seq: number;
}

const repository = createBackupsRepository();

/** Tables whose rows the migrations themselves write (the history, the sync sweep's one checkpoint row). */
const MIGRATION_OWNED_TABLES = new Set(['schema_migration', 'sync_checkpoint']);

/** Rows in any other table: a database that `orca migrate` alone created counts as empty. */
async function holdsData(db: Database): Promise<boolean> {
  const counts = await repository.rowCounts(db);
  return Object.entries(counts).some(([table, rows]) => !MIGRATION_OWNED_TABLES.has(table) && rows > 0);
}

function refuseNonEmpty(where: string): never {
  throw new BackupError(`${where} already holds data: restoring replaces it. Run again with --yes to replace it (take a backup of it first if it matters)`);
}

const stamp = () => new Date().toISOString().replace(/[-:.]/g, '').toLowerCase();

/** The embedded database: the archive becomes pgdata/; the previous pgdata/ stays aside until the restore is verified. */
async function restoreEmbedded(settings: RestoreSettings, folder: string, manifest: BackupManifest, yes: boolean, logger: Logger): Promise<() => void> {
  const pgdata = join(settings.dataDir, 'pgdata');
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is ORCA_DATA_DIR, from configuration
  const exists = existsSync(pgdata) && readdirSync(pgdata).length > 0;
  if (exists) {
    // Opening it also takes its lock: a server running on this data directory makes this fail, naming its pid.
    const current = await openDatabase(settings, logger, createMetrics());
    try {
      if (!yes && (await holdsData(current))) refuseNonEmpty(`the embedded database in ${pgdata}`);
    } finally {
      await current.close();
    }
  }
  const aside = `${pgdata}.before-restore-${stamp()}`;
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- paths under ORCA_DATA_DIR, from configuration
  if (exists) renameSync(pgdata, aside);
  else rmSync(pgdata, { recursive: true, force: true });
  try {
    const file = manifest.files[0];
    if (!file) throw new BackupError('the manifest lists no file');
     
    await loadPgliteDataDir(pgdata, await openAsBlob(join(folder, file.name)));
  } catch (error) {
     
    rmSync(pgdata, { recursive: true, force: true });
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- as above
    if (exists) renameSync(aside, pgdata);
    throw error;
  }
   
  return () => rmSync(aside, { recursive: true, force: true });
}

/**
 * A PostgreSQL server: ORCA's schema is renamed aside and an empty one created, then pg_restore fills it in one
 * transaction (its own CREATE SCHEMA left out, as the schema exists). On failure the previous schema comes back.
 */
async function restoreServer(settings: RestoreSettings, folder: string, manifest: BackupManifest, yes: boolean, logger: Logger): Promise<() => Promise<void>> {
  const url = settings.databaseUrl;
  if (!url) throw new Error('DATABASE_URL is not set');
  await requirePgTool('pg_restore');
  const file = manifest.files[0];
  if (!file) throw new BackupError('the manifest lists no file');
  const archive = join(folder, file.name);
  const db = await openDatabase(settings, logger, createMetrics());
  let schema: string;
  const aside = `${manifest.database.schema}_before_restore_${stamp()}`.slice(0, 63);
  try {
    schema = await repository.currentSchema(db);
    if (schema !== manifest.database.schema) {
      throw new BackupError(`the backup holds schema "${manifest.database.schema}" but this DATABASE_URL uses "${schema}": restore into the same schema (search_path)`);
    }
    if (!yes && (await holdsData(db))) refuseNonEmpty(`schema "${schema}" of the PostgreSQL database`);
    await db.transaction(async (tx) => {
      await repository.renameSchema(tx, schema, aside);
      await repository.createSchema(tx, schema);
    });
  } finally {
    await db.close();
  }
  const putBack = async () => {
    const admin = await openDatabase(settings, logger, createMetrics());
    try {
      await admin.transaction(async (tx) => {
        await repository.dropSchema(tx, schema);
        await repository.renameSchema(tx, aside, schema);
      });
    } finally {
      await admin.close();
    }
  };
  try {
    const list = (await runPgTool('pg_restore', ['--list', archive]))
      .split('\n')
      .filter((line) => !/^\d+; \d+ \d+ (SCHEMA|COMMENT - SCHEMA) /.test(line));
    const listFile = join(folder, `.restore-list-${stamp()}`);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- a scratch file in the backup folder, removed below
    writeFileSync(listFile, list.join('\n'));
    try {
      await runPgTool('pg_restore', ['--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', `--use-list=${listFile}`, `--dbname=${libpqUrl(url)}`, archive]);
    } finally {
       
      rmSync(listFile, { force: true });
    }
  } catch (error) {
    await putBack();
    throw error;
  }
  return async () => {
    const admin = await openDatabase(settings, logger, createMetrics());
    try {
      await admin.transaction((tx) => repository.dropSchema(tx, aside));
    } finally {
      await admin.close();
    }
  };
}

/** Compares what the restored database holds with what the manifest recorded at the instant of the backup. */
async function verifyRestored(db: Database, manifest: BackupManifest, migrated: boolean, logger: Logger) {
  const counts = await repository.rowCounts(db);
  const mismatches = Object.entries(manifest.row_counts)
    // The migrations just applied added their own rows to the history.
    .filter(([table]) => !(migrated && table === 'schema_migration'))
    .filter(([table, rows]) => counts[table] !== rows)
    .map(([table, rows]) => `${table}: ${counts[table] ?? 'missing'} rows, the backup had ${rows}`);
  if (mismatches.length > 0) throw new BackupError(`the restored database does not hold what the backup recorded — ${mismatches.join('; ')}`);
  const audit = await createAuditModule({ db, clock: systemClock, metrics: new Registry(), logger }).service.verify();
  if (!audit.valid) throw new BackupError(`the restored audit chain is broken: ${audit.problems.map((p) => `seq ${p.seq}: ${p.problem}`).join('; ')}`);
  const head = manifest.audit_head;
  if (head && (audit.head_seq !== head.seq || audit.head_hash !== head.hash)) {
    throw new BackupError(`the restored audit chain ends at seq ${audit.head_seq}, the backup's at seq ${head.seq}`);
  }
  return { tables: Object.keys(manifest.row_counts).length, audit };
}

/**
 * `orca restore`: checks the backup (checksums, schema not newer than this ORCA, same kind of database), refuses a
 * database holding data without `yes`, restores, applies pending migrations, and verifies row counts and the audit
 * chain. Nothing may hold the database meanwhile (stop ORCA first).
 */
export async function restoreBackup(settings: RestoreSettings, path: string, options: { yes: boolean; logger: Logger }): Promise<RestoreReport> {
  const { folder, manifest } = await verifyBackup(path);
  const known = Math.max(0, ...bundledMigrations().map((m) => m.version));
  if (manifest.database.schema_version > known) {
    throw new BackupError(`the backup's schema version is ${manifest.database.schema_version}, newer than this ORCA knows (${known}): restore it with ORCA ${manifest.orca_version} or later`);
  }
  const kind = settings.databaseUrl ? 'postgres' : 'pglite';
  if (manifest.database.kind !== kind) {
    throw new BackupError(`the backup is of a ${manifest.database.kind} database and this configuration uses ${kind}: set ${kind === 'pglite' ? 'DATABASE_URL' : 'no DATABASE_URL'} to restore it`);
  }
  const discardPrevious = kind === 'pglite' ? await restoreEmbedded(settings, folder, manifest, options.yes, options.logger) : await restoreServer(settings, folder, manifest, options.yes, options.logger);
  const db = await openDatabase(settings, options.logger, createMetrics());
  try {
    const migrated = await migrate(db);
    const { tables, audit } = await verifyRestored(db, manifest, migrated.applied.length > 0, options.logger);
    await discardPrevious();
    return {
      backup: folder,
      kind,
      backup_schema_version: manifest.database.schema_version,
      migrations_applied: migrated.applied.map((m) => m.version),
      schema_version: migrated.current,
      tables_checked: tables,
      audit_entries_checked: audit.entries_checked,
      audit_head_seq: audit.head_seq,
    };
  } finally {
    await db.close();
  }
}
