import { TRANSITIONS, type LifecycleAction } from '../../../src/modules/agents/lifecycle.ts';
import { api, ok, type Schemas } from '../api/client.ts';
import { ReasonAction } from '../components/actions.tsx';
import { Badge } from '../components/badge.tsx';
import { Pager } from '../components/pager.tsx';
import { Async } from '../components/states.tsx';
import { formatTime } from '../format.ts';
import { usePagedList } from '../hooks/use-paged-list.ts';
import { useResource } from '../hooks/use-resource.ts';
import { followLink, href } from '../router.ts';
import { useCan } from '../session.ts';
import { TrustSection } from './agent-trust.tsx';
import type { PageProps } from './registry.ts';

const ACTION_LABELS: Record<LifecycleAction, string> = { suspend: 'Suspend', resume: 'Resume', quarantine: 'Quarantine', approve: 'Approve', retire: 'Retire' };

/** A fingerprint change as "old… → new…", from the previous history entry that carried one. */
export function fingerprintChanges(events: readonly Schemas['AgentEvent'][]): Map<string, { from: string | null; to: string }> {
  const changes = new Map<string, { from: string | null; to: string }>();
  let previous: string | null = null;
  for (const event of [...events].sort((a, b) => a.at.localeCompare(b.at))) {
    if (event.fingerprint === null) continue;
    if (event.fingerprint !== previous) changes.set(event.id, { from: previous, to: event.fingerprint });
    previous = event.fingerprint;
  }
  return changes;
}

/** One lifecycle call per action: each is its own operation in the API, typed by the generated client. */
function transition(action: LifecycleAction, id: string, reason: string) {
  const init = { params: { path: { id } }, body: { reason } };
  switch (action) {
    case 'suspend':
      return api.POST('/api/v1/agents/{id}/suspend', init);
    case 'resume':
      return api.POST('/api/v1/agents/{id}/resume', init);
    case 'quarantine':
      return api.POST('/api/v1/agents/{id}/quarantine', init);
    case 'approve':
      return api.POST('/api/v1/agents/{id}/approve', init);
    case 'retire':
      return api.POST('/api/v1/agents/{id}/retire', init);
  }
}

const short = (fingerprint: string | null) => (fingerprint ? fingerprint.slice(0, 12) : 'none');

