/**
 * One OpenSLO SLO document (schema-valid) to the SLOs it defines, each problem reported with the JSON path of its
 * field: what the compiler cannot honour (time slices, threshold metrics, calendar windows, alert policies, sources
 * other than Prometheus) is refused with the reason.
 */
import { SUPPORTED_PERIOD_DAYS } from './alert-windows.js';
import type { DataSourceDocument, InlineSli, Metadata, MetricSource, SliDocument, SloDocument } from './openslo-schema.js';
import { SLO_ANNOTATIONS, type SloDefinition } from './slo-definition.js';

/** Sloth's window placeholder, spaces allowed inside the braces. */
const WINDOW_PLACEHOLDER = /\{\{ *\.window *\}\}/;
const ALERT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const pascal = (text: string) =>
  text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');

function labelsOf(metadata: Metadata): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata.labels ?? {})) {
    // Prometheus label names allow neither `-` nor `.`; OpenSLO label keys do.
    labels[key.replace(/[^A-Za-z0-9_]/g, '_')] = Array.isArray(value) ? value.join(',') : value;
  }
  return labels;
}

export interface Context {
  slis: Map<string, SliDocument>;
  dataSources: Map<string, DataSourceDocument>;
  report: (path: string, message: string) => void;
}

function checkQuery(source: MetricSource, path: string, context: Context): string {
  if (source.metricSourceRef !== undefined) {
    const dataSource = context.dataSources.get(source.metricSourceRef);
    if (!dataSource) context.report(`${path}/metricSourceRef`, `names no DataSource of the manifest (${source.metricSourceRef})`);
    else if (dataSource.spec.type.toLowerCase() !== 'prometheus') context.report(`${path}/metricSourceRef`, `names a ${dataSource.spec.type} data source; only Prometheus is supported`);
  } else if (source.type === undefined) {
    context.report(`${path}/type`, 'is required without a metricSourceRef (type: Prometheus)');
  }
  if (source.type !== undefined && source.type.toLowerCase() !== 'prometheus') context.report(`${path}/type`, `is ${source.type}; only Prometheus is supported`);
  const query = source.spec.query;
  if (!WINDOW_PLACEHOLDER.test(query)) context.report(`${path}/spec/query`, 'must use {{.window}} as the range of its rate (e.g. rate(x_total[{{.window}}]))');
  else if (query.replace(new RegExp(WINDOW_PLACEHOLDER, 'g'), '').includes('{{')) context.report(`${path}/spec/query`, 'has a template placeholder other than {{.window}}');
  let depth = 0;
  for (const char of query.replace(/"(?:[^"\\]|\\.)*"/g, '""')) {
    if ('([{'.includes(char)) depth += 1;
    if (')]}'.includes(char)) depth -= 1;
    if (depth < 0) break;
  }
  if (depth !== 0) context.report(`${path}/spec/query`, 'has unbalanced brackets');
  return query;
}

function indicatorOf(sli: InlineSli | SliDocument, path: string, context: Context): SloDefinition['sli'] | undefined {
  const before = { failed: false };
  const report = (at: string, message: string) => {
    before.failed = true;
    context.report(at, message);
  };
  const { ratioMetric } = sli.spec;
  if (sli.spec.thresholdMetric !== undefined) report(`${path}/spec/thresholdMetric`, 'is not supported: burn-rate alerts need a ratio of events (ratioMetric)');
  if (!ratioMetric) {
    if (sli.spec.thresholdMetric === undefined) report(`${path}/spec/ratioMetric`, 'is required');
    return undefined;
  }
  const ratio = `${path}/spec/ratioMetric`;
  if (ratioMetric.counter !== true) report(`${ratio}/counter`, 'must be true: the queries rate() Prometheus counters');
  if (ratioMetric.raw !== undefined || ratioMetric.rawType !== undefined) report(`${ratio}/raw`, 'is not supported: give good (or bad) and total');
  if ((ratioMetric.good === undefined) === (ratioMetric.bad === undefined)) report(ratio, 'needs exactly one of good and bad');
  if (ratioMetric.total === undefined) report(`${ratio}/total`, 'is required');
  const numerator = ratioMetric.good ? 'good' : 'bad';
  const events = ratioMetric.good ?? ratioMetric.bad;
  const check = (metric: typeof events, at: string) => (metric ? checkQuery(metric.metricSource, `${at}/metricSource`, { ...context, report }) : '');
  const eventsQuery = check(events, `${ratio}/${numerator}`);
  const totalQuery = check(ratioMetric.total, `${ratio}/total`);
  return before.failed ? undefined : { numerator, events: eventsQuery, total: totalQuery };
}

