import { DEMO_CONTRACT_PREFIX, demoContracts } from '../contracts.js';
import type { AgentKey } from '../organisation.js';
import { allAgentsExist } from './agents.js';
import type { DemoSession } from './session.js';

/**
 * Puts the demo's sync contracts: they replace their previous version, anyone else's are kept. Returns the version
 * of the contracts document, or null when it was not sent or refused (then no gaps will be detected).
 */
export async function putDemoContracts({ client, note }: DemoSession, agentIds: Record<AgentKey, string>): Promise<number | null> {
  if (!allAgentsExist(agentIds)) {
    note('some demo agents are missing: the sync contracts (which name owner agents) were not sent');
    return null;
  }
  const current = await client.get<{ document: { contracts: Array<{ name: string }> } }>('/api/v1/sync/contracts');
  const others = current.status === 200 ? current.body.document.contracts.filter((contract) => !contract.name.startsWith(DEMO_CONTRACT_PREFIX)) : [];
  if (current.status !== 200 && current.status !== 404) note(`GET /api/v1/sync/contracts answered ${current.status}; the demo contracts replace the document`);
  const put = await client.put<{ version: number }>('/api/v1/sync/contracts', { contracts: [...others, ...demoContracts(agentIds)] });
  if (put.status === 200) return put.body.version;
  note(`the sync contracts were refused (${put.status} ${put.problem ?? ''}): no gaps will be detected`);
  return null;
}
