import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { jobsSchemaFor } from '../../src/platform/jobs/index.js';
import { quoteIdentifier, urlForDatabase } from './templates.js';

export type DatabaseTargetName = 'pglite' | 'postgres';

export interface DatabaseTarget {
  name: DatabaseTargetName;
  /**
   * Creates an isolated, migrated database for one app (test/helpers/templates.ts): PGlite in memory loaded from the
   * template's dump, or a database on the server cloned from the template database.
   */
  provision(): Promise<ProvisionedDatabase>;
}

export interface ProvisionedDatabase {
  /** DATABASE_URL for the app, or undefined for embedded PGlite. */
  url: string | undefined;
  /** For embedded PGlite: the migrated data directory to start from (ContainerOptions.databaseSnapshot). */
  snapshot?: Blob;
  drop(): Promise<void>;
}

export const serverUrl = process.env.ORCA_TEST_DATABASE_URL;

/** A URL whose connections use `schema` as their search_path, so each test file has a private namespace. */
export function urlWithSchema(base: string, schema: string): string {
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

export async function createSchema(base: string): Promise<{ schema: string; url: string; drop(): Promise<void> }> {
  const schema = `orca_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`create schema ${schema}`);
  } finally {
    await admin.end();
  }
  return {
    schema,
    url: urlWithSchema(base, schema),
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      try {
        // The job queue lives in a schema of its own, named after this one (so that parallel files never share it).
        await client.query(`drop schema if exists ${schema} cascade; drop schema if exists ${jobsSchemaFor(schema)} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}

/** `template`'s copy on the server, for one test file's app (or apps sharing it). */
export async function cloneDatabase(base: string, template: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${template}_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${quoteIdentifier(name)} template ${quoteIdentifier(template)}`);
  return {
    url: urlForDatabase(base, name),
    // FORCE: a connection the file forgot to close must not keep its database (global teardown would drop it anyway).
    drop: () => admin(`drop database if exists ${quoteIdentifier(name)} with (force)`),
  };
}

let snapshot: Blob | undefined;

/** The migrated PGlite dump global setup made, read once per worker; undefined outside `vitest` (then: initdb). */
function pgliteSnapshot(): Blob | undefined {
  const path = inject('pgliteSnapshot');
  if (!path) return undefined;
  snapshot ??= new Blob([readFileSync(path)]);
  return snapshot;
}

export const pgliteTarget: DatabaseTarget = {
  name: 'pglite',
  async provision() {
    return { url: undefined, snapshot: pgliteSnapshot(), drop: async () => {} };
  },
};

export const postgresTarget: DatabaseTarget = {
  name: 'postgres',
  async provision() {
    if (!serverUrl) throw new Error('ORCA_TEST_DATABASE_URL is not set');
    const template = inject('postgresTemplate');
    // Without a template (the role may not create databases), a schema of the file's own, which the app migrates.
    const created = template ? await cloneDatabase(serverUrl, template) : await createSchema(serverUrl);
    return { url: created.url, snapshot: undefined, drop: created.drop };
  },
};

/** PGlite always; the PostgreSQL server too when ORCA_TEST_DATABASE_URL is set (CI always sets it). */
export const databaseTargets: DatabaseTarget[] = serverUrl ? [pgliteTarget, postgresTarget] : [pgliteTarget];
