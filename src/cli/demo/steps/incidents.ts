import type { AgentKey } from '../organisation.js';
import type { Anomalies } from '../scenario.js';
import type { DemoSession } from './session.js';

/**
 * Two incidents an operator would have filed: the order duplication (linked to its open duplicate gap) stays open,
 * the data exposure is resolved. Returns how many were created.
 */
export async function createIncidents({ client, note }: DemoSession, agentIds: Record<AgentKey, string>, anomalies: Anomalies): Promise<number> {
  let count = 0;
  const duplicateGap = await client.get<{ items: Array<{ id: string }> }>(
    '/api/v1/sync/gaps?type=duplicate&contract=demo-order-to-cash&status=open&limit=1',
  );
  const gapId = duplicateGap.status === 200 ? duplicateGap.body.items[0]?.id : undefined;
  const first = await client.post<{ id: string }>('/api/v1/incidents', {
    kind: 'order_duplication',
    severity: 'high',
    title: `Order ${anomalies.conflictingOrder ?? ''} replayed by Zapier with a different total`.replace('  ', ' '),
    ...(agentIds.orderSync ? { agent_id: agentIds.orderSync } : {}),
    ...(gapId ? { gap_id: gapId } : {}),
    loss_usd: 0,
    status: 'open',
  });
  if (first.status === 201) count++;
  else note(`POST /api/v1/incidents answered ${first.status} ${first.problem ?? ''}`);

  const second = await client.post<{ id: string }>('/api/v1/incidents', {
    kind: 'data_exposure',
    severity: 'medium',
    title: 'Support copilot drafted a reply containing a card number',
    ...(agentIds.supportCopilot ? { agent_id: agentIds.supportCopilot } : {}),
    loss_usd: 250,
    status: 'mitigated',
  });
  if (second.status === 201) {
    count++;
    const resolved = await client.post(`/api/v1/incidents/${second.body.id}/resolve`, {
      note: 'Reply blocked by the policy engine; prompt updated to never quote payment details',
    });
    if (resolved.status !== 200) note(`POST /api/v1/incidents/{id}/resolve answered ${resolved.status} ${resolved.problem ?? ''}`);
  } else if (first.status === 201) {
    note(`POST /api/v1/incidents answered ${second.status} ${second.problem ?? ''}`);
  }
  return count;
}
