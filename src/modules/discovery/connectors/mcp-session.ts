/**
 * The MCP discovery run itself, through the official TypeScript SDK's client: Streamable HTTP (falling back to the
 * older HTTP+SSE transport when the server answers the first POST with a 4xx other than 401/403), SSE, or stdio.
 * mcp.ts loads this module at a source's first run, so that a process that never discovers an MCP server never
 * loads the SDK (and zod, which it brings).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ListPromptsResultSchema, ListResourcesResultSchema, ListToolsResultSchema, McpError, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { OutboundError } from '../../../platform/outbound/index.js';
import { ORCA_VERSION } from '../../../platform/version.js';
import type { AgentTool } from '../../agents/index.js';
import { serverIdOf, stdioAllowed, type McpConfig, type McpCredentials } from './mcp-config.js';
import { BoundedStdioTransport, MalformedMessage } from './mcp-stdio.js';
import { clip, hashOf, nameOf } from './shape.js';
import { ConnectorFailure, type ConnectorContext, type ConnectorResult, type DiscoveredAgent } from './types.js';

type Context = ConnectorContext<McpConfig, McpCredentials>;

/** The least time an MCP session may take to initialize. */
const CONNECT_TIMEOUT_MS = 30_000;

/** Resources are data, not capabilities: only the first ones are kept as details, for a reader. */
const RESOURCES_KEPT = 100;

/** What a server did that breaks the protocol (not an answer we could not get): the run is partial, not failed. */
function isProtocolViolation(error: Error): boolean {
  return error instanceof MalformedMessage || error.name === 'ZodError' || error instanceof SyntaxError || /unknown message|Unknown message type/i.test(error.message);
}

function httpHeaders(credentials: McpCredentials | null): Record<string, string> {
  return { ...(credentials?.headers ?? {}), ...(credentials?.bearer_token ? { authorization: `Bearer ${credentials.bearer_token}` } : {}) };
}

function failureOfConnect(error: unknown): ConnectorFailure {
  if (error instanceof ConnectorFailure) return error;
  const code = (error as { code?: unknown }).code;
  if (code === 401 || code === 403) return new ConnectorFailure('unauthorized', `the MCP server refused the credentials (HTTP ${code})`);
  if (error instanceof OutboundError) return new ConnectorFailure(error.reason === 'timeout' ? 'timeout' : 'unreachable', `the MCP server did not answer: ${error.message}`);
  if (error instanceof McpError && error.code === -32001) return new ConnectorFailure('timeout', 'the MCP server did not complete initialization in time');
  if (typeof code === 'number' && code >= 400) return new ConnectorFailure('unexpected_status', `the MCP server answered HTTP ${code}`);
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new ConnectorFailure('not_found', 'the stdio command was not found');
  if (error instanceof Error && isProtocolViolation(error)) return new ConnectorFailure('malformed_response', `the MCP server broke the protocol while initializing: ${clip(error.message, 300)}`);
  return new ConnectorFailure('connect_failed', `could not initialize an MCP session: ${clip(error instanceof Error ? error.message : String(error), 300)}`);
}

function transportsOf(context: Context): Array<() => Transport> {
  const { config, credentials, outbound } = context;
  if (config.transport === 'stdio') {
    if (!stdioAllowed(context.stdioCommands, config.command ?? '', config.args ?? [])) {
      throw new ConnectorFailure('not_allowed', 'the stdio command is no longer allowed by DISCOVERY_STDIO_COMMANDS');
    }
    return [() => new BoundedStdioTransport({ command: config.command!, args: config.args ?? [], env: credentials?.env ?? {}, maxMessageBytes: context.limits.maxMessageBytes })];
  }
  const url = new URL(config.url!);
  const fetch = outbound.fetch({ kind: 'discovery', id: context.sourceId }, { correlationId: context.correlationId });
  const requestInit = { headers: httpHeaders(credentials) };
  const sse = () => new SSEClientTransport(url, { fetch, requestInit });
  if (config.transport === 'sse') return [sse];
  return [() => new StreamableHTTPClientTransport(url, { fetch, requestInit, reconnectionOptions: { maxRetries: 0, initialReconnectionDelay: 1000, maxReconnectionDelay: 1000, reconnectionDelayGrowFactor: 1 } }), sse];
}

/** Spec: a client that gets a 4xx (other than 401/403) to its first POST is talking to a server of the older HTTP+SSE transport. */
const shouldFallBack = (error: unknown) => error instanceof StreamableHTTPError && typeof error.code === 'number' && error.code >= 400 && error.code < 500 && error.code !== 401 && error.code !== 403;

interface Session {
  client: Client;
  violation: () => Error | undefined;
}

async function connect(context: Context): Promise<Session> {
  // Starting a stdio server (a process, often through npx) may take longer than one request: the run's deadline
  // still bounds it.
  const options = { timeout: Math.max(context.limits.requestTimeoutMs, CONNECT_TIMEOUT_MS), signal: context.signal };
  const candidates = transportsOf(context);
  for (const [index, make] of candidates.entries()) {
    const client = new Client({ name: 'orca-discovery', version: ORCA_VERSION }, { capabilities: {} });
    let violation: Error | undefined;
    // A server that breaks the protocol ends the session at once: waiting out each request's timeout would let one
    // hostile server hold the run (and the queue slot) for as long as it likes.
    client.onerror = (error) => {
      if (violation || !isProtocolViolation(error)) return;
      violation = error;
      void client.close();
    };
    try {
      await client.connect(make(), options);
      return { client, violation: () => violation };
    } catch (error) {
      await client.close().catch(() => undefined);
      if (index < candidates.length - 1 && shouldFallBack(error)) continue;
      throw failureOfConnect(violation ?? error);
    }
  }
  throw new ConnectorFailure('connect_failed', 'no MCP transport to try');
}

