import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Gauge, type Registry } from 'prom-client';

const STATUS_FILE = 'last-backup.json';

/** The last backup attempt, kept in BACKUP_DIR so that `orca backup`, the scheduled job and /status agree. */
export interface BackupStatus {
  outcome: 'success' | 'failure';
  attempted_at: string;
  duration_seconds: number;
  /** The folder of the backup this attempt wrote (null when it failed before finishing). */
  backup: string | null;
  bytes: number | null;
  /** `copied` to S3_BUCKET, `failed` (the local backup is kept), `off` without S3_BUCKET. */
  s3: 'copied' | 'failed' | 'off';
  error: string | null;
  /** The last attempt that succeeded, carried over by failures. */
  last_success_at: string | null;
}

export function readBackupStatus(dir: string): BackupStatus | null {
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is in BACKUP_DIR, from configuration
    return JSON.parse(readFileSync(join(dir, STATUS_FILE), 'utf8')) as BackupStatus;
  } catch {
    return null;
  }
}

export function writeBackupStatus(dir: string, status: BackupStatus): void {
  const path = join(dir, STATUS_FILE);
  // Written aside then renamed: a reader never sees half a file.
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is in BACKUP_DIR, from configuration
  writeFileSync(`${path}.tmp`, `${JSON.stringify(status, null, 2)}\n`, { mode: 0o600 });
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- as above
  renameSync(`${path}.tmp`, path);
}

/** Gauges read from the status file at each scrape, so a backup taken by `orca backup` shows as well. */
export function registerBackupMetrics(registry: Registry, status: () => BackupStatus | null): void {
  new Gauge({
    name: 'orca_backup_last_success_timestamp_seconds',
    help: 'Unix time of the last successful backup (0 before the first, so that an age alert fires until one succeeds)',
    registers: [registry],
    collect() {
      this.reset();
      const at = status()?.last_success_at;
      if (at) this.set(Date.parse(at) / 1000);
    },
  });
  new Gauge({
    name: 'orca_backup_last_outcome',
    help: 'Outcome of the last backup attempt: 1 for the label that happened (success or failure), 0 for the other',
    labelNames: ['outcome'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const last = status();
      if (!last) return;
      this.set({ outcome: 'success' }, last.outcome === 'success' ? 1 : 0);
      this.set({ outcome: 'failure' }, last.outcome === 'failure' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'orca_backup_last_duration_seconds',
    help: 'How long the last backup attempt took',
    registers: [registry],
    collect() {
      this.reset();
      const last = status();
      if (last) this.set(last.duration_seconds);
    },
  });
  new Gauge({
    name: 'orca_backup_last_size_bytes',
    help: 'Size of the last successful attempt\'s files',
    registers: [registry],
    collect() {
      this.reset();
      const bytes = status()?.bytes;
      if (bytes !== null && bytes !== undefined) this.set(bytes);
    },
  });
}
