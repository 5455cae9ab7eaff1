import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';
import { createAgent, DAY, insertDecisions, insertRuns, testClock } from './fixtures.js';

const HOUR = 3_600_000;

for (const target of databaseTargets) {
  describe(`daily rollups agree with recompute-from-scratch [${target.name}]`, () => {
    const clock = testClock();
    const now = clock.start;
    let ctx: TestApp;
    let agents: Array<{ id: string }>;
    beforeAll(async () => {
      ctx = await createTestApp(target, { PLATFORM_COST_USD_MONTHLY: '1000' }, { clock });
      agents = [await createAgent(ctx, { classification: 'confidential' }), await createAgent(ctx, { classification: 'public' })];
      // 45 days of data, a few hours apart each day so that both window edges cut through days with rows.
      for (let day = 0; day < 45; day += 1) {
        for (const [index, agent] of agents.entries()) {
          const at = new Date(now.getTime() - day * DAY - (index * 7 + 1) * HOUR);
          await insertRuns(ctx, agent.id, at, 3 + (day % 4), 1 + ((day + index) % 3));
          await insertDecisions(ctx, agent.id, new Date(at.getTime() - 30 * 60_000), 2 + (day % 3), 1 + (day % 2), 250);
        }
        await insertDecisions(ctx, null, new Date(now.getTime() - day * DAY - 13 * HOUR), 2, 1, 100);
      }
    });
    afterAll(async () => {
      await ctx?.close();
    });

    const windows = ['1h', '5h', '1d', '2d', '7d', '30d', '44d', '365d'];

    it('gives the same KPIs and agent trust from the rollups as from the raw rows, for every window', async () => {
      const service = ctx.container.modules.trust.service;
      const computed = await service.refreshRollups();
      expect(computed).toHaveLength(400);
      const { rows } = await ctx.container.db.query<{ count: number }>('select count(*)::int as count from trust_rollup_day');
      expect(rows[0]!.count).toBeGreaterThan(80);
      for (const window of windows) {
        expect(await service.kpis(window), window).toEqual(await service.kpis(window, undefined, { raw: true }));
        for (const agent of agents) {
          expect(await service.agentTrust(agent.id, window), `${window} ${agent.id}`).toEqual(await service.agentTrust(agent.id, window, { raw: true }));
        }
      }
    });

    it('recomputes a closed day that received late runs, and only refreshes what changed', async () => {
      const service = ctx.container.modules.trust.service;
      clock.advance(60_000);
      try {
        // 10 failed runs that started 10 days ago arrive now: the rolled-up day no longer matches the raw rows …
        await insertRuns(ctx, agents[0]!.id, new Date(now.getTime() - 10 * DAY), 10, 0, clock.now());
        const stale = await service.kpis('30d');
        const raw = await service.kpis('30d', undefined, { raw: true });
        expect(stale.kpis.trust_score).not.toEqual(raw.kpis.trust_score);
        // … until the next refresh, which recomputes that day (and the two latest closed days) only.
        const refreshed = await service.refreshRollups();
        const lateDay = new Date(now.getTime() - 10 * DAY).toISOString().slice(0, 10);
        expect(refreshed).toContain(lateDay);
        expect(refreshed.length).toBeLessThanOrEqual(3);
        for (const window of windows) {
          expect(await service.kpis(window), window).toEqual(await service.kpis(window, undefined, { raw: true }));
        }
      } finally {
        clock.set(now);
      }
    });
  });
}
