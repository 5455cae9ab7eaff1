/**
 * The executive report in Markdown, CSV and HTML. Every piece of data is escaped for its format (report-format.ts):
 * agent names and gap kinds come from clients and may contain markup, pipes, quotes or spreadsheet formulas.
 */
import { KPI_NAMES } from '../trust/index.js';
import { formatKpiValue, KPI_LABELS, type ExecutiveReport, type Trend } from './executive.js';
import { csvDocument, escapeHtml, htmlDocument, mdCell } from './report-format.js';

function trendText(trend: Trend): string {
  if (trend.delta === null) return 'n/a';
  const sign = trend.delta > 0 ? '+' : '';
  return `${sign}${trend.delta} (${trend.direction}${trend.improved === null ? '' : trend.improved ? ', better' : ', worse'})`;
}

const num = (value: number | null) => (value === null ? '' : String(value));

export function toMarkdown(report: ExecutiveReport): string {
  const lines: string[] = [];
  lines.push('# ORCA executive summary', '');
  lines.push(`Window: ${report.window} (${report.from} → ${report.to}); previous window ${report.previous_window.from} → ${report.previous_window.to}.`);
  lines.push(`Generated at ${report.generated_at}; ${report.active_agents} active agents.`, '');
  lines.push('## KPIs', '');
  lines.push('| KPI | Value | Band | Numerator | Denominator | Previous | Change |');
  lines.push('|---|---|---|---|---|---|---|');
  for (const name of KPI_NAMES) {
    const kpi = report.kpis[name];
    lines.push(
      `| ${KPI_LABELS[name]} | ${mdCell(formatKpiValue(kpi))} | ${kpi.band ?? '—'} | ${kpi.numerator} | ${kpi.denominator ?? '—'} | ${mdCell(formatKpiValue(report.previous_kpis[name]))} | ${mdCell(trendText(report.trends[name]))} |`,
    );
  }
  lines.push('', '## Top risky agents', '');
  if (report.top_risky_agents.length === 0) lines.push('No active agents.');
  else {
    lines.push('| Agent | Trust | Grade | Confidence | Reliability | Policy | Freshness | Risk exposure |');
    lines.push('|---|---|---|---|---|---|---|---|');
    for (const agent of report.top_risky_agents) {
      const c = agent.components;
      lines.push(
        `| ${mdCell(agent.name)} | ${agent.score} | ${agent.grade} | ${agent.confidence} | ${c.reliability === null ? 'no runs' : round4(c.reliability)} | ${round4(c.policy_adherence)} | ${round4(c.freshness)} | ${round4(c.risk_exposure)} |`,
      );
    }
  }
  lines.push('', '## Open sync gaps by kind', '');
  if (report.open_gaps_by_kind.length === 0) lines.push('No open gaps.');
  else {
    lines.push('| Kind | Open | Low | Medium | High | Critical |');
    lines.push('|---|---|---|---|---|---|');
    for (const kind of report.open_gaps_by_kind) {
      const s = kind.by_severity;
      lines.push(`| ${mdCell(kind.type)} | ${kind.count} | ${s.low} | ${s.medium} | ${s.high} | ${s.critical} |`);
    }
  }
  lines.push('', '## Insights', '');
  if (report.insights.length === 0) lines.push('Nothing in the data calls for attention.');
  for (const finding of report.insights) lines.push(`- **${finding.severity}** ${mdCell(finding.text)}`);
  lines.push('', '## Recommendations', '');
  if (report.recommendations.length === 0) lines.push('None: the data does not warrant action.');
  for (const finding of report.recommendations) lines.push(`- **${finding.severity}** ${mdCell(finding.text)}`);
  lines.push('');
  return lines.join('\n');
}

const round4 = (value: number) => Math.round(value * 10_000) / 10_000;

const CSV_HEADER = ['section', 'item', 'value', 'band', 'numerator', 'denominator', 'previous', 'delta', 'detail'];

