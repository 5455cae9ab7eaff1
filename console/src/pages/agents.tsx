import { api, ok, type Schemas } from '../api/client.ts';
import { Badge } from '../components/badge.tsx';
import { FilterForm, oneOf, textOf, withoutUndefined, type FilterField } from '../components/filter-form.tsx';
import { Pager } from '../components/pager.tsx';
import { Async } from '../components/states.tsx';
import { formatTime } from '../format.ts';
import { usePagedList } from '../hooks/use-paged-list.ts';
import { followLink, href } from '../router.ts';
import type { PageProps } from './registry.ts';

export const AGENT_STATUSES: readonly Schemas['AgentStatus'][] = ['active', 'suspended', 'quarantined', 'needs_review', 'missing', 'retired'];
const KINDS: readonly Schemas['AgentKind'][] = ['mcp_server', 'llm_agent', 'workflow', 'pipeline', 'function'];
const SOURCES: readonly Schemas['AgentSource'][] = ['manual', 'mcp', 'n8n', 'zapier', 'make', 'airflow', 'lambda'];

const FIELDS: readonly FilterField[] = [
  { name: 'q', label: 'Name contains', kind: 'text' },
  { name: 'status', label: 'Status', kind: 'select', options: AGENT_STATUSES },
  { name: 'kind', label: 'Kind', kind: 'select', options: KINDS },
  { name: 'source', label: 'Source', kind: 'select', options: SOURCES },
  { name: 'owner', label: 'Owner', kind: 'text' },
  { name: 'tag', label: 'Tag', kind: 'text' },
];

export function AgentsPage({ query }: PageProps) {
  const filters = {
    q: textOf(query, 'q'),
    status: oneOf(query, 'status', AGENT_STATUSES),
    kind: oneOf(query, 'kind', KINDS),
    source: oneOf(query, 'source', SOURCES),
    owner: textOf(query, 'owner'),
    tag: textOf(query, 'tag'),
  };
  const list = usePagedList(
    (cursor) => ok(api.GET('/api/v1/agents', { params: { query: { ...withoutUndefined(filters), limit: 25, ...(cursor ? { cursor } : {}) } } })),
    [filters.q, filters.status, filters.kind, filters.source, filters.owner, filters.tag],
  );
  return (
    <>
      <h1>Agents</h1>
      <FilterForm id="agents" path="/agents" fields={FIELDS} query={query} />
      <Async resource={list.resource} label="agents" retry={list.reload} isEmpty={(page) => page.items.length === 0} empty="No agent matches these filters.">
        {(page) => (
          <table>
            <caption class="visually-hidden">Agents, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Kind</th>
                <th scope="col">Source</th>
                <th scope="col">Owner</th>
                <th scope="col">Classification</th>
                <th scope="col">Tags</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((agent) => (
                <tr>
                  <td>
                    <a href={href(`/agents/${agent.id}`)} onClick={followLink}>
                      {agent.name}
                    </a>
                  </td>
                  <td>
                    <Badge value={agent.status} />
                  </td>
                  <td>{agent.kind.replace(/_/g, ' ')}</td>
                  <td>{agent.source}</td>
                  <td>{agent.owner ?? '—'}</td>
                  <td>{agent.classification}</td>
                  <td>{agent.tags.join(', ') || '—'}</td>
                  <td>{formatTime(agent.updated_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Async>
      <Pager list={list} label="agents" />
    </>
  );
}

