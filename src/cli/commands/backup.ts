import type { Command } from 'commander';
import { Registry } from 'prom-client';
import { systemClock } from '../../platform/clock.js';
import type { OrcaConfig } from '../../platform/config/schema.js';
import { openDatabase } from '../../platform/db/index.js';
import { createLogger } from '../../platform/telemetry/logger.js';
import { createMetrics } from '../../platform/telemetry/metrics.js';
import { ORCA_VERSION } from '../../platform/version.js';
import { createAuditModule } from '../../modules/audit/index.js';
import { BackupError, backupDirOf, createBackupRunner, latestBackup, restoreBackup, verifyBackup } from '../../modules/backups/index.js';
import { loadConfigOrExit } from '../load-config.js';
import { ServerApiError, runningServerApi } from '../server-api.js';

function fail(command: string, message: string): void {
  console.error(`orca ${command}: ${message}`);
  process.exitCode = 1;
}

/** A refusal (bad backup, missing client, database in the way) is one line and exit 1; anything else is a bug. */
async function refusalsAsOneLine(command: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof BackupError || error instanceof ServerApiError) return fail(command, error.message);
    if (/in use by another ORCA process/.test((error as Error).message)) return fail(command, (error as Error).message);
    throw error;
  }
}

/** The embedded database held by a running server cannot be opened here: say what to do instead. */
function refuseBesideRunningServer(config: Readonly<OrcaConfig>, what: string): void {
  const api = runningServerApi(config);
  if (!api) return;
  throw new BackupError(
    `ORCA is running on ${config.dataDir} (pid ${api.endpoint.pid}, ${api.endpoint.url}) and holds its embedded database: ${what}`,
  );
}

async function backupNow(options: { json?: boolean }): Promise<void> {
  const config = loadConfigOrExit();
  refuseBesideRunningServer(config, 'its worker takes the scheduled backups (BACKUP_INTERVAL); to back up now, stop it and run `orca backup` again');
  const logger = createLogger({ level: 'warn', destination: process.stderr });
  // Not migrated on purpose: a backup taken before an upgrade holds the schema as it was.
  const db = await openDatabase(config, logger, createMetrics());
  try {
    const audit = createAuditModule({ db, clock: systemClock, metrics: new Registry(), logger });
    const runner = createBackupRunner({ db, clock: systemClock, logger, audit: audit.service, settings: config, version: ORCA_VERSION });
    const run = await runner.run();
    if (options.json) console.log(JSON.stringify({ backup: run.folder, bytes: run.bytes, manifest: run.manifest, removed: run.removed, s3: run.s3 }));
    else {
      console.log(`backup written: ${run.folder} (${run.bytes} bytes, schema version ${run.manifest.database.schema_version})`);
      if (run.removed.length > 0) console.log(`retention (BACKUP_RETENTION=${config.backupRetention}) removed ${run.removed.length}: ${run.removed.join(', ')}`);
      if (run.s3.status === 'copied') console.log(`copied to ${run.s3.location}`);
    }
    if (run.s3.status === 'failed') fail('backup', `the backup is written but its copy to S3 failed: ${run.s3.error}`);
  } finally {
    await db.close();
  }
}

export function registerBackupCommands(program: Command): void {
  const backup = program
    .command('backup')
    .description('write a backup of the database to BACKUP_DIR (and S3_BUCKET when set); see docs/backups.md')
    .option('--json', 'print the result as JSON')
    .action(async (options: { json?: boolean }) => refusalsAsOneLine('backup', () => backupNow(options)));

  backup
    .command('verify <path>')
    .description("recompute a backup's checksums against its manifest (the backup folder or its manifest.json)")
    .option('--json', 'print the result as JSON')
    .action(async (path: string, options: { json?: boolean }) =>
      refusalsAsOneLine('backup verify', async () => {
        const { folder, manifest } = await verifyBackup(path);
        if (options.json) console.log(JSON.stringify({ valid: true, backup: folder, manifest }));
        else {
          console.log(
            `backup valid: ${folder} — ${manifest.files.length} file(s) match their SHA-256, ${manifest.database.kind}, schema version ${manifest.database.schema_version}, taken ${manifest.created_at} by ORCA ${manifest.orca_version}`,
          );
        }
      }),
    );

  program
    .command('restore')
    .description('restore a backup into the configured database, migrate it, and verify row counts and the audit chain (ORCA must be stopped)')
    .option('--latest', 'the newest backup in BACKUP_DIR')
    .option('--file <path>', 'this backup (its folder or its manifest.json)')
    .option('--yes', 'replace a database that already holds data')
    .option('--json', 'print the result as JSON')
    .action(async (options: { latest?: boolean; file?: string; yes?: boolean; json?: boolean }) => {
      if (Boolean(options.latest) === Boolean(options.file)) return fail('restore', 'name the backup: --latest or --file <path> (one of them)');
      await refusalsAsOneLine('restore', async () => {
        const config = loadConfigOrExit();
        refuseBesideRunningServer(config, 'stop it before restoring');
        const path = options.file ?? latestBackup(backupDirOf(config));
        const report = await restoreBackup(config, path, { yes: Boolean(options.yes), logger: createLogger({ level: 'warn', destination: process.stderr }) });
        if (options.json) console.log(JSON.stringify(report));
        else {
          console.log(`restored ${report.backup} into the ${report.kind} database (schema version ${report.backup_schema_version})`);
          if (report.migrations_applied.length > 0) console.log(`migrations applied: ${report.migrations_applied.join(', ')} (schema version ${report.schema_version})`);
          console.log(`verified: row counts of ${report.tables_checked} tables, audit chain of ${report.audit_entries_checked} entries (head seq ${report.audit_head_seq})`);
        }
      });
    });
}
