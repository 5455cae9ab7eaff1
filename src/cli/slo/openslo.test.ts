import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSloManifest, SloManifestError } from './openslo.js';

const MANIFEST = readFileSync(new URL('../../../deploy/slo/orca.yaml', import.meta.url), 'utf8');

/** One SLO document with an inline SLI; `patch` edits its parsed form. */
function sloDocument(overrides: { metadata?: object; spec?: object; indicatorSpec?: object } = {}): string {
  const document = {
    apiVersion: 'openslo/v1',
    kind: 'SLO',
    metadata: { name: 'checkout', ...overrides.metadata },
    spec: {
      service: 'shop',
      budgetingMethod: 'Occurrences',
      timeWindow: [{ duration: '30d', isRolling: true }],
      indicator: {
        metadata: { name: 'checkout-errors' },
        spec: overrides.indicatorSpec ?? {
          ratioMetric: {
            counter: true,
            bad: { metricSource: { type: 'Prometheus', spec: { query: 'sum(rate(http_total{code=~"5.."}[{{.window}}]))' } } },
            total: { metricSource: { type: 'Prometheus', spec: { query: 'sum(rate(http_total[{{ .window }}]))' } } },
          },
        },
      },
      objectives: [{ target: 0.999 }],
      ...overrides.spec,
    },
  };
  return JSON.stringify(document);
}

function problemsOf(text: string): string[] {
  try {
    parseSloManifest(text, 'slo.yaml');
  } catch (error) {
    if (error instanceof SloManifestError) return error.problems;
    throw error;
  }
  throw new Error('the manifest was accepted');
}

