import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';
import { createAgent, DAY, insertGap, openIncident, testClock } from './fixtures.js';

for (const target of databaseTargets) {
  describe(`incidents [${target.name}]`, () => {
    const clock = testClock();
    const now = clock.start;
    let ctx: TestApp;
    beforeAll(async () => {
      ctx = await createTestApp(target, {}, { clock });
    });
    afterAll(async () => {
      await ctx?.close();
    });

    const trustScore = async (id: string) =>
      (await ctx.app.inject({ method: 'GET', url: `/api/v1/agents/${id}/trust`, headers: ctx.as('viewer') })).json() as {
        score: number;
        components: { risk_exposure: number };
        inputs: { open_severe_incidents: number };
      };

    it('opens an incident (operator), returns money as a JSON number and audits it', async () => {
      const agent = await createAgent(ctx);
      const response = await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/incidents',
        headers: ctx.as('operator'),
        payload: { kind: 'order_duplication', severity: 'high', agent_id: agent.id, loss_usd: 1234.56, title: 'Orders doubled' },
      });
      expect(response.statusCode).toBe(201);
      const incident = response.json();
      expect(incident).toMatchObject({
        kind: 'order_duplication',
        severity: 'high',
        agent_id: agent.id,
        gap_id: null,
        loss_usd: 1234.56,
        status: 'open',
        resolved_by: null,
        resolved_at: null,
        opened_at: now.toISOString(),
      });
      expect(response.headers.location).toBe(`/api/v1/incidents/${incident.id}`);
      const audit = await ctx.container.db.query<{ action: string }>(`select action from audit_entry where target = $1`, [`incident:${incident.id}`]);
      expect(audit.rows.map((row) => row.action)).toEqual(['incident.open']);
    });

    it('raises risk exposure by 0.25 per open high/critical incident, and lowers it again on resolution', async () => {
      const agent = await createAgent(ctx, { classification: 'public' });
      // No data, public: 100. One high incident: X = 0.25 → 100 × (0.30 + 0.25 + 0.15 × 0.75) / 0.70 = 94.642… → 94.6
      expect((await trustScore(agent.id)).score).toBe(100);
      const high = await openIncident(ctx, { kind: 'data_leak', severity: 'high', agent_id: agent.id });
      expect(await trustScore(agent.id)).toMatchObject({ score: 94.6, components: { risk_exposure: 0.25 }, inputs: { open_severe_incidents: 1 } });
      // + critical: X = 0.5 → 100 × (0.55 + 0.075) / 0.70 = 89.285… → 89.3; a medium one changes nothing.
      await openIncident(ctx, { kind: 'data_leak', severity: 'critical', agent_id: agent.id });
      await openIncident(ctx, { kind: 'noise', severity: 'medium', agent_id: agent.id });
      expect(await trustScore(agent.id)).toMatchObject({ score: 89.3, components: { risk_exposure: 0.5 } });
      const resolved = await ctx.app.inject({ method: 'POST', url: `/api/v1/incidents/${high.id}/resolve`, headers: ctx.as('operator'), payload: { note: 'fixed', loss_usd: 10 } });
      expect(resolved.statusCode).toBe(200);
      expect(resolved.json()).toMatchObject({ status: 'resolved', resolved_by: 'human', resolution_note: 'fixed', loss_usd: 10, resolved_at: now.toISOString() });
      expect((await trustScore(agent.id)).components.risk_exposure).toBe(0.25);
    });

    it('answers 409 when resolving twice, 404 for an unknown incident, 422 for unknown links', async () => {
      const incident = await openIncident(ctx, { kind: 'x', severity: 'low' });
      const first = await ctx.app.inject({ method: 'POST', url: `/api/v1/incidents/${incident.id}/resolve`, headers: ctx.as('operator'), payload: {} });
      expect(first.statusCode).toBe(200);
      const again = await ctx.app.inject({ method: 'POST', url: `/api/v1/incidents/${incident.id}/resolve`, headers: ctx.as('operator'), payload: {} });
      expect(again.statusCode).toBe(409);
      const missing = await ctx.app.inject({ method: 'POST', url: '/api/v1/incidents/00000000-0000-4000-8000-000000000000/resolve', headers: ctx.as('operator'), payload: {} });
      expect(missing.statusCode).toBe(404);
      const badLinks = await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/incidents',
        headers: ctx.as('operator'),
        payload: { kind: 'x', severity: 'low', agent_id: '00000000-0000-4000-8000-000000000000', gap_id: '00000000-0000-4000-8000-000000000001' },
      });
      expect(badLinks.statusCode).toBe(422);
      expect(badLinks.json().errors.map((e: { path: string }) => e.path)).toEqual(['/body/agent_id', '/body/gap_id']);
      const badSeverity = await ctx.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: ctx.as('operator'), payload: { kind: 'x', severity: 'huge' } });
      expect(badSeverity.statusCode).toBe(400);
      const viewer = await ctx.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: ctx.as('viewer'), payload: { kind: 'x', severity: 'low' } });
      expect(viewer.statusCode).toBe(403);
    });

    it('lists newest first with filters and cursor pagination', async () => {
      const agent = await createAgent(ctx);
      const ids: string[] = [];
      for (let i = 0; i < 3; i += 1) ids.push((await openIncident(ctx, { kind: `k${i}`, severity: 'critical', agent_id: agent.id })).id);
      const page1 = (await ctx.app.inject({ method: 'GET', url: `/api/v1/incidents?agent_id=${agent.id}&limit=2`, headers: ctx.as('viewer') })).json();
      expect(page1.items.map((i: { id: string }) => i.id)).toEqual([ids[2], ids[1]]);
      const page2 = (await ctx.app.inject({ method: 'GET', url: `/api/v1/incidents?agent_id=${agent.id}&limit=2&cursor=${page1.next_cursor}`, headers: ctx.as('viewer') })).json();
      expect(page2).toEqual({ items: [expect.objectContaining({ id: ids[0] })], next_cursor: null });
      const open = (await ctx.app.inject({ method: 'GET', url: '/api/v1/incidents?status=resolved&severity=low', headers: ctx.as('viewer') })).json();
      expect(open.items.every((i: { status: string; severity: string }) => i.status === 'resolved' && i.severity === 'low')).toBe(true);
      const one = await ctx.app.inject({ method: 'GET', url: `/api/v1/incidents/${ids[0]}`, headers: ctx.as('viewer') });
      expect(one.json()).toMatchObject({ id: ids[0], kind: 'k0' });
    });

    it('resolves an incident automatically when its linked gap resolved automatically (resolved_by auto)', async () => {
      const gapAuto = await insertGap(ctx, { detected_at: new Date(now.getTime() - DAY) });
      const gapManual = await insertGap(ctx, { detected_at: new Date(now.getTime() - DAY), contract: 'other' });
      const linked = await openIncident(ctx, { kind: 'missing_order', severity: 'high', gap_id: gapAuto });
      const manual = await openIncident(ctx, { kind: 'missing_order', severity: 'high', gap_id: gapManual });
      const resolvedAt = new Date(now.getTime() + 60_000);
      await ctx.container.db.query(`update sync_gap set resolved_at = $2, resolution = 'auto' where id = $1`, [gapAuto, resolvedAt]);
      await ctx.container.db.query(`update sync_gap set resolved_at = $2, resolution = 'manual' where id = $1`, [gapManual, resolvedAt]);
      clock.set(new Date(now.getTime() + 120_000));
      try {
        const snapshot = await ctx.container.modules.trust.service.snapshot({ force: true });
        expect(snapshot.taken).toBe(true);
      } finally {
        clock.set(now);
      }
      const auto = (await ctx.app.inject({ method: 'GET', url: `/api/v1/incidents/${linked.id}`, headers: ctx.as('viewer') })).json();
      expect(auto).toMatchObject({ status: 'resolved', resolved_by: 'auto', resolved_at: resolvedAt.toISOString() });
      const stillOpen = (await ctx.app.inject({ method: 'GET', url: `/api/v1/incidents/${manual.id}`, headers: ctx.as('viewer') })).json();
      expect(stillOpen.status).toBe('open');
      const audit = await ctx.container.db.query<{ actor: string }>(`select actor from audit_entry where target = $1 and action = 'incident.resolve'`, [`incident:${linked.id}`]);
      expect(audit.rows).toEqual([{ actor: 'system:incidents' }]);
    });
  });
}
