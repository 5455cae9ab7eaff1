import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { alertmanagerInstalled, startAlertmanager, type RunningAlertmanager } from '../helpers/alertmanager.js';
import { databaseTargets } from '../helpers/db.js';
import { createAgent, openIncident, testClock } from '../http/trust/fixtures.js';

/**
 * ORCA's alerts as a real Prometheus Alertmanager (0.25, the Debian package) receives them, end to end: ALERTMANAGER_URL
 * creates the `alertmanager` receiver, the default document routes to it, the delivery is a job that posts to
 * Alertmanager's API v2; labels follow Prometheus conventions, and resolution arrives through `endsAt`.
 * Alertmanager compares `endsAt` with its own clock: ORCA's clock starts two minutes back, so that the minute the test
 * skips forward still ends before Alertmanager's now.
 */
interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
  status: { state: string };
}

for (const target of databaseTargets) {
  describe.skipIf(!alertmanagerInstalled)(`a real Alertmanager receives ORCA alerts [${target.name}]`, () => {
    let alertmanager: RunningAlertmanager;
    let ctx: TestApp;
    const clock = testClock();
    beforeAll(async () => {
      clock.set(new Date(Date.now() - 120_000));
      alertmanager = await startAlertmanager();
      ctx = await createTestApp(target, { ALERTMANAGER_URL: alertmanager.url, OUTBOUND_ALLOW_CIDRS: '127.0.0.0/8', DELIVERY_RETRY_DELAY: '1s' }, { role: 'all', clock });
    });
    afterAll(async () => {
      await ctx?.close();
      await alertmanager?.stop();
    });

    const alertsInAlertmanager = async (query = '') => (await (await fetch(`${alertmanager.url}/api/v2/alerts${query}`)).json()) as AmAlert[];

    it('shows a firing incident alert with its labels and annotations, then resolves it', async () => {
      const agent = await createAgent(ctx);
      const incident = await openIncident(ctx, { kind: 'order_duplication', severity: 'critical', agent_id: agent.id, title: 'Orders doubled' });
      // The default rules (version 0): incident-opened routes to `alertmanager`, the receiver ALERTMANAGER_URL creates.
      // The incident already asked for an evaluation (a job, which may have run); this one makes sure.
      await ctx.container.modules.alerts.evaluate('am-fire');

      const ofIncident = async () => (await alertsInAlertmanager()).filter((item) => item.labels.incident_id === incident.id);
      await vi.waitFor(async () => expect(await ofIncident()).toHaveLength(1), { timeout: 60_000, interval: 200 });
      const [alert] = await ofIncident();
      expect(alert!.labels).toEqual({
        alertname: 'incident-opened',
        severity: 'high',
        agent_id: agent.id,
        incident_id: incident.id,
        incident_kind: 'order_duplication',
      });
      expect(alert!.annotations).toEqual({ summary: 'critical incident: Orders doubled' });
      expect(alert!.status.state).toBe('active');
      expect(alert!.generatorURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/alerts\?fingerprint=[0-9a-f]{32}$/);
      const deliveries = await ctx.app.inject({ method: 'GET', url: '/api/v1/deliveries?status=delivered', headers: ctx.as('operator') });
      expect(deliveries.statusCode).toBe(200);
      expect((deliveries.json() as { items: Array<{ receiver_name?: string }> }).items.length).toBeGreaterThanOrEqual(1);

      const resolved = await ctx.app.inject({ method: 'POST', url: `/api/v1/incidents/${incident.id}/resolve`, headers: ctx.as('operator'), payload: {} });
      expect(resolved.statusCode).toBe(200);
      // group_interval of the default route is 1m: evaluate once it has passed (the test clock), so the resolution is sent.
      clock.advance(61_000);
      await ctx.container.modules.alerts.evaluate('am-resolve');
      const [stored] = (await (await ctx.app.inject({ method: 'GET', url: `/api/v1/alerts?status=resolved`, headers: ctx.as('viewer') })).json()).items as Array<{ labels: Record<string, string> }>;
      expect(stored?.labels.incident_id).toBe(incident.id);
      // Alertmanager drops a resolved alert from its active list once the delivery posted its endsAt.
      await vi.waitFor(
        async () => expect((await alertsInAlertmanager('?active=true')).filter((item) => item.labels.incident_id === incident.id && item.status.state === 'active')).toEqual([]),
        { timeout: 60_000, interval: 200 },
      );
      for (const item of await ofIncident()) expect(Date.parse(item.endsAt)).toBeLessThanOrEqual(Date.now());
    });
  });
}