export function toCsv(report: ExecutiveReport): string {
  const rows: unknown[][] = [CSV_HEADER];
  for (const name of KPI_NAMES) {
    const kpi = report.kpis[name];
    const trend = report.trends[name];
    rows.push(['kpi', name, kpi.value, kpi.band, kpi.numerator, kpi.denominator, trend.previous, trend.delta, `window ${report.window}`]);
  }
  for (const agent of report.top_risky_agents) {
    rows.push(['risky_agent', agent.name, agent.score, agent.grade, null, null, null, null, `agent_id ${agent.agent_id}; confidence ${agent.confidence}`]);
  }
  for (const kind of report.open_gaps_by_kind) {
    const s = kind.by_severity;
    rows.push(['open_gaps', kind.type, kind.count, null, null, null, null, null, `low ${s.low}; medium ${s.medium}; high ${s.high}; critical ${s.critical}`]);
  }
  for (const finding of report.insights) rows.push(['insight', finding.topic, null, finding.severity, null, null, null, null, finding.text]);
  for (const finding of report.recommendations) rows.push(['recommendation', finding.topic, null, finding.severity, null, null, null, null, finding.text]);
  return csvDocument(rows);
}

function band(value: string | null): string {
  const name = value ?? 'none';
  return `<span class="band ${escapeHtml(name)}">${escapeHtml(value ?? '—')}</span>`;
}

export function toHtml(report: ExecutiveReport): string {
  const e = escapeHtml;
  const kpiRows = KPI_NAMES.map((name) => {
    const kpi = report.kpis[name];
    return `<tr><td>${e(KPI_LABELS[name])}</td><td class="n">${e(formatKpiValue(kpi))}</td><td>${band(kpi.band)}</td><td class="n">${e(kpi.numerator)}</td><td class="n">${e(num(kpi.denominator))}</td><td class="n">${e(formatKpiValue(report.previous_kpis[name]))}</td><td>${e(trendText(report.trends[name]))}</td></tr>`;
  }).join('\n');
  const agentRows = report.top_risky_agents
    .map((agent) => {
      const c = agent.components;
      return `<tr><td>${e(agent.name)}</td><td class="n">${e(agent.score)}</td><td>${band(agent.grade)}</td><td class="n">${e(agent.confidence)}</td><td class="n">${c.reliability === null ? 'no runs' : e(round4(c.reliability))}</td><td class="n">${e(round4(c.policy_adherence))}</td><td class="n">${e(round4(c.freshness))}</td><td class="n">${e(round4(c.risk_exposure))}</td></tr>`;
    })
    .join('\n');
  const gapRows = report.open_gaps_by_kind
    .map((kind) => {
      const s = kind.by_severity;
      return `<tr><td>${e(kind.type)}</td><td class="n">${kind.count}</td><td class="n">${s.low}</td><td class="n">${s.medium}</td><td class="n">${s.high}</td><td class="n">${s.critical}</td></tr>`;
    })
    .join('\n');
  const list = (findings: ExecutiveReport['insights'], empty: string) =>
    findings.length === 0 ? `<p>${e(empty)}</p>` : `<ul>${findings.map((f) => `<li><span class="sev">${e(f.severity)}</span>${e(f.text)}</li>`).join('')}</ul>`;
  const meta = `Window ${e(report.window)}: ${e(report.from)} → ${e(report.to)} · previous ${e(report.previous_window.from)} → ${e(report.previous_window.to)} · generated ${e(report.generated_at)} · ${report.active_agents} active agents`;
  return htmlDocument({ title: 'ORCA executive summary', window: report.window, meta }, `<h2>KPIs</h2>
<table><thead><tr><th>KPI</th><th>Value</th><th>Band</th><th>Numerator</th><th>Denominator</th><th>Previous</th><th>Change</th></tr></thead>
<tbody>
${kpiRows}
</tbody></table>
<h2>Top risky agents</h2>
${report.top_risky_agents.length === 0 ? '<p>No active agents.</p>' : `<table><thead><tr><th>Agent</th><th>Trust</th><th>Grade</th><th>Confidence</th><th>Reliability</th><th>Policy</th><th>Freshness</th><th>Risk exposure</th></tr></thead><tbody>\n${agentRows}\n</tbody></table>`}
<h2>Open sync gaps by kind</h2>
${report.open_gaps_by_kind.length === 0 ? '<p>No open gaps.</p>' : `<table><thead><tr><th>Kind</th><th>Open</th><th>Low</th><th>Medium</th><th>High</th><th>Critical</th></tr></thead><tbody>\n${gapRows}\n</tbody></table>`}
<h2>Insights</h2>
${list(report.insights, 'Nothing in the data calls for attention.')}
<h2>Recommendations</h2>
${list(report.recommendations, 'None: the data does not warrant action.')}`);
}
