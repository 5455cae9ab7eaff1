import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';
import { createAgent, DAY, insertGap, testClock } from '../trust/fixtures.js';

const HOUR = 3_600_000;

for (const target of databaseTargets) {
  describe(`GET /api/v1/reports/drift [${target.name}]`, () => {
    const clock = testClock();
    const now = clock.start;
    const ago = (ms: number) => new Date(now.getTime() - ms);
    let ctx: TestApp;
    let ownerA: { id: string; name: string };
    let ownerB: { id: string; name: string };
    beforeAll(async () => {
      ctx = await createTestApp(target, {}, { clock });
      ownerA = await createAgent(ctx, { name: 'drift-owner-a' });
      ownerB = await createAgent(ctx, { name: 'drift-owner-b' });
      // In the 7-day window:
      // G1 missing_record/high, orders, A: resolved automatically 12 h after detection, before its due time → $1500 avoided.
      await insertGap(ctx, { type: 'missing_record', severity: 'high', contract: 'orders', agent_id: ownerA.id, detected_at: ago(2 * DAY), due_at: ago(DAY), resolved_at: ago(1.5 * DAY), resolution: 'auto', cost_usd: 1500 });
      // G2 missing_record/critical, orders, A: still open → $1500 open.
      await insertGap(ctx, { type: 'missing_record', severity: 'critical', contract: 'orders', agent_id: ownerA.id, detected_at: ago(DAY), due_at: ago(12 * HOUR), cost_usd: 1500 });
      // G3 stale/medium, tickets, B: resolved by hand a day after detection, after its due time → nothing avoided.
      await insertGap(ctx, { type: 'stale', severity: 'medium', contract: 'tickets', agent_id: ownerB.id, detected_at: ago(3 * DAY), due_at: ago(2.5 * DAY), resolved_at: ago(2 * DAY), resolution: 'manual', cost_usd: 5000 });
      // G4 field_drift/low, orders, no owner: withdrawn (its rule was removed).
      await insertGap(ctx, {
        type: 'field_drift',
        severity: 'low',
        contract: 'orders',
        detected_at: ago(6 * DAY),
        resolved_at: ago(5 * DAY),
        resolution: 'auto',
        cost_usd: 800,
        detail: { closed_because: 'rule_removed' },
      });
      // Before the window, still open: only in open_at_end.
      await insertGap(ctx, { type: 'duplicate', severity: 'low', contract: 'orders', detected_at: ago(10 * DAY), cost_usd: 100 });
    });
    afterAll(async () => {
      await ctx?.close();
    });

    const get = (query: string, role: 'viewer' | 'ingest' = 'viewer') =>
      ctx.app.inject({ method: 'GET', url: `/api/v1/reports/drift${query}`, headers: ctx.as(role) });

    it('counts the window\'s gaps by kind, contract and owner agent, with their cost (hand-computed)', async () => {
      const response = await get('?window=7d');
      expect(response.statusCode).toBe(200);
      const report = response.json();
      expect(report).toMatchObject({ window: '7d', from: ago(7 * DAY).toISOString(), to: now.toISOString(), generated_at: now.toISOString() });
      expect(report.totals).toEqual({
        detected: 4,
        open: 1,
        resolved: 2,
        resolved_auto: 1,
        withdrawn: 1,
        by_severity: { low: 1, medium: 1, high: 1, critical: 1 },
        cost_usd: 8800,
        avoided_usd: 1500,
        open_cost_usd: 1500,
        // (12 h + 24 h) / 2
        mean_time_to_resolve_seconds: 64_800,
      });
      expect(report.open_at_end).toEqual({ count: 2, cost_usd: 1600 });
      expect(report.by_kind.map((kind: { type: string; detected: number; cost_usd: number }) => [kind.type, kind.detected, kind.cost_usd])).toEqual([
        ['missing_record', 2, 3000],
        ['stale', 1, 5000],
        ['field_drift', 1, 800],
      ]);
      expect(report.by_kind[0]).toMatchObject({ open: 1, resolved: 1, resolved_auto: 1, avoided_usd: 1500, open_cost_usd: 1500, mean_time_to_resolve_seconds: 43_200 });
      expect(report.by_contract.map((c: { contract: string; detected: number; cost_usd: number }) => [c.contract, c.detected, c.cost_usd])).toEqual([
        ['orders', 3, 3800],
        ['tickets', 1, 5000],
      ]);
      expect(report.by_owner_agent.map((a: { agent_id: string | null; agent_name: string | null; detected: number }) => [a.agent_id, a.agent_name, a.detected])).toEqual([
        [ownerA.id, 'drift-owner-a', 2],
        [ownerB.id, 'drift-owner-b', 1],
        [null, null, 1],
      ]);
      expect(report.groups_omitted).toEqual({ by_contract: 0, by_owner_agent: 0 });
    });

    it('renders Markdown, CSV and HTML from the same figures', async () => {
      const md = await get('?window=7d&format=md');
      expect(md.headers['content-type']).toBe('text/markdown; charset=utf-8');
      expect(md.body).toContain('4 gaps detected: 2 resolved (1 automatically), 1 still open, 1 withdrawn; $8,800.00 at stake, $1,500.00 avoided.');
      expect(md.body).toContain('| orders | 3 | 1 | 1 | 1 | 1 | 2 | $3,800.00 | $1,500.00 | $1,500.00 | 12 h |');
      expect(md.body).toContain('| (unattributed) | 1 | 0 | 0 | 0 | 1 | 0 | $800.00 | $0.00 | $0.00 | — |');

      const csv = await get('?window=7d&format=csv');
      expect(csv.headers['content-disposition']).toBe('attachment; filename="orca-drift-report.csv"');
      const lines = csv.body.split('\r\n');
      expect(lines[0]).toBe('section,item,detected,open,resolved,resolved_auto,withdrawn,low,medium,high,critical,cost_usd,avoided_usd,open_cost_usd,mean_time_to_resolve_seconds');
      expect(lines[1]).toBe('total,,4,1,2,1,1,1,1,1,1,8800,1500,1500,64800');
      expect(lines).toContain(`owner_agent,${ownerB.id},1,0,1,0,0,0,1,0,0,5000,0,0,86400`);

      const html = await get('?window=7d&format=html');
      expect(html.headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-/);
      expect(html.body).toContain('<td>drift-owner-a</td><td class="n">2</td>');
    });

    it('a shorter window leaves older gaps out', async () => {
      const report = (await get('?window=36h')).json();
      // Only G2 (1 day ago) is within 36 hours; G1 was detected 2 days ago.
      expect(report.totals).toMatchObject({ detected: 1, open: 1, cost_usd: 1500 });
    });

    it('refuses a window outside 1h–365d with a 400, and callers without a reader key', async () => {
      const bad = await get('?window=400d');
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors).toEqual([{ path: '/querystring/window', message: 'must be between 1h and 365d, e.g. 30d' }]);
      expect((await get('', 'ingest')).statusCode).toBe(403);
      expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/reports/drift' })).statusCode).toBe(401);
    });
  });
}
