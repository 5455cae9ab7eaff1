/** Reaching the agents themselves: the kill switch, ORCA's own MCP server, and discovery of agents where they run. */
import { createDiscoveryModule } from '../modules/discovery/index.js';
import { createKillSwitchModule } from '../modules/killswitch/index.js';
import { createMcpModule, governanceTools } from '../modules/mcp/index.js';
import { AppError } from '../platform/errors.js';
import { ORCA_VERSION } from '../platform/version.js';
import type { BuiltModules, SharedDeps, Wiring } from './wiring.js';

export function wireAgentControl(w: Wiring, m: BuiltModules, { base, callingOut }: SharedDeps): Pick<BuiltModules, 'killSwitch' | 'mcp' | 'discovery'> {
  const { config, metrics, logger } = w;
  const killSwitch = createKillSwitchModule({
    ...base,
    agents: m.agents.service,
    ports: {
      ownedStreams: async () => (await m.sync.service.freshness()).items,
      sourceName: async (id) => {
        try {
          return (await m.sources.service.get(id)).name;
        } catch (error) {
          if (error instanceof AppError && error.code === 'not_found') return null;
          throw error;
        }
      },
      pendingApprovals: async (agentIds) =>
        (await m.approvals.service.pendingForAgents(agentIds)).map((approval) => ({
          id: approval.id,
          agent_id: approval.agent_id,
          action: approval.action,
          resource: approval.resource,
          requested_at: approval.created_at,
          expires_at: approval.expires_at,
        })),
      // Called only once a preview or an execution runs, after the discovery module below is built.
      discoveredAgents: (sourceIds, tx) => discovery.agentsFoundBy(sourceIds, tx),
    },
  });
  // The MCP tool registry: a module that offers tools adds its list here (docs/mcp.md "Adding a tool").
  const mcp = createMcpModule({
    tools: [...governanceTools({ agents: m.agents.service, policies: m.policies.service, trust: m.trust.service, sync: m.sync.service, approvals: m.approvals.service })],
    version: ORCA_VERSION,
    logger,
    metrics,
  });
  const discovery = createDiscoveryModule({
    ...base,
    ...callingOut,
    agents: m.agents.bulk,
    readAgent: (id) => m.agents.service.get(id),
    settings: {
      stdioCommands: config.discoveryStdioCommands,
      runTimeoutMs: config.discoveryRunTimeoutMs,
      maxItems: config.discoveryMaxItems,
      maxTools: config.discoveryMaxTools,
      maxDescriptionBytes: config.discoveryMaxDescriptionBytes,
      concurrency: config.discoveryConcurrency,
      requestTimeoutMs: config.outboundTimeoutMs,
      maxMessageBytes: config.outboundMaxResponseBytes,
      linkRules: config.discoveryLinkRules,
    },
    // New quarantined agents, agents to review and poisoned tools are alert conditions.
    onAgentsChanged: (correlationId) => m.alerts.requestEvaluation('discovery', correlationId),
  });
  return { killSwitch, mcp, discovery };
}
