import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Database, Queryable } from '../../platform/db/index.js';
import { backupNameAt } from './backup-folder.js';
import type { BackupsRepository } from './backups.repository.js';
import { MANIFEST_FILE, MANIFEST_FORMAT, describeFile, type BackupManifest } from './manifest.js';
import { libpqUrl, requirePgTool, runPgTool } from './pg-tools.js';

export interface SnapshotFacts {
  schema: string;
  schemaVersion: number;
  rowCounts: Record<string, number>;
  auditHead: { seq: number; hash: string } | null;
}

export interface TakeBackupDeps {
  db: Database;
  repository: BackupsRepository;
  auditHead: (q: Queryable) => Promise<{ seq: number; hash: string } | undefined>;
  databaseUrl: string | undefined;
  version: string;
  now: () => Date;
}

async function factsOf(deps: TakeBackupDeps, q: Queryable): Promise<SnapshotFacts> {
  return {
    schema: await deps.repository.currentSchema(q),
    schemaVersion: await deps.repository.schemaVersion(q),
    rowCounts: await deps.repository.rowCounts(q),
    auditHead: (await deps.auditHead(q)) ?? null,
  };
}

/** The embedded database: its data directory as a gzipped tar, taken between two statements of its one connection. */
async function dumpEmbedded(deps: TakeBackupDeps, folder: string): Promise<{ file: string; facts: SnapshotFacts }> {
  const dump = deps.db.dumpDataDir;
  if (!dump) throw new Error('this database cannot dump its data directory');
  const { archive, inspected } = await dump((q) => factsOf(deps, q));
  const file = join(folder, 'pgdata.tar.gz');
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- a new file in a backup folder of BACKUP_DIR
  await pipeline(Readable.fromWeb(archive.stream() as WebReadableStream<Uint8Array>), createWriteStream(file, { mode: 0o600 }));
  return { file, facts: inspected };
}

/**
 * A PostgreSQL server: pg_dump in custom format of ORCA's schema, from a snapshot this process exports and holds
 * open meanwhile, so the counts and audit head in the manifest describe exactly what the dump holds.
 */
async function dumpServer(deps: TakeBackupDeps, folder: string, signal?: AbortSignal): Promise<{ file: string; facts: SnapshotFacts }> {
  const url = deps.databaseUrl;
  if (!url) throw new Error('DATABASE_URL is not set');
  await requirePgTool('pg_dump');
  const file = join(folder, 'database.pgdump');
  const facts = await deps.db.transaction(
    async (tx) => {
      const snapshot = await deps.repository.exportSnapshot(tx);
      const inspected = await factsOf(deps, tx);
      await runPgTool(
        'pg_dump',
        ['--format=custom', `--snapshot=${snapshot}`, `--schema="${inspected.schema.replaceAll('"', '""')}"`, '--no-owner', '--no-privileges', `--file=${file}`, `--dbname=${libpqUrl(url)}`],
        signal,
      );
      return inspected;
    },
    { budget: 'unbounded' },
  );
  return { file, facts };
}

export interface TakenBackup {
  name: string;
  folder: string;
  manifest: BackupManifest;
  bytes: number;
}

/**
 * Writes one backup into `dir`: the dump, then its manifest, in a `.partial-` folder renamed once complete, so a
 * backup that exists is a whole one. The source-secret key (ORCA_DATA_DIR/secret.key or ORCA_SECRET_KEY) is never
 * part of it: the embedded dump holds pgdata/ only, and the server dump only the database (docs/backups.md).
 */
export async function takeBackup(deps: TakeBackupDeps, dir: string, signal?: AbortSignal): Promise<TakenBackup> {
  const createdAt = deps.now();
  const name = backupNameAt(createdAt, randomBytes(3).toString('hex'));
  const partial = join(dir, `.partial-${name}`);
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- path is BACKUP_DIR, from configuration
  mkdirSync(partial, { recursive: true, mode: 0o700 });
  try {
    const { file, facts } = deps.db.dumpDataDir ? await dumpEmbedded(deps, partial) : await dumpServer(deps, partial, signal);
    const entry = await describeFile(file);
    const manifest: BackupManifest = {
      format: MANIFEST_FORMAT,
      created_at: createdAt.toISOString(),
      orca_version: deps.version,
      database: { kind: deps.db.kind, schema: facts.schema, schema_version: facts.schemaVersion },
      files: [entry],
      row_counts: facts.rowCounts,
      audit_head: facts.auditHead,
    };
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- a new file in a backup folder of BACKUP_DIR
    writeFileSync(join(partial, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    const folder = join(dir, name);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- as above
    renameSync(partial, folder);
    return { name, folder, manifest, bytes: entry.bytes };
  } catch (error) {
     
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}
