import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../helpers/app.js';
import { createSource } from './ingest/helpers.js';
import { exposedNames, loadDashboard, loadRules, metricNamesIn, RULE_FILES } from '../helpers/promql.js';

/**
 * The Prometheus rules (deploy/prometheus/) and the Grafana dashboard (deploy/grafana/orca.json) query only what a
 * live ORCA serves on /metrics: every metric name an expression selects is a family of the scrape (a histogram's
 * `_bucket`, `_sum` and `_count` included), a series Prometheus makes itself (`up`), or a recording rule of the same
 * files. A renamed metric, or a rule written against one ORCA never had, fails here.
 */

/** Series Prometheus creates for every scrape target; the rules may select them. */
const PROMETHEUS_SERIES = new Set(['up']);

const rules = loadRules();
const recorded = new Set(rules.flatMap((rule) => (rule.record ? [rule.record] : [])));
const dashboard = loadDashboard();
// Recording rules may be constants (an SLO's objective: vector(0.995)); alerts and panels must select something.
const expressions = [
  ...rules.map((rule) => ({ where: `${rule.file} ${rule.record ?? rule.alert}`, expr: rule.expr, selects: rule.alert !== undefined })),
  ...dashboard.queries.map((query) => ({ where: `${query.row} / ${query.panel} (${query.refId})`, expr: query.expr, selects: true })),
];

describeEachDatabase('what the rules and the dashboard query, /metrics serves', (ctx) => {
  it('every metric name of every rule and panel is exposed', async () => {
    // A few events first, so that families with labels have series too (they are declared either way).
    const source = await createSource(ctx(), 'generic');
    const refused = await ctx().app.inject({ method: 'POST', url: `/api/v1/ingest/${source.id}`, headers: { 'content-type': 'application/json', 'x-orca-signature': 'sha256=00' }, payload: '{}' });
    expect(refused.statusCode).toBe(401);
    expect((await ctx().app.inject({ method: 'GET', url: '/api/v1/agents' })).statusCode).toBe(401);
    const scrape = await ctx().app.inject({ method: 'GET', url: '/metrics' });
    expect(scrape.statusCode).toBe(200);
    const exposed = exposedNames(scrape.body);

    const missing: string[] = [];
    let checked = 0;
    for (const { where, expr, selects } of expressions) {
      const names = metricNamesIn(expr);
      if (selects) expect(names.size, `${where} selects no metric: ${expr}`).toBeGreaterThan(0);
      for (const name of names) {
        checked += 1;
        if (!exposed.has(name) && !recorded.has(name) && !PROMETHEUS_SERIES.has(name)) missing.push(`${where}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });

  it('reports readiness as /readyz does, check by check', async () => {
    const body = (await ctx().app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(body).toMatch(/^orca_ready 1$/m);
    expect(body).toMatch(/^orca_health_check_up\{check="database"\} 1$/m);
    expect(body).toMatch(/^orca_health_check_up\{check="migrations"\} 1$/m);
    expect(body).toContain('# TYPE orca_ready gauge');
  });
});

describe('the files and the PromQL reader the check above relies on', () => {
  it('loads both rule files and every panel of the dashboard', () => {
    expect(new Set(rules.map((rule) => rule.file))).toEqual(new Set(RULE_FILES));
    expect(rules.filter((rule) => rule.alert).length).toBeGreaterThanOrEqual(11 + 10);
    expect(dashboard.queries.length).toBeGreaterThan(50);
  });

  it('finds metric names and only them: not functions, keywords, labels, durations or strings', () => {
    expect(metricNamesIn('sum by (job, le) (rate(orca_http_request_duration_seconds_bucket{route=~"/api/.+", le="0.25"}[5m] offset 1m))')).toEqual(
      new Set(['orca_http_request_duration_seconds_bucket']),
    );
    expect(
      metricNamesIn(
        'slo:sli_error:ratio_rate5m{sloth_id="a"}\n/ on(sloth_id, sloth_slo) group_left\nslo:error_budget:ratio{sloth_id="a"} and ignoring (x) up == bool 0 or absent(up{job="orca"})',
      ),
    ).toEqual(new Set(['slo:sli_error:ratio_rate5m', 'slo:error_budget:ratio', 'up']));
    expect(metricNamesIn('histogram_quantile(0.99, sum(rate(x_bucket[$__rate_interval])) by (le)) > 1e-3 unless max without (a) (y)')).toEqual(new Set(['x_bucket', 'y']));
    expect(metricNamesIn('time() - max(orca_backup_last_success_timestamp_seconds > 0) > 13 * 3600 + Inf')).toEqual(new Set(['orca_backup_last_success_timestamp_seconds']));
    expect(metricNamesIn('label_replace(vector(1), "dst", "$1", "src", "(.*)")')).toEqual(new Set());
  });

  it('understands histogram suffixes and samples of the exposition', () => {
    const exposition = '# HELP h x\n# TYPE h histogram\n# TYPE c_total counter\nc_total{a="1"} 3\n# TYPE g gauge\n';
    expect(exposedNames(exposition)).toEqual(new Set(['h', 'h_bucket', 'h_sum', 'h_count', 'c_total', 'g']));
  });
});
