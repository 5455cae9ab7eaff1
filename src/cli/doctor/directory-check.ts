import { randomBytes } from 'node:crypto';
import { promises as fs, type StatsFs } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { elapsedMs, formatBytes, type DirectoryCheck } from './doctor-check.js';

/**
 * Free space below either bound is a warning: 1 GiB is a few hours of events and one backup of a small install, and
 * 10 % is where filesystems start to fragment and an operator still has time to act. Not a failure: ORCA still runs.
 */
export const LOW_SPACE_BYTES = 1024 ** 3;
export const LOW_SPACE_RATIO = 0.1;

/** The filesystem calls the check makes; tests replace statfs to simulate a full disk. */
export interface DirectoryFs {
  stat(path: string): Promise<{ isDirectory(): boolean }>;
  mkdir(path: string): Promise<void>;
  writeFile(path: string, data: string): Promise<void>;
  rm(path: string): Promise<void>;
  rmdir(path: string): Promise<void>;
  statfs(path: string): Promise<Pick<StatsFs, 'bsize' | 'blocks' | 'bavail'>>;
}

// Every path here is ORCA_DATA_DIR or BACKUP_DIR (from configuration) or a file the check creates inside them.
/* eslint-disable security/detect-non-literal-fs-filename -- paths come from configuration, never from a request */
export const nodeDirectoryFs: DirectoryFs = {
  stat: (path) => fs.stat(path),
  mkdir: async (path) => {
    await fs.mkdir(path, { mode: 0o700 });
  },
  // `wx`: the probe never overwrites a file that happens to have its name.
  writeFile: (path, data) => fs.writeFile(path, data, { flag: 'wx', mode: 0o600 }),
  rm: (path) => fs.rm(path, { force: true }),
  rmdir: (path) => fs.rmdir(path),
  statfs: (path) => fs.statfs(path),
};
/* eslint-enable security/detect-non-literal-fs-filename */

export interface DirectoryToCheck {
  /** The setting naming the directory, as the hint names it: ORCA_DATA_DIR or BACKUP_DIR. */
  setting: string;
  path: string;
  /** What ORCA keeps there, for the detail line. */
  holds: string;
  /** Bytes the next write is known to need (the last backup's size for BACKUP_DIR): less free is a warning too. */
  needsBytes?: number;
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'EUNKNOWN';
}

/** The fix for a directory ORCA cannot write, by the reason the system gave. */
function writeHint(dir: DirectoryToCheck, code: string): string {
  const where = `${dir.setting} (${dir.path})`;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `${where} is not writable by this user (uid ${process.getuid?.() ?? '?'}): give the user ORCA runs as write access (chown/chmod), or point ${dir.setting} at a directory it owns`;
    case 'EROFS':
      return `${where} is on a read-only filesystem: mount it read-write, or point ${dir.setting} at a writable volume`;
    case 'ENOSPC':
    case 'EDQUOT':
      return `the filesystem holding ${where} is full (or the user's quota is): free space there, or point ${dir.setting} at a larger volume`;
    case 'ENOTDIR':
    case 'EEXIST':
      return `${where} is not a directory (it, or one of its parents, is a file): point ${dir.setting} at a directory`;
    default:
      return `${where} cannot be written (${code}): check the path, its permissions and its filesystem`;
  }
}

function spaceWarning(dir: DirectoryToCheck, free: number, size: number): string | undefined {
  const reasons: string[] = [];
  if (free < LOW_SPACE_BYTES) reasons.push(`less than ${formatBytes(LOW_SPACE_BYTES)}`);
  if (size > 0 && free < size * LOW_SPACE_RATIO) reasons.push(`less than ${LOW_SPACE_RATIO * 100} % of ${formatBytes(size)}`);
  if (dir.needsBytes !== undefined && free < dir.needsBytes) reasons.push(`less than the last backup's ${formatBytes(dir.needsBytes)}`);
  return reasons.length > 0 ? reasons.join(', ') : undefined;
}

/**
 * A directory ORCA writes: it exists or can be created, a file can be created and removed in it, and its filesystem
 * has room. What the check creates (a missing directory chain, the probe file) it removes, so running it changes
 * nothing. `down` when it cannot be written, `warn` when space is low.
 */
export async function checkDirectory(dir: DirectoryToCheck, fsOps: DirectoryFs = nodeDirectoryFs): Promise<DirectoryCheck> {
  const started = performance.now();
  const path = resolve(dir.path);
  const subject = { ...dir, path };
  const created: string[] = [];
  let probe: string | undefined;
  const down = (code: string, what: string): DirectoryCheck => ({
    status: 'down',
    latency_ms: elapsedMs(started),
    detail: `${what} (${code})`,
    hint: writeHint(subject, code),
    path,
  });
  try {
    // The missing part of the path, created top-down as ORCA would (mkdir -p), removed bottom-up afterwards.
    const missing: string[] = [];
    for (let current = path; ; current = dirname(current)) {
      try {
        if (!(await fsOps.stat(current)).isDirectory()) return down('ENOTDIR', `${current} is not a directory`);
        break;
      } catch (error) {
        // ENOTDIR: a parent is a file; walking up finds it and says so.
        const code = errorCode(error);
        if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(current) === current) throw error;
        if (code === 'ENOENT') missing.unshift(current);
      }
    }
    for (const directory of missing) {
      try {
        await fsOps.mkdir(directory);
      } catch (error) {
        return down(errorCode(error), `cannot create ${directory}`);
      }
      created.push(directory);
    }
    const file = join(path, `.orca-doctor-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      await fsOps.writeFile(file, 'orca doctor write probe\n');
      probe = file;
      await fsOps.rm(file);
      probe = undefined;
    } catch (error) {
      return down(errorCode(error), `cannot create and remove a file in ${path}`);
    }
    const stats = await fsOps.statfs(path);
    const free = Number(stats.bavail) * Number(stats.bsize);
    const size = Number(stats.blocks) * Number(stats.bsize);
    const space = `${formatBytes(free)} free of ${formatBytes(size)}`;
    const low = spaceWarning(subject, free, size);
    const createdNote = missing.length > 0 ? '; it does not exist yet and can be created' : '';
    if (low) {
      return {
        status: 'warn',
        latency_ms: elapsedMs(started),
        detail: `writable, holds ${dir.holds}; low on space: ${space} (${low})${createdNote}`,
        hint: `free space on the filesystem holding ${dir.setting} (${path}), or move ${dir.setting} to a larger volume: ORCA stops writing when it is full`,
        path,
        free_bytes: free,
        size_bytes: size,
      };
    }
    return { status: 'up', latency_ms: elapsedMs(started), detail: `writable, holds ${dir.holds}; ${space}${createdNote}`, path, free_bytes: free, size_bytes: size };
  } catch (error) {
    return down(errorCode(error), `cannot check ${path}`);
  } finally {
    if (probe) await fsOps.rm(probe).catch(() => undefined);
    for (const directory of created.reverse()) await fsOps.rmdir(directory).catch(() => undefined);
  }
}
