import { readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { OrcaConfig } from '../../platform/config/schema.js';
import { BackupError } from './manifest.js';

/**
 * A finished backup's folder name: its UTC time to the millisecond (names sort as times do, which retention relies
 * on), then a random suffix so that two never collide.
 */
const BACKUP_NAME = /^orca-backup-\d{8}T\d{9}Z-[0-9a-f]{6}$/;

export function backupDirOf(config: Pick<OrcaConfig, 'backupDir' | 'dataDir'>): string {
  return resolve(config.backupDir ?? join(config.dataDir, 'backups'));
}

export function backupNameAt(at: Date, suffix: string): string {
  return `orca-backup-${at.toISOString().replace(/[-:.]/g, '')}-${suffix}`;
}

/** Finished backups in `dir`, oldest first (names sort by time); a folder still being written is named `.partial-…`. */
export function listBackups(dir: string): string[] {
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is BACKUP_DIR, from configuration
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && BACKUP_NAME.test(entry.name))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

export function latestBackup(dir: string): string {
  const newest = listBackups(dir).at(-1);
  if (!newest) throw new BackupError(`no backup in ${dir} (BACKUP_DIR): run \`orca backup\` first, or name one with --file`);
  return join(dir, newest);
}

/** Keeps the newest `keep` backups (BACKUP_RETENTION) and removes the rest; returns the names removed. */
export function applyRetention(dir: string, keep: number): string[] {
  const all = listBackups(dir);
  const removed = all.slice(0, Math.max(0, all.length - keep));
   
  for (const name of removed) rmSync(join(dir, name), { recursive: true, force: true });
  return removed;
}
