/**
 * Test tiers (vitest projects in vitest.config.ts), each runnable alone with `npm run test:<tier>`; `npm test` runs
 * them all. A tier is a list of folders (ending in /, every *.test.ts under it) and single files; test/tiers.test.ts
 * checks that every test file belongs to exactly one tier.
 */
export const TIERS = {
  /** Pure functions and single components, next to their code (the console's too); and checks of the docs. */
  unit: ['src/', 'console/', 'test/docs.test.ts', 'test/tiers.test.ts'],
  /** One repository's SQL on a migrated database, without the app, on each database. */
  repository: ['test/repository/'],
  /** The real app through its HTTP interface, in process, on each database. */
  http: ['test/http/', 'test/edge/', 'test/outbound/', 'test/security/', 'test/fuzz/'],
  /** The app against its dependencies and their failures: databases, Redis, the job queue, migrations. */
  integration: ['test/integration/'],
  /** The `orca` CLI as real processes (the web console in a real browser among them), and the CI gates. */
  e2e: ['test/e2e/', 'test/ci/'],
} as const;

/**
 * Tiers that `npm test` does not run, each with a vitest config of its own: `npm run test:resilience`
 * (vitest.resilience.config.ts) puts faults under load for minutes, and CI runs it after the main tests.
 */
export const SEPARATE_TIERS = {
  /** Dependencies and processes failing under twice the sustained load (metrics/resilience_report.md). */
  resilience: ['test/resilience/'],
} as const;

export type TierName = keyof typeof TIERS | keyof typeof SEPARATE_TIERS;

const ALL_TIERS: Record<TierName, readonly string[]> = { ...TIERS, ...SEPARATE_TIERS };

/** The vitest `include` globs of a tier. */
export function tierGlobs(name: TierName): string[] {
  return ALL_TIERS[name].map((path) => (path.endsWith('/') ? `${path}**/*.test.ts` : path));
}

/** The tiers a test file (relative to the repository root, with /) belongs to; exactly one for every test file. */
export function tiersOf(file: string): TierName[] {
  return (Object.keys(ALL_TIERS) as TierName[]).filter((name) => ALL_TIERS[name].some((path) => (path.endsWith('/') ? file.startsWith(path) : file === path)));
}
