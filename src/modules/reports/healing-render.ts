/**
 * The healing report in Markdown, CSV and HTML, with the executive report's escaping (report-format.ts): contract and rule
 * names and failure reasons come from clients and endpoints and may hold markup, pipes or spreadsheet formulas.
 */
import { formatKpiValue } from './executive.js';
import type { HealingReport, OutcomeCounts } from './healing.js';
import { csvDocument, escapeHtml, htmlDocument, mdCell } from './report-format.js';

const num = (value: number | null) => (value === null ? '—' : String(value));
const rate = (value: number | null) => (value === null ? '—' : `${Math.round(value * 1000) / 10} %`);

const COUNT_COLUMNS = ['Total', 'In progress', 'Healed', 'Failed', 'Gave up', 'Skipped', 'Attempts', 'Heal rate'];
const countCells = (c: OutcomeCounts) => [c.total, c.in_progress, c.healed, c.failed, c.gave_up, c.skipped, c.attempts, rate(c.heal_rate)];

function durations(report: HealingReport): Array<[string, HealingReport['time_to_heal']['since_detection']]> {
  return [
    ['From gap detection', report.time_to_heal.since_detection],
    ['From the healing action', report.time_to_heal.after_action],
  ];
}

function selfResolutionText(report: HealingReport): string {
  const kpi = report.self_resolution;
  const inputs = kpi.inputs;
  return (
    `${formatKpiValue(kpi)} (${kpi.numerator} of ${kpi.denominator ?? 0} resolutions automatic): ` +
    `${inputs.gaps_closed_by_data ?? 0} gaps closed by data arriving on its own, ${inputs.gaps_healed_by_action ?? 0} healed by an action, ` +
    `${inputs.incidents_resolved_auto ?? 0} incidents resolved automatically.`
  );
}

export function toHealingMarkdown(report: HealingReport): string {
  const lines: string[] = ['# ORCA healing report', ''];
  lines.push(`Window: ${report.window} (${report.from} → ${report.to}); generated at ${report.generated_at}.`, '');
  lines.push('## Remediations by action', '');
  lines.push(`| Action | ${COUNT_COLUMNS.join(' | ')} |`, `|---|${COUNT_COLUMNS.map(() => '---').join('|')}|`);
  for (const row of report.by_action) lines.push(`| ${mdCell(row.action)} | ${countCells(row).join(' | ')} |`);
  lines.push(`| **all** | ${countCells(report.remediations).join(' | ')} |`);
  lines.push('', `## Time to heal (${report.time_to_heal.gaps} gaps healed), seconds`, '');
  lines.push('| Measured | Mean | Median | p90 | Max |', '|---|---|---|---|---|');
  for (const [label, stats] of durations(report)) {
    lines.push(`| ${label} | ${num(stats.mean_seconds)} | ${num(stats.median_seconds)} | ${num(stats.p90_seconds)} | ${num(stats.max_seconds)} |`);
  }
  lines.push('', '## Self-Resolution Ratio', '', mdCell(selfResolutionText(report)));
  lines.push('', '## Cost avoided', '', `$${report.cost_avoided.usd.toFixed(2)} over ${report.cost_avoided.gaps} gaps (${mdCell(report.cost_avoided.rule)}).`);
  lines.push('', '## Where healing fails', '');
  if (report.problems.length === 0) lines.push('No remediation failed or gave up.');
  else {
    lines.push('| Contract | Rule | Action | Failed or gave up | Latest reason |', '|---|---|---|---|---|');
    for (const p of report.problems) lines.push(`| ${mdCell(p.contract ?? '—')} | ${mdCell(p.rule)} | ${mdCell(p.action)} | ${p.count} | ${mdCell(p.last_reason ?? '')} |`);
  }
  lines.push('');
  return lines.join('\n');
}

const CSV_HEADER = ['section', 'item', 'total', 'in_progress', 'healed', 'failed', 'gave_up', 'skipped', 'attempts', 'value', 'detail'];

