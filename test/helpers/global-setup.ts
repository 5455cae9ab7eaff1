/** Says once, at the top of the run, which database legs run: a run that fell back to PGlite alone says so. */
export default function setup(): void {
  const url = process.env.ORCA_TEST_DATABASE_URL;
  if (url) {
    console.log(`[orca tests] integration tests run on PGlite and on PostgreSQL (${new URL(url).host}${new URL(url).pathname})`);
  } else {
    console.log('[orca tests] ORCA_TEST_DATABASE_URL is unset: integration tests run on PGlite only (CI sets it)');
  }
}
