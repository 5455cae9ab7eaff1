/**
 * What the kill switch needs from other modules, as narrow functions the container passes in. Two are optional
 * because the modules behind them may be absent from a build: without them the preview says what it could not
 * show (docs/kill-switch.md "Extension points").
 */
import type { Queryable } from '../../platform/db/index.js';

/** The active sync contracts' streams with the agent owning each (the sync module's freshness report). */
export type OwnedStreamsReader = () => Promise<ReadonlyArray<{ contract: string; stream: string; source: string; agent_id: string }>>;

/** The name of a source by id; null when there is none (deleted). */
export type SourceNameReader = (id: string) => Promise<string | null>;

export interface PendingApprovalView {
  id: string;
  agent_id: string;
  action: string;
  resource: string | null;
  requested_at: string;
  expires_at: string | null;
}

/** Approvals still waiting for a human, of any of these agents (the approvals module). */
export type PendingApprovalsReader = (agentIds: string[]) => Promise<PendingApprovalView[]>;

/**
 * Ids of the agents found by any of these discovery sources (the discovery module), read on the caller's
 * transaction: executing a kill switch resolves the criterion again inside the transaction that suspends.
 */
export type DiscoveredAgentsResolver = (sourceIds: string[], tx: Queryable) => Promise<string[]>;

export interface KillSwitchPorts {
  ownedStreams: OwnedStreamsReader;
  sourceName: SourceNameReader;
  pendingApprovals?: PendingApprovalsReader;
  discoveredAgents?: DiscoveredAgentsResolver;
}