export function toHealingCsv(report: HealingReport): string {
  const rows: unknown[][] = [CSV_HEADER];
  const counts = (section: string, item: string, c: OutcomeCounts) => [section, item, c.total, c.in_progress, c.healed, c.failed, c.gave_up, c.skipped, c.attempts, c.heal_rate, 'heal_rate'];
  for (const row of report.by_action) rows.push(counts('action', row.action, row));
  rows.push(counts('all', 'remediations', report.remediations));
  for (const [label, stats] of durations(report)) {
    for (const [name, value] of Object.entries(stats)) rows.push(['time_to_heal', label, null, null, null, null, null, null, null, value, name]);
  }
  for (const [name, value] of Object.entries(report.self_resolution.inputs)) rows.push(['self_resolution', name, null, null, null, null, null, null, null, value, `window ${report.window}`]);
  rows.push(['self_resolution', 'ratio', null, null, null, null, null, null, null, report.self_resolution.value, `window ${report.window}`]);
  rows.push(['cost_avoided', 'usd', null, null, null, null, null, null, null, report.cost_avoided.usd, `${report.cost_avoided.gaps} gaps; ${report.cost_avoided.rule}`]);
  for (const p of report.problems) rows.push(['problem', `${p.contract ?? ''}/${p.rule}`, p.count, null, null, null, null, null, null, null, `${p.action}: ${p.last_reason ?? ''}`]);
  return csvDocument(rows);
}

export function toHealingHtml(report: HealingReport): string {
  const e = escapeHtml;
  const cells = (values: unknown[]) => values.map((value) => `<td class="n">${e(value)}</td>`).join('');
  const actionRows = report.by_action.map((row) => `<tr><td>${e(row.action)}</td>${cells(countCells(row))}</tr>`).join('\n');
  const durationRows = durations(report)
    .map(([label, s]) => `<tr><td>${e(label)}</td>${cells([num(s.mean_seconds), num(s.median_seconds), num(s.p90_seconds), num(s.max_seconds)])}</tr>`)
    .join('\n');
  const problemRows = report.problems
    .map((p) => `<tr><td>${e(p.contract ?? '—')}</td><td>${e(p.rule)}</td><td>${e(p.action)}</td><td class="n">${p.count}</td><td>${e(p.last_reason ?? '')}</td></tr>`)
    .join('\n');
  const meta = `Window ${e(report.window)}: ${e(report.from)} → ${e(report.to)} · generated ${e(report.generated_at)}`;
  return htmlDocument({ title: 'ORCA healing report', window: report.window, meta }, `<h2>Remediations by action</h2>
<table><thead><tr><th>Action</th>${COUNT_COLUMNS.map((c) => `<th>${e(c)}</th>`).join('')}</tr></thead><tbody>
${actionRows}
<tr><th>all</th>${cells(countCells(report.remediations))}</tr>
</tbody></table>
<h2>Time to heal (${report.time_to_heal.gaps} gaps healed), seconds</h2>
<table><thead><tr><th>Measured</th><th>Mean</th><th>Median</th><th>p90</th><th>Max</th></tr></thead><tbody>
${durationRows}
</tbody></table>
<h2>Self-Resolution Ratio</h2>
<p>${e(selfResolutionText(report))}</p>
<h2>Cost avoided</h2>
<p>$${e(report.cost_avoided.usd.toFixed(2))} over ${report.cost_avoided.gaps} gaps (${e(report.cost_avoided.rule)}).</p>
<h2>Where healing fails</h2>
${report.problems.length === 0 ? '<p>No remediation failed or gave up.</p>' : `<table><thead><tr><th>Contract</th><th>Rule</th><th>Action</th><th>Failed or gave up</th><th>Latest reason</th></tr></thead><tbody>\n${problemRows}\n</tbody></table>`}`);
}
