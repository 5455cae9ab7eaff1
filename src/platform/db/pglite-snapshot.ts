import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
/* eslint-disable security/detect-non-literal-fs-filename -- every path here is the packaged snapshot, the build's output folder or ORCA_DATA_DIR (configuration), never a request's */

/**
 * The embedded database's data directory as `npm run build` leaves it: initialised and migrated
 * (scripts/build-pglite-snapshot.mjs), as a gzip'd tar from PGlite's dumpDataDir. Seeding an empty data directory
 * from it replaces initdb on the first start, which holds a second PostgreSQL instance in memory and takes most of
 * that start's time. Migrations still run after it (the snapshot may be older than the code; container.ts).
 */
export const SNAPSHOT_PATH = fileURLToPath(new URL('./pglite-snapshot.tar.gz', import.meta.url));

const BLOCK = 512;

function field(header: Buffer, offset: number, length: number): string {
  const raw = header.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('utf8');
}

/**
 * Writes the regular files and directories of a ustar archive under `dir`. Any other entry, or a path that would
 * leave `dir`, fails: the archive is ours, so anything unexpected means it is damaged.
 */
export function extractTar(archive: Buffer, dir: string): number {
  let offset = 0;
  let files = 0;
  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    const name = [field(header, 345, 155), field(header, 0, 100)].filter(Boolean).join('/');
    const size = parseInt(field(header, 124, 12).trim() || '0', 8);
    const type = field(header, 156, 1) || '0';
    const relative = normalize(name.replace(/^\/+/, ''));
    if (relative === '..' || relative.startsWith(`..${sep}`) || !Number.isFinite(size)) throw new Error(`snapshot entry "${name}" is not valid`);
    const target = join(dir, relative);
    offset += BLOCK;
    if (type === '5') {
      mkdirSync(target, { recursive: true });
    } else if (type === '0') {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, archive.subarray(offset, offset + size), { mode: 0o600 });
      files += 1;
    } else {
      throw new Error(`snapshot entry "${name}" has unsupported type "${type}"`);
    }
    offset += Math.ceil(size / BLOCK) * BLOCK;
  }
  return files;
}

function isEmptyOrMissing(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0;
}

/**
 * Seeds an empty (or missing) data directory from the snapshot; false when there is nothing to do — the directory
 * holds a database already, or this build has no snapshot (then PGlite runs initdb as before). The files are
 * written beside and renamed into place, so a crash midway never leaves half a database to open.
 */
export function seedFromSnapshot(dataDir: string, snapshotPath: string = SNAPSHOT_PATH): boolean {
  if (!isEmptyOrMissing(dataDir) || !existsSync(snapshotPath)) return false;
  const staging = `${dataDir}.seeding-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    mkdirSync(staging, { recursive: true, mode: 0o700 });
    extractTar(gunzipSync(readFileSync(snapshotPath)), staging);
    if (!existsSync(join(staging, 'PG_VERSION'))) throw new Error(`${snapshotPath} holds no PostgreSQL data directory`);
    if (existsSync(dataDir)) rmdirSync(dataDir);
    renameSync(staging, dataDir);
    return true;
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    // Another process seeded the same directory first: its database is the one to open (and its lock decides).
    if (!isEmptyOrMissing(dataDir)) return false;
    throw error;
  }
}
