import { api, ApiError, ok, type Schemas } from '../api/client.ts';
import { Badge } from '../components/badge.tsx';
import { coverage } from '../components/chart-geometry.ts';
import { HeatMap, type HeatMapRow } from '../components/heat-map.tsx';
import { Async } from '../components/states.tsx';
import { formatRelative, formatSeconds, formatTime } from '../format.ts';
import { useResource } from '../hooks/use-resource.ts';
import { followLink, href } from '../router.ts';
import { SyncTabs } from './sync-tabs.tsx';

const DAY_MS = 86_400_000;
const HEAT_MAP_DAYS = 14;
/** Stale gaps read for the heat map: enough for weeks of a busy organisation, bounded so the page stays quick. */
const MAX_STALE_GAP_PAGES = 5;

/** The active contracts with the names of their owner agents, or null when none were ever written (the API's 404). */
async function activeContracts(): Promise<{ version: Schemas['SyncContractsVersion']; owners: Map<string, string> } | null> {
  let version: Schemas['SyncContractsVersion'];
  try {
    version = await ok(api.GET('/api/v1/sync/contracts'));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
  const ids = [...new Set(version.document.contracts.map((contract) => contract.owner))];
  // A name that cannot be read (a retired agent still is; anything else) falls back to the id.
  const names = await Promise.all(ids.map((id) => ok(api.GET('/api/v1/agents/{id}', { params: { path: { id } } })).then((agent) => agent.name, () => id)));
  return { version, owners: new Map(ids.map((id, index) => [id, names[index]!])) };
}

/** Stale gaps that may overlap the last `days` days, newest first as the API lists them. */
async function recentStaleGaps(since: number): Promise<{ gaps: Schemas['Gap'][]; complete: boolean }> {
  const gaps: Schemas['Gap'][] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_STALE_GAP_PAGES; page += 1) {
    const result = await ok(api.GET('/api/v1/sync/gaps', { params: { query: { type: 'stale', limit: 200, ...(cursor ? { cursor } : {}) } } }));
    gaps.push(...result.items);
    if (!result.next_cursor) return { gaps, complete: true };
    // Gaps are listed newest first: one detected before the window can still overlap it only while it stays open.
    const last = result.items[result.items.length - 1];
    if (last && Date.parse(last.detected_at) < since - 30 * DAY_MS) return { gaps, complete: true };
    cursor = result.next_cursor;
  }
  return { gaps, complete: false };
}

/** One heat-map row per stream of the freshness report: the share of each day it spent stale. */
export function staleRows(streams: readonly Schemas['StreamFreshness'][], gaps: readonly Schemas['Gap'][], start: number, days: number, now: number): HeatMapRow[] {
  return streams.map((stream) => {
    const intervals = gaps
      .filter((gap) => gap.contract === stream.contract && gap.stream === stream.stream)
      .map((gap) => ({ from: Date.parse(gap.detected_at), to: gap.resolved_at ? Date.parse(gap.resolved_at) : now }));
    return { label: `${stream.contract} / ${stream.stream}`, shares: coverage(intervals, start, DAY_MS, days) };
  });
}

