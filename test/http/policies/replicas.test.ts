import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { createContainer, type Container } from '../../../src/container.js';
import { loadConfig } from '../../../src/platform/config/load.js';
import { createLogger } from '../../../src/platform/telemetry/logger.js';
import { captureStream, type TestApp } from '../../helpers/app.js';
import { databaseTargets, type DatabaseTarget, type ProvisionedDatabase } from '../../helpers/db.js';
import { evaluate, registerAgent } from './fixtures.js';

/**
 * Two replicas (two containers, each with its own caches) on one PostgreSQL database: a policy PUT on A is what B
 * evaluates with within a second, and quotas hold across both. On PGlite (single process) the quota part runs on
 * one app. The clock is fixed so that no quota window rolls over during a test.
 */

const CLASSES = ['public', 'internal', 'confidential', 'restricted', 'critical'];
const NOW = new Date('2026-03-04T10:20:30.000Z');
const fixedClock = { now: () => new Date(NOW) };

interface Replica extends TestApp {
  dataDir: string;
}

async function openReplica({ url, snapshot }: ProvisionedDatabase): Promise<Replica> {
  const dataDir = mkdtempSync(join(tmpdir(), 'orca-policy-'));
  const config = loadConfig({ ORCA_DATA_DIR: dataDir, LOG_LEVEL: 'info', RATE_LIMIT_MAX: '1000000', ...(url ? { DATABASE_URL: url } : {}) }, dataDir);
  const logs: Array<Record<string, unknown>> = [];
  const container: Container = await createContainer(config, { logger: createLogger({ level: 'info', destination: captureStream(logs) }), inMemoryDatabase: true, databaseSnapshot: snapshot, clock: fixedClock });
  const app: FastifyInstance = await buildApp(container);
  await app.ready();
  const keys = {} as TestApp['keys'];
  for (const role of ['viewer', 'operator', 'admin', 'ingest'] as const) {
    keys[role] = (await container.modules.keys.service.create({ id: 'test-setup', correlationId: null }, { name: `replica-${role}-${Math.random()}`, role })).secret;
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

function policyWith(extra: Record<string, unknown>) {
  return {
    classifications: CLASSES.map((name, index) => ({ name, risk_weight: index / 4 })),
    default_role: 'worker',
    roles: { worker: { classifications: ['*'], actions: ['read', 'write'] } },
    ...extra,
  };
}

async function putPolicy(replica: Replica, document: unknown): Promise<number> {
  const response = await replica.app.inject({ method: 'PUT', url: '/api/v1/policies', headers: replica.as('operator'), payload: document as Record<string, unknown> });
  expect(response.statusCode).toBe(200);
  return (response.json() as { version: number }).version;
}

/** Resolves once the replica evaluates with `version` (the invalidation travels by NOTIFY). */
async function policyInForce(replica: Replica, version: number): Promise<void> {
  const deadline = performance.now() + 3000;
  while ((await replica.container.modules.policies.service.activePolicy()).version !== version) {
    if (performance.now() > deadline) throw new Error(`replica did not see policy version ${version} within 3 s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

for (const target of databaseTargets) {
  describe(`policies across replicas [${target.name}]`, () => {
    let provisioned: ProvisionedDatabase;
    let a: Replica;
    let b: Replica;

    beforeAll(async () => {
      provisioned = await (target as DatabaseTarget).provision();
      a = await openReplica(provisioned);
      // PGlite is one process: the "second replica" is the same app.
      b = target.name === 'postgres' ? await openReplica(provisioned) : a;
    });
    afterAll(async () => {
      if (b !== a) await b?.close();
      await a?.close();
      await provisioned?.drop();
    });

    it.runIf(target.name === 'postgres')('a policy PUT on replica A is what replica B evaluates with within 1 s', async () => {
      const agentId = await registerAgent(a, { role: 'worker', classification: 'critical' });
      const request = { agent_id: agentId, action: 'read', resource: 'crm', classification: 'internal' };
      // B has compiled and cached the policy in force.
      const before = await evaluate(b, request);
      const cachedVersion = before.body.policy_version;
      expect((await evaluate(b, request)).body.policy_version).toBe(cachedVersion);

      const version = await putPolicy(a, policyWith({ roles: { worker: { classifications: ['*'], actions: ['write'] } } }));
      const changedAt = performance.now();
      expect((await evaluate(a, request)).body).toMatchObject({ policy_version: version, decision: 'deny' });

      let seenAfter: number | undefined;
      while (performance.now() - changedAt < 3000) {
        const { body } = await evaluate(b, request);
        if (body.policy_version === version) {
          expect(body).toMatchObject({ decision: 'deny', violations: [{ rule: 'role_action' }] });
          seenAfter = performance.now() - changedAt;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(seenAfter, 'B still used the old policy 3 s after the PUT on A').toBeDefined();
      expect(seenAfter!).toBeLessThan(1000);
    });

    it('a call quota holds across replicas: exactly the limit is allowed under concurrent load', async () => {
      const agentId = await registerAgent(a, { role: 'worker', classification: 'critical' });
      await policyInForce(b, await putPolicy(a, policyWith({ quotas: { agents: { [agentId]: { calls: 10, window: '1h' } } } })));
      const request = { agent_id: agentId, action: 'read', resource: 'crm', classification: 'internal' };
      const results = await Promise.all(Array.from({ length: 30 }, (_, index) => evaluate(index % 2 === 0 ? a : b, request)));
      const allowed = results.filter((result) => result.body.decision === 'allow');
      const denied = results.filter((result) => result.body.decision === 'deny');
      expect(results.filter((result) => result.status !== 200).map((result) => result.body)).toEqual([]);
      expect(allowed).toHaveLength(10);
      expect(denied).toHaveLength(20);
      // Under contention a refused call may see others' not-yet-returned attempts (11 or more), never 10 or fewer.
      for (const result of denied) {
        expect(result.body.violations).toEqual([{ rule: 'quota_calls', severity: 'medium', detail: expect.stringMatching(/^(1[1-9]|[2-9]\d) calls in the 3600 s window exceed 10$/) }]);
      }
      // Refused calls do not consume the quota: the counter stops at the limit.
      const { rows } = await a.container.db.query<{ calls: number }>("select calls from policy_quota_usage where agent_id = $1", [agentId]);
      expect(rows).toEqual([{ calls: 10 }]);
      // Every call is in the decision log (quota and decision share one transaction per batch), with the usage it
      // was judged on: the allowed calls counted 1 to 10, each once; every denial recorded as a violation.
      const decisions = await a.container.db.query<{ id: string; decision: string; calls: string }>(
        "select id, decision, usage_calls as calls from decision where agent_id = $1",
        [agentId],
      );
      expect(decisions.rows.map((row) => row.id).sort()).toEqual(results.map((result) => result.body.decision_id).sort());
      expect(decisions.rows.filter((row) => row.decision === 'allow').map((row) => Number(row.calls)).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      const violations = await a.container.db.query<{ rule: string; count: number }>(
        'select rule, count(*)::int as count from policy_violation where agent_id = $1 group by rule',
        [agentId],
      );
      expect(violations.rows).toEqual([{ rule: 'quota_calls', count: 20 }]);
    });

    it('token and cost quotas per day', async () => {
      const agentId = await registerAgent(a, { role: 'worker', classification: 'critical' });
      await policyInForce(b, await putPolicy(a, policyWith({ quotas: { agents: { [agentId]: { tokens_per_day: 1000, cost_usd_per_day: 1.5 } } } })));
      const request = { agent_id: agentId, action: 'read', resource: 'llm', classification: 'internal' };
      expect((await evaluate(a, { ...request, tokens: 400, cost_usd: 0.5 })).body.decision).toBe('allow');
      expect((await evaluate(b, { ...request, tokens: 600, cost_usd: 0.5 })).body.decision).toBe('allow');
      const overTokens = await evaluate(a, { ...request, tokens: 1, cost_usd: 0 });
      expect(overTokens.body).toMatchObject({ decision: 'deny', violations: [{ rule: 'quota_tokens', detail: '1001 tokens today exceed 1000' }] });
      expect((await evaluate(b, { ...request, tokens: 0, cost_usd: 0.5 })).body.decision).toBe('allow');
      const overCost = await evaluate(a, { ...request, tokens: 0, cost_usd: 0.01 });
      expect(overCost.body).toMatchObject({ decision: 'deny', violations: [{ rule: 'quota_cost', detail: '1.51 USD today exceeds 1.5' }] });
    });
  });
}
