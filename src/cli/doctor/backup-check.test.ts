import { describe, expect, it } from 'vitest';
import type { BackupStatus } from '../../modules/backups/index.js';
import { checkBackup } from './backup-check.js';

const HOUR = 3_600_000;
const now = new Date('2026-05-01T12:00:00.000Z');
const ago = (hours: number) => new Date(now.getTime() - hours * HOUR).toISOString();
const dir = '/srv/orca/backups';

function attempt(fields: Partial<BackupStatus>): BackupStatus {
  return { outcome: 'success', attempted_at: ago(1), duration_seconds: 3, backup: `${dir}/b`, bytes: 1000, s3: 'off', error: null, last_success_at: ago(1), ...fields };
}

describe('checkBackup (BACKUP_INTERVAL 6 h: a success may be 12 h old)', () => {
  const facts = { dir, intervalMs: 6 * HOUR, now, dueSince: new Date(ago(100)) };

  it('is up after a recent success, and reports the record', () => {
    const check = checkBackup({ ...facts, status: attempt({ last_success_at: ago(11), attempted_at: ago(11), s3: 'copied' }) });
    expect(check).toEqual({
      status: 'up',
      latency_ms: 0,
      detail: `the last backup succeeded 11 h ago (${ago(11)}), copied to S3`,
      dir,
      last_outcome: 'success',
      last_attempt_at: ago(11),
      last_success_at: ago(11),
      max_age_seconds: 43_200,
    });
  });

  it('is down when the last success is older than 2 × BACKUP_INTERVAL, with the hint to keep a worker running', () => {
    const check = checkBackup({ ...facts, status: attempt({ last_success_at: ago(13), attempted_at: ago(13) }) });
    expect(check.status).toBe('down');
    expect(check.detail).toBe(`the last successful backup is 13 h old (${ago(13)}), more than 2 × BACKUP_INTERVAL = 12 h`);
    expect(check.hint).toMatch(/^backups have stopped: keep a worker process running/);
  });

  it('is down when the last attempt failed, showing its error without credentials', () => {
    // secretlint-disable-next-line @secretlint/secretlint-rule-database-connection-string -- deliberate fake: the check must not show it
    const error = 'pg_dump: error: connection to postgres://orca:hunter2-doctor@db:5432/orca failed';
    const check = checkBackup({ ...facts, status: attempt({ outcome: 'failure', attempted_at: ago(2), error, last_success_at: ago(8) }) });
    expect(check).toMatchObject({ status: 'down', last_outcome: 'failure', last_attempt_at: ago(2), last_success_at: ago(8) });
    // secretlint-disable-next-line @secretlint/secretlint-rule-database-connection-string -- the redacted form of the fake above
    expect(check.detail).toBe(`the last backup attempt, at ${ago(2)}, failed: pg_dump: error: connection to postgres://orca:[REDACTED]@db:5432/orca failed (last success ${ago(8)})`);
    expect(check.hint).toMatch(/^fix what the backup error names \(docs\/backups.md\), then run `orca backup`/);
  });

  it('before any backup: up while backups are not yet overdue, a warning once 2 × BACKUP_INTERVAL has passed since they were due', () => {
    const fresh = checkBackup({ ...facts, status: null, dueSince: new Date(ago(3)) });
    expect(fresh).toMatchObject({ status: 'up', last_outcome: null, last_success_at: null });
    expect(fresh.detail).toBe(`no backup yet in ${dir}: the first is due within BACKUP_INTERVAL of a worker's start`);
    const overdue = checkBackup({ ...facts, status: null, dueSince: new Date(ago(30)) });
    expect(overdue.status).toBe('warn');
    expect(overdue.detail).toBe(`no backup recorded in ${dir}, and backups have been due since ${ago(30)} (30 h, more than 2 × BACKUP_INTERVAL = 12 h)`);
    expect(overdue.hint).toMatch(/^run `orca backup` now/);
    // Unknown (the database could not be read): a missing record is not judged.
    expect(checkBackup({ ...facts, status: null, dueSince: undefined }).status).toBe('up');
  });
});
