import { api, ok, type Schemas } from '../api/client.ts';
import { Badge } from '../components/badge.tsx';
import { KPI_LABELS, type KpiName } from '../components/kpi-card.tsx';
import { Async } from '../components/states.tsx';
import { WindowPicker } from '../components/window-picker.tsx';
import { formatTime, formatValue } from '../format.ts';
import { useResource } from '../hooks/use-resource.ts';
import { followLink, href, navigate } from '../router.ts';
import { windowOf } from './overview.tsx';
import type { PageProps } from './registry.ts';

const FORMATS = [
  { format: 'html', label: 'HTML', file: 'orca-executive-summary.html' },
  { format: 'md', label: 'Markdown', file: 'orca-executive-summary.md' },
  { format: 'csv', label: 'CSV', file: 'orca-executive-summary.csv' },
  { format: 'json', label: 'JSON', file: 'orca-executive-summary.json' },
] as const;

/** A download link is a plain same-origin GET: the session cookie authenticates it like any call of the console. */
export function reportUrl(format: string, window: string): string {
  return `/api/v1/reports/executive?${new URLSearchParams({ format, window }).toString()}`;
}

function trendText(trend: Schemas['KpiTrend'] | undefined, unit: Schemas['Kpi']['unit']): string {
  if (!trend || trend.delta === null) return 'no earlier data';
  const sign = trend.delta > 0 ? '+' : trend.delta < 0 ? '−' : '±';
  const verdict = trend.improved === null ? '' : trend.improved ? ' (better)' : ' (worse)';
  return `${sign}${formatValue(Math.abs(trend.delta), unit)}${verdict}`;
}

export function ReportsPage({ query }: PageProps) {
  const span = windowOf(query);
  const [report, reload] = useResource(
    async () => (await ok(api.GET('/api/v1/reports/executive', { params: { query: { format: 'json', window: span } } }))) as Schemas['ExecutiveReport'],
    [span],
  );
  return (
    <>
      <div class="page-header">
        <h1>Executive report</h1>
        <WindowPicker id="report-window" value={span} onChange={(next) => navigate(href('/reports', { window: next }), { replace: true })} />
      </div>
      <section aria-labelledby="downloads-heading">
        <h2 id="downloads-heading">Download</h2>
        <ul class="downloads">
          {FORMATS.map((entry) => (
            <li>
              <a class="button secondary" href={reportUrl(entry.format, span)} download={entry.file}>
                {entry.label}
              </a>
            </li>
          ))}
        </ul>
      </section>
      <Async resource={report} label="the executive report" retry={reload}>
        {(data) => (
          <>
            <p class="muted">
              {data.active_agents} active agents; window {formatTime(data.from)} – {formatTime(data.to)}, compared with the {data.window} before. Generated {formatTime(data.generated_at)}.
            </p>
            <section aria-labelledby="report-kpis-heading">
              <h2 id="report-kpis-heading">KPIs</h2>
              <table>
                <caption class="visually-hidden">KPIs with their bands and change from the previous window</caption>
                <thead>
                  <tr>
                    <th scope="col">KPI</th>
                    <th scope="col">Value</th>
                    <th scope="col">Band</th>
                    <th scope="col">Previous window</th>
                    <th scope="col">Change</th>
                  </tr>
                </thead>
                <tbody>
                  {(Object.keys(KPI_LABELS) as KpiName[]).map((name) => {
                    const kpi = data.kpis[name];
                    return (
                      <tr>
                        <th scope="row">{KPI_LABELS[name]}</th>
                        <td>{formatValue(kpi.value, kpi.unit)}</td>
                        <td>{kpi.band ? <Badge value={kpi.band} /> : '—'}</td>
                        <td>{formatValue(data.previous_kpis[name].value, kpi.unit)}</td>
                        <td>{trendText(data.trends[name], kpi.unit)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </section>
            <div class="columns">
              <section aria-labelledby="insights-heading">
                <h2 id="insights-heading">Insights</h2>
                {data.insights.length === 0 ? (
                  <p class="state state-empty">Nothing stands out.</p>
                ) : (
                  <ul class="plain-list">
                    {data.insights.map((finding) => (
                      <li>
                        <Badge value={finding.severity} /> {finding.text}
                      </li>
                    ))}
                  </ul>
                )}
              </section>
              <section aria-labelledby="recommendations-heading">
                <h2 id="recommendations-heading">Recommendations</h2>
                {data.recommendations.length === 0 ? (
                  <p class="state state-empty">No recommendation.</p>
                ) : (
                  <ul class="plain-list">
                    {data.recommendations.map((finding) => (
                      <li>
                        <Badge value={finding.severity} /> {finding.text}
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            </div>
            <div class="columns">
              <section aria-labelledby="report-risky-heading">
                <h2 id="report-risky-heading">Top risks</h2>
                {data.top_risky_agents.length === 0 ? (
                  <p class="state state-empty">No agent to rank yet.</p>
                ) : (
                  <ol>
                    {data.top_risky_agents.map((agent) => (
                      <li>
                        <a href={href(`/agents/${agent.agent_id}`)} onClick={followLink}>
                          {agent.name}
                        </a>{' '}
                        {agent.score.toFixed(1)} <Badge value={agent.grade} />
                      </li>
                    ))}
                  </ol>
                )}
              </section>
              <section aria-labelledby="report-gaps-heading">
                <h2 id="report-gaps-heading">Open gaps by kind</h2>
                {data.open_gaps_by_kind.length === 0 ? (
                  <p class="state state-empty">No open gap.</p>
                ) : (
                  <table>
                    <caption class="visually-hidden">Open sync gaps by type and severity</caption>
                    <thead>
                      <tr>
                        <th scope="col">Type</th>
                        <th scope="col">Open</th>
                        <th scope="col">Critical</th>
                        <th scope="col">High</th>
                        <th scope="col">Medium</th>
                        <th scope="col">Low</th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.open_gaps_by_kind.map((kind) => (
                        <tr>
                          <th scope="row">
                            <a href={href('/sync/gaps', { status: 'open', type: kind.type })} onClick={followLink}>
                              {kind.type.replace(/_/g, ' ')}
                            </a>
                          </th>
                          <td>{kind.count}</td>
                          <td>{kind.by_severity.critical}</td>
                          <td>{kind.by_severity.high}</td>
                          <td>{kind.by_severity.medium}</td>
                          <td>{kind.by_severity.low}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </section>
            </div>
          </>
        )}
      </Async>
    </>
  );
}
