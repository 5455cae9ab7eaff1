/**
 * One tool of ORCA's MCP server, and the registry the server is built from. A tool declares the role it needs
 * (the access of the REST route that calls the same service), its input and output as the same TypeBox schemas
 * the REST route validates and serialises with, and one call into a service. Adding a tool is adding an entry to
 * the list the container passes (docs/mcp.md "Adding a tool").
 */
import type { Static, TObject } from '@sinclair/typebox';
import type { Role } from '../../platform/http/roles.js';

/** A tool's access: a role, or a viewer's key or the ingest key that asked (the approval an agent polls). */
export type McpToolAccess = Role | 'viewer_or_requester';
import type { Principal } from '../../platform/http/actor.js';

export interface McpToolContext {
  principal: Principal;
  /** The HTTP request's correlation id: on the decision a tool records, on its log lines. */
  correlationId: string;
}

/** MCP tool annotations (hints for clients; the MCP specification, "Tool annotations"). */
export interface McpToolAnnotations {
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

export interface McpTool {
  /** snake_case, unique in the registry; the label of its metrics. */
  name: string;
  title: string;
  description: string;
  /** The key roles that may call it, as a REST route declares them (docs/SECURITY.md "Roles and permissions"). */
  access: McpToolAccess;
  inputSchema: TObject;
  outputSchema: TObject;
  annotations: McpToolAnnotations;
  call(input: unknown, context: McpToolContext): Promise<unknown>;
}

/** Types a tool's call by its schemas, then erases them so tools of different shapes share one registry. */
export function defineTool<I extends TObject, O extends TObject>(tool: {
  name: string;
  title: string;
  description: string;
  access: McpToolAccess;
  inputSchema: I;
  outputSchema: O;
  annotations: McpToolAnnotations;
  call(input: Static<I>, context: McpToolContext): Promise<Static<O>>;
}): McpTool {
  return tool as unknown as McpTool;
}

export type McpToolRegistry = readonly McpTool[];

const NAME = /^[a-z][a-z0-9_]{0,63}$/;

/** Checked once at start-up: a clash or a malformed name is a programming error, not something to serve. */
export function checkRegistry(tools: McpToolRegistry): void {
  const seen = new Set<string>();
  for (const tool of tools) {
    if (!NAME.test(tool.name)) throw new Error(`MCP tool name "${tool.name}" must be snake_case (a-z, 0-9, _), at most 64 characters`);
    if (seen.has(tool.name)) throw new Error(`MCP tool "${tool.name}" is registered twice`);
    if (tool.inputSchema.type !== 'object' || tool.outputSchema.type !== 'object') throw new Error(`MCP tool "${tool.name}": input and output schemas must be objects`);
    seen.add(tool.name);
  }
}
