// Writes the OpenAPI document that GET /openapi.json serves, built from the route schemas by the real application
// (buildApp, never listening) on a throw-away in-memory database. Run: npm run openapi:export [-- <file>]
// (default openapi.json at the repository root, which is git-ignored: the served document is the contract).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildApp } from '../src/app.js';
import { createContainer } from '../src/container.js';
import { loadConfig } from '../src/platform/config/load.js';
import { createLogger } from '../src/platform/telemetry/logger.js';

const target = resolve(process.argv[2] ?? 'openapi.json');
const dataDir = mkdtempSync(join(tmpdir(), 'orca-openapi-'));
try {
  // Only the settings the document depends on are read; the environment is ignored so the output is reproducible.
  const config = loadConfig({ ORCA_DATA_DIR: dataDir }, dataDir);
  const container = await createContainer(config, { logger: createLogger({ level: 'silent' }), inMemoryDatabase: true, role: 'api' });
  try {
    const app = await buildApp(container);
    await app.ready();
    writeFileSync(target, `${JSON.stringify(app.swagger(), null, 2)}\n`);
    await app.close();
  } finally {
    await container.close();
  }
  console.log(`wrote ${target}`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
