import { api, ok, type Schemas } from '../api/client.ts';
import { ButtonAction } from '../components/actions.tsx';
import { AgentLink } from '../components/agent-link.tsx';
import { Badge } from '../components/badge.tsx';
import { FilterForm, oneOf, withoutUndefined, type FilterField } from '../components/filter-form.tsx';
import { Pager } from '../components/pager.tsx';
import { Async } from '../components/states.tsx';
import { formatNumber, formatTime } from '../format.ts';
import { usePagedList, type PagedList } from '../hooks/use-paged-list.ts';
import { followLink, href } from '../router.ts';
import { useCan } from '../session.ts';
import type { PageProps } from './registry.ts';

type Run = Schemas['DiscoveryRun'];
type Source = Schemas['DiscoverySource'];
const RUN_STATUSES: readonly Run['status'][] = ['queued', 'running', 'succeeded', 'partial', 'failed'];
const FIELDS: readonly FilterField[] = [{ name: 'status', label: 'Run status', kind: 'select', options: RUN_STATUSES }];

const startRun = (sourceId: string) => ok(api.POST('/api/v1/discovery/runs', { body: { source_id: sourceId } }));

/** The newest run of each source on a page: the one row of that source that offers "Run again". */
export function newestRunPerSource(runs: readonly Pick<Run, 'id' | 'source_id'>[]): Set<string> {
  const seen = new Set<string>();
  const newest = new Set<string>();
  for (const run of runs) {
    if (seen.has(run.source_id)) continue;
    seen.add(run.source_id);
    newest.add(run.id);
  }
  return newest;
}

/** Sources hold credentials: only admins read them (the API refuses others), so only admins see this section. */
function Sources({ list, onStarted }: { list: PagedList<Source>; onStarted: () => void }) {
  return (
    <section aria-labelledby="sources-heading">
      <h2 id="sources-heading">Sources</h2>
      <Async resource={list.resource} label="discovery sources" retry={list.reload} isEmpty={(page) => page.items.length === 0} empty="No discovery source: connect one through the API (docs/discovery.md).">
        {(page) => (
          <table>
            <caption class="visually-hidden">Discovery sources, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Source</th>
                <th scope="col">Schedule</th>
                <th scope="col">Latest run</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((source) => (
                <tr>
                  <td>
                    {source.name} <span class="muted">({source.kind})</span>
                    {!source.enabled && <Badge value="disabled" />}
                    <div class="muted">credentials {source.credentials.set ? `set ${formatTime(source.credentials.set_at)}` : 'not set'}</div>
                  </td>
                  <td>{source.schedule ? `every ${source.schedule}` : 'on request'}</td>
                  <td>
                    {source.last_run ? (
                      <>
                        <Badge value={source.last_run.status} /> {formatTime(source.last_run.finished_at ?? source.last_run.created_at)}
                      </>
                    ) : (
                      'never run'
                      )}
                    </td>
                    <td>{source.enabled && <ButtonAction label={`Run ${source.name} now`} submit={() => startRun(source.id)} onDone={onStarted} />}</td>
                  </tr>
                ))}
              </tbody>
            </table>
        )}
      </Async>
      <Pager list={list} label="discovery sources" />
    </section>
  );
}

function Counts({ run }: { run: Run }) {
  return (
    <dl class="pairs counts">
      <dt>found</dt>
      <dd>{formatNumber(run.found)}</dd>
      <dt>new</dt>
      <dd>{formatNumber(run.new)}</dd>
      <dt>linked</dt>
      <dd>{formatNumber(run.linked)}</dd>
      <dt>changed</dt>
      <dd>{formatNumber(run.changed)}</dd>
      <dt>unchanged</dt>
      <dd>{formatNumber(run.unchanged)}</dd>
      <dt>missing</dt>
      <dd>{formatNumber(run.missing)}</dd>
    </dl>
  );
}

/**
 * Discovery (docs/discovery.md): the sources ORCA lists agents from (admins), each run with what it found, new,
 * linked, changed, unchanged and missing, and its errors; the suspicious tool descriptions runs found. An operator starts a
 * run; new agents wait in quarantine and changed ones for review (the review queue).
 */
