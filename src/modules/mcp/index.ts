import type { Logger } from '../../platform/telemetry/logger.js';
import type { Metrics } from '../../platform/telemetry/metrics.js';
import { createMcpMetrics } from './mcp.metrics.js';
import { mcpRoutes } from './mcp.routes.js';
import { createMcpEndpoint } from './mcp.server.js';
import type { McpToolRegistry } from './mcp-tool.js';

export { governanceTools, type GovernanceToolDeps } from './governance-tools.js';
export { defineTool, type McpTool, type McpToolContext, type McpToolRegistry } from './mcp-tool.js';

/**
 * ORCA as an MCP server. `tools` is the registry: the governance tools, and whatever other modules contribute
 * (each a `defineTool` entry calling its own service), in the order tools/list shows them.
 */
export function createMcpModule(deps: { tools: McpToolRegistry; version: string; logger: Logger; metrics: Metrics }) {
  const endpoint = createMcpEndpoint({ tools: deps.tools, version: deps.version, logger: deps.logger.child({ module: 'mcp' }), metrics: createMcpMetrics(deps.metrics.registry) });
  return { endpoint, routes: mcpRoutes(endpoint) };
}
