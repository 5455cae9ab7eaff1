/**
 * The executive report in Markdown, CSV and HTML. Every piece of data is escaped for its format: agent names
 * and gap kinds come from clients and may contain markup, pipes, quotes or spreadsheet formulas.
 */
import { createHash } from 'node:crypto';
import { KPI_NAMES } from '../trust/index.js';
import { formatKpiValue, KPI_LABELS, type ExecutiveReport, type Trend } from './executive.js';

/** Markdown table cell: no pipe, newline or HTML may break out of the cell or render as markup. */
export function mdCell(value: unknown): string {
  return String(value)
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([*_`[\]])/g, '\\$1');
}

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

/**
 * RFC 4180 field. Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is prefixed with an
 * apostrophe (OWASP CSV injection); numbers are written as numbers.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n']/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

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
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export function escapeHtml(value: unknown): string {
  return String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export const HTML_STYLE = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;margin:2rem auto;max-width:72rem;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #dde2ea;padding-bottom:.3rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #eef1f5}
th{background:#f5f7fa;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}
.band{display:inline-block;padding:0 .5rem;border-radius:.7rem;font-size:.85em}
.excellent{background:#dcf5e3;color:#135c2b}.good{background:#e5f0ff;color:#17457d}.fair{background:#fff3d6;color:#7a5300}
.critical{background:#fde2e1;color:#8c1d18}.no_data,.not_configured,.none{background:#eef1f5;color:#4a5568}
.meta{color:#5a6475}li{margin:.3rem 0}.sev{font-weight:600;text-transform:uppercase;font-size:.75em;margin-right:.4rem}
`;

/** CSP for the HTML report: nothing may load; only this exact inline stylesheet applies. */
export const HTML_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(HTML_STYLE).digest('base64')}'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`;

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
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ORCA executive summary (${e(report.window)})</title>
<style>${HTML_STYLE}</style>
</head>
<body>
<h1>ORCA executive summary</h1>
<p class="meta">Window ${e(report.window)}: ${e(report.from)} → ${e(report.to)} · previous ${e(report.previous_window.from)} → ${e(report.previous_window.to)} · generated ${e(report.generated_at)} · ${report.active_agents} active agents</p>
<h2>KPIs</h2>
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
${list(report.recommendations, 'None: the data does not warrant action.')}
</body>
</html>
`;
}
