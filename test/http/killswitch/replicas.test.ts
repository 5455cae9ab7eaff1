import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { createContainer } from '../../../src/container.js';
import { loadConfig } from '../../../src/platform/config/load.js';
import { createLogger } from '../../../src/platform/telemetry/logger.js';
import { ROLES } from '../../../src/platform/http/roles.js';
import { captureStream, type TestApp } from '../../helpers/app.js';
import { postgresTarget, serverUrl, type ProvisionedDatabase } from '../../helpers/db.js';
import { activate, createAgent, evaluateDecision, release, unique } from './fixtures.js';

/**
 * Two replicas — two containers, each with its own agent cache — on one PostgreSQL database: once a kill switch
 * executes on A, B denies the evaluations of every agent it stopped, although B had each of them cached as active;
 * after the release on A, B allows them again. How fast (the 1 s target) is measured by the `killswitch` benchmark,
 * not asserted here; the 5 s deadline only turns a lost invalidation into a failure rather than a hang. Runs only
 * with a PostgreSQL server (PGlite is one process: one replica's behaviour is tested in kill-switch.test.ts).
 */

const DEADLINE_MS = 5000;

async function openReplica({ url }: ProvisionedDatabase): Promise<TestApp & { dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'orca-kill-switch-'));
  const config = loadConfig({ ORCA_DATA_DIR: dataDir, LOG_LEVEL: 'info', RATE_LIMIT_MAX: '1000000', DATABASE_URL: url! }, dataDir);
  const logs: Array<Record<string, unknown>> = [];
  const container = await createContainer(config, { logger: createLogger({ level: 'info', destination: captureStream(logs) }), inMemoryDatabase: true });
  const app = await buildApp(container);
  await app.ready();
  const keys = {} as TestApp['keys'];
  for (const role of ROLES) {
    keys[role] = (await container.modules.keys.service.create({ id: 'test-setup', correlationId: null }, { name: unique(`replica-${role}`), role })).secret;
  }
  return {
    app,
    container,
    logs,
    keys,
    dataDir,
    as: (role) => ({ 'x-api-key': keys[role] }),
    async close() {
      await app.close();
      await container.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

describe.runIf(serverUrl !== undefined)('kill switch across replicas [postgres]', () => {
  let provisioned: ProvisionedDatabase;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    provisioned = await postgresTarget.provision();
    a = await openReplica(provisioned);
    b = await openReplica(provisioned);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await provisioned?.drop();
  });

  it('replica B denies every stopped agent once A executed the kill switch, and allows them again after the release', async () => {
    const tag = unique('ks-replicas');
    const ids = await Promise.all(Array.from({ length: 5 }, () => createAgent(a, { tags: [tag] })));
    // B has every agent cached as active (its decisions read agents through the cache).
    for (const id of ids) expect((await evaluateDecision(b, id)).decision).toBe('allow');

    const activationId = await activate(a, { tags: [tag] }, 'replica drill');
    const executedAt = performance.now();
    const pending = new Set(ids);
    while (pending.size > 0 && performance.now() - executedAt < DEADLINE_MS) {
      for (const id of [...pending]) {
        const answer = await evaluateDecision(b, id);
        if (answer.decision === 'deny') {
          expect(answer.violations).toEqual([expect.objectContaining({ rule: 'agent_status', detail: 'agent is suspended' })]);
          pending.delete(id);
        }
      }
      if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect([...pending], 'agents B still allowed 5 s after the kill switch on A').toEqual([]);

    expect((await release(a, activationId)).statusCode).toBe(200);
    const releasedAt = performance.now();
    let allowed = false;
    while (!allowed && performance.now() - releasedAt < DEADLINE_MS) {
      allowed = (await evaluateDecision(b, ids[0]!)).decision === 'allow';
      if (!allowed) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(allowed, 'B still denied 5 s after the release on A').toBe(true);
  });
});
