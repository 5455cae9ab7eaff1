import { api, ok, type Schemas } from '../api/client.ts';
import { ReasonAction } from '../components/actions.tsx';
import { Badge } from '../components/badge.tsx';
import { FilterForm, oneOf, textOf, withoutUndefined, type FilterField } from '../components/filter-form.tsx';
import { Pager } from '../components/pager.tsx';
import { Async } from '../components/states.tsx';
import { formatJson, formatTime } from '../format.ts';
import { usePagedList } from '../hooks/use-paged-list.ts';
import { followLink, href } from '../router.ts';
import { useCan } from '../session.ts';
import type { PageProps } from './registry.ts';
import { SyncTabs } from './sync-tabs.tsx';

const TYPES: readonly Schemas['GapType'][] = ['stale', 'missing_record', 'out_of_order', 'duplicate', 'field_drift'];
const SEVERITIES: readonly Schemas['Severity'][] = ['low', 'medium', 'high', 'critical'];
const STATUSES = ['open', 'resolved'] as const;

const FIELDS: readonly FilterField[] = [
  { name: 'status', label: 'Status', kind: 'select', options: STATUSES },
  { name: 'type', label: 'Type', kind: 'select', options: TYPES },
  { name: 'severity', label: 'Severity', kind: 'select', options: SEVERITIES },
  { name: 'contract', label: 'Contract', kind: 'text' },
  { name: 'stream', label: 'Stream', kind: 'text' },
  { name: 'entity', label: 'Entity id', kind: 'text' },
];

export function SyncGapsPage({ query }: PageProps) {
  const canResolve = useCan('operator');
  const filters = {
    status: oneOf(query, 'status', STATUSES),
    type: oneOf(query, 'type', TYPES),
    severity: oneOf(query, 'severity', SEVERITIES),
    contract: textOf(query, 'contract'),
    stream: textOf(query, 'stream'),
    entity: textOf(query, 'entity'),
  };
  const list = usePagedList(
    (cursor) => ok(api.GET('/api/v1/sync/gaps', { params: { query: { ...withoutUndefined(filters), limit: 25, ...(cursor ? { cursor } : {}) } } })),
    [filters.status, filters.type, filters.severity, filters.contract, filters.stream, filters.entity],
  );
  return (
    <>
      <h1>Sync gaps</h1>
      <SyncTabs current="gaps" />
      <FilterForm id="gaps" path="/sync/gaps" fields={FIELDS} query={query} />
      <Async resource={list.resource} label="gaps" retry={list.reload} isEmpty={(page) => page.items.length === 0} empty="No gap matches these filters.">
        {(page) => (
          <table>
            <caption class="visually-hidden">Sync gaps, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Detected</th>
                <th scope="col">Gap</th>
                <th scope="col">Where</th>
                <th scope="col">Status</th>
                <th scope="col">Evidence</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((gap) => (
                <tr>
                  <td>
                    {formatTime(gap.detected_at)}
                    {gap.due_at && <div class="muted">due {formatTime(gap.due_at)}</div>}
                  </td>
                  <td>
                    <Badge value={gap.severity} /> {gap.type.replace(/_/g, ' ')}
                    <div class="muted">{gap.rule}</div>
                  </td>
                  <td>
                    {gap.contract ?? '—'}
                    {gap.stream ? ` / ${gap.stream}` : ''}
                    {gap.entity_id && (
                      <div>
                        {gap.entity_type ?? 'entity'} <code>{gap.entity_id}</code>
                      </div>
                    )}
                    {gap.agent_id && (
                      <div>
                        <a href={href(`/agents/${gap.agent_id}`)} onClick={followLink}>
                          owner agent
                        </a>
                      </div>
                    )}
                  </td>
                  <td>
                    <Badge value={gap.status} />
                    {gap.status === 'resolved' ? (
                      <div class="muted">
                        {gap.resolution} {formatTime(gap.resolved_at)}
                        {gap.resolution_reason ? `: ${gap.resolution_reason}` : ''}
                      </div>
                    ) : (
                      canResolve && (
                        <ReasonAction
                          label="Resolve"
                          reasonLabel="Why is this gap resolved?"
                          submit={(reason) => ok(api.POST('/api/v1/sync/gaps/{id}/resolve', { params: { path: { id: gap.id } }, body: { reason } }))}
                          onDone={list.reload}
                        />
                      )
                    )}
                  </td>
                  <td>
                    <details>
                      <summary>Details</summary>
                      <pre>{formatJson(gap.detail)}</pre>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Async>
      <Pager list={list} label="gaps" />
    </>
  );
}