function periodDaysOf(document: SloDocument, report: Context['report']): number | undefined {
  const windows = document.spec.timeWindow;
  // Sloth's default period when the manifest names none.
  if (windows === undefined) return 30;
  if (windows.length !== 1) {
    report('/spec/timeWindow', 'must hold exactly one time window');
    return undefined;
  }
  const [window] = windows;
  if (window!.calendar !== undefined || window!.isRolling === false) {
    report('/spec/timeWindow/0', 'must be a rolling window (isRolling: true): burn rates are measured over a rolling period');
    return undefined;
  }
  const match = /^(\d+)([dw])$/.exec(window!.duration);
  const days = match ? Number(match[1]) * (match[2] === 'w' ? 7 : 1) : undefined;
  if (days === undefined || !(SUPPORTED_PERIOD_DAYS as readonly number[]).includes(days)) {
    report('/spec/timeWindow/0/duration', `must be 28d, 4w or 30d (the periods the SRE workbook's alert windows are given for), not ${window!.duration}`);
    return undefined;
  }
  return days;
}

export function sloDefinitions(document: SloDocument, context: Context): SloDefinition[] {
  const { spec, metadata } = document;
  const { report } = context;
  const failures = { count: 0 };
  const counted: Context = {
    ...context,
    report: (path, message) => {
      failures.count += 1;
      report(path, message);
    },
  };
  if (spec.budgetingMethod !== 'Occurrences') counted.report('/spec/budgetingMethod', `is ${spec.budgetingMethod}; only Occurrences is supported (burn rates are ratios of events)`);
  if (spec.alertPolicies !== undefined && spec.alertPolicies.length > 0) {
    counted.report('/spec/alertPolicies', 'are not read: the multi-window burn-rate alerts are generated for every SLO (docs/observability.md)');
  }
  for (const key of Object.keys(metadata.annotations ?? {})) {
    if (key.startsWith('orca.dev/') && !(Object.values(SLO_ANNOTATIONS) as string[]).includes(key)) {
      counted.report(`/metadata/annotations/${key}`, `is not an ORCA annotation (${Object.values(SLO_ANNOTATIONS).join(', ')})`);
    }
  }
  const alertName = metadata.annotations?.[SLO_ANNOTATIONS.alertName] ?? `${pascal(spec.service)}${pascal(metadata.name)}ErrorBudgetBurn`;
  if (!ALERT_NAME.test(alertName)) counted.report(`/metadata/annotations/${SLO_ANNOTATIONS.alertName}`, 'must be letters, digits and _, not starting with a digit');
  let sli: SloDefinition['sli'] | undefined;
  if ((spec.indicator === undefined) === (spec.indicatorRef === undefined)) {
    counted.report('/spec', 'needs exactly one of indicator and indicatorRef');
  } else if (spec.indicator) {
    sli = indicatorOf(spec.indicator, '/spec/indicator', counted);
  } else {
    const referenced = context.slis.get(spec.indicatorRef!);
    if (!referenced) counted.report('/spec/indicatorRef', `names no SLI of the manifest (${spec.indicatorRef})`);
    else sli = indicatorOf(referenced, `/spec/indicatorRef → SLI ${referenced.metadata.name}`, counted);
  }
  const periodDays = periodDaysOf(document, counted.report);
  const objectives: number[] = [];
  spec.objectives.forEach((objective, index) => {
    const path = `/spec/objectives/${index}`;
    for (const field of ['op', 'value', 'timeSliceTarget', 'timeSliceWindow', 'indicator', 'indicatorRef', 'compositeWeight'] as const) {
      if (objective[field] !== undefined) counted.report(`${path}/${field}`, 'is not supported (threshold metrics, time slices and composite SLOs are not)');
    }
    if ((objective.target === undefined) === (objective.targetPercent === undefined)) {
      counted.report(path, 'needs exactly one of target and targetPercent');
      return;
    }
    const target = objective.target ?? objective.targetPercent! / 100;
    const field = objective.target !== undefined ? 'target' : 'targetPercent';
    if (!(target > 0 && target < 1)) counted.report(`${path}/${field}`, field === 'target' ? 'must be above 0 and below 1' : 'must be above 0 and below 100');
    else objectives.push(target);
  });
  if (failures.count > 0 || !sli || periodDays === undefined) return [];
  const several = spec.objectives.length > 1;
  return objectives.map((objective, index) => {
    const name = several ? `${metadata.name}-${index}` : metadata.name;
    const title = metadata.displayName ?? metadata.name;
    const displayName = several ? `${title} (${spec.objectives[index]!.displayName ?? index})` : title;
    return {
      id: `${spec.service}-${name}`,
      service: spec.service,
      name,
      displayName,
      description: spec.description,
      objective,
      periodDays,
      sli,
      labels: labelsOf(metadata),
      alertName: several ? `${alertName}${index}` : alertName,
      runbookUrl: metadata.annotations?.[SLO_ANNOTATIONS.runbookUrl],
    };
  });
}
