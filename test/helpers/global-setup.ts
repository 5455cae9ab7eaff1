import type { TestProject } from 'vitest/node';
import { pgliteSnapshot, postgresTemplate } from './templates.js';

/**
 * Says once, at the top of the run, which database legs run (a run that fell back to PGlite alone says so), and
 * builds the migrated templates every test file's database starts from (test/helpers/templates.ts).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.ORCA_TEST_DATABASE_URL;
  if (url) {
    console.log(`[orca tests] integration tests run on PGlite and on PostgreSQL (${new URL(url).host}${new URL(url).pathname})`);
  } else {
    console.log('[orca tests] ORCA_TEST_DATABASE_URL is unset: integration tests run on PGlite only (CI sets it)');
  }
  // The unit tier opens no database: `npm run test:unit` builds no template.
  if (project.vitest.projects.every((tier) => tier.name === 'unit')) {
    project.provide('pgliteSnapshot', '');
    project.provide('postgresTemplate', '');
    return async () => {};
  }
  const started = performance.now();
  project.provide('pgliteSnapshot', await pgliteSnapshot());
  const template = url ? await postgresTemplate(url) : undefined;
  if (url && !template) console.log('[orca tests] this PostgreSQL role may not create databases: each test file migrates a schema of its own instead');
  project.provide('postgresTemplate', template?.name ?? '');
  console.log(`[orca tests] migrated templates ready in ${Math.round(performance.now() - started)} ms`);
  return async () => {
    await template?.drop();
  };
}
