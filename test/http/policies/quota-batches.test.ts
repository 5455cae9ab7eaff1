import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';
import { evaluate, registerAgent } from './fixtures.js';

/**
 * How a batch of quota-counted calls is written (policy-decisions.writer.ts, writeWithinQuotas): far from the limits
 * in one statement that also records each call with the usage it would have seen counted alone; near a limit one by
 * one in a transaction (counted in orca_policy_quota_exact_total). Either way the result is the exact one.
 */
for (const target of databaseTargets) {
  describe(`quota-counted batches [${target.name}]`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(target);
    });
    afterAll(async () => {
      await t?.close();
    });

    async function quotaFor(agentId: string, quota: Record<string, unknown>): Promise<void> {
      const current = (await t.app.inject({ method: 'GET', url: '/api/v1/policies', headers: t.as('viewer') })).json() as { document: Record<string, unknown> };
      const put = await t.app.inject({ method: 'PUT', url: '/api/v1/policies', headers: t.as('operator'), payload: { ...current.document, quotas: { agents: { [agentId]: quota } } } });
      expect(put.statusCode).toBe(200);
    }

    async function exactCount(): Promise<number> {
      const metrics = (await t.app.inject({ method: 'GET', url: '/metrics', headers: t.as('admin') })).body;
      const match = /^orca_policy_quota_exact_total (\d+)$/m.exec(metrics);
      expect(match, 'orca_policy_quota_exact_total is exported').not.toBeNull();
      return Number(match![1]);
    }

    /** Each recorded decision and the usage it was judged on (its usage columns; facts keep no copy of it). */
    async function recordedUsage(agentId: string) {
      const { rows } = await t.container.db.query<{ decision: string; calls: number; tokens: number; cost_usd: number; facts_usage: boolean }>(
        "select decision, usage_calls as calls, usage_tokens as tokens, usage_cost_usd as cost_usd, facts ? 'usage' as facts_usage from decision where agent_id = $1",
        [agentId],
      );
      expect(rows.filter((row) => row.facts_usage)).toEqual([]);
      return rows.map(({ decision, calls, tokens, cost_usd }) => ({ decision, usage: { calls, tokens, cost_usd } }));
    }

    it('far from its limits, each call of a concurrent burst is counted once and recorded with the usage it saw', async () => {
      const agentId = await registerAgent(t, { role: 'analyst', classification: 'internal' });
      await quotaFor(agentId, { calls: 100, window: '1h', tokens_per_day: 10_000, cost_usd_per_day: 50 });
      const exactBefore = await exactCount();
      const request = { agent_id: agentId, action: 'read', resource: 'crm', classification: 'internal', tokens: 10, cost_usd: 0.25 };
      const results = await Promise.all(Array.from({ length: 12 }, () => evaluate(t, request)));
      expect(results.map((result) => [result.status, result.body.decision])).toEqual(Array.from({ length: 12 }, () => [200, 'allow']));

      const usage = await t.container.db.query<{ calls: string; tokens: string; cost_usd: string }>(
        'select calls::text, tokens::text, cost_usd::text from policy_quota_usage where agent_id = $1',
        [agentId],
      );
      expect(usage.rows.map((row) => [Number(row.calls), Number(row.tokens), Number(row.cost_usd)])).toEqual([[12, 120, 3]]);
      // Counted one at a time, the calls would have seen 1..12 calls, 10..120 tokens and 0.25..3.00 USD: whatever
      // the batches were, each usage is seen exactly once.
      const rows = await recordedUsage(agentId);
      expect(rows.map((row) => row.decision)).toEqual(Array.from({ length: 12 }, () => 'allow'));
      const seen = rows.map((row) => row.usage).sort((x, y) => x.calls - y.calls);
      expect(seen).toEqual(Array.from({ length: 12 }, (_, index) => ({ calls: index + 1, tokens: 10 * (index + 1), cost_usd: 0.25 * (index + 1) })));
      expect(await exactCount()).toBe(exactBefore);
    });

    it('near its limit, the calls are judged one by one: exactly the limit is allowed', async () => {
      const agentId = await registerAgent(t, { role: 'analyst', classification: 'internal' });
      await quotaFor(agentId, { calls: 5, window: '1h' });
      const exactBefore = await exactCount();
      const request = { agent_id: agentId, action: 'read', resource: 'crm', classification: 'internal' };
      const results = await Promise.all(Array.from({ length: 8 }, () => evaluate(t, request)));
      expect(results.map((result) => result.body.decision).sort()).toEqual(['allow', 'allow', 'allow', 'allow', 'allow', 'deny', 'deny', 'deny']);
      const usage = await t.container.db.query<{ calls: string }>('select calls::text from policy_quota_usage where agent_id = $1', [agentId]);
      expect(usage.rows).toEqual([{ calls: '5' }]);
      const rows = await recordedUsage(agentId);
      expect(rows.filter((row) => row.decision === 'allow').map((row) => row.usage.calls).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5]);
      expect(rows.filter((row) => row.decision === 'deny')).toHaveLength(3);
      // At least the batch that crossed the limit, and every call after it, went the exact way.
      expect(await exactCount()).toBeGreaterThanOrEqual(exactBefore + 3);
    });

    it('a cost total within a millionth of a dollar of its limit is judged exactly: reaching the limit is allowed', async () => {
      const agentId = await registerAgent(t, { role: 'analyst', classification: 'internal' });
      await quotaFor(agentId, { cost_usd_per_day: 1 });
      const request = { agent_id: agentId, action: 'read', resource: 'llm', classification: 'internal' };
      const exactBefore = await exactCount();
      expect((await evaluate(t, { ...request, cost_usd: 0.5 })).body.decision).toBe('allow'); // 0.5: one statement
      expect(await exactCount()).toBe(exactBefore);
      expect((await evaluate(t, { ...request, cost_usd: 0.5 })).body.decision).toBe('allow'); // 1.0: at the limit, exact
      expect(await exactCount()).toBe(exactBefore + 1);
      const over = await evaluate(t, { ...request, cost_usd: 0.01 }); // 1.01: over it, exact, refused
      expect(over.body).toMatchObject({ decision: 'deny', violations: [{ rule: 'quota_cost', detail: '1.01 USD today exceeds 1' }] });
      expect(await exactCount()).toBe(exactBefore + 2);
      const usage = await t.container.db.query<{ cost_usd: string }>('select cost_usd::text from policy_quota_usage where agent_id = $1', [agentId]);
      expect(Number(usage.rows[0]!.cost_usd)).toBe(1);
      const rows = await recordedUsage(agentId);
      expect(rows.map((row) => [row.decision, row.usage.cost_usd]).sort()).toEqual([
        ['allow', 0.5],
        ['allow', 1],
        ['deny', 1.01],
      ]);
    });
  });
}
