import { api, ok } from '../api/client.ts';
import { useResource } from '../hooks/use-resource.ts';
import { followLink, href } from '../router.ts';

/**
 * Names of agents referred to by id (approvals, kill-switch selections, findings): read once per id and visit, so a
 * page of twenty approvals of the same agent asks ORCA once. A name that cannot be read falls back to the id.
 */
const names = new Map<string, Promise<string>>();

function nameOf(id: string): Promise<string> {
  let name = names.get(id);
  if (!name) {
    name = ok(api.GET('/api/v1/agents/{id}', { params: { path: { id } } })).then((agent) => agent.name);
    // A failure is not remembered: the next page asks again.
    name.catch(() => names.delete(id));
    names.set(id, name);
  }
  return name;
}

/** A link to an agent's page, labelled with its name (shown as text, whatever it contains). */
export function AgentLink({ id }: { id: string }) {
  const [name] = useResource(() => nameOf(id), [id]);
  return (
    <a href={href(`/agents/${id}`)} onClick={followLink}>
      {name.status === 'ready' ? name.data : `agent ${id.slice(0, 8)}`}
    </a>
  );
}
