/**
 * The report kinds a schedule can name, each with what builds it and what renders it (docs/reports.md "Scheduled
 * reports"). Every kind has a builder in this version; a kind without one would fail its runs with a clear reason
 * rather than at creation, so that schedules written for it keep working once it exists.
 */
import { AppError } from '../../platform/errors.js';
import { KPI_NAMES } from '../trust/index.js';
import type { DriftReport } from './drift.js';
import { driftToCsv, driftToHtml, driftToMarkdown } from './drift-render.js';
import { formatKpiValue, KPI_LABELS, type ExecutiveReport } from './executive.js';
import type { HealingReport } from './healing.js';
import { toHealingCsv, toHealingHtml, toHealingMarkdown } from './healing-render.js';
import { toCsv, toHtml, toMarkdown } from './executive-render.js';
import type { ReportFormat } from './reports.schemas.js';

export const REPORT_KINDS = ['executive', 'drift', 'healing'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export const MEDIA_TYPES: Record<ReportFormat, string> = {
  json: 'application/json; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

export interface ReportBuilder<Report = unknown> {
  /** A heading for chat receivers: "Executive summary". */
  title: string;
  /** Where the API serves this report (GET, viewer), for links back to ORCA. */
  path: string;
  build(windowLabel: string, at: Date): Promise<Report>;
  markdown(report: Report): string;
  csv(report: Report): string;
  html(report: Report): string;
  /** A few lines with the headline figures: what a Slack message or an alert annotation shows. */
  summary(report: Report): string[];
}

export type ReportBuilders = Partial<Record<ReportKind, ReportBuilder>>;

export interface GeneratedReport {
  kind: ReportKind;
  /** The report as JSON (the object the API serves). */
  report: unknown;
  builder: ReportBuilder;
}

/** The report in a format: the JSON object itself for `json`, text otherwise. */
export function renderReport(generated: GeneratedReport, format: ReportFormat): { mediaType: string; text: string } {
  const { builder, report } = generated;
  const text = format === 'json' ? JSON.stringify(report) : format === 'md' ? builder.markdown(report) : format === 'csv' ? builder.csv(report) : builder.html(report);
  return { mediaType: MEDIA_TYPES[format], text };
}

export function builderFor(builders: ReportBuilders, kind: ReportKind): ReportBuilder {
  const builder = builders[kind];
  if (!builder) throw new AppError('unprocessable', `the ${kind} report is not available in this version of ORCA`);
  return builder;
}

export function executiveSummary(report: ExecutiveReport): string[] {
  const lines = KPI_NAMES.map((name) => {
    const kpi = report.kpis[name];
    return `${KPI_LABELS[name]}: ${formatKpiValue(kpi)}${kpi.band && kpi.band !== 'not_configured' ? ` (${kpi.band})` : ''}`;
  });
  lines.push(`${report.active_agents} active agents; ${report.insights.length} insights, ${report.recommendations.length} recommendations.`);
  return lines;
}

export function driftSummary(report: DriftReport): string[] {
  const t = report.totals;
  const usd = (value: number) => `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  const lines = [
    `${t.detected} gaps detected over ${report.window}: ${t.resolved} resolved (${t.resolved_auto} automatically), ${t.open} still open.`,
    `Cost at stake ${usd(t.cost_usd)}; avoided ${usd(t.avoided_usd)}; still open ${usd(t.open_cost_usd)}.`,
  ];
  for (const kind of report.by_kind.slice(0, 3)) lines.push(`${kind.type}: ${kind.detected} detected, ${kind.open} open, ${usd(kind.cost_usd)} at stake.`);
  return lines;
}

export function healingSummary(report: HealingReport): string[] {
  const r = report.remediations;
  const rate = r.heal_rate === null ? 'no heal rate yet' : `heal rate ${Math.round(r.heal_rate * 1000) / 10} %`;
  const lines = [
    `${r.total} remediations over ${report.window}: ${r.healed} healed, ${r.failed} failed, ${r.gave_up} gave up, ${r.skipped} skipped, ${r.in_progress} in progress (${rate}).`,
    `Self-Resolution Ratio: ${formatKpiValue(report.self_resolution)}${report.self_resolution.band && report.self_resolution.band !== 'not_configured' ? ` (${report.self_resolution.band})` : ''}.`,
    `Cost avoided $${report.cost_avoided.usd.toFixed(2)} over ${report.cost_avoided.gaps} gaps; median time to heal ${report.time_to_heal.since_detection.median_seconds ?? '—'} s from detection.`,
  ];
  for (const problem of report.problems.slice(0, 3)) lines.push(`${problem.action} on ${problem.contract ?? '—'} (${problem.rule}): ${problem.count} failed or gave up.`);
  return lines;
}

export function builtInBuilders(deps: {
  executive: (windowLabel: string, at: Date) => Promise<ExecutiveReport>;
  drift: (windowLabel: string, at: Date) => Promise<DriftReport>;
  healing: (windowLabel: string, at: Date) => Promise<HealingReport>;
}): ReportBuilders {
  const executive: ReportBuilder<ExecutiveReport> = {
    title: 'Executive summary',
    path: '/api/v1/reports/executive',
    build: deps.executive,
    markdown: toMarkdown,
    csv: toCsv,
    html: toHtml,
    summary: executiveSummary,
  };
  const drift: ReportBuilder<DriftReport> = {
    title: 'Drift report',
    path: '/api/v1/reports/drift',
    build: deps.drift,
    markdown: driftToMarkdown,
    csv: driftToCsv,
    html: driftToHtml,
    summary: driftSummary,
  };
  const healing: ReportBuilder<HealingReport> = {
    title: 'Healing report',
    path: '/api/v1/reports/healing',
    build: deps.healing,
    markdown: toHealingMarkdown,
    csv: toHealingCsv,
    html: toHealingHtml,
    summary: healingSummary,
  };
  // Method parameters are bivariant: a builder of one report type stands in the table of unknown reports.
  return { executive, drift, healing } as ReportBuilders;
}
