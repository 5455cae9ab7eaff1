import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDirectory, nodeDirectoryFs, type DirectoryFs } from './directory-check.js';

const GIB = 1024 ** 3;
const root = mkdtempSync(join(tmpdir(), 'orca-doctor-dir-'));
afterAll(() => {
  chmodSync(root, 0o700);
  rmSync(root, { recursive: true, force: true });
});

const dataDir = (path: string) => ({ setting: 'ORCA_DATA_DIR', path, holds: 'the embedded database' });

/** The real filesystem with statfs answering what a test says: a full disk without filling one. */
function withStatfs(bavail: number, blocks: number, bsize = 4096): DirectoryFs {
  return { ...nodeDirectoryFs, statfs: () => Promise.resolve({ bsize, blocks, bavail }) };
}

/** Root ignores permission bits: a chmod-read-only directory stays writable to it. */
function chmodIsEffective(): boolean {
  const probe = mkdtempSync(join(root, 'chmod-'));
  chmodSync(probe, 0o500);
  try {
    writeFileSync(join(probe, 'x'), 'x');
    return false;
  } catch {
    return true;
  } finally {
    chmodSync(probe, 0o700);
    rmSync(probe, { recursive: true, force: true });
  }
}
const chmodWorks = chmodIsEffective();

describe('checkDirectory', () => {
  it('is up for a writable directory, reports its filesystem space, and leaves no probe file behind', async () => {
    const dir = mkdtempSync(join(root, 'ok-'));
    const check = await checkDirectory(dataDir(dir), withStatfs(5 * GIB / 4096, 20 * GIB / 4096));
    expect(check).toMatchObject({ status: 'up', path: dir, free_bytes: 5 * GIB, size_bytes: 20 * GIB });
    expect(check.detail).toBe('writable, holds the embedded database; 5.0 GiB free of 20.0 GiB');
    expect(check.hint).toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reads the real statfs by default', async () => {
    const check = await checkDirectory(dataDir(mkdtempSync(join(root, 'real-'))));
    expect(check.free_bytes).toBeGreaterThan(0);
    expect(check.size_bytes).toBeGreaterThanOrEqual(check.free_bytes!);
  });

  it('creates a missing directory chain to prove it can, then removes all of it', async () => {
    const base = mkdtempSync(join(root, 'missing-'));
    const dir = join(base, 'a', 'b');
    const check = await checkDirectory(dataDir(dir), withStatfs(5 * GIB / 4096, 20 * GIB / 4096));
    expect(check.status).toBe('up');
    expect(check.detail).toMatch(/; it does not exist yet and can be created$/);
    expect(existsSync(join(base, 'a'))).toBe(false);
  });

  it('is down when a parent is a file, with the hint to point the setting at a directory', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    const check = await checkDirectory(dataDir(join(file, 'data')));
    expect(check).toMatchObject({ status: 'down', detail: `${file} is not a directory (ENOTDIR)` });
    expect(check.hint).toBe(`ORCA_DATA_DIR (${join(file, 'data')}) is not a directory (it, or one of its parents, is a file): point ORCA_DATA_DIR at a directory`);
  });

  it.skipIf(!chmodWorks)(
    `is down for a read-only directory (chmod 0500), naming the user${chmodWorks ? '' : ' [skipped: running as root, chmod does not stop writes]'}`,
    async () => {
      const dir = mkdtempSync(join(root, 'ro-'));
      chmodSync(dir, 0o500);
      const check = await checkDirectory({ setting: 'BACKUP_DIR', path: dir, holds: 'backups' });
      chmodSync(dir, 0o700);
      expect(check).toMatchObject({ status: 'down', detail: `cannot create and remove a file in ${dir} (EACCES)` });
      expect(check.hint).toBe(
        `BACKUP_DIR (${dir}) is not writable by this user (uid ${process.getuid!()}): give the user ORCA runs as write access (chown/chmod), or point BACKUP_DIR at a directory it owns`,
      );
    },
  );

  it('is down on a read-only filesystem, without permission and on a full one, each with its own fix', async () => {
    const dir = mkdtempSync(join(root, 'erofs-'));
    const failing = (code: string): DirectoryFs => ({ ...nodeDirectoryFs, writeFile: () => Promise.reject(Object.assign(new Error(code), { code })) });
    const readOnly = await checkDirectory(dataDir(dir), failing('EROFS'));
    expect(readOnly).toMatchObject({ status: 'down', detail: `cannot create and remove a file in ${dir} (EROFS)` });
    expect(readOnly.hint).toBe(`ORCA_DATA_DIR (${dir}) is on a read-only filesystem: mount it read-write, or point ORCA_DATA_DIR at a writable volume`);
    // What chmod 0500 gives a user other than root, for the runs where the test above is skipped.
    const denied = await checkDirectory(dataDir(dir), failing('EACCES'));
    expect(denied.hint).toBe(
      `ORCA_DATA_DIR (${dir}) is not writable by this user (uid ${process.getuid!()}): give the user ORCA runs as write access (chown/chmod), or point ORCA_DATA_DIR at a directory it owns`,
    );
    const full = await checkDirectory(dataDir(dir), failing('ENOSPC'));
    expect(full.hint).toBe(`the filesystem holding ORCA_DATA_DIR (${dir}) is full (or the user's quota is): free space there, or point ORCA_DATA_DIR at a larger volume`);
  });

  it('warns under 1 GiB free, under 10 % free, and under the last backup size; up otherwise', async () => {
    const dir = mkdtempSync(join(root, 'space-'));
    const blocksOf = (bytes: number) => bytes / 4096;
    const under1GiB = await checkDirectory(dataDir(dir), withStatfs(blocksOf(512 * 1024 ** 2), blocksOf(4 * GIB)));
    expect(under1GiB).toMatchObject({ status: 'warn', free_bytes: 512 * 1024 ** 2, size_bytes: 4 * GIB });
    expect(under1GiB.detail).toBe('writable, holds the embedded database; low on space: 512 MiB free of 4.0 GiB (less than 1.0 GiB)');
    expect(under1GiB.hint).toBe(`free space on the filesystem holding ORCA_DATA_DIR (${dir}), or move ORCA_DATA_DIR to a larger volume: ORCA stops writing when it is full`);

    // 9 GiB free of 100 GiB: plenty in bytes, but 9 %.
    const under10Percent = await checkDirectory(dataDir(dir), withStatfs(blocksOf(9 * GIB), blocksOf(100 * GIB)));
    expect(under10Percent.status).toBe('warn');
    expect(under10Percent.detail).toContain('(less than 10 % of 100.0 GiB)');
    expect((await checkDirectory(dataDir(dir), withStatfs(blocksOf(11 * GIB), blocksOf(100 * GIB)))).status).toBe('up');

    const backups = { setting: 'BACKUP_DIR', path: dir, holds: 'backups', needsBytes: 3 * GIB };
    const tooSmall = await checkDirectory(backups, withStatfs(blocksOf(2 * GIB), blocksOf(10 * GIB)));
    expect(tooSmall.status).toBe('warn');
    expect(tooSmall.detail).toContain("(less than the last backup's 3.0 GiB)");
  });
});
