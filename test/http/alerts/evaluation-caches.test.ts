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
 * What alert evaluations keep between them: the receiver names (src/modules/receivers/receiver-names.ts) and the
 * active alert rules (alert-rules.service.ts), each dropped when a write to them commits on any replica. Two
 * replicas (two containers, each with its own caches) on one PostgreSQL database: what A writes, B's next reads
 * show — never what B kept. On PGlite (one process) the replica's own writes are checked. Both run as `api`: every
 * evaluation is the test's own call.
 */
type Replica = Pick<TestApp, 'app' | 'container' | 'as' | 'close'>;

async function openReplica({ url, snapshot }: ProvisionedDatabase): Promise<Replica> {
  const dataDir = mkdtempSync(join(tmpdir(), 'orca-evaluation-caches-'));
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

/** The replica's hits on a cache so far (orca_cache_requests_total). */
async function hits(replica: Replica, cache: 'receiver_names' | 'alert_rules'): Promise<number> {
  const metrics = await replica.app.inject({ method: 'GET', url: '/metrics' });
  return Number(new RegExp(`orca_cache_requests_total\\{cache="${cache}",result="hit"\\} (\\d+)`).exec(metrics.body)?.[1] ?? 0);
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
  describe(`what alert evaluations keep, across replicas [${target.name}]`, () => {
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
        const before = await hits(replica, 'receiver_names');
        expect(await names(replica)).toEqual([]);
        // The second read came from the kept list: what follows shows that list is dropped, not that it was never kept.
        expect(await hits(replica, 'receiver_names')).toBe(before + 1);
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

    it('evaluates with the rules it keeps, and with a document PUT on any replica from the next evaluation on', async () => {
      const [a] = replicas;
      const others = replicas.slice(1);
      // A high incident: the default rules' incident-opened fires on every replica's evaluation.
      const incident = await a!.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: a!.as('operator'), payload: { kind: 'outage', severity: 'high', title: 'CRM down' } });
      expect(incident.statusCode).toBe(201);
      for (const [index, replica] of replicas.entries()) {
        const before = await hits(replica, 'alert_rules');
        expect(await replica.container.modules.alerts.evaluate(`default-${index}`)).toMatchObject({ firing: 1 });
        expect(await replica.container.modules.alerts.evaluate(`default-again-${index}`)).toMatchObject({ firing: 1 });
        expect(await hits(replica, 'alert_rules')).toBeGreaterThan(before);
      }

      // A document without an incident rule: the alert of the rule that left the document resolves.
      const put = await a!.app.inject({
        method: 'PUT',
        url: '/api/v1/alert-rules',
        headers: a!.as('operator'),
        payload: {
          rules: [{ name: 'approvals', kind: 'approval_requested', severity: 'warning' }],
          route: { group_by: ['alertname'], group_wait: '0s', group_interval: '1m', repeat_interval: '4h' },
        },
      });
      expect(put.statusCode).toBe(200);
      expect(await a!.container.modules.alerts.evaluate('put-here')).toMatchObject({ firing: 0, resolved: 1 });
      for (const replica of others) {
        // Until the notification arrives, the other replica may still evaluate with the rules it kept (the alert
        // stays firing); then it resolves it.
        const deadline = performance.now() + 3000;
        let report = await replica.container.modules.alerts.evaluate('put-elsewhere');
        while (report.firing !== 0) {
          if (performance.now() > deadline) break;
          await new Promise((resolve) => setTimeout(resolve, 10));
          report = await replica.container.modules.alerts.evaluate('put-elsewhere');
        }
        expect(report).toMatchObject({ firing: 0 });
      }
    });
  });
}
