import { api, ok, type Schemas } from '../api/client.ts';
import { Badge } from '../components/badge.tsx';
import { KpiCard, KPI_LABELS, type KpiName } from '../components/kpi-card.tsx';
import { LineChart } from '../components/line-chart.tsx';
import { Async } from '../components/states.tsx';
import { WindowPicker, WINDOWS } from '../components/window-picker.tsx';
import { formatTime, formatValue } from '../format.ts';
import { useResource } from '../hooks/use-resource.ts';
import { followLink, href, navigate } from '../router.ts';
import type { PageProps } from './registry.ts';

const TREND_KPIS: KpiName[] = ['trust_score', 'sync_freshness', 'drift_rate', 'compliance_sla'];
const WINDOW_MS: Record<string, number> = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000, '90d': 90 * 86_400_000 };

export function windowOf(query: URLSearchParams): string {
  const asked = query.get('window') ?? '30d';
  return (WINDOWS as readonly string[]).includes(asked) ? asked : '30d';
}

/** The KPI snapshots taken within the window, oldest first (the API lists newest first, 200 at most per page). */
async function snapshotsWithin(windowMs: number): Promise<Schemas['KpiSnapshot'][]> {
  const since = Date.now() - windowMs;
  const within: Schemas['KpiSnapshot'][] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 5; page += 1) {
    const result = await ok(api.GET('/api/v1/kpis/history', { params: { query: { limit: 200, ...(cursor ? { cursor } : {}) } } }));
    for (const snapshot of result.items) if (Date.parse(snapshot.at) >= since) within.push(snapshot);
    const last = result.items[result.items.length - 1];
    if (!result.next_cursor || !last || Date.parse(last.at) < since) break;
    cursor = result.next_cursor;
  }
  return within.reverse();
}

