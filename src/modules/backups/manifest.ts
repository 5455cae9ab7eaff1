import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { DatabaseKind } from '../../platform/db/index.js';

/** A refusal the CLI prints as one line and exits 1 on: a bad backup, a missing client, a database in the way. */
export class BackupError extends Error {}

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT = 'orca-backup/1';

export interface BackupFileEntry {
  name: string;
  bytes: number;
  sha256: string;
}

/**
 * What a backup holds, written beside its files. Everything a restore checks before it touches a database is
 * here: the files' checksums, the schema version (a backup of a newer schema than this ORCA is refused), and what
 * the database held at the instant of the snapshot (row counts, the audit chain head) to compare after restoring.
 */
export interface BackupManifest {
  format: typeof MANIFEST_FORMAT;
  created_at: string;
  orca_version: string;
  database: {
    kind: DatabaseKind;
    /** The PostgreSQL schema the tables live in (`public` on the embedded database). */
    schema: string;
    /** The latest migration applied when the backup was taken. */
    schema_version: number;
  };
  files: BackupFileEntry[];
  row_counts: Record<string, number>;
  audit_head: { seq: number; hash: string } | null;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is a file of a backup in BACKUP_DIR or named by the operator
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function describeFile(path: string): Promise<BackupFileEntry> {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is a file of a backup in BACKUP_DIR
  return { name: basename(path), bytes: statSync(path).size, sha256: await sha256File(path) };
}

/** A backup is a folder; the operator may name the folder or its manifest. */
export function backupFolderOf(path: string): string {
  return basename(path) === MANIFEST_FILE ? dirname(path) : path;
}

function isManifest(value: unknown): value is BackupManifest {
  const manifest = value as Partial<BackupManifest> | null;
  return (
    typeof manifest === 'object' &&
    manifest !== null &&
    manifest.format === MANIFEST_FORMAT &&
    typeof manifest.database?.schema_version === 'number' &&
    Array.isArray(manifest.files) &&
    manifest.files.every((file) => typeof file.name === 'string' && !file.name.includes('/') && typeof file.sha256 === 'string') &&
    typeof manifest.row_counts === 'object'
  );
}

export function readManifest(folder: string): BackupManifest {
  const path = join(folder, MANIFEST_FILE);
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is a backup named by the operator or found in BACKUP_DIR
  if (!existsSync(path)) throw new BackupError(`${folder} is not an ORCA backup: it has no ${MANIFEST_FILE}`);
  let parsed: unknown;
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- as above
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new BackupError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isManifest(parsed)) throw new BackupError(`${path} is not an ${MANIFEST_FORMAT} manifest`);
  return parsed;
}

export interface VerifiedBackup {
  folder: string;
  manifest: BackupManifest;
}

/** Reads the manifest and recomputes every file's size and SHA-256; throws a BackupError naming the first mismatch. */
export async function verifyBackup(path: string): Promise<VerifiedBackup> {
  const folder = backupFolderOf(path);
  const manifest = readManifest(folder);
  for (const file of manifest.files) {
    const filePath = join(folder, file.name);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- a file the manifest lists, inside the backup folder
    if (!existsSync(filePath)) throw new BackupError(`${filePath} is missing`);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- as above
    const bytes = statSync(filePath).size;
    if (bytes !== file.bytes) throw new BackupError(`${filePath} has ${bytes} bytes, the manifest says ${file.bytes}: the file is truncated or altered`);
    const sha256 = await sha256File(filePath);
    if (sha256 !== file.sha256) throw new BackupError(`${filePath} does not match its SHA-256 in the manifest: the file is corrupt or altered`);
  }
  return { folder, manifest };
}