/** Every page of a list, stopping one item past `max` (the caller refuses the server) or at a repeated cursor. */
async function listAll<T>(fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string | undefined }>, max: number): Promise<T[]> {
  const items: T[] = [];
  const cursors = new Set<string>();
  let cursor: string | undefined;
  for (;;) {
    const page = await fetchPage(cursor);
    items.push(...page.items.slice(0, max + 1 - items.length));
    if (items.length > max || !page.nextCursor) return items;
    if (cursors.has(page.nextCursor)) throw new MalformedMessage('the server returned a cursor it had returned before (a pagination loop)');
    cursors.add(page.nextCursor);
    cursor = page.nextCursor;
  }
}

function toolOf(tool: Tool): AgentTool {
  return {
    name: tool.name,
    description: tool.description ?? null,
    input_schema_hash: hashOf(tool.inputSchema),
    ...(tool.title !== undefined ? { title: tool.title } : {}),
    ...(tool.outputSchema !== undefined ? { output_schema_hash: hashOf(tool.outputSchema) } : {}),
    ...(tool.annotations !== undefined ? { annotations: tool.annotations as Record<string, unknown> } : {}),
  };
}

async function describeServer(context: Context, client: Client): Promise<DiscoveredAgent> {
  const options = { timeout: context.limits.requestTimeoutMs, maxTotalTimeout: context.limits.requestTimeoutMs, signal: context.signal };
  const capabilities = client.getServerCapabilities() ?? {};
  const server = client.getServerVersion();
  const max = context.limits.maxTools;
  const tools = capabilities.tools
    ? await listAll(async (cursor) => {
        const page = await client.request({ method: 'tools/list', params: cursor ? { cursor } : {} }, ListToolsResultSchema, options);
        return { items: page.tools, nextCursor: page.nextCursor };
      }, max)
    : [];
  const prompts = capabilities.prompts
    ? await listAll(async (cursor) => {
        const page = await client.request({ method: 'prompts/list', params: cursor ? { cursor } : {} }, ListPromptsResultSchema, options);
        return { items: page.prompts, nextCursor: page.nextCursor };
      }, max)
    : [];
  const resources = capabilities.resources
    ? await listAll(async (cursor) => {
        const page = await client.request({ method: 'resources/list', params: cursor ? { cursor } : {} }, ListResourcesResultSchema, options);
        return { items: page.resources, nextCursor: page.nextCursor };
      }, max)
    : [];
  const unique = new Map<string, AgentTool>();
  for (const tool of tools) if (!unique.has(tool.name)) unique.set(tool.name, toolOf(tool));
  const id = serverIdOf(context.config);
  const instructions = client.getInstructions();
  return {
    external_id: id,
    agent_external_id: id,
    name: nameOf(server?.title ?? server?.name, id),
    kind: 'mcp_server',
    vendor: null,
    model: null,
    version: server?.version ? clip(server.version, 100) : null,
    description: null,
    // Instructions reach the model with the tools: they are the server's prompt, and part of its fingerprint.
    prompt: instructions ? clip(instructions, 200_000) : null,
    config: {
      transport: context.config.transport,
      prompts: prompts
        .map((prompt) => ({
          name: prompt.name,
          description: prompt.description ?? null,
          arguments: (prompt.arguments ?? []).map((argument) => ({ name: argument.name, required: argument.required ?? false })),
        }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    },
    tools: [...unique.values()],
    owner: null,
    tags: [],
    details: {
      server: { name: server?.name ?? null, version: server?.version ?? null },
      protocol_capabilities: Object.keys(capabilities).sort(),
      resources: { count: resources.length, uris: resources.slice(0, RESOURCES_KEPT).map((resource) => resource.uri) },
    },
  };
}

/** One run: connect, list the server, close. */
export async function discoverMcpServer(context: Context): Promise<ConnectorResult> {
  const session = await connect(context);
  const abort = () => void session.client.close();
  context.signal.addEventListener('abort', abort, { once: true });
  try {
    const agent = await describeServer(context, session.client);
    context.progress(1);
    return { agents: [agent], errors: [], complete: true };
  } catch (error) {
    const violation = session.violation();
    if (context.signal.aborted) return { agents: [], errors: [{ code: 'timeout', message: 'the run reached DISCOVERY_RUN_TIMEOUT while listing the server' }], complete: false };
    if (violation) return { agents: [], errors: [{ code: 'malformed_response', message: clip(violation.message, 300) }], complete: false };
    if (error instanceof McpError && error.code === -32001) return { agents: [], errors: [{ code: 'timeout', message: 'the MCP server did not answer a list request in time' }], complete: false };
    if (error instanceof OutboundError) {
      const code = error.reason === 'timeout' ? 'timeout' : error.reason === 'too_large' ? 'too_large' : 'unreachable';
      return { agents: [], errors: [{ code, message: `listing the server failed: ${error.message}` }], complete: false };
    }
    const message = error instanceof Error ? error.message : String(error);
    const code = error instanceof Error && isProtocolViolation(error) ? 'malformed_response' : 'listing_failed';
    return { agents: [], errors: [{ code, message: `listing the server failed: ${clip(message, 300)}` }], complete: false };
  } finally {
    context.signal.removeEventListener('abort', abort);
    await session.client.close().catch(() => undefined);
  }
}
