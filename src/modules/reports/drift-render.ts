/**
 * The drift report in Markdown, CSV and HTML, with the executive report's escaping (report-format.ts): contract names and
 * agent names come from clients.
 */
import type { DriftReport, DriftStats } from './drift.js';
import { csvDocument, escapeHtml, htmlDocument, mdCell } from './report-format.js';

const usd = (value: number) => `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.round((seconds / 3600) * 10) / 10} h`;
  return `${Math.round((seconds / 86_400) * 10) / 10} d`;
}

interface Group {
  label: string;
  stats: DriftStats;
}

function groupsOf(report: DriftReport): Array<{ title: string; column: string; rows: Group[]; omitted: number }> {
  return [
    { title: 'By kind', column: 'Kind', rows: report.by_kind.map((row) => ({ label: row.type, stats: row })), omitted: 0 },
    {
      title: 'By contract',
      column: 'Contract',
      rows: report.by_contract.map((row) => ({ label: row.contract ?? '(no contract)', stats: row })),
      omitted: report.groups_omitted.by_contract,
    },
    {
      title: 'By owner agent',
      column: 'Owner agent',
      rows: report.by_owner_agent.map((row) => ({ label: row.agent_id === null ? '(unattributed)' : (row.agent_name ?? row.agent_id), stats: row })),
      omitted: report.groups_omitted.by_owner_agent,
    },
  ];
}

const HEADERS = ['Detected', 'Open', 'Resolved', 'Auto', 'Withdrawn', 'High+critical', 'Cost at stake', 'Avoided', 'Open cost', 'Mean time to resolve'];

function cells(stats: DriftStats): string[] {
  return [
    String(stats.detected),
    String(stats.open),
    String(stats.resolved),
    String(stats.resolved_auto),
    String(stats.withdrawn),
    String(stats.by_severity.high + stats.by_severity.critical),
    usd(stats.cost_usd),
    usd(stats.avoided_usd),
    usd(stats.open_cost_usd),
    duration(stats.mean_time_to_resolve_seconds),
  ];
}

export function driftToMarkdown(report: DriftReport): string {
  const lines = ['# ORCA drift report', ''];
  lines.push(`Window: ${report.window} (${report.from} → ${report.to}); generated at ${report.generated_at}.`);
  const t = report.totals;
  lines.push(
    `${t.detected} gaps detected: ${t.resolved} resolved (${t.resolved_auto} automatically), ${t.open} still open, ${t.withdrawn} withdrawn; ${usd(t.cost_usd)} at stake, ${usd(t.avoided_usd)} avoided.`,
  );
  lines.push(`Open at the end of the window (whenever detected): ${report.open_at_end.count} gaps, ${usd(report.open_at_end.cost_usd)}.`, '');
  for (const group of groupsOf(report)) {
    lines.push(`## ${group.title}`, '');
    if (group.rows.length === 0) lines.push('No gaps detected.');
    else {
      lines.push(`| ${group.column} | ${HEADERS.join(' | ')} |`, `|${'---|'.repeat(HEADERS.length + 1)}`);
      for (const row of group.rows) lines.push(`| ${mdCell(row.label)} | ${cells(row.stats).map(mdCell).join(' | ')} |`);
      if (group.omitted > 0) lines.push('', `${group.omitted} more not listed (the totals include them).`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

const CSV_HEADER = ['section', 'item', 'detected', 'open', 'resolved', 'resolved_auto', 'withdrawn', 'low', 'medium', 'high', 'critical', 'cost_usd', 'avoided_usd', 'open_cost_usd', 'mean_time_to_resolve_seconds'];

function csvRow(section: string, item: string | null, s: DriftStats): unknown[] {
  const v = s.by_severity;
  return [section, item, s.detected, s.open, s.resolved, s.resolved_auto, s.withdrawn, v.low, v.medium, v.high, v.critical, s.cost_usd, s.avoided_usd, s.open_cost_usd, s.mean_time_to_resolve_seconds];
}

/** RFC 4180, CRLF; one row per group; the owner agent's row carries its id (names are not unique). */
export function driftToCsv(report: DriftReport): string {
  const rows: unknown[][] = [CSV_HEADER, csvRow('total', null, report.totals)];
  for (const row of report.by_kind) rows.push(csvRow('kind', row.type, row));
  for (const row of report.by_contract) rows.push(csvRow('contract', row.contract, row));
  for (const row of report.by_owner_agent) rows.push(csvRow('owner_agent', row.agent_id, row));
  return csvDocument(rows);
}

/** Self-contained, with the executive report's stylesheet (so the same Content-Security-Policy hash applies). */
export function driftToHtml(report: DriftReport): string {
  const e = escapeHtml;
  const t = report.totals;
  const sections = groupsOf(report)
    .map((group) => {
      if (group.rows.length === 0) return `<h2>${e(group.title)}</h2>\n<p>No gaps detected.</p>`;
      const head = `<tr><th>${e(group.column)}</th>${HEADERS.map((h) => `<th>${e(h)}</th>`).join('')}</tr>`;
      const body = group.rows.map((row) => `<tr><td>${e(row.label)}</td>${cells(row.stats).map((c) => `<td class="n">${e(c)}</td>`).join('')}</tr>`).join('\n');
      const omitted = group.omitted > 0 ? `\n<p class="meta">${group.omitted} more not listed (the totals include them).</p>` : '';
      return `<h2>${e(group.title)}</h2>\n<table><thead>${head}</thead><tbody>\n${body}\n</tbody></table>${omitted}`;
    })
    .join('\n');
  const meta = `Window ${e(report.window)}: ${e(report.from)} → ${e(report.to)} · generated ${e(report.generated_at)}`;
  return htmlDocument({ title: 'ORCA drift report', window: report.window, meta }, `<p>${t.detected} gaps detected: ${t.resolved} resolved (${t.resolved_auto} automatically), ${t.open} still open, ${t.withdrawn} withdrawn; ${e(usd(t.cost_usd))} at stake, ${e(usd(t.avoided_usd))} avoided. Open at the end of the window (whenever detected): ${report.open_at_end.count} gaps, ${e(usd(report.open_at_end.cost_usd))}.</p>
${sections}`);
}
