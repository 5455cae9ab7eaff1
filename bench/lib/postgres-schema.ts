import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A fresh schema on a PostgreSQL server (ORCA_BENCH_DATABASE_URL), dropped after the run, so that every run starts
 * from an empty database; `url` connects with that schema as its search_path.
 */
export async function createSchema(base: string): Promise<{ schema: string; url: string; drop(): Promise<void> }> {
  const schema = `orca_bench_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    await client.query(`create schema ${schema}`);
  } finally {
    await client.end();
  }
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    schema,
    url: url.toString(),
    async drop() {
      const dropper = new pg.Client({ connectionString: base });
      await dropper.connect();
      try {
        // ORCA's job queue lives beside its tables, in <schema>_pgboss (src/platform/jobs/job-queue.ts).
        await dropper.query(`drop schema if exists ${schema}_pgboss cascade`);
        await dropper.query(`drop schema if exists ${schema} cascade`);
        await dropper.query(`drop schema if exists ${schema}_pgboss cascade`);
      } finally {
        await dropper.end();
      }
    },
  };
}
