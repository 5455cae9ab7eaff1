import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';
import { createRecordingSink } from '../../helpers/notification-sink.js';
import { createSource } from '../ingest/helpers.js';
import { backdateAgentEvent, createAgent, insertGap, insertRuns, testClock } from '../trust/fixtures.js';

/**
 * The rule kinds over ORCA's data, each raising an alert with the subject's labels when its condition holds and
 * resolving it when the condition ends. Data is written where its owner keeps it (SQL for rows the tests need at
 * exact past times, as the trust suites do). The process runs as `api`: evaluations are the test's own calls.
 */
const MINUTE = 60_000;
const HOUR = 3_600_000;

for (const target of databaseTargets) {
  describe(`alert rule kinds [${target.name}]`, () => {
    const clock = testClock();
    let ctx: TestApp;
    beforeAll(async () => {
      ctx = await createTestApp(target, {}, { role: 'api', clock, notificationSink: createRecordingSink(['default']) });
    });
    afterAll(async () => {
      await ctx?.close();
    });

    const putRules = async (rules: unknown[]) => {
      const response = await ctx.app.inject({ method: 'PUT', url: '/api/v1/alert-rules', headers: ctx.as('operator'), payload: { rules } });
      expect(response.statusCode, response.body).toBe(200);
    };
    const alertsOf = async (rule: string) => {
      await ctx.container.modules.alerts.evaluate(randomUUID());
      const response = await ctx.app.inject({ method: 'GET', url: '/api/v1/alerts?limit=200', headers: ctx.as('viewer') });
      const items = (response.json() as { items: Array<{ rule: string; status: string; labels: Record<string, string>; value: number; annotations: Record<string, string> }> }).items;
      return items.filter((item) => item.rule === rule && item.status !== 'resolved');
    };

    it('gap_opened: one alert per gap type, contract and agent at or above the minimum severity, resolved with the gaps', async () => {
      await putRules([{ name: 'gaps', kind: 'gap_opened', match: { min_severity: 'high', contract: 'orders' }, severity: 'high', annotations: { summary: '{{ value }} {{ gap_type }} on {{ contract }}' } }]);
      const agent = await createAgent(ctx);
      const first = await insertGap(ctx, { type: 'missing_record', severity: 'high', contract: 'orders', agent_id: agent.id, detected_at: clock.now() });
      await insertGap(ctx, { type: 'missing_record', severity: 'critical', contract: 'orders', agent_id: agent.id, detected_at: clock.now() });
      await insertGap(ctx, { type: 'missing_record', severity: 'low', contract: 'orders', agent_id: agent.id, detected_at: clock.now() });
      await insertGap(ctx, { type: 'stale', severity: 'critical', contract: 'invoices', detected_at: clock.now() });
      expect(await alertsOf('gaps')).toEqual([
        expect.objectContaining({
          status: 'firing',
          value: 2,
          labels: { alertname: 'gaps', severity: 'high', gap_type: 'missing_record', contract: 'orders', agent_id: agent.id },
          annotations: { summary: '2 missing_record on orders' },
        }),
      ]);
      await ctx.container.db.query("update sync_gap set resolved_at = $1, resolution = 'auto' where contract = 'orders' and resolved_at is null", [clock.now()]);
      expect(first).toBeTruthy();
      expect(await alertsOf('gaps')).toEqual([]);
    });

    it('trust_below: a score under the threshold, or a drop of N points over the window', async () => {
      await putRules([
        { name: 'low-trust', kind: 'trust_below', threshold: 50, severity: 'high' },
        { name: 'trust-drop', kind: 'trust_below', drop: 20, window: '24h', severity: 'warning', annotations: { summary: 'fell {{ drop }} to {{ value }}' } },
      ]);
      const low = await createAgent(ctx);
      const falling = await createAgent(ctx);
      const steady = await createAgent(ctx);
      const snapshot = (agentId: string, at: Date, score: number) =>
        ctx.container.db.query(
          `insert into trust_snapshot (id, agent_id, at, window_ms, score, grade, confidence, policy_adherence, freshness, risk_exposure, signals, inputs)
           values ($1, $2, $3, 86400000, $4, 'C', 1, 1, 1, 0, 10, '{}'::jsonb)`,
          [randomUUID(), agentId, at, score],
        );
      const dayAgo = new Date(clock.now().getTime() - 25 * HOUR);
      await snapshot(low.id, clock.now(), 42);
      await snapshot(falling.id, dayAgo, 90);
      await snapshot(falling.id, clock.now(), 65);
      await snapshot(steady.id, dayAgo, 80);
      await snapshot(steady.id, clock.now(), 75);
      expect((await alertsOf('low-trust')).map((alert) => [alert.labels.agent_id, alert.value])).toEqual([[low.id, 42]]);
      expect((await alertsOf('trust-drop')).map((alert) => [alert.labels.agent_id, alert.annotations.summary])).toEqual([[falling.id, 'fell 25 to 65']]);
      await snapshot(low.id, new Date(clock.now().getTime() + 1000), 55);
      clock.advance(2000);
      expect(await alertsOf('low-trust')).toEqual([]);
    });

    it('agent_silent: an active agent selected by tag with no run or event for the window, until it runs again', async () => {
      await putRules([{ name: 'silent', kind: 'agent_silent', match: { tag: 'heartbeat' }, window: '1h', severity: 'warning', annotations: { summary: '{{ agent_name }} silent' } }]);
      const watched = await createAgent(ctx, { tags: ['heartbeat'] });
      const unwatched = await createAgent(ctx);
      const twoHoursAgo = new Date(clock.now().getTime() - 2 * HOUR);
      await backdateAgentEvent(ctx, watched.id, twoHoursAgo);
      await backdateAgentEvent(ctx, unwatched.id, twoHoursAgo);
      expect((await alertsOf('silent')).map((alert) => [alert.labels.agent_id, alert.annotations.summary])).toEqual([[watched.id, `${watched.name} silent`]]);
      await insertRuns(ctx, watched.id, new Date(clock.now().getTime() - MINUTE), 1, 1);
      expect(await alertsOf('silent')).toEqual([]);
    });

    it('signature_failures: webhook deliveries refused per source in the window', async () => {
      await putRules([{ name: 'signatures', kind: 'signature_failures', threshold: 2, window: '5m', severity: 'warning' }]);
      const source = await createSource(ctx, 'generic');
      const refuse = async () => {
        const response = await ctx.app.inject({ method: 'POST', url: `/api/v1/ingest/${source.id}`, headers: { 'content-type': 'application/json', 'x-orca-signature': 'sha256=00' }, payload: '{}' });
        expect(response.statusCode).toBe(401);
      };
      await refuse();
      expect(await alertsOf('signatures')).toEqual([]);
      await refuse();
      expect(await alertsOf('signatures')).toEqual([expect.objectContaining({ value: 2, labels: { alertname: 'signatures', severity: 'warning', source_id: source.id } })]);
      clock.advance(6 * MINUTE);
      expect(await alertsOf('signatures')).toEqual([]);
    });

    it('kpi_threshold: the latest KPI snapshot compared with the threshold', async () => {
      await putRules([{ name: 'compliance', kind: 'kpi_threshold', match: { kpi: 'compliance_sla', operator: '<' }, threshold: 95, severity: 'high', annotations: { summary: 'compliance {{ value }} over {{ window }}' } }]);
      const kpis = (value: number) => JSON.stringify({ compliance_sla: { value } });
      const insertKpis = (at: Date, value: number) =>
        ctx.container.db.query("insert into kpi_snapshot (id, at, window_label, window_ms, risk_avoided_usd, kpis) values ($1, $2, '30d', 2592000000, 0, $3::jsonb)", [randomUUID(), at, kpis(value)]);
      await insertKpis(clock.now(), 91.5);
      expect(await alertsOf('compliance')).toEqual([expect.objectContaining({ value: 91.5, labels: { alertname: 'compliance', severity: 'high', kpi: 'compliance_sla' }, annotations: { summary: 'compliance 91.5 over 30d' } })]);
      await insertKpis(new Date(clock.now().getTime() + 1000), 99);
      expect(await alertsOf('compliance')).toEqual([]);
    });
  });
}
