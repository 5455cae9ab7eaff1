/**
 * MCP servers: one source is one server, and one agent (`mcp_server`): its tools (name, description, input schema —
 * the fingerprint), its instructions (as its prompt) and its prompts (in its config); resources are listed as
 * details. HTTP goes through the outbound client's streaming fetch; stdio through a bounded transport
 * (mcp-stdio.ts). The run itself (mcp-session.ts) is loaded at the first run: the MCP SDK costs megabytes of heap
 * that a process which never discovers an MCP server would carry for nothing.
 */
import { McpConfigSchema, McpCredentialsSchema, validateMcpSource, type McpConfig, type McpCredentials } from './mcp-config.js';
import type { Connector } from './types.js';

export const mcpConnector: Connector<McpConfig, McpCredentials> = {
  kind: 'mcp',
  configSchema: McpConfigSchema,
  credentialsSchema: McpCredentialsSchema,
  validate: validateMcpSource,
  discover: async (context) => (await import('./mcp-session.js')).discoverMcpServer(context),
};
