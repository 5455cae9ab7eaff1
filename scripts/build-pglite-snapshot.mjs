// The embedded database's first start loads this pre-initialised, migrated data directory instead of running
// initdb (src/platform/db/pglite-snapshot.ts). Runs after the compiler, on the compiled code.
import { buildPgliteSnapshot } from '../dist/platform/db/pglite-snapshot-build.js';

const started = Date.now();
const outcome = await buildPgliteSnapshot();
console.log(`pglite snapshot: ${outcome} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
