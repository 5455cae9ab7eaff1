import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    // Property tests start from a fixed seed (ORCA_PROPERTY_SEED to change it).
    setupFiles: ['test/helpers/property-seed.ts'],
    // Each file gets its own database (PGlite in memory, or its own schema on the PostgreSQL server).
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
