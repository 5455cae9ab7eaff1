import { mkdirSync } from 'node:fs';
import type { OrcaConfig } from '../../platform/config/schema.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import { applyRetention, backupDirOf } from './backup-folder.js';
import { readBackupStatus, writeBackupStatus, type BackupStatus } from './backup-status.js';
import { copyToS3 } from './s3-copy.js';
import { takeBackup, type TakeBackupDeps, type TakenBackup } from './take-backup.js';

export type BackupSettings = Pick<OrcaConfig, 'backupDir' | 'dataDir' | 'backupRetention' | 's3Bucket' | 's3Endpoint' | 'awsRegion'>;

export interface BackupRun extends TakenBackup {
  removed: string[];
  s3: { status: 'copied'; location: string } | { status: 'failed'; error: string } | { status: 'off' };
}

/**
 * One backup as the CLI and the scheduled job run it: take it, apply retention, copy it to S3 when configured,
 * and record the attempt in BACKUP_DIR (for /status and the metrics). A failed S3 copy fails the run (the
 * configuration asked for an off-site copy that does not exist) but keeps the local backup.
 */
export function createBackupsService(
  deps: TakeBackupDeps & {
    settings: BackupSettings;
    logger: Logger;
    /** Told after each attempt is recorded, success or failure (the alerts module re-evaluates backup rules). */
    onAttemptRecorded?: (status: BackupStatus) => void;
  },
) {
  const dir = backupDirOf(deps.settings);
  return {
    dir,
    status: (): BackupStatus | null => readBackupStatus(dir),

    async run(signal?: AbortSignal): Promise<BackupRun> {
      const started = deps.now();
      // A success is dated by its manifest's created_at: the instant the backup holds.
      const record = (fields: Omit<BackupStatus, 'attempted_at' | 'duration_seconds' | 'last_success_at'>, successAt?: string) => {
        const previous = readBackupStatus(dir);
        const status: BackupStatus = {
          ...fields,
          attempted_at: started.toISOString(),
          duration_seconds: (deps.now().getTime() - started.getTime()) / 1000,
          last_success_at: fields.outcome === 'success' && successAt ? successAt : (previous?.last_success_at ?? null),
        };
        writeBackupStatus(dir, status);
        deps.onAttemptRecorded?.(status);
      };
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is BACKUP_DIR, from configuration
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      let taken: TakenBackup;
      try {
        taken = await takeBackup(deps, dir, signal);
      } catch (error) {
        record({ outcome: 'failure', backup: null, bytes: null, s3: 'off', error: (error as Error).message });
        deps.logger.error({ err: error, backup_dir: dir }, 'backup failed');
        throw error;
      }
      const removed = applyRetention(dir, deps.settings.backupRetention);
      let s3: BackupRun['s3'] = { status: 'off' };
      if (deps.settings.s3Bucket) {
        try {
          s3 = { status: 'copied', location: await copyToS3(deps.settings, taken.folder, taken.name, taken.manifest, signal) };
        } catch (error) {
          s3 = { status: 'failed', error: (error as Error).message };
        }
      }
      const failed = s3.status === 'failed';
      record({
        outcome: failed ? 'failure' : 'success',
        backup: taken.folder,
        bytes: taken.bytes,
        s3: s3.status,
        error: s3.status === 'failed' ? `copy to S3 failed: ${s3.error}` : null,
      }, taken.manifest.created_at);
      const facts = { backup: taken.folder, bytes: taken.bytes, schema_version: taken.manifest.database.schema_version, removed: removed.length, s3: s3.status };
      if (failed) deps.logger.error(facts, 'backup written but its copy to S3 failed');
      else deps.logger.info(facts, 'backup written');
      return { ...taken, removed, s3 };
    },
  };
}

export type BackupsService = ReturnType<typeof createBackupsService>;
