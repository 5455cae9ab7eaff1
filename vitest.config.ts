import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { tierGlobs, TIERS } from './test/tiers.js';

/**
 * vitest 3 hands `--testTimeout` on to every project but not `--hookTimeout`: read it here so that a loaded machine's
 * `--hookTimeout=600000` still reaches the hooks that build apps.
 */
function hookTimeoutFromCommandLine(): number | undefined {
  const args = process.argv;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    const value = arg.startsWith('--hookTimeout=') ? arg.slice('--hookTimeout='.length) : arg === '--hookTimeout' ? args[index + 1] : undefined;
    if (value !== undefined && Number.isFinite(Number(value))) return Number(value);
  }
  return undefined;
}

/** One tier (test/tiers.ts): `npm run test:<tier>` runs it alone (`vitest run --project <tier>`). */
function tier(name: keyof typeof TIERS): TestProjectInlineConfiguration {
  return {
    test: {
      name,
      include: tierGlobs(name),
      // Property tests start from a fixed seed (ORCA_PROPERTY_SEED to change it).
      setupFiles: ['test/helpers/property-seed.ts'],
      testTimeout: 60_000,
      hookTimeout: hookTimeoutFromCommandLine() ?? 60_000,
    },
  };
}

export default defineConfig({
  test: {
    // Runs once for every tier: builds the migrated templates each file's database starts from (test/helpers/templates.ts).
    globalSetup: ['test/helpers/global-setup.ts'],
    projects: (Object.keys(TIERS) as Array<keyof typeof TIERS>).map(tier),
    // Each file runs in a process of its own, on a database of its own (PGlite in memory, or a database on the server).
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    reporters: ['default'],
  },
});
