import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_POLICY_SOURCE } from '../../../src/modules/policies/default-policy.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';
import { createAgent, DAY, insertDecisions, insertGap, insertRuns, openIncident, testClock } from './fixtures.js';

for (const target of databaseTargets) {
  describe(`GET /api/v1/agents/{id}/trust [${target.name}]`, () => {
    const clock = testClock();
    const now = clock.start;
    let ctx: TestApp;
    beforeAll(async () => {
      ctx = await createTestApp(target, {}, { clock });
    });
    afterAll(async () => {
      await ctx?.close();
    });

    const trustOf = async (id: string, query = '') => {
      const response = await ctx.app.inject({ method: 'GET', url: `/api/v1/agents/${id}/trust${query}`, headers: ctx.as('viewer') });
      expect(response.statusCode, response.body).toBe(200);
      return response.json();
    };

    it('computes R, P, F, X, the score, grade and confidence from recorded data', async () => {
      const agent = await createAgent(ctx, { classification: 'confidential' });
      // In W (30 d): 20 runs, 18 successful; 10 decisions, 9 compliant.
      await insertRuns(ctx, agent.id, new Date(now.getTime() - 2 * DAY), 20, 18);
      await insertDecisions(ctx, agent.id, new Date(now.getTime() - DAY), 10, 9);
      // Outside W (31 d ago) or in the future: ignored.
      await insertRuns(ctx, agent.id, new Date(now.getTime() - 31 * DAY), 5, 0);
      await insertDecisions(ctx, agent.id, new Date(now.getTime() - 31 * DAY), 5, 0);
      await insertRuns(ctx, agent.id, new Date(now.getTime() + 60_000), 5, 0);
      // One open high incident (+0.25 risk), one open low incident and one resolved critical one (no effect).
      await openIncident(ctx, { kind: 'order_duplication', severity: 'high', agent_id: agent.id });
      await openIncident(ctx, { kind: 'noise', severity: 'low', agent_id: agent.id });
      const resolved = await openIncident(ctx, { kind: 'old', severity: 'critical', agent_id: agent.id });
      await ctx.app.inject({ method: 'POST', url: `/api/v1/incidents/${resolved.id}/resolve`, headers: ctx.as('operator'), payload: {} });
      // Freshness: the agent owns no stream (no contracts here); an open gap attributed to it counts as one unhealthy
      // unit, a resolved one not at all → F = 0/1.
      await insertGap(ctx, { contract: 'orders', agent_id: agent.id, detected_at: new Date(now.getTime() - DAY) });
      await insertGap(ctx, { contract: 'tickets', agent_id: agent.id, detected_at: new Date(now.getTime() - DAY), resolved_at: new Date(now.getTime() - 1000) });

      const trust = await trustOf(agent.id);
      // R = 18/20 = 0.9; P = 9/10 = 0.9; F = 0/1 = 0; X = 0.5 (confidential) + 0.25 = 0.75
      // TS = 100 × (0.30×0.9 + 0.30×0.9 + 0.25×0 + 0.15×0.25) = 100 × 0.5775 = 57.75 → 57.8 (fair)
      expect(trust).toMatchObject({
        agent_id: agent.id,
        window: '30d',
        at: now.toISOString(),
        from: new Date(now.getTime() - 30 * DAY).toISOString(),
        components: { reliability: 0.9, policy_adherence: 0.9, freshness: 0, risk_exposure: 0.75 },
        weights: { reliability: 0.3, policy_adherence: 0.3, freshness: 0.25, risk: 0.15 },
        inputs: {
          runs: 20,
          successful_runs: 18,
          decisions: 10,
          compliant_decisions: 9,
          owned_streams_and_contracts: 1,
          healthy_streams_and_contracts: 0,
          open_severe_incidents: 1,
          classification_risk_weight: 0.5,
        },
        score: 57.8,
        grade: 'fair',
        // signals = 20 + 10 = 30 → 0.6
        confidence: 0.6,
        signals: 30,
      });

      // Over 7 d the 31-day-old rows are still out, the same numbers hold.
      expect((await trustOf(agent.id, '?window=7d')).score).toBe(57.8);
      // Over 1 d only the decisions (1 day ago is at the boundary: (now − 1d, now] excludes it) → no runs, no decisions.
      // R excluded; P = 1, F = 0, X = 0.75 → 100 × (0.30 + 0 + 0.15×0.25) / 0.70 = 48.214… → 48.2
      const day = await trustOf(agent.id, '?window=1d');
      expect(day).toMatchObject({ score: 48.2, grade: 'critical', confidence: 0, components: { reliability: null } });
    });

    it('scores an agent without data 94.6 (internal) with confidence 0', async () => {
      const agent = await createAgent(ctx);
      // No runs: R excluded; P = 1, F = 1, X = 0.25 → 100 × (0.30 + 0.25 + 0.15×0.75) / 0.70 = 94.642… → 94.6
      const trust = await trustOf(agent.id);
      expect(trust).toMatchObject({ score: 94.6, grade: 'excellent', confidence: 0, signals: 0 });
      expect(trust.weights.reliability).toBe(0);
      expect(trust.weights.policy_adherence).toBeCloseTo(0.3 / 0.7, 12);
    });

    it("takes X from the active policy's classification risk weights", async () => {
      const agent = await createAgent(ctx, { classification: 'confidential' });
      await insertRuns(ctx, agent.id, new Date(now.getTime() - DAY), 4, 4);
      // Default policy: confidential weighs 0.5 → TS = 100 × (0.3 + 0.3 + 0.25 + 0.15 × 0.5) = 92.5
      expect(await trustOf(agent.id)).toMatchObject({ score: 92.5, components: { risk_exposure: 0.5 }, inputs: { classification_risk_weight: 0.5 } });

      const document = parse(DEFAULT_POLICY_SOURCE) as { classifications: Array<{ name: string; risk_weight: number }> };
      document.classifications = document.classifications.map((level) => (level.name === 'confidential' ? { ...level, risk_weight: 0.9 } : level));
      const put = await ctx.app.inject({ method: 'PUT', url: '/api/v1/policies', headers: ctx.as('operator'), payload: document });
      expect(put.statusCode, put.body).toBe(200);
      try {
        // confidential now weighs 0.9 → TS = 100 × (0.85 + 0.15 × 0.1) = 86.5
        expect(await trustOf(agent.id)).toMatchObject({ score: 86.5, components: { risk_exposure: 0.9 }, inputs: { classification_risk_weight: 0.9 } });
      } finally {
        const restore = await ctx.app.inject({ method: 'PUT', url: '/api/v1/policies', headers: ctx.as('operator'), payload: parse(DEFAULT_POLICY_SOURCE) });
        expect(restore.statusCode, restore.body).toBe(200);
      }
    });

    it('answers 404 for an unknown agent and 400 for a bad window', async () => {
      const missing = await ctx.app.inject({ method: 'GET', url: '/api/v1/agents/00000000-0000-4000-8000-000000000000/trust', headers: ctx.as('viewer') });
      expect(missing.statusCode).toBe(404);
      const agent = await createAgent(ctx);
      for (const window of ['0d', '366d', '30x', '9999h', '-1d']) {
        const response = await ctx.app.inject({ method: 'GET', url: `/api/v1/agents/${agent.id}/trust?window=${window}`, headers: ctx.as('viewer') });
        expect(response.statusCode, window).toBe(400);
        expect(response.headers['content-type']).toContain('application/problem+json');
      }
    });
  });
}
