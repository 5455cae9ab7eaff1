import type { Registry } from 'prom-client';
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/index.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { AuditService } from '../audit/index.js';
import { registerBackupMetrics, type BackupStatus } from './backup-status.js';
import { registerBackupJobs } from './backups.jobs.js';
import { createBackupsRepository } from './backups.repository.js';
import { createBackupsService, type BackupSettings } from './backups.service.js';

export { BackupError, verifyBackup, type BackupManifest } from './manifest.js';
export { backupDirOf, latestBackup, listBackups } from './backup-folder.js';
export { restoreBackup, type RestoreReport } from './restore.js';
export { readBackupStatus } from './backup-status.js';
export type { BackupStatus } from './backup-status.js';
export type { BackupRun, BackupsService } from './backups.service.js';

/**
 * The backup service alone, on a database the caller opened without migrating it (`orca backup`): a backup taken
 * before an upgrade must hold the schema as it was. No job, no metrics: a one-shot command.
 */
export function createBackupRunner(deps: {
  db: Database;
  clock: Clock;
  logger: Logger;
  audit: Pick<AuditService, 'head'>;
  settings: BackupSettings & { databaseUrl: string | undefined };
  version: string;
  onAttemptRecorded?: (status: BackupStatus) => void;
}) {
  return createBackupsService({
    db: deps.db,
    repository: createBackupsRepository(),
    auditHead: (q) => deps.audit.head(q),
    databaseUrl: deps.settings.databaseUrl,
    version: deps.version,
    now: () => deps.clock.now(),
    settings: deps.settings,
    logger: deps.logger,
    ...(deps.onAttemptRecorded ? { onAttemptRecorded: deps.onAttemptRecorded } : {}),
  });
}

/**
 * Backups (docs/backups.md): `orca backup` and a scheduled job write a consistent snapshot with its manifest to
 * BACKUP_DIR (and S3_BUCKET); /status and the metrics show the last attempt. Restoring is `restoreBackup`, run by
 * `orca restore` with no server holding the database.
 */
export function createBackupsModule(deps: {
  db: Database;
  clock: Clock;
  logger: Logger;
  registry: Registry;
  jobs: Pick<JobQueue, 'define' | 'schedule'>;
  audit: Pick<AuditService, 'head'>;
  settings: BackupSettings & { backupIntervalMs: number; databaseUrl: string | undefined };
  version: string;
  /** After every attempt (scheduled or not) is recorded: the alerts module's backup_failed rules look at it. */
  onAttemptRecorded?: (status: BackupStatus) => void;
}) {
  const service = createBackupRunner(deps);
  registerBackupMetrics(deps.registry, () => service.status());
  registerBackupJobs(deps.jobs, { intervalMs: deps.settings.backupIntervalMs, run: (signal) => service.run(signal) });
  return { service };
}
