import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/app.js';
import { createContainer } from '../../src/container.js';
import { loadConfig } from '../../src/platform/config/load.js';
import { createLogger } from '../../src/platform/telemetry/logger.js';

/**
 * The OpenAPI document GET /openapi.json serves, built by the real application (buildApp, never listening) on a
 * throw-away in-memory database. The environment is not read: the document depends on no setting, so every
 * machine produces the same one.
 */
export async function buildOpenApiDocument(): Promise<Record<string, unknown>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'orca-openapi-'));
  try {
    const config = loadConfig({ ORCA_DATA_DIR: dataDir }, dataDir);
    const container = await createContainer(config, { logger: createLogger({ level: 'silent' }), inMemoryDatabase: true, role: 'api' });
    try {
      const app = await buildApp(container);
      try {
        await app.ready();
        return app.swagger() as unknown as Record<string, unknown>;
      } finally {
        await app.close();
      }
    } finally {
      await container.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