describe('parseSloManifest', () => {
  it('reads deploy/slo/orca.yaml: five SLOs of the orca service over 30 days', () => {
    const slos = parseSloManifest(MANIFEST, 'deploy/slo/orca.yaml');
    expect(slos.map((slo) => [slo.id, slo.objective, slo.periodDays, slo.sli.numerator, slo.alertName])).toEqual([
      ['orca-api-availability', 0.995, 30, 'bad', 'OrcaApiAvailabilityErrorBudgetBurn'],
      ['orca-api-latency', 0.99, 30, 'good', 'OrcaApiLatencyErrorBudgetBurn'],
      ['orca-ingest-ack-latency', 0.99, 30, 'good', 'OrcaIngestAckLatencyErrorBudgetBurn'],
      ['orca-policy-evaluation-latency', 0.995, 30, 'good', 'OrcaPolicyEvaluationLatencyErrorBudgetBurn'],
      ['orca-alert-delivery', 0.99, 30, 'bad', 'OrcaAlertDeliveryErrorBudgetBurn'],
    ]);
    expect(slos[0]).toMatchObject({
      service: 'orca',
      name: 'api-availability',
      displayName: 'API availability',
      labels: { category: 'availability' },
      runbookUrl: 'docs/runbooks/slo.md#api-availability',
      sli: {
        events: 'sum(rate(orca_http_requests_total{route=~"/api/.+",status_code=~"5.."}[{{.window}}]))',
        total: 'sum(rate(orca_http_requests_total{route=~"/api/.+"}[{{.window}}]))',
      },
    });
  });

  it('takes a target in percent, an SLI by reference, a 4-week window, and one SLO per objective', () => {
    const sli = JSON.stringify({
      apiVersion: 'openslo/v1',
      kind: 'SLI',
      metadata: { name: 'fast-pages' },
      spec: {
        ratioMetric: {
          counter: true,
          good: { metricSource: { metricSourceRef: 'prom', spec: { query: 'sum(rate(x_bucket{le="0.1"}[{{.window}}]))' } } },
          total: { metricSource: { metricSourceRef: 'prom', spec: { query: 'sum(rate(x_count[{{.window}}]))' } } },
        },
      },
    });
    const source = JSON.stringify({ apiVersion: 'openslo/v1', kind: 'DataSource', metadata: { name: 'prom' }, spec: { type: 'prometheus' } });
    const slo = sloDocument({
      metadata: { annotations: { 'orca.dev/alert-name': 'PagesSlow' } },
      spec: { indicator: undefined, indicatorRef: 'fast-pages', timeWindow: [{ duration: '4w', isRolling: true }], objectives: [{ targetPercent: 99 }, { target: 0.9, displayName: 'most' }] },
    });
    const slos = parseSloManifest([sli, source, slo].join('\n---\n'), 'slo.yaml');
    expect(slos.map((one) => [one.id, one.name, one.objective, one.periodDays, one.alertName, one.displayName, one.sli.numerator])).toEqual([
      ['shop-checkout-0', 'checkout-0', 0.99, 28, 'PagesSlow0', 'checkout (0)', 'good'],
      ['shop-checkout-1', 'checkout-1', 0.9, 28, 'PagesSlow1', 'checkout (most)', 'good'],
    ]);
  });

  it('refuses what it cannot compile, naming the document and the path of each problem', () => {
    expect(
      problemsOf(
        sloDocument({
          spec: { budgetingMethod: 'Timeslices', timeWindow: [{ duration: '7d', isRolling: true }], objectives: [{ target: 1 }, { targetPercent: 99, target: 0.99 }], alertPolicies: [{}] },
        }),
      ),
    ).toEqual([
      'document 1 (SLO checkout) /spec/budgetingMethod: is Timeslices; only Occurrences is supported (burn rates are ratios of events)',
      'document 1 (SLO checkout) /spec/alertPolicies: are not read: the multi-window burn-rate alerts are generated for every SLO (docs/observability.md)',
      "document 1 (SLO checkout) /spec/timeWindow/0/duration: must be 28d, 4w or 30d (the periods the SRE workbook's alert windows are given for), not 7d",
      'document 1 (SLO checkout) /spec/objectives/0/target: must be above 0 and below 1',
      'document 1 (SLO checkout) /spec/objectives/1: needs exactly one of target and targetPercent',
    ]);
  });

  it('refuses queries without the window placeholder, other sources and other metric shapes', () => {
    const query = (text: string, type = 'Prometheus') => ({ metricSource: { type, spec: { query: text } } });
    expect(
      problemsOf(
        sloDocument({ indicatorSpec: { ratioMetric: { counter: false, good: query('sum(rate(x[5m]))'), bad: query('sum(rate(y[{{.window}}]))', 'Datadog'), total: query('sum(rate(x[{{.window}}])') } } }),
      ),
    ).toEqual([
      'document 1 (SLO checkout) /spec/indicator/spec/ratioMetric/counter: must be true: the queries rate() Prometheus counters',
      'document 1 (SLO checkout) /spec/indicator/spec/ratioMetric: needs exactly one of good and bad',
      'document 1 (SLO checkout) /spec/indicator/spec/ratioMetric/good/metricSource/spec/query: must use {{.window}} as the range of its rate (e.g. rate(x_total[{{.window}}]))',
      'document 1 (SLO checkout) /spec/indicator/spec/ratioMetric/total/metricSource/spec/query: has unbalanced brackets',
    ]);
    expect(problemsOf(sloDocument({ indicatorSpec: { thresholdMetric: query('x') } }))).toEqual([
      'document 1 (SLO checkout) /spec/indicator/spec/thresholdMetric: is not supported: burn-rate alerts need a ratio of events (ratioMetric)',
    ]);
    const fromDatadog = sloDocument({
      indicatorSpec: { ratioMetric: { counter: true, good: query('sum(rate(x[{{.window}}]))', 'Datadog'), total: { metricSource: { metricSourceRef: 'nowhere', spec: { query: 'sum(rate(x[{{.window}}{{.other}}]))' } } } } },
    });
    expect(problemsOf(fromDatadog)).toEqual([
      'document 1 (SLO checkout) /spec/indicator/spec/ratioMetric/good/metricSource/type: is Datadog; only Prometheus is supported',
      'document 1 (SLO checkout) /spec/indicator/spec/ratioMetric/total/metricSource/metricSourceRef: names no DataSource of the manifest (nowhere)',
      'document 1 (SLO checkout) /spec/indicator/spec/ratioMetric/total/metricSource/spec/query: has a template placeholder other than {{.window}}',
    ]);
  });

  it('refuses unknown fields, kinds and versions, duplicate names, unknown references and ORCA annotations', () => {
    const wrongVersion = JSON.stringify({ apiVersion: 'openslo/v1alpha', kind: 'SLO', metadata: { name: 'a' }, spec: {} });
    const wrongKind = JSON.stringify({ apiVersion: 'openslo/v1', kind: 'Budget', metadata: { name: 'a' }, spec: {} });
    const typo = sloDocument({ spec: { objective: [] } });
    expect(problemsOf([wrongVersion, wrongKind, typo].join('\n---\n'))).toEqual([
      'document 1 /apiVersion: must be "openslo/v1" (OpenSLO v1), not "openslo/v1alpha"',
      'document 2 /kind: must be one of SLO, SLI, DataSource, Service, not "Budget"',
      'document 3 (SLO checkout) /spec/objective: is not a field of this object',
    ]);
    const twice = [sloDocument(), sloDocument({ spec: { indicator: undefined, indicatorRef: 'missing' }, metadata: { annotations: { 'orca.dev/runbook': 'x', 'orca.dev/alert-name': '1bad' } } })].join('\n---\n');
    expect(problemsOf(twice)).toEqual([
      'document 2 (SLO checkout) /metadata/name: another SLO is already named checkout',
      'document 2 (SLO checkout) /metadata/annotations/orca.dev/runbook: is not an ORCA annotation (orca.dev/alert-name, orca.dev/runbook-url)',
      'document 2 (SLO checkout) /metadata/annotations/orca.dev/alert-name: must be letters, digits and _, not starting with a digit',
      'document 2 (SLO checkout) /spec/indicatorRef: names no SLI of the manifest (missing)',
    ]);
  });

  it('reports YAML errors with their position, and a manifest without an SLO', () => {
    expect(problemsOf('apiVersion: openslo/v1\nkind: SLO\nkind: SLI\n')).toEqual([expect.stringMatching(/^document 1: not valid YAML at line 3, column 1: /)]);
    expect(problemsOf('')).toEqual(['no SLO document (kind: SLO) in the manifest']);
    expect(problemsOf(JSON.stringify({ apiVersion: 'openslo/v1', kind: 'Service', metadata: { name: 'orca' }, spec: {} }))).toEqual(['no SLO document (kind: SLO) in the manifest']);
  });

  it('formats every problem into one message that starts with the file', () => {
    expect(() => parseSloManifest('', 'deploy/slo/orca.yaml')).toThrow('deploy/slo/orca.yaml: no SLO document (kind: SLO) in the manifest');
  });
});
