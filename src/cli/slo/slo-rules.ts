/**
 * Prometheus rules for SLOs, shaped as Sloth generates them (https://sloth.dev) so that Sloth's Grafana dashboards
 * and habits apply: per SLO, one group of SLI error-ratio recording rules (`slo:sli_error:ratio_rate<window>` for
 * every alert window, and the period from the 5-minute one), one group of metadata rules (objective, error budget,
 * burn rates, budget remaining, `sloth_slo_info`), and one group with the page and the ticket multi-window,
 * multi-burn-rate alerts. Pure: the SLOs in, the rule groups out.
 */
import { alertWindowsFor, burnFactor, recordedWindows, tidy, type AlertSeverity, type BurnWindow } from './alert-windows.js';
import { percentText, type SloDefinition } from './slo-definition.js';

export interface RecordingRule {
  record: string;
  expr: string;
  labels: Record<string, string>;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface RuleGroup {
  name: string;
  rules: Array<RecordingRule | AlertingRule>;
}

const WINDOW_LABEL = 'sloth_window';
/** The page alert goes to whoever is on call; the ticket one to the team's queue (the `severity` label routes). */
const SEVERITY_LABEL: Record<AlertSeverity, string> = { page: 'critical', ticket: 'warning' };

export const sliErrorMetric = (window: string) => `slo:sli_error:ratio_rate${window}`;

function idLabels(slo: SloDefinition): Record<string, string> {
  return { sloth_id: slo.id, sloth_service: slo.service, sloth_slo: slo.name };
}

/** `{sloth_id="…", sloth_service="…", sloth_slo="…"}`, as Sloth writes its filters. */
function filterOf(slo: SloDefinition): string {
  return `{${Object.entries(idLabels(slo))
    .map(([name, value]) => `${name}="${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`)
    .join(', ')}}`;
}

function fillWindow(query: string, window: string): string {
  return query.replace(/\{\{ *\.window *\}\}/g, window);
}

/** The error ratio over one window: bad / total, or 1 − good / total (Sloth's OpenSLO mapping). */
function sliExpression(slo: SloDefinition, window: string): string {
  const events = fillWindow(slo.sli.events, window).trim();
  const total = fillWindow(slo.sli.total, window).trim();
  if (slo.sli.numerator === 'bad') return `(${events})\n/\n(${total})\n`;
  return `(\n  1 - (\n    (\n      ${events}\n    )\n    /\n    (\n      ${total}\n    )\n  )\n)\n`;
}

function sliRecordingRules(slo: SloDefinition, windows: string[], period: string): RecordingRule[] {
  const labels = (window: string) => ({ ...idLabels(slo), [WINDOW_LABEL]: window, ...slo.labels });
  const rules = windows.map((window) => ({ record: sliErrorMetric(window), expr: sliExpression(slo, window), labels: labels(window) }));
  // The period's ratio from the shortest window's: a ratio of sums over time, not a mean of ratios, and far cheaper
  // than a rate over 30 days (Sloth's "optimized" SLI rule).
  const shortest = sliErrorMetric(windows[0]!);
  rules.push({
    record: sliErrorMetric(period),
    expr: `sum_over_time(${shortest}${filterOf(slo)}[${period}])\n/ ignoring (${WINDOW_LABEL})\ncount_over_time(${shortest}${filterOf(slo)}[${period}])\n`,
    labels: labels(period),
  });
  return rules;
}

function burnRateExpression(metric: string, slo: SloDefinition): string {
  return `${metric}${filterOf(slo)}\n/ on(sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio${filterOf(slo)}\n`;
}

function metadataRules(slo: SloDefinition, shortest: string, period: string): RecordingRule[] {
  const labels = { ...idLabels(slo), ...slo.labels };
  return [
    { record: 'slo:objective:ratio', expr: `vector(${slo.objective})`, labels },
    // The budget as a decimal literal: Sloth writes vector(1-0.999), which is 0.0010000000000000009 in binary.
    { record: 'slo:error_budget:ratio', expr: `vector(${tidy(1 - slo.objective)})`, labels },
    { record: 'slo:time_period:days', expr: `vector(${slo.periodDays})`, labels },
    { record: 'slo:current_burn_rate:ratio', expr: burnRateExpression(sliErrorMetric(shortest), slo), labels },
    { record: 'slo:period_burn_rate:ratio', expr: burnRateExpression(sliErrorMetric(period), slo), labels },
    { record: 'slo:period_error_budget_remaining:ratio', expr: `1 - slo:period_burn_rate:ratio${filterOf(slo)}`, labels },
    {
      record: 'sloth_slo_info',
      expr: 'vector(1)',
      labels: { ...labels, sloth_mode: 'cli-gen-openslo', sloth_objective: percentText(slo.objective), sloth_spec: 'openslo/v1' },
    },
  ];
}

/** Both windows of a pair above factor × budget: the long one proves it matters, the short one that it still happens. */
function windowPair(slo: SloDefinition, window: BurnWindow, errorBudget: number): string {
  const threshold = `(${burnFactor(window, slo.periodDays)} * ${errorBudget})`;
  const side = (range: string) => `max(${sliErrorMetric(range)}${filterOf(slo)} > ${threshold}) without (${WINDOW_LABEL})`;
  return `(\n    ${side(window.short)}\n    and\n    ${side(window.long)}\n)`;
}

function alertRule(slo: SloDefinition, severity: AlertSeverity, quick: BurnWindow, slow: BurnWindow): AlertingRule {
  const errorBudget = tidy(1 - slo.objective);
  const annotations: Record<string, string> = {
    title: `(${severity}) {{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is too fast.`,
    summary: `{{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is over expected.`,
    description:
      `${slo.displayName} (objective ${percentText(slo.objective)}% over ${slo.periodDays} days) is spending its error budget ` +
      `${severity === 'page' ? 'fast' : 'steadily'}: ${quick.budgetPercent}% within ${quick.long} or ${slow.budgetPercent}% within ${slow.long}.` +
      (slo.description ? ` ${slo.description}` : ''),
  };
  if (slo.runbookUrl) annotations.runbook_url = slo.runbookUrl;
  return {
    alert: slo.alertName,
    expr: `${windowPair(slo, quick, errorBudget)}\nor\n${windowPair(slo, slow, errorBudget)}\n`,
    labels: { severity: SEVERITY_LABEL[severity], sloth_severity: severity },
    annotations,
  };
}

export function sloRuleGroups(slos: SloDefinition[]): RuleGroup[] {
  return slos.flatMap((slo) => {
    const windows = alertWindowsFor(slo.periodDays);
    const recorded = recordedWindows(windows);
    const period = `${slo.periodDays}d`;
    return [
      { name: `sloth-slo-sli-recordings-${slo.id}`, rules: sliRecordingRules(slo, recorded, period) },
      { name: `sloth-slo-meta-recordings-${slo.id}`, rules: metadataRules(slo, recorded[0]!, period) },
      {
        name: `sloth-slo-alerts-${slo.id}`,
        rules: [alertRule(slo, 'page', windows.page.quick, windows.page.slow), alertRule(slo, 'ticket', windows.ticket.quick, windows.ticket.slow)],
      },
    ];
  });
}
