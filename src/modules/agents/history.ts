import type { Actor } from '../../platform/http/actor.js';
import { newId } from '../../platform/ids.js';
import type { NewAgentEvent } from './agents.repository.js';
import type { AgentStatus } from './lifecycle.js';

/**
 * One entry of an agent's history, by `actor` under its correlation id: a status change, or a note with the status
 * unchanged (`from` equal to `to`). An entry for a definition seen adds its `fingerprint`. Every module that writes
 * history builds its entries here, so that they read alike.
 */
export function agentEvent(actor: Actor, agentId: string, action: string, from: AgentStatus | null, to: AgentStatus, reason: string | null): NewAgentEvent {
  return {
    id: newId(),
    agent_id: agentId,
    action,
    from_status: from,
    to_status: to,
    reason,
    actor: actor.id,
    fingerprint: null,
    correlation_id: actor.correlationId,
  };
}