export function SyncPage() {
  const [contracts, reloadContracts] = useResource(activeContracts, []);
  const [freshness, reloadFreshness] = useResource(() => ok(api.GET('/api/v1/sync/freshness')), []);
  const [heat, reloadHeat] = useResource(async () => {
    const now = Date.now();
    const start = Math.floor(now / DAY_MS) * DAY_MS - (HEAT_MAP_DAYS - 1) * DAY_MS;
    const [report, stale] = await Promise.all([ok(api.GET('/api/v1/sync/freshness')), recentStaleGaps(start)]);
    return { rows: staleRows(report.items, stale.gaps, start, HEAT_MAP_DAYS, now), start, complete: stale.complete };
  }, []);

  return (
    <>
      <h1>Sync</h1>
      <SyncTabs current="streams" />

      <section aria-labelledby="contracts-heading">
        <h2 id="contracts-heading">Contracts</h2>
        <Async resource={contracts} label="sync contracts" retry={reloadContracts} isEmpty={(data) => data === null} empty="No sync contracts yet: PUT /api/v1/sync/contracts writes them (docs/sync.md).">
          {(data) => (
            <>
              <p class="muted">
                Version {data!.version.version}, written {formatTime(data!.version.created_at)} by <code>{data!.version.created_by}</code>.
              </p>
              <table>
                <caption class="visually-hidden">Active sync contracts</caption>
                <thead>
                  <tr>
                    <th scope="col">Contract</th>
                    <th scope="col">Owner agent</th>
                    <th scope="col">Streams</th>
                    <th scope="col">Follow-ups</th>
                    <th scope="col">Lifecycles</th>
                    <th scope="col">Agreements</th>
                  </tr>
                </thead>
                <tbody>
                  {data!.version.document.contracts.map((contract) => (
                    <tr>
                      <th scope="row">
                        {contract.name}
                        {contract.description && <div class="muted">{contract.description}</div>}
                      </th>
                      <td>
                        <a href={href(`/agents/${contract.owner}`)} onClick={followLink}>
                          {data!.owners.get(contract.owner) ?? contract.owner}
                        </a>
                      </td>
                      <td>{contract.streams.map((stream) => `${stream.name ?? stream.entity_type} (${stream.freshness})`).join(', ')}</td>
                      <td>{contract.follow_ups?.length ?? 0}</td>
                      <td>{contract.lifecycles?.length ?? 0}</td>
                      <td>{contract.agreements?.length ?? 0}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </Async>
      </section>

      <section aria-labelledby="freshness-heading">
        <h2 id="freshness-heading">Stream freshness</h2>
        <Async resource={freshness} label="stream freshness" retry={reloadFreshness} isEmpty={(data) => data.items.length === 0} empty="No stream is monitored: the active contracts declare none.">
          {(data) => (
            <table>
              <caption class="visually-hidden">Freshness of every stream of the active contracts</caption>
              <thead>
                <tr>
                  <th scope="col">Contract / stream</th>
                  <th scope="col">Source</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last event</th>
                  <th scope="col">Lag</th>
                  <th scope="col">SLO</th>
                  <th scope="col">Open gaps</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((stream) => (
                  <tr>
                    <th scope="row">
                      {stream.contract} / {stream.stream}
                    </th>
                    <td>
                      {stream.source} · {stream.entity_type}
                    </td>
                    <td>
                      <Badge value={stream.status} />
                    </td>
                    <td>{formatRelative(stream.last_event_at)}</td>
                    <td>{formatSeconds(stream.lag_seconds)}</td>
                    <td>{formatSeconds(stream.slo_seconds)}</td>
                    <td>
                      {stream.open_gaps > 0 ? (
                        <a href={href('/sync/gaps', { status: 'open', contract: stream.contract, stream: stream.stream })} onClick={followLink}>
                          {stream.open_gaps}
                        </a>
                      ) : (
                        0
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Async>
      </section>

      <section aria-labelledby="heat-heading">
        <h2 id="heat-heading">Freshness over the last {HEAT_MAP_DAYS} days</h2>
        <Async resource={heat} label="the freshness history" retry={reloadHeat} isEmpty={(data) => data.rows.length === 0} empty="No stream is monitored.">
          {(data) => (
            <>
              <HeatMap
                title="Share of each day every stream spent stale (from its stale gaps)"
                rows={data.rows}
                columnStarts={Array.from({ length: HEAT_MAP_DAYS }, (_, day) => new Date(data.start + day * DAY_MS))}
              />
              {!data.complete && <p class="muted">Drawn from the {MAX_STALE_GAP_PAGES * 200} most recent stale gaps.</p>}
            </>
          )}
        </Async>
      </section>
    </>
  );
}
