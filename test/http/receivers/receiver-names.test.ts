import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { createContainer } from '../../../src/container.js';
import { loadConfig } from '../../../src/platform/config/load.js';
import { createLogger } from '../../../src/platform/telemetry/logger.js';
import type { TestApp } from '../../helpers/app.js';
import { databaseTargets, type ProvisionedDatabase } from '../../helpers/db.js';

/**
 * Every alert evaluation reads the receiver names; each replica keeps them (src/modules/receivers/receiver-names.ts)
 * and drops them when a receiver is created, renamed or deleted on any replica. Two replicas (two containers, each
 * with its own cache) on one PostgreSQL database: what A writes, B's next reads show — never the list B kept. On
 * PGlite (one process) the replica's own writes are checked. Both run as `api`: nothing else reads meanwhile.
 */
type Replica = Pick<TestApp, 'app' | 'container' | 'as' | 'close'>;

async function openReplica({ url, snapshot }: ProvisionedDatabase): Promise<Replica> {
  const dataDir = mkdtempSync(join(tmpdir(), 'orca-receiver-names-'));
  const config = loadConfig(
    { ORCA_DATA_DIR: dataDir, LOG_LEVEL: 'silent', RATE_LIMIT_MAX: '1000000', OUTBOUND_ALLOW_CIDRS: '127.0.0.0/8', ...(url ? { DATABASE_URL: url } : {}) },
    dataDir,
  );
  const container = await createContainer(config, { logger: createLogger({ level: 'silent' }), inMemoryDatabase: true, databaseSnapshot: snapshot, role: 'api' });
  const app = await buildApp(container);
  await app.ready();
  const admin = (await container.modules.keys.service.create({ id: 'test-setup', correlationId: null }, { name: `replica-admin-${Math.random()}`, role: 'admin' })).secret;
  return {
    app,
    container,
    as: () => ({ 'x-api-key': admin }),
    async close() {
      await app.close();
      await container.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const names = (replica: Replica) => replica.container.modules.receivers.sink.receiverNames();

/** The replica's hits on the receiver-name cache so far (orca_cache_requests_total). */
async function hits(replica: Replica): Promise<number> {
  const metrics = await replica.app.inject({ method: 'GET', url: '/metrics' });
  return Number(/orca_cache_requests_total\{cache="receiver_names",result="hit"\} (\d+)/.exec(metrics.body)?.[1] ?? 0);
}

/** Resolves once the replica's names are `expected` (the invalidation travels by NOTIFY); fails after 3 s. */
async function namesBecome(replica: Replica, expected: string[]): Promise<void> {
  const deadline = performance.now() + 3000;
  while (JSON.stringify(await names(replica)) !== JSON.stringify(expected)) {
    if (performance.now() > deadline) expect(await names(replica)).toEqual(expected);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

for (const target of databaseTargets) {
  describe(`receiver names across replicas [${target.name}]`, () => {
    let provisioned: ProvisionedDatabase;
    const replicas: Replica[] = [];
    beforeAll(async () => {
      provisioned = await target.provision();
      replicas.push(await openReplica(provisioned));
      if (target.name === 'postgres') replicas.push(await openReplica(provisioned));
    });
    afterAll(async () => {
      for (const replica of replicas) await replica.close();
      await provisioned?.drop();
    });

    it('serves the names from the list it keeps, and shows a receiver created, renamed or deleted at once here and on every replica', async () => {
      const [a] = replicas;
      const others = replicas.slice(1);
      for (const replica of replicas) {
        expect(await names(replica)).toEqual([]);
        const before = await hits(replica);
        expect(await names(replica)).toEqual([]);
        // The second read came from the kept list: what follows shows that list is dropped, not that it was never kept.
        expect(await hits(replica)).toBe(before + 1);
      }

      const created = await a!.app.inject({ method: 'POST', url: '/api/v1/receivers', headers: a!.as('admin'), payload: { name: 'pager', kind: 'webhook', url: 'http://127.0.0.1:9/pager' } });
      expect(created.statusCode).toBe(201);
      const id = (created.json() as { id: string }).id;
      // The writing replica drops its list when its own write ends, before the notification comes back.
      expect(await names(a!)).toEqual(['pager']);
      for (const replica of others) await namesBecome(replica, ['pager']);

      const renamed = await a!.app.inject({ method: 'PATCH', url: `/api/v1/receivers/${id}`, headers: a!.as('admin'), payload: { name: 'on-call' } });
      expect(renamed.statusCode).toBe(200);
      expect(await names(a!)).toEqual(['on-call']);
      for (const replica of others) await namesBecome(replica, ['on-call']);

      const deleted = await a!.app.inject({ method: 'DELETE', url: `/api/v1/receivers/${id}`, headers: a!.as('admin') });
      expect(deleted.statusCode).toBe(204);
      expect(await names(a!)).toEqual([]);
      for (const replica of others) await namesBecome(replica, []);
    });
  });
}
