import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { Registry } from 'prom-client';
import type { Database } from '../../src/platform/db/index.js';
import { bundledMigrations, migrate } from '../../src/platform/db/migrate.js';
import { openPglite } from '../../src/platform/db/pglite.js';
import { openPostgres } from '../../src/platform/db/postgres.js';
import { createJobQueue } from '../../src/platform/jobs/index.js';
import { createLogger } from '../../src/platform/telemetry/logger.js';

/**
 * Migrated templates that every test file's database starts from. Migrating a fresh database per file cost more
 * than most files' tests: PGlite's initdb alone takes seconds of WASM. Global setup builds the templates once per run
 * (the PGlite one is cached on disk across runs, keyed by what it contains), and each file then clones one:
 * PGlite loads the dumped data directory, PostgreSQL copies a template database (`CREATE DATABASE … TEMPLATE`).
 *
 * A template holds ORCA's migrations and the job queue's schema (pg-boss installs it on first start), nothing else:
 * a file that opens the app still runs `migrate` and the job queue's start, which find nothing left to do.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of the migrated PGlite data directory dump; '' when global setup did not run (each file runs initdb). */
    pgliteSnapshot: string;
    /** Template database on ORCA_TEST_DATABASE_URL's server; '' → each file migrates a schema of its own instead. */
    postgresTemplate: string;
  }
}

const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** Bumped when what goes into a template changes other than through the inputs hashed below. */
const TEMPLATE_FORMAT = 1;

function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(join(REPO, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Names a template by its content: the migrations (their checksums), the PGlite build and the job queue's version. */
export function templateKey(): string {
  const hash = createHash('sha256');
  hash.update(`format ${TEMPLATE_FORMAT}\npglite ${packageVersion('@electric-sql/pglite')}\npg-boss ${packageVersion('pg-boss')}\n`);
  for (const migration of bundledMigrations()) hash.update(`${migration.version} ${migration.name} ${migration.checksum}\n`);
  return hash.digest('hex').slice(0, 16);
}

/** The production start-up path (migrations, then the job queue's own schema), on an empty database. */
async function migrateTemplate(db: Database): Promise<void> {
  await migrate(db);
  const queue = createJobQueue({
    db,
    logger: createLogger({ level: 'silent' }),
    registry: new Registry(),
    runsJobs: false,
    settings: { schema: undefined, concurrency: 1, pollIntervalMs: 1000, maintenanceIntervalMs: 120_000, drainTimeoutMs: 1000 },
  });
  await queue.start();
  await queue.stop();
}

const SNAPSHOT_DIR = join(tmpdir(), 'orca-test-templates');
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * The migrated PGlite data directory, dumped uncompressed (loading skips a gunzip) to a file named by its key. A
 * file already there is reused; it is written under a temporary name and renamed, so a concurrent run never reads
 * half a file. Dumps of other keys (other branches, older migrations) are removed once a day old.
 */
export async function pgliteSnapshot(): Promise<string> {
  mkdirSync(SNAPSHOT_DIR, { recursive: true });
  const path = join(SNAPSHOT_DIR, `pglite-${templateKey()}.tar`);
  if (existsSync(path)) return path;
  const dataDir = mkdtempSync(join(tmpdir(), 'orca-test-template-'));
  try {
    const db = await openPglite(dataDir, () => {});
    try {
      await migrateTemplate(db);
    } finally {
      await db.close();
    }
    const lite = await PGlite.create({ dataDir });
    try {
      const dump = await lite.dumpDataDir('none');
      const partial = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
      writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
      renameSync(partial, path);
    } finally {
      await lite.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  for (const file of readdirSync(SNAPSHOT_DIR)) {
    const other = join(SNAPSHOT_DIR, file);
    if (other !== path && Date.now() - statSync(other).mtimeMs > STALE_AFTER_MS) rmSync(other, { force: true });
  }
  return path;
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `base` with its database replaced by `database`, every other setting kept. */
export function urlForDatabase(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

async function withAdmin<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface PostgresTemplate {
  /** The template database; every per-file database is named after it (`<name>_<random>`). */
  name: string;
  /** Drops the template and every per-file database a file left behind (a worker that crashed). */
  drop(): Promise<void>;
}

/**
 * A migrated template database beside ORCA_TEST_DATABASE_URL's, named after it and this run (so concurrent runs on
 * one server never share one). Undefined when the role may not create databases: files then fall back to a schema
 * of their own in the given database, migrated each time.
 */
export async function postgresTemplate(serverUrl: string): Promise<PostgresTemplate | undefined> {
  const base = decodeURIComponent(new URL(serverUrl).pathname.slice(1)) || 'postgres';
  // 63 bytes at most: the base (cut), the run, and a per-file suffix of 13 characters.
  const name = `${base.slice(0, 36)}_t${randomBytes(4).toString('hex')}`;
  try {
    await withAdmin(serverUrl, (client) => client.query(`create database ${quoteIdentifier(name)}`));
  } catch (error) {
    if ((error as { code?: string }).code === '42501') return undefined;
    throw error;
  }
  const drop = () =>
    withAdmin(serverUrl, async (client) => {
      const { rows } = await client.query<{ datname: string }>(
        'select datname from pg_database where datname = $1 or left(datname, length($1) + 1) = $1 || $2',
        [name, '_'],
      );
      for (const row of rows) await client.query(`drop database if exists ${quoteIdentifier(row.datname)} with (force)`);
    });
  try {
    const db = await openPostgres({ url: urlForDatabase(serverUrl, name), poolMax: 1, preparedStatements: true, onPoolError: () => {} }, () => {});
    try {
      await migrateTemplate(db);
    } finally {
      await db.close();
    }
  } catch (error) {
    await drop();
    throw error;
  }
  return { name, drop };
}