export function DiscoveryPage({ query }: PageProps) {
  const isAdmin = useCan('admin');
  const canRun = useCan('operator');
  const status = oneOf(query, 'status', RUN_STATUSES);
  const sources = usePagedList<Source>(
    (cursor) => (isAdmin ? ok(api.GET('/api/v1/discovery/sources', { params: { query: { limit: 20, ...(cursor ? { cursor } : {}) } } })) : Promise.resolve({ items: [], next_cursor: null })),
    [isAdmin],
  );
  const names = new Map((sources.resource.status === 'ready' ? sources.resource.data.items : []).map((source) => [source.id, source.name]));
  const runs = usePagedList((cursor) => ok(api.GET('/api/v1/discovery/runs', { params: { query: { ...withoutUndefined({ status }), limit: 20, ...(cursor ? { cursor } : {}) } } })), [status]);
  const findings = usePagedList((cursor) => ok(api.GET('/api/v1/discovery/findings', { params: { query: { limit: 20, ...(cursor ? { cursor } : {}) } } })), []);
  const sourceLabel = (id: string) => names.get(id) ?? `source ${id.slice(0, 8)}`;
  return (
    <>
      <h1>Discovery</h1>
      <p class="muted">
        New agents a run finds wait in quarantine, approved ones whose definition changed wait for review: both are in the{' '}
        <a href={href('/review')} onClick={followLink}>
          review queue
        </a>
        .
      </p>
      {isAdmin && <Sources list={sources} onStarted={() => (runs.reload(), sources.reload())} />}

      <section aria-labelledby="runs-heading">
        <div class="page-header">
          <h2 id="runs-heading">Runs</h2>
          <button type="button" class="secondary" onClick={runs.reload}>
            Refresh runs
          </button>
        </div>
        <FilterForm id="runs" path="/discovery" fields={FIELDS} query={query} />
        <Async resource={runs.resource} label="discovery runs" retry={runs.reload} isEmpty={(page) => page.items.length === 0} empty="No discovery run matches.">
          {(page) => {
            const newest = newestRunPerSource(page.items);
            return (
              <table>
                <caption class="visually-hidden">Discovery runs, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Requested</th>
                    <th scope="col">Source</th>
                    <th scope="col">Status</th>
                    <th scope="col">Agents</th>
                    <th scope="col">Errors</th>
                    {canRun && <th scope="col">Action</th>}
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((run) => (
                    <tr>
                      <td>
                        {formatTime(run.created_at)}
                        <div class="muted">
                          {run.trigger} by <code>{run.requested_by}</code>
                        </div>
                      </td>
                      <td>{sourceLabel(run.source_id)}</td>
                      <td>
                        <Badge value={run.status} />
                        {run.finished_at && <div class="muted">finished {formatTime(run.finished_at)}</div>}
                      </td>
                      <td>
                        <Counts run={run} />
                      </td>
                      <td>
                        {run.errors.length === 0 ? (
                          'none'
                        ) : (
                          <ul class="plain-list" aria-label="Errors">
                            {run.errors.map((error) => (
                              <li>
                                <code>{error.code}</code> {error.message}
                                {error.external_id ? <span class="muted"> ({error.external_id})</span> : ''}
                              </li>
                            ))}
                          </ul>
                        )}
                      </td>
                      {canRun && (
                        <td>{newest.has(run.id) && <ButtonAction label={`Run ${sourceLabel(run.source_id)} again`} submit={() => startRun(run.source_id)} onDone={runs.reload} />}</td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            );
          }}
        </Async>
        <Pager list={runs} label="discovery runs" />
      </section>

      <section aria-labelledby="findings-heading">
        <h2 id="findings-heading">Suspicious tools found</h2>
        <Async resource={findings.resource} label="findings" retry={findings.reload} isEmpty={(page) => page.items.length === 0} empty="No tool description read as an injection or changed after approval.">
          {(page) => (
            <table>
              <caption class="visually-hidden">Tool poisoning and rug pulls found by discovery, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Detected</th>
                  <th scope="col">Agent and tool</th>
                  <th scope="col">Finding</th>
                  <th scope="col">Detail</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((finding) => (
                  <tr>
                    <td>{formatTime(finding.detected_at)}</td>
                    <td>
                      <AgentLink id={finding.agent_id} /> <code>{finding.tool}</code>
                    </td>
                    <td>
                      <Badge value={finding.kind} />
                      {finding.score !== null && <div class="muted">score {formatNumber(finding.score, 2)}</div>}
                      {finding.signals.length > 0 && <div class="muted">{finding.signals.join(', ')}</div>}
                    </td>
                    <td>{finding.detail}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Async>
        <Pager list={findings} label="findings" />
      </section>
    </>
  );
}
