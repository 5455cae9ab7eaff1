import type { BackupStatus } from '../../modules/backups/index.js';
import { scrubString } from '../../platform/telemetry/redact.js';
import { formatDuration, type BackupCheck } from './doctor-check.js';

export interface BackupFacts {
  /** BACKUP_DIR, resolved. */
  dir: string;
  /** The last attempt recorded there (last-backup.json), or null before the first. */
  status: BackupStatus | null;
  intervalMs: number;
  now: Date;
  /**
   * Since when backups have been due: the database's first migration, or the running server's start. Unknown (the
   * database could not be read) means a missing record cannot be judged.
   */
  dueSince: Date | undefined;
}

const RUN_A_WORKER =
  'keep a worker process running (`orca start`, role `all` or `worker`): it takes the scheduled backups every BACKUP_INTERVAL';

/**
 * The backups module's record of its last attempt, judged as its alerts are: `down` when the last attempt failed,
 * or when the last success is older than 2 × BACKUP_INTERVAL (one scheduled backup missed, and the next one late
 * too). Before any attempt, a warning once 2 × BACKUP_INTERVAL has passed since backups were due.
 * The error recorded by a failed attempt is scrubbed of credentials before it is shown.
 */
export function checkBackup(facts: BackupFacts): BackupCheck {
  const maxAgeMs = 2 * facts.intervalMs;
  const last = facts.status;
  const base: BackupCheck = {
    status: 'up',
    latency_ms: 0,
    dir: facts.dir,
    last_outcome: last?.outcome ?? null,
    last_attempt_at: last?.attempted_at ?? null,
    last_success_at: last?.last_success_at ?? null,
    max_age_seconds: maxAgeMs / 1000,
  };
  const limit = `2 × BACKUP_INTERVAL = ${formatDuration(maxAgeMs)}`;
  if (!last) {
    const overdueFor = facts.dueSince ? facts.now.getTime() - facts.dueSince.getTime() : undefined;
    // A warning, not a failure: the record may be missing because backups are taken elsewhere (another replica's
    // BACKUP_DIR) or because this host was just restored from one; a failed or stale record is certain.
    if (overdueFor !== undefined && overdueFor > maxAgeMs) {
      return {
        ...base,
        status: 'warn',
        detail: `no backup recorded in ${facts.dir}, and backups have been due since ${facts.dueSince!.toISOString()} (${formatDuration(overdueFor)}, more than ${limit})`,
        hint: `run \`orca backup\` now, and ${RUN_A_WORKER}; if a worker elsewhere takes them, run orca doctor with its BACKUP_DIR`,
      };
    }
    return { ...base, detail: `no backup yet in ${facts.dir}: the first is due within BACKUP_INTERVAL of a worker's start` };
  }
  const lastSuccess = last.last_success_at ? `last success ${last.last_success_at}` : 'no success yet';
  if (last.outcome === 'failure') {
    return {
      ...base,
      status: 'down',
      detail: `the last backup attempt, at ${last.attempted_at}, failed: ${scrubString(last.error ?? 'unknown error')} (${lastSuccess})`,
      hint: 'fix what the backup error names (docs/backups.md), then run `orca backup` or wait for the next scheduled attempt; GET /status shows the same error',
    };
  }
  const successAt = Date.parse(last.last_success_at ?? last.attempted_at);
  const age = facts.now.getTime() - successAt;
  if (age > maxAgeMs) {
    return {
      ...base,
      status: 'down',
      detail: `the last successful backup is ${formatDuration(age)} old (${new Date(successAt).toISOString()}), more than ${limit}`,
      hint: `backups have stopped: ${RUN_A_WORKER}, and look at its log for "backup"; or run \`orca backup\``,
    };
  }
  return { ...base, detail: `the last backup succeeded ${formatDuration(age)} ago (${new Date(successAt).toISOString()})${last.s3 === 'copied' ? ', copied to S3' : ''}` };
}