export function AgentPage({ params }: PageProps) {
  const id = params.id!;
  const canOperate = useCan('operator');
  const [agent, reloadAgent] = useResource(() => ok(api.GET('/api/v1/agents/{id}', { params: { path: { id } } })), [id]);
  const [trust, reloadTrust] = useResource(() => ok(api.GET('/api/v1/agents/{id}/trust', { params: { path: { id } } })), [id]);
  const history = usePagedList((cursor) => ok(api.GET('/api/v1/agents/{id}/history', { params: { path: { id }, query: { limit: 50, ...(cursor ? { cursor } : {}) } } })), [id]);
  const violations = usePagedList((cursor) => ok(api.GET('/api/v1/violations', { params: { query: { agent_id: id, limit: 20, ...(cursor ? { cursor } : {}) } } })), [id]);
  const incidents = usePagedList((cursor) => ok(api.GET('/api/v1/incidents', { params: { query: { agent_id: id, limit: 20, ...(cursor ? { cursor } : {}) } } })), [id]);

  const reloadAll = () => {
    reloadAgent();
    reloadTrust();
    history.reload();
  };

  return (
    <Async resource={agent} label="the agent" retry={reloadAgent}>
      {(data) => (
        <>
          <p class="breadcrumb">
            <a href={href('/agents')} onClick={followLink}>
              Agents
            </a>{' '}
            / {data.name}
          </p>
          <div class="page-header">
            <h1>{data.name}</h1>
            <Badge value={data.status} />
          </div>
          {data.description && <p>{data.description}</p>}
          {data.status_reason && <p class="muted">Status reason: {data.status_reason}</p>}
          {canOperate && (
            <div class="toolbar" aria-label="Lifecycle actions" role="group">
              {(Object.keys(TRANSITIONS[data.status]) as LifecycleAction[]).map((action) => (
                <ReasonAction
                  label={ACTION_LABELS[action]}
                  danger={action === 'retire' || action === 'quarantine' || action === 'suspend'}
                  submit={(reason) => ok(transition(action, id, reason))}
                  onDone={reloadAll}
                />
              ))}
            </div>
          )}

          <section aria-labelledby="definition-heading">
            <h2 id="definition-heading">Definition</h2>
            <dl class="pairs wide">
              <dt>Kind</dt>
              <dd>{data.kind.replace(/_/g, ' ')}</dd>
              <dt>Source</dt>
              <dd>
                {data.source}
                {data.external_id ? ` (${data.external_id})` : ''}
              </dd>
              <dt>Owner</dt>
              <dd>{data.owner ?? '—'}</dd>
              <dt>Vendor / model</dt>
              <dd>
                {data.vendor ?? '—'} / {data.model ?? '—'}
              </dd>
              <dt>Classification</dt>
              <dd>{data.classification}</dd>
              <dt>Role</dt>
              <dd>{data.role ?? '—'}</dd>
              <dt>Targets</dt>
              <dd>{data.targets.join(', ') || '—'}</dd>
              <dt>Tags</dt>
              <dd>{data.tags.join(', ') || '—'}</dd>
              <dt>Fingerprint</dt>
              <dd>
                <code>{data.fingerprint}</code>
              </dd>
              <dt>Registered</dt>
              <dd>{formatTime(data.created_at)}</dd>
            </dl>
            {data.tools.length > 0 && (
              <>
                <h3>Tools</h3>
                <ul class="plain-list">
                  {data.tools.map((tool) => (
                    <li>
                      <code>{tool.name}</code>
                      {tool.description ? ` — ${tool.description}` : ''}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>

          <section aria-labelledby="trust-heading">
            <h2 id="trust-heading">Trust</h2>
            <Async resource={trust} label="the trust score" retry={reloadTrust}>
              {(score) => <TrustSection trust={score} />}
            </Async>
          </section>

          <section aria-labelledby="history-heading">
            <h2 id="history-heading">Lifecycle history</h2>
            <Async resource={history.resource} label="the history" retry={history.reload} isEmpty={(page) => page.items.length === 0} empty="No history yet.">
              {(page) => {
                const changes = fingerprintChanges(page.items);
                return (
                  <table>
                    <caption class="visually-hidden">Status and definition changes, oldest first</caption>
                    <thead>
                      <tr>
                        <th scope="col">When</th>
                        <th scope="col">Action</th>
                        <th scope="col">Status</th>
                        <th scope="col">Reason</th>
                        <th scope="col">By</th>
                        <th scope="col">Fingerprint</th>
                      </tr>
                    </thead>
                    <tbody>
                      {page.items.map((event) => {
                        const change = changes.get(event.id);
                        return (
                          <tr>
                            <td>{formatTime(event.at)}</td>
                            <td>{event.action.replace(/_/g, ' ')}</td>
                            <td>
                              {event.from_status ? `${event.from_status} → ` : ''}
                              {event.to_status}
                            </td>
                            <td>{event.reason ?? '—'}</td>
                            <td>
                              <code>{event.actor}</code>
                            </td>
                            <td>{change ? <code>{`${short(change.from)} → ${short(change.to)}`}</code> : 'unchanged'}</td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                );
              }}
            </Async>
            <Pager list={history} label="history" />
          </section>

          <section aria-labelledby="violations-heading">
            <h2 id="violations-heading">Recent policy violations</h2>
            <Async resource={violations.resource} label="violations" retry={violations.reload} isEmpty={(page) => page.items.length === 0} empty="No recorded violation.">
              {(page) => (
                <table>
                  <caption class="visually-hidden">Policy violations of this agent, newest first</caption>
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Rule</th>
                      <th scope="col">Severity</th>
                      <th scope="col">Decision</th>
                      <th scope="col">Detail</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.items.map((violation) => (
                      <tr>
                        <td>{formatTime(violation.at)}</td>
                        <td>{violation.rule}</td>
                        <td>
                          <Badge value={violation.severity} />
                        </td>
                        <td>
                          {violation.decision.replace(/_/g, ' ')} ({violation.mode}, policy v{violation.policy_version})
                        </td>
                        <td>{violation.detail}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </Async>
            <Pager list={violations} label="violations" />
          </section>

          <section aria-labelledby="incidents-heading">
            <h2 id="incidents-heading">Incidents</h2>
            <Async resource={incidents.resource} label="incidents" retry={incidents.reload} isEmpty={(page) => page.items.length === 0} empty="No incident involves this agent.">
              {(page) => (
                <ul class="plain-list">
                  {page.items.map((incident) => (
                    <li>
                      <Badge value={incident.severity} /> <Badge value={incident.status} /> {incident.title ?? incident.kind.replace(/_/g, ' ')}{' '}
                      <span class="muted">opened {formatTime(incident.opened_at)}</span>
                    </li>
                  ))}
                </ul>
              )}
            </Async>
            <Pager list={incidents} label="incidents" />
          </section>
        </>
      )}
    </Async>
  );
}
