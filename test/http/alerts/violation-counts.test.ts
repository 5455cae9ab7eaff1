import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECOUNT_MS, SETTLE_MS } from '../../../src/modules/alerts/violation-counts.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';
import { createRecordingSink } from '../../helpers/notification-sink.js';
import { createAgent, testClock } from '../trust/fixtures.js';

/**
 * violations rules keep their window counts between evaluations and only count what entered and left the window
 * (src/modules/alerts/violation-counts.ts). Each evaluation here must report what a count from scratch gives: the
 * expected values are counted by hand from the rows inserted, as the window slides over them.
 */
const SECOND = 1000;
const MINUTE = 60 * SECOND;

for (const target of databaseTargets) {
  describe(`violations rule window counts [${target.name}]`, () => {
    const clock = testClock();
    let ctx: TestApp;
    beforeAll(async () => {
      ctx = await createTestApp(target, {}, { role: 'api', clock, notificationSink: createRecordingSink(['default']) });
      const response = await ctx.app.inject({
        method: 'PUT',
        url: '/api/v1/alert-rules',
        headers: ctx.as('operator'),
        payload: {
          rules: [
            { name: 'pii', kind: 'violations', match: { rule: 'pii' }, threshold: 2, window: '5m', severity: 'high' },
            { name: 'denied', kind: 'violations', match: { decision: 'deny', tag: 'watched' }, threshold: 1, window: '5m', severity: 'warning' },
          ],
          route: { receiver: 'default', group_wait: '0s' },
        },
      });
      expect(response.statusCode, response.body).toBe(200);
    });
    afterAll(async () => {
      await ctx?.close();
    });

    const insertViolation = (agentId: string, at: Date, rule: string, decision: 'deny' | 'allow') =>
      ctx.container.db.query(
        `with d as (
           insert into decision (id, at, agent_id, action, resource, classification, decision, violations, max_severity, compliant, latency_us, policy_version, mode, facts)
           values ($1, $2, $3, 'read', 'crm', 'internal', $5, '[]'::jsonb, 'high', false, 1, 1, 'enforce', '{}'::jsonb)
           returning id, at, agent_id)
         insert into policy_violation (id, decision_id, at, agent_id, rule, severity, detail, decision, mode, policy_version)
         select $6, id, at, agent_id, $4, 'high', 'window test', $5, 'enforce', 1 from d`,
        [randomUUID(), at, agentId, rule, decision, randomUUID()],
      );
    /** The firing alerts' [rule, agent, value], sorted. */
    const firing = async () => {
      await ctx.container.modules.alerts.evaluate(randomUUID());
      const response = await ctx.app.inject({ method: 'GET', url: '/api/v1/alerts?status=firing&limit=200', headers: ctx.as('viewer') });
      const items = (response.json() as { items: Array<{ rule: string; labels: Record<string, string>; value: number }> }).items;
      return items.map((item) => [item.rule, item.labels.agent_id, item.value]).sort((a, b) => String(a).localeCompare(String(b)));
    };

    it('counts violations entering and leaving the window as a count from scratch would', async () => {
      const a = await createAgent(ctx, { name: 'window-a', tags: ['watched'] });
      const b = await createAgent(ctx, { name: 'window-b' });
      const t0 = clock.now();
      const at = (offsetMs: number) => new Date(t0.getTime() + offsetMs);
      // a: pii at 0s, 30s, 90s (deny), 210s; b: pii at 10s, 20s (allow); a: prompt_injection at 40s (deny).
      await insertViolation(a.id, at(0), 'pii', 'allow');
      await insertViolation(a.id, at(30 * SECOND), 'pii', 'allow');
      await insertViolation(b.id, at(10 * SECOND), 'pii', 'allow');
      await insertViolation(b.id, at(20 * SECOND), 'pii', 'allow');
      await insertViolation(a.id, at(40 * SECOND), 'prompt_injection', 'deny');
      clock.set(at(60 * SECOND));
      expect(await firing()).toEqual([
        ['denied', a.id, 1],
        ['pii', a.id, 2],
        ['pii', b.id, 2],
      ]);
      // A row stamped just now (within the settling time): counted at once.
      await insertViolation(a.id, at(90 * SECOND), 'pii', 'deny');
      clock.set(at(90 * SECOND));
      expect(await firing()).toEqual([
        ['denied', a.id, 2],
        ['pii', a.id, 3],
        ['pii', b.id, 2],
      ]);
      // Evaluations every 30 s in between: some count only what moved, some (every RECOUNT_MS) from scratch.
      for (let offset = 120 * SECOND; offset <= 270 * SECOND; offset += 30 * SECOND) {
        if (offset === 210 * SECOND) await insertViolation(a.id, at(offset), 'pii', 'allow');
        clock.set(at(offset));
        expect(await firing()).toEqual([
          ['denied', a.id, 2],
          ['pii', a.id, offset >= 210 * SECOND ? 4 : 3],
          ['pii', b.id, 2],
        ]);
      }
      // 5m + 5s: the first pii of a (0s) has left the window (still 3 with the one at 210s); 5m + 15s: b's first (10s) too.
      clock.set(at(5 * MINUTE + 5 * SECOND));
      expect(await firing()).toEqual([
        ['denied', a.id, 2],
        ['pii', a.id, 3],
        ['pii', b.id, 2],
      ]);
      clock.set(at(5 * MINUTE + 15 * SECOND));
      expect(await firing()).toEqual([
        ['denied', a.id, 2],
        ['pii', a.id, 3],
      ]);
      // 5m + 45s: a's pii at 30s and its prompt_injection at 40s have left too.
      clock.set(at(5 * MINUTE + 45 * SECOND));
      expect(await firing()).toEqual([
        ['denied', a.id, 1],
        ['pii', a.id, 2],
      ]);
      clock.set(at(8 * MINUTE));
      expect(await firing()).toEqual([]);
    });

    it('a violation committed later than the settling time after its timestamp is counted by the next full recount', async () => {
      const c = await createAgent(ctx, { name: 'window-c' });
      const t0 = clock.now();
      const at = (offsetMs: number) => new Date(t0.getTime() + offsetMs);
      await insertViolation(c.id, at(0), 'pii', 'allow');
      clock.set(at(SECOND));
      expect(await firing()).toEqual([]);
      clock.set(at(2 * SETTLE_MS));
      expect(await firing()).toEqual([]);
      // Stamped at 0.5 s but visible only now, behind the boundary the last evaluation settled (SETTLE_MS).
      await insertViolation(c.id, at(SECOND / 2), 'pii', 'allow');
      await insertViolation(c.id, at(2 * SETTLE_MS + SECOND), 'pii', 'allow');
      clock.set(at(2 * SETTLE_MS + 2 * SECOND));
      expect(await firing()).toEqual([['pii', c.id, 2]]);
      clock.set(at(RECOUNT_MS + SECOND));
      expect(await firing()).toEqual([['pii', c.id, 3]]);
    });
  });
}
