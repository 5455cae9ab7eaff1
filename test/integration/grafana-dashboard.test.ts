import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runDemo } from '../../src/cli/demo/run-demo.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/db.js';
import { startTestReceiver, type TestReceiver } from '../helpers/http-receiver.js';
import { prometheusServer, startPrometheus, type PromQueryResult, type RunningPrometheus } from '../helpers/prometheus.js';
import { DASHBOARD_FILE, loadDashboard, REPO, RULE_FILES, withGrafanaVariables } from '../helpers/promql.js';
import { createSource } from '../http/ingest/helpers.js';

/**
 * The Grafana dashboard against a real Prometheus (the Debian package's binary) scraping a live ORCA over loopback
 * every second, with ORCA's rule files loaded: after a short load (the demo organisation through the public API, a
 * few refused requests and webhooks, an alert delivered to a local receiver, a backup, scheduled trust snapshots and
 * sync sweeps), every panel's query is sent to Prometheus's HTTP API as Grafana sends it, and must parse and return
 * data. Skipped without the binary unless ORCA_REQUIRE_PROMETHEUS=1.
 */

const EXPECTED_ROWS = ['Overview', 'HTTP', 'Ingest', 'Sync gaps', 'Policy', 'Trust and KPIs', 'Jobs and deliveries', 'Breakers'];
/** Grafana's $__rate_interval at a 1 s scrape interval is 4 s; a wider window keeps the load of the test in view. */
const GRAFANA_VARIABLES = { rateInterval: '2m', interval: '15s', range: '1h' };
// The demo, the job queue and a 1 s scrape on a loaded 2-core machine: minutes. Bounds a hang; measures nothing.
const DATA_TIMEOUT_MS = 240_000;

const dashboard = loadDashboard();

it('the dashboard has the rows an operator looks for, and every panel queries through its data source variable', () => {
  expect(dashboard.rows).toEqual(EXPECTED_ROWS);
  expect(dashboard.queries.length).toBeGreaterThan(50);
  for (const panel of dashboard.panels) expect((panel as { datasource?: { uid?: string } }).datasource?.uid, panel.title).toBe('${datasource}');
  expect(new Set(dashboard.queries.map((query) => `${query.panel}/${query.refId}`)).size).toBe(dashboard.queries.length);
});

for (const target of databaseTargets) {
  describe.runIf(prometheusServer.runs)(prometheusServer.title(`every panel of ${DASHBOARD_FILE} returns data from a real Prometheus [${target.name}]`), () => {
    let ctx: TestApp;
    let prometheus: RunningPrometheus;
    let receiver: TestReceiver;

    beforeAll(async () => {
      receiver = await startTestReceiver();
      ctx = await createTestApp(
        target,
        {
          ALERT_WEBHOOK_URL: receiver.url('/alerts'),
          OUTBOUND_ALLOW_CIDRS: '127.0.0.0/8',
          PLATFORM_COST_USD_MONTHLY: '5000',
          SYNC_SWEEP_INTERVAL: '1s',
          TRUST_SNAPSHOT_INTERVAL: '2s',
          ALERTS_EVALUATION_INTERVAL: '1s',
        },
        { role: 'all' },
      );
      await ctx.app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = ctx.app.server.address() as AddressInfo;
      prometheus = await startPrometheus(prometheusServer.require(), {
        target: `127.0.0.1:${port}`,
        ruleFiles: RULE_FILES.map((file) => join(REPO, file)),
        scrapeInterval: '1s',
      });

      // The load: the demo organisation (agents, sources, contracts, signed webhooks, runs, policy questions,
      // incidents), through the API as a client would send it.
      const summary = await runDemo({ url: `http://127.0.0.1:${port}`, apiKey: ctx.keys.admin, days: 1, seed: 42, settleSeconds: 0 });
      expect(summary.problems).toEqual([]);
      // Refused requests: no key (401), a viewer writing (403), and six webhooks with a bad signature, which fire the
      // default `webhook-signature-failures` rule; its notification goes to the ALERT_WEBHOOK_URL receiver.
      expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/agents' })).statusCode).toBe(401);
      expect((await ctx.app.inject({ method: 'POST', url: '/api/v1/agents', headers: ctx.as('viewer'), payload: { name: 'x', kind: 'function' } })).statusCode).toBe(403);
      const source = await createSource(ctx, 'generic');
      for (let attempt = 0; attempt < 6; attempt += 1) {
        const refused = await ctx.app.inject({ method: 'POST', url: `/api/v1/ingest/${source.id}`, headers: { 'content-type': 'application/json', 'x-orca-signature': 'sha256=00' }, payload: '{}' });
        expect(refused.statusCode).toBe(401);
      }
      await vi.waitFor(() => expect(receiver.requests.length).toBeGreaterThan(0), { timeout: DATA_TIMEOUT_MS, interval: 200 });
      await ctx.container.modules.backups.service.run();
    });

    afterAll(async () => {
      await prometheus?.stop();
      await ctx?.close();
      await receiver?.close();
    });

    it('parses every query and returns data for each', async () => {
      const pending = new Map(dashboard.queries.map((query) => [`${query.row} / ${query.panel} (${query.refId})`, withGrafanaVariables(query.expr, GRAFANA_VARIABLES)]));
      const last = new Map<string, PromQueryResult>();
      const deadline = Date.now() + DATA_TIMEOUT_MS;
      // Samples arrive with each scrape and rule evaluation: ask again until every query has data, or time runs out.
      while (pending.size > 0 && Date.now() < deadline) {
        for (const [name, expr] of pending) {
          const answer = await prometheus.query(expr);
          last.set(name, answer);
          // A query Prometheus cannot parse never will: fail at once with its error.
          expect(answer.status === 'success' || answer.errorType !== 'bad_data', `${name}: ${answer.error ?? ''}\n${expr}`).toBe(true);
          if (answer.status === 'success' && (answer.data?.result.length ?? 0) > 0) pending.delete(name);
        }
        if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 500));
      }
      const without = [...pending].map(([name, expr]) => `${name}: ${expr} → ${JSON.stringify(last.get(name))}`);
      expect(without, `Prometheus log:\n${prometheus.log().slice(-3000)}`).toEqual([]);
    });
  });
}
