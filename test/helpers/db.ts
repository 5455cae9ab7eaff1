import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { jobsSchemaFor } from '../../src/platform/jobs/index.js';

export type DatabaseTargetName = 'pglite' | 'postgres';

export interface DatabaseTarget {
  name: DatabaseTargetName;
  /** Creates an isolated database for one app: PGlite in memory, or a fresh schema on the server. */
  provision(): Promise<ProvisionedDatabase>;
}

export interface ProvisionedDatabase {
  /** DATABASE_URL for the app, or undefined for embedded PGlite. */
  url: string | undefined;
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

export const pgliteTarget: DatabaseTarget = {
  name: 'pglite',
  async provision() {
    return { url: undefined, drop: async () => {} };
  },
};

export const postgresTarget: DatabaseTarget = {
  name: 'postgres',
  async provision() {
    if (!serverUrl) throw new Error('ORCA_TEST_DATABASE_URL is not set');
    const created = await createSchema(serverUrl);
    return { url: created.url, drop: created.drop };
  },
};

/** PGlite always; the PostgreSQL server too when ORCA_TEST_DATABASE_URL is set (CI always sets it). */
export const databaseTargets: DatabaseTarget[] = serverUrl ? [pgliteTarget, postgresTarget] : [pgliteTarget];
