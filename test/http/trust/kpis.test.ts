import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';
import { createAgent, DAY, insertDecisions, insertEvents, insertGap, insertRuns, openIncident, testClock } from './fixtures.js';

for (const target of databaseTargets) {
  describe(`GET /api/v1/kpis on an empty organisation [${target.name}]`, () => {
    const clock = testClock();
    let ctx: TestApp;
    beforeAll(async () => {
      ctx = await createTestApp(target, {}, { clock });
    });
    afterAll(async () => {
      await ctx?.close();
    });

    it('answers defined values: null with band no_data for ratios, 0 for RA$, not_configured ROI', async () => {
      const response = await ctx.app.inject({ method: 'GET', url: '/api/v1/kpis', headers: ctx.as('viewer') });
      expect(response.statusCode).toBe(200);
      expect(response.body).not.toMatch(/NaN|undefined|"value":"/);
      const body = response.json();
      expect(body).toMatchObject({ window: '30d', window_ms: 30 * DAY, at: clock.start.toISOString() });
      const { kpis } = body;
      for (const name of ['trust_score', 'sync_freshness', 'drift_rate', 'compliance_sla', 'self_resolution']) {
        expect(kpis[name], name).toMatchObject({ value: null, numerator: 0, denominator: 0, band: 'no_data', window: '30d' });
      }
      expect(kpis.risk_avoided).toMatchObject({ value: 0, numerator: 0, denominator: null, band: null });
      expect(kpis.roi).toMatchObject({ value: null, denominator: null, band: 'not_configured' });
    });

    it('answers an empty history page', async () => {
      const response = await ctx.app.inject({ method: 'GET', url: '/api/v1/kpis/history', headers: ctx.as('viewer') });
      expect(response.json()).toEqual({ items: [], next_cursor: null });
    });

    it('refuses a bad window with 400', async () => {
      for (const window of ['0h', '400d', 'month', '30']) {
        const response = await ctx.app.inject({ method: 'GET', url: `/api/v1/kpis?window=${window}`, headers: ctx.as('viewer') });
        expect(response.statusCode, window).toBe(400);
      }
    });
  });

  describe(`GET /api/v1/kpis on a hand-computed scenario [${target.name}]`, () => {
    const clock = testClock();
    const now = clock.start;
    const ago = (ms: number) => new Date(now.getTime() - ms);
    let ctx: TestApp;
    beforeAll(async () => {
      ctx = await createTestApp(target, { PLATFORM_COST_USD_MONTHLY: '3000' }, { clock });
      const a = await createAgent(ctx, { classification: 'public' });
      const b = await createAgent(ctx, { classification: 'internal' });
      const c = await createAgent(ctx, { classification: 'critical' });
      const d = await createAgent(ctx, { classification: 'public' });
      await ctx.app.inject({ method: 'POST', url: `/api/v1/agents/${d.id}/suspend`, headers: ctx.as('operator'), payload: { reason: 'test' } });
      // A: R = 10/10, P = 40/40, F = 1, X = 0 → 100
      await insertRuns(ctx, a.id, ago(DAY), 10, 10);
      await insertDecisions(ctx, a.id, ago(DAY), 40, 40);
      // B: R = 5/10, no decisions (P = 1), F = 1, X = 0.25 → 100 × (0.15 + 0.30 + 0.25 + 0.1125) = 81.25 → 81.3
      await insertRuns(ctx, b.id, ago(DAY), 10, 5);
      // C: no runs (R excluded), P = 5/10, F = 1, X = 1 → 100 × (0.15 + 0.25 + 0) / 0.70 = 57.142… → 57.1
      //    its 5 blocked high violations avoided $1,000 each → $5,000
      await insertDecisions(ctx, c.id, ago(2 * DAY), 10, 5, 1000);
      // D is suspended: not in the trust mean, but its 5 non-compliant decisions count for compliance.
      await insertRuns(ctx, d.id, ago(DAY), 10, 0);
      await insertDecisions(ctx, d.id, ago(DAY), 5, 0);
      // 45 compliant decisions without an agent; 20 outside W (ignored).
      await insertDecisions(ctx, null, ago(3 * DAY), 45, 45);
      await insertDecisions(ctx, null, ago(31 * DAY), 20, 0, 1000);

      // Drift: order-1 … order-10 seen in W; order-11 only 40 days ago.
      await insertEvents(ctx, 'order', Array.from({ length: 10 }, (_, i) => `order-${i + 1}`), ago(DAY));
      await insertEvents(ctx, 'order', ['order-11'], ago(40 * DAY));
      await insertGap(ctx, { entity_type: 'order', entity_id: 'order-1', detected_at: ago(DAY / 2) });
      await insertGap(ctx, { entity_type: 'order', entity_id: 'order-2', detected_at: ago(DAY / 2), type: 'duplicate' });
      await insertGap(ctx, { entity_type: 'order', entity_id: 'order-11', detected_at: ago(DAY / 2) });
      await insertGap(ctx, { entity_type: 'order', entity_id: 'order-3', detected_at: ago(DAY), resolved_at: ago(DAY / 2), resolution: 'manual' });
      // Resolutions in W: the order-3 gap (manual), one auto gap before its due time ($1,500), one manual gap after it
      // ($5,000, not avoided); one gap resolved 40 days ago (outside W).
      await insertGap(ctx, { detected_at: ago(3 * DAY), due_at: ago(2 * DAY), resolved_at: ago(2.5 * DAY), resolution: 'auto', cost_usd: 1500 });
      await insertGap(ctx, { detected_at: ago(3 * DAY), due_at: ago(2 * DAY), resolved_at: ago(1.5 * DAY), resolution: 'manual', cost_usd: 5000 });
      await insertGap(ctx, { detected_at: ago(45 * DAY), due_at: ago(44 * DAY), resolved_at: ago(41 * DAY), resolution: 'auto', cost_usd: 700 });
      // Closed because a new contracts version dropped its rule: withdrawn, not resolved — in no KPI.
      await insertGap(ctx, {
        detected_at: ago(3 * DAY),
        due_at: ago(2 * DAY),
        resolved_at: ago(2.5 * DAY),
        resolution: 'auto',
        cost_usd: 900,
        detail: { closed_because: 'rule_removed', contracts_version: 2 },
      });
      // One incident resolved by a human now.
      const incident = await openIncident(ctx, { kind: 'ticket_breach', severity: 'medium' });
      await ctx.app.inject({ method: 'POST', url: `/api/v1/incidents/${incident.id}/resolve`, headers: ctx.as('operator'), payload: { note: 'done' } });
    });
    afterAll(async () => {
      await ctx?.close();
    });

    it('matches the hand calculation for every KPI', async () => {
      const response = await ctx.app.inject({ method: 'GET', url: '/api/v1/kpis?window=30d', headers: ctx.as('viewer') });
      expect(response.statusCode).toBe(200);
      const { kpis } = response.json();
      // (100 + 81.3 + 57.1) / 3 = 238.4 / 3 = 79.466… → 79.5 (good)
      expect(kpis.trust_score).toEqual({
        value: 79.5,
        unit: 'score',
        numerator: 238.4,
        denominator: 3,
        window: '30d',
        band: 'good',
        inputs: { sum_of_agent_scores: 238.4, active_agents: 3 },
      });
      // No sync contracts → no monitored streams.
      expect(kpis.sync_freshness).toMatchObject({ value: null, numerator: 0, denominator: 0, band: 'no_data' });
      // order-1 and order-2 of the 10 entities seen → 20 % (fair: 10–20 inclusive)
      expect(kpis.drift_rate).toMatchObject({ value: 20, numerator: 2, denominator: 10, band: 'fair' });
      // (40 + 5 + 0 + 45) / (40 + 10 + 5 + 45) = 90 / 100 = 90 % (critical: < 95)
      expect(kpis.compliance_sla).toMatchObject({ value: 90, numerator: 90, denominator: 100, band: 'critical' });
      // gaps: 1 auto of 3 resolved in W; incidents: 0 auto of 1 → 1/4 = 0.25
      expect(kpis.self_resolution).toMatchObject({
        value: 0.25,
        numerator: 1,
        denominator: 4,
        band: null,
        inputs: { gaps_resolved_auto: 1, gaps_closed_by_data: 1, gaps_healed_by_action: 0, gaps_resolved: 3, incidents_resolved_auto: 0, incidents_resolved: 1 },
      });
      // 5 × $1,000 blocked + $1,500 resolved before due = $6,500
      expect(kpis.risk_avoided).toMatchObject({
        value: 6500,
        inputs: { blocked_violations_usd: 5000, blocked_decisions: 5, gaps_resolved_before_due_usd: 1500, gaps_resolved_before_due: 1 },
      });
      // $3,000 per month over 30 days = $3,000 → 6500 / 3000 = 2.1666… → 2.17
      expect(kpis.roi).toMatchObject({ value: 2.17, numerator: 6500, denominator: 3000, band: null });
    });

    it('prorates the platform cost and narrows every input to a shorter window', async () => {
      const response = await ctx.app.inject({ method: 'GET', url: '/api/v1/kpis?window=2d', headers: ctx.as('viewer') });
      const { kpis } = response.json();
      // In (now − 2d, now]: C's decisions at exactly 2 d ago are out; A 40 ✓, D 5 ✗ → 40 / 45 = 88.89 %
      expect(kpis.compliance_sla).toMatchObject({ value: 88.89, numerator: 40, denominator: 45 });
      // C has no signals at all in 2 d: P = 1, X = 1 → 100 × (0.30 + 0.25) / 0.70 = 78.571… → 78.6
      // (100 + 81.3 + 78.6) / 3 = 259.9 / 3 = 86.633… → 86.6
      expect(kpis.trust_score).toMatchObject({ value: 86.6, numerator: 259.9 });
      // Resolved in 2 d: the manual gap 1.5 d ago, the order-3 gap, the incident → 0 auto of 3
      expect(kpis.self_resolution).toMatchObject({ value: 0, numerator: 0, denominator: 3 });
      // $3,000 × 2/30 = $200; no risk avoided in 2 d → ROI 0
      expect(kpis.roi).toMatchObject({ value: 0, numerator: 0, denominator: 200 });
    });

    it('records the KPIs in a snapshot and lists them in the history', async () => {
      const live = (await ctx.app.inject({ method: 'GET', url: '/api/v1/kpis', headers: ctx.as('viewer') })).json();
      const taken = await ctx.container.modules.trust.service.snapshot({ force: true });
      expect(taken).toEqual({ taken: true, agents: 3, quarantined: [] });
      // Within half an interval of the last one, another snapshot is skipped (another replica just took it).
      expect(await ctx.container.modules.trust.service.snapshot()).toEqual({ taken: false, agents: 0, quarantined: [] });
      clock.advance(DAY);
      expect((await ctx.container.modules.trust.service.snapshot()).taken).toBe(true);
      clock.set(now);

      const first = await ctx.app.inject({ method: 'GET', url: '/api/v1/kpis/history?limit=1', headers: ctx.as('viewer') });
      expect(first.statusCode, first.body).toBe(200);
      const page = first.json();
      expect(page.items).toHaveLength(1);
      expect(page.items[0].at).toBe(new Date(now.getTime() + DAY).toISOString());
      expect(page.next_cursor).toEqual(expect.any(String));
      const second = (await ctx.app.inject({ method: 'GET', url: `/api/v1/kpis/history?limit=1&cursor=${page.next_cursor}`, headers: ctx.as('viewer') })).json();
      expect(second.items[0]).toMatchObject({ at: now.toISOString(), window: '30d', kpis: live.kpis });
      expect(second.next_cursor).toBeNull();

      const metrics = await ctx.app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.body).toContain('orca_kpi_compliance_sla_percent{window="30d"} 90');
      expect(metrics.body).toMatch(/orca_trust_agents\{grade="excellent"\} 1/);
      expect(metrics.body).not.toMatch(/^orca_kpi_sync_freshness_percent/m); // no data → no sample
    });
  });
}