export function OverviewPage({ query }: PageProps) {
  const span = windowOf(query);
  const [kpis, reloadKpis] = useResource(() => ok(api.GET('/api/v1/kpis', { params: { query: { window: span } } })), [span]);
  const [history, reloadHistory] = useResource(() => snapshotsWithin(WINDOW_MS[span]!), [span]);
  const [report, reloadReport] = useResource(
    async () => (await ok(api.GET('/api/v1/reports/executive', { params: { query: { format: 'json', window: span } } }))) as Schemas['ExecutiveReport'],
    [span],
  );
  const [gaps, reloadGaps] = useResource(() => ok(api.GET('/api/v1/sync/gaps', { params: { query: { status: 'open', limit: 10 } } })), []);
  const [incidents, reloadIncidents] = useResource(() => ok(api.GET('/api/v1/incidents', { params: { query: { status: 'open', limit: 10 } } })), []);
  const [alerts, reloadAlerts] = useResource(() => ok(api.GET('/api/v1/alerts', { params: { query: { status: 'firing', limit: 10 } } })), []);

  return (
    <>
      <div class="page-header">
        <h1>Overview</h1>
        <WindowPicker id="overview-window" value={span} onChange={(next) => navigate(href('/', { window: next }), { replace: true })} />
      </div>

      <section aria-labelledby="kpis-heading">
        <h2 id="kpis-heading">KPIs over {span}</h2>
        <Async resource={kpis} label="KPIs" retry={reloadKpis}>
          {(data) => (
            <div class="kpi-grid">
              {(Object.keys(KPI_LABELS) as KpiName[]).map((name) => (
                <KpiCard name={name} kpi={data.kpis[name]} />
              ))}
            </div>
          )}
        </Async>
      </section>

      <section aria-labelledby="trends-heading">
        <h2 id="trends-heading">Trends</h2>
        <Async
          resource={history}
          label="KPI history"
          retry={reloadHistory}
          isEmpty={(snapshots) => snapshots.length < 2}
          empty="Trends appear once ORCA has taken two KPI snapshots in this window (one every TRUST_SNAPSHOT_INTERVAL)."
        >
          {(snapshots) => (
            <div class="chart-grid">
              {TREND_KPIS.map((name) => {
                const points = snapshots.flatMap((snapshot) => {
                  const value = snapshot.kpis[name].value;
                  return value === null ? [] : [{ at: Date.parse(snapshot.at), value }];
                });
                const unit = snapshots[0]!.kpis[name].unit;
                const bounds: [number, number] = unit === 'percent' || unit === 'score' ? [0, 100] : [0, Infinity];
                return points.length < 2 ? null : <LineChart title={KPI_LABELS[name]} points={points} format={(value) => formatValue(value, unit)} bounds={bounds} />;
              })}
            </div>
          )}
        </Async>
      </section>

      <div class="columns">
        <section aria-labelledby="risky-heading">
          <h2 id="risky-heading">Top risky agents</h2>
          <Async resource={report} label="top risky agents" retry={reloadReport} isEmpty={(data) => data.top_risky_agents.length === 0} empty="No active agent has a trust score yet.">
            {(data) => (
              <table>
                <caption class="visually-hidden">Agents with the lowest trust scores</caption>
                <thead>
                  <tr>
                    <th scope="col">Agent</th>
                    <th scope="col">Trust</th>
                    <th scope="col">Grade</th>
                  </tr>
                </thead>
                <tbody>
                  {data.top_risky_agents.map((agent) => (
                    <tr>
                      <td>
                        <a href={href(`/agents/${agent.agent_id}`)} onClick={followLink}>
                          {agent.name}
                        </a>
                      </td>
                      <td>{agent.score.toFixed(1)}</td>
                      <td>
                        <Badge value={agent.grade} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Async>
        </section>

        <section aria-labelledby="alerts-heading">
          <h2 id="alerts-heading">Firing alerts</h2>
          <Async resource={alerts} label="firing alerts" retry={reloadAlerts} isEmpty={(data) => data.items.length === 0} empty="No alert is firing.">
            {(data) => (
              <ul class="plain-list">
                {data.items.map((alert) => (
                  <li>
                    <Badge value={alert.labels.severity ?? 'info'} /> {alert.rule}
                    {alert.annotations.summary ? ` — ${alert.annotations.summary}` : ''} <span class="muted">since {formatTime(alert.starts_at)}</span>
                  </li>
                ))}
              </ul>
            )}
          </Async>
          <p>
            <a href={href('/alerts')} onClick={followLink}>
              All alerts
            </a>
          </p>
        </section>
      </div>

      <div class="columns">
        <section aria-labelledby="gaps-heading">
          <h2 id="gaps-heading">Open sync gaps</h2>
          <Async resource={gaps} label="open gaps" retry={reloadGaps} isEmpty={(data) => data.items.length === 0} empty="No sync gap is open.">
            {(data) => (
              <ul class="plain-list">
                {data.items.map((gap) => (
                  <li>
                    <Badge value={gap.severity} /> {gap.type.replace(/_/g, ' ')} on {gap.contract ?? '—'}
                    {gap.entity_id ? ` (${gap.entity_type ?? 'entity'} ${gap.entity_id})` : ''} <span class="muted">{formatTime(gap.detected_at)}</span>
                  </li>
                ))}
              </ul>
            )}
          </Async>
          <p>
            <a href={href('/sync/gaps', { status: 'open' })} onClick={followLink}>
              All open gaps
            </a>
          </p>
        </section>

        <section aria-labelledby="incidents-heading">
          <h2 id="incidents-heading">Open incidents</h2>
          <Async resource={incidents} label="open incidents" retry={reloadIncidents} isEmpty={(data) => data.items.length === 0} empty="No incident is open.">
            {(data) => (
              <ul class="plain-list">
                {data.items.map((incident) => (
                  <li>
                    <Badge value={incident.severity} /> {incident.title ?? incident.kind.replace(/_/g, ' ')}{' '}
                    {incident.agent_id && (
                      <a href={href(`/agents/${incident.agent_id}`)} onClick={followLink}>
                        agent
                      </a>
                    )}{' '}
                    <span class="muted">opened {formatTime(incident.opened_at)}</span>
                  </li>
                ))}
              </ul>
            )}
          </Async>
        </section>
      </div>
    </>
  );
}
