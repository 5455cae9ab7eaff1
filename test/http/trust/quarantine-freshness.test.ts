import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';
import { createTrustReadModel } from '../../../src/modules/trust/trust.read-model.js';
import { createTrustRepository } from '../../../src/modules/trust/trust.repository.js';
import type { StreamStatus } from '../../../src/modules/trust/index.js';
import { createTrustService } from '../../../src/modules/trust/trust.service.js';
import { createAgent, DAY, insertDecisions, insertGap, insertRuns, testClock } from './fixtures.js';

for (const target of databaseTargets) {
  describe(`automatic quarantine [${target.name}]`, () => {
    const clock = testClock();
    const now = clock.start;
    let ctx: TestApp;
    beforeAll(async () => {
      ctx = await createTestApp(target, {}, { clock });
    });
    afterAll(async () => {
      await ctx?.close();
    });

    const status = async (id: string) => (await ctx.app.inject({ method: 'GET', url: `/api/v1/agents/${id}`, headers: ctx.as('viewer') })).json().status;

    it('quarantines an agent below TRUST_QUARANTINE_BELOW with confidence >= 0.5, audited, reversible by approve', async () => {
      const bad = await createAgent(ctx, { classification: 'critical' });
      const uncertain = await createAgent(ctx, { classification: 'critical' });
      // bad: R = 0/30, P = 0/30, F = 1, X = 1 → 100 × 0.25 = 25 < 30, confidence 60/50 → 1
      await insertRuns(ctx, bad.id, new Date(now.getTime() - DAY), 30, 0);
      await insertDecisions(ctx, bad.id, new Date(now.getTime() - DAY), 30, 0);
      // uncertain: same score 25 but 12 + 12 = 24 signals → confidence 0.48 < 0.5: left alone
      await insertRuns(ctx, uncertain.id, new Date(now.getTime() - DAY), 12, 0);
      await insertDecisions(ctx, uncertain.id, new Date(now.getTime() - DAY), 12, 0);

      const result = await ctx.container.modules.trust.service.snapshot({ force: true });
      expect(result.quarantined).toEqual([bad.id]);
      expect(await status(bad.id)).toBe('quarantined');
      expect(await status(uncertain.id)).toBe('active');
      const audit = await ctx.container.db.query<{ actor: string; action: string }>(`select actor, action from audit_entry where target = $1 order by seq`, [`agent:${bad.id}`]);
      expect(audit.rows.at(-1)).toEqual({ actor: 'system:trust', action: 'agent.quarantine' });
      const history = (await ctx.app.inject({ method: 'GET', url: `/api/v1/agents/${bad.id}/history`, headers: ctx.as('viewer') })).json();
      expect(history.items.at(-1)).toMatchObject({ action: 'quarantine', reason: expect.stringContaining('trust 25 < 30 with confidence 1') });

      // A human approves: the next snapshots within the window leave the agent active.
      const approved = await ctx.app.inject({ method: 'POST', url: `/api/v1/agents/${bad.id}/approve`, headers: ctx.as('operator'), payload: { reason: 'reviewed' } });
      expect(approved.statusCode).toBe(200);
      clock.advance(DAY);
      try {
        expect((await ctx.container.modules.trust.service.snapshot()).quarantined).toEqual([]);
      } finally {
        clock.set(now);
      }
      expect(await status(bad.id)).toBe('active');

      // The low-trust agents show in the bounded trust gauge.
      const metrics = (await ctx.app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(metrics).toContain(`orca_trust_score{agent_id="${bad.id}"} 25`);
      expect(metrics).toContain('orca_trust_snapshots_total');
    });
  });

  describe(`data freshness from the sync module's stream status [${target.name}]`, () => {
    const clock = testClock();
    const now = clock.start;
    let ctx: TestApp;
    beforeAll(async () => {
      ctx = await createTestApp(target, {}, { clock });
    });
    afterAll(async () => {
      await ctx?.close();
    });

    it('counts owned streams within SLO without open gaps, plus attributed gaps on other contracts', async () => {
      const owner = await createAgent(ctx, { classification: 'internal' });
      const other = await createAgent(ctx, { classification: 'internal' });
      const streams: StreamStatus[] = [
        { contract: 'c1', stream: 's1', agent_id: owner.id, within_slo: true },
        { contract: 'c1', stream: 's2', agent_id: owner.id, within_slo: true },
        { contract: 'c1', stream: 's3', agent_id: owner.id, within_slo: false },
        { contract: 'c2', stream: 's4', agent_id: owner.id, within_slo: true },
        { contract: 'c9', stream: 's5', agent_id: other.id, within_slo: true },
      ];
      const detected = new Date(now.getTime() - DAY);
      await insertGap(ctx, { contract: 'c1', stream: 's2', agent_id: owner.id, detected_at: detected }); // s2 unhealthy (not counted twice)
      await insertGap(ctx, { contract: 'c2', stream: null, detected_at: detected }); // whole contract c2: s4 unhealthy
      await insertGap(ctx, { contract: 'c3', stream: 'x', agent_id: owner.id, detected_at: detected }); // one more unit, unhealthy
      await insertGap(ctx, { contract: 'c1', stream: 's1', detected_at: detected, resolved_at: new Date(now.getTime() - 1000) }); // resolved: no effect

      // The real repository on the app's database, with the sync module's stream status stubbed (a module boundary).
      const service = createTrustService({
        db: ctx.container.db,
        readModel: createTrustReadModel(ctx.container.db),
        repository: createTrustRepository(ctx.container.db),
        clock,
        logger: ctx.container.logger,
        settings: { quarantineBelow: 30, platformCostUsdMonthly: undefined, snapshotIntervalMs: 60_000 },
        agents: { transition: async () => undefined },
        sync: () => ({ streamStatus: async () => streams }),
      });
      const trust = await service.agentTrust(owner.id, '30d');
      // units: s1 ✓, s2 ✗ (gap), s3 ✗ (stale), s4 ✗ (contract gap), c3/x ✗ (attributed gap) → F = 1/5 = 0.2
      // no runs: 100 × (0.30 × 1 + 0.25 × 0.2 + 0.15 × 0.75) / 0.70 = 46.25 / 0.70 = 66.071… → 66.1
      expect(trust).toMatchObject({
        components: { freshness: 0.2, reliability: null },
        inputs: { owned_streams_and_contracts: 5, healthy_streams_and_contracts: 1 },
        score: 66.1,
        grade: 'fair',
      });
      // The other agent owns s5, healthy → F = 1
      expect((await service.agentTrust(other.id, '30d')).components.freshness).toBe(1);
      // Organisation: 4 of the 5 monitored streams are within SLO (gaps do not count here) → 80 % (fair)
      const kpis = await service.kpis('30d');
      expect(kpis.kpis.sync_freshness).toMatchObject({ value: 80, numerator: 4, denominator: 5, band: 'fair' });
    });
  });
}
