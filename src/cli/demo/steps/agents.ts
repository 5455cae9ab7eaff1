import { AGENTS, DEMO_TAG, type AgentKey } from '../organisation.js';
import type { DemoSession } from './session.js';

type Agent = { id: string; external_id: string | null; status: string };

export interface DemoAgents {
  /** the id of every demo agent that exists (created now or found from an earlier run) */
  ids: Record<AgentKey, string>;
  summary: { created: number; reused: number };
}

/** Creates the demo agents, reusing those an earlier run created (found by their external id). */
export async function ensureAgents({ client, note }: DemoSession): Promise<DemoAgents> {
  const ids = {} as Record<AgentKey, string>;
  const summary = { created: 0, reused: 0 };
  const existing = (await client.listAll<Agent>(`/api/v1/agents?tag=${DEMO_TAG}`)) ?? [];
  for (const definition of AGENTS) {
    const externalId = definition.body.external_id as string;
    const found = existing.find((agent) => agent.external_id === externalId && agent.status !== 'retired');
    if (found) {
      ids[definition.key] = found.id;
      summary.reused++;
      continue;
    }
    const created = await client.post<Agent>('/api/v1/agents', definition.body);
    if (created.status === 201) {
      ids[definition.key] = created.body.id;
      summary.created++;
    } else {
      note(`agent "${String(definition.body.name)}" was not created (${created.status} ${created.problem ?? ''})`);
    }
  }
  return { ids, summary };
}

export function allAgentsExist(ids: Record<AgentKey, string>): boolean {
  return AGENTS.every((definition) => ids[definition.key] !== undefined);
}

/** Agents that could not be created still need an id in payloads (agent_id is optional there): a nil UUID. */
export function withPlaceholders(ids: Record<AgentKey, string>): Record<AgentKey, string> {
  const result = { ...ids };
  for (const definition of AGENTS) result[definition.key] ??= '00000000-0000-0000-0000-000000000000';
  return result;
}
