import { defineConfig } from 'vitest/config';
import { tierGlobs } from './test/tiers.js';

/**
 * `npm run test:resilience` (test/resilience/): faults under load, kept out of `npm test` so that the main suite's
 * time does not grow; CI runs it after the main tests. One file at a time: each case measures the rate the machine
 * sustains and offers twice that, which a second file running beside it would falsify.
 */
export default defineConfig({
  test: {
    name: 'resilience',
    include: tierGlobs('resilience'),
    globalSetup: ['test/resilience/global-setup.ts'],
    setupFiles: ['test/helpers/property-seed.ts'],
    pool: 'forks',
    poolOptions: { forks: { maxForks: 1, minForks: 1 } },
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 600_000,
    reporters: ['default'],
  },
});
