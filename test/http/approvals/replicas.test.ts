import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { createContainer } from '../../../src/container.js';
import { loadConfig } from '../../../src/platform/config/load.js';
import { createLogger } from '../../../src/platform/telemetry/logger.js';
import { captureStream, type TestApp } from '../../helpers/app.js';
import { databaseTargets, type ProvisionedDatabase } from '../../helpers/db.js';
import { waitFor } from '../../helpers/jobs.js';
import { askTransfer, decideApproval, readApproval, registerPayer } from './fixtures.js';

/**
 * Two replicas (two containers) on one PostgreSQL database, as behind a load balancer: an agent long-polls on one
 * while an operator approves on the other, and the poll answers at once (the decision's NOTIFY wakes the waiters
 * of every replica); the approval is used once across both. PGlite serves one process, so this is PostgreSQL only.
 */
async function openReplica(provisioned: ProvisionedDatabase, keys?: TestApp['keys']): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'orca-approvals-'));
  const config = loadConfig({ ORCA_DATA_DIR: dataDir, LOG_LEVEL: 'info', RATE_LIMIT_MAX: '1000000', DATABASE_URL: provisioned.url! }, dataDir);
  const container = await createContainer(config, { logger: createLogger({ level: 'info', destination: captureStream([]) }), inMemoryDatabase: true });
  const app = await buildApp(container);
  await app.ready();
  const own = keys ?? ({} as TestApp['keys']);
  if (!keys) {
    for (const role of ['viewer', 'operator', 'admin', 'ingest'] as const) {
      own[role] = (await container.modules.keys.service.create({ id: 'test-setup', correlationId: null }, { name: `replica-${role}`, role })).secret;
    }
  }
  return {
    app,
    container,
    logs: [],
    keys: own,
    as: (role) => ({ 'x-api-key': own[role] }),
    async close() {
      await app.close();
      await container.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const postgres = databaseTargets.find((candidate) => candidate.name === 'postgres');

// Skipped, and said so, without ORCA_TEST_DATABASE_URL (CI sets it).
describe.skipIf(postgres === undefined)('approvals across two replicas [postgres]', () => {
  let provisioned: ProvisionedDatabase;
  let a: TestApp;
  let b: TestApp;
  let agent: string;
  beforeAll(async () => {
    provisioned = await postgres!.provision();
    a = await openReplica(provisioned);
    // The same keys: they are rows of the shared database.
    b = await openReplica(provisioned, a.keys);
    agent = await registerPayer(a);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await provisioned?.drop();
  });

  const waitersOn = async (replica: TestApp) => {
    const text = (await replica.app.inject({ method: 'GET', url: '/metrics' })).body;
    return Number(/^orca_approval_waiters (\d+)/m.exec(text)?.[1] ?? NaN);
  };

  it('a long-poll on one replica answers as soon as the other records the decision', async () => {
    const id = (await askTransfer(a, agent)).body.approval!.id;
    const poll = readApproval(a, id, a.as('ingest'), '?wait=25s');
    await waitFor(() => waitersOn(a), (count) => count === 1);
    expect((await decideApproval(b, id, 'approve')).body).toMatchObject({ status: 'approved' });
    // Woken by the notification: the waiter is gone well within the 25 s it would otherwise wait.
    await waitFor(() => waitersOn(a), (count) => count === 0, 15_000);
    const answered = await poll;
    expect(answered.body).toMatchObject({ id, status: 'approved' });
  });

  it('uses an approval once across replicas', async () => {
    const id = (await askTransfer(a, agent)).body.approval!.id;
    await decideApproval(b, id, 'approve');
    const results = await Promise.all([a, b, a, b].map((replica) => askTransfer(replica, agent, { approval_id: id })));
    expect(results.map((result) => result.body.decision).sort()).toEqual(['allow', 'deny', 'deny', 'deny']);
  });
});
