import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { alertmanagerInstalled, createAlertmanagerPostingSink, startAlertmanager, type RunningAlertmanager } from '../helpers/alertmanager.js';
import { pgliteTarget } from '../helpers/db.js';
import { createAgent, openIncident, testClock } from '../http/trust/fixtures.js';

/**
 * ORCA's alerts as a real Prometheus Alertmanager (0.25, the Debian package) receives them: the default document's
 * routes to the `alertmanager` receiver, labels in Prometheus conventions, and resolution through `endsAt`.
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

describe.skipIf(!alertmanagerInstalled)('a real Alertmanager receives ORCA alerts', () => {
  let alertmanager: RunningAlertmanager;
  let ctx: TestApp;
  let sink: ReturnType<typeof createAlertmanagerPostingSink>;
  const clock = testClock();
  beforeAll(async () => {
    clock.set(new Date(Date.now() - 120_000));
    alertmanager = await startAlertmanager();
    sink = createAlertmanagerPostingSink(alertmanager.url);
    ctx = await createTestApp(pgliteTarget, {}, { role: 'api', clock, notificationSink: sink });
  });
  afterAll(async () => {
    await ctx?.close();
    await alertmanager?.stop();
  });

  const alertsInAlertmanager = async (query = '') => (await (await fetch(`${alertmanager.url}/api/v2/alerts${query}`)).json()) as AmAlert[];

  it('shows a firing incident alert with its labels and annotations, then resolves it', async () => {
    const agent = await createAgent(ctx);
    const incident = await openIncident(ctx, { kind: 'order_duplication', severity: 'critical', agent_id: agent.id, title: 'Orders doubled' });
    // The default rules (version 0): incident-opened routes to `alertmanager`, the receiver the settings create.
    const report = await ctx.container.modules.alerts.evaluate('am-fire');
    expect(report.notifications).toBeGreaterThanOrEqual(1);

    const [alert, ...others] = (await alertsInAlertmanager()).filter((item) => item.labels.alertname === 'incident-opened');
    expect(others).toEqual([]);
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

    const resolved = await ctx.app.inject({ method: 'POST', url: `/api/v1/incidents/${incident.id}/resolve`, headers: ctx.as('operator'), payload: {} });
    expect(resolved.statusCode).toBe(200);
    // group_interval of the default route is 1m: evaluate once it has passed (the test clock), so the resolution is sent.
    clock.advance(61_000);
    const posted = sink.posted;
    const after = await ctx.container.modules.alerts.evaluate('am-resolve');
    expect(after).toMatchObject({ resolved: 1 });
    expect(sink.posted).toBe(posted + 1);
    // Alertmanager drops resolved alerts from its active list.
    const stillActive = (await alertsInAlertmanager('?active=true')).filter((item) => item.labels.incident_id === incident.id && item.status.state === 'active');
    const all = (await alertsInAlertmanager()).filter((item) => item.labels.incident_id === incident.id);
    expect(stillActive).toEqual([]);
    for (const item of all) expect(Date.parse(item.endsAt)).toBeLessThanOrEqual(Date.now());
  });
});
