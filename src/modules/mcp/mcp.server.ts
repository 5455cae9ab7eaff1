/**
 * ORCA's MCP server (docs/mcp.md): the official SDK's Streamable HTTP transport in stateless mode with JSON
 * responses, one server and transport per HTTP request (the SDK's own pattern for stateless servers; a stateless
 * transport refuses a second request). The HTTP request itself is Fastify's: the security edge has admitted it
 * (key, rate limit, body limit) before it gets here, and the answer goes back through Fastify, so that security
 * headers, the correlation id and the request log apply to /mcp as to every route.
 *
 * The low-level `Server` is used rather than `McpServer` because the tools' schemas are the JSON Schemas (TypeBox)
 * the REST routes validate with; `McpServer` takes zod schemas only.
 *
 * The SDK (and zod, which it brings) is loaded at the first request to /mcp: megabytes of heap that a process whose
 * clients never speak MCP would carry for nothing. The tool registry is checked and compiled at start-up all the same.
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type * as McpTypes from '@modelcontextprotocol/sdk/types.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { TObject } from '@sinclair/typebox';
import type { ErrorObject } from 'ajv';
import { isAllowed, PERMISSIONS } from '../../platform/auth/permissions.js';
import { AppError } from '../../platform/errors.js';
import type { Principal } from '../../platform/http/actor.js';
import { validatorCompiler } from '../../platform/http/validation.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { McpMetrics, ToolOutcome } from './mcp.metrics.js';
import { checkRegistry, type McpTool, type McpToolRegistry } from './mcp-tool.js';

const INSTRUCTIONS =
  'ORCA governs AI agents: ask evaluate_policy before an action, read an agent and its trust score, list open data-sync gaps. ' +
  'The tools offered depend on the role of the API key.';

interface McpSdk {
  Server: typeof Server;
  Transport: typeof WebStandardStreamableHTTPServerTransport;
  types: typeof McpTypes;
}

let sdkLoading: Promise<McpSdk> | undefined;

/** The SDK, loaded once for the process; a failed load is tried again at the next request. */
function loadSdk(): Promise<McpSdk> {
  sdkLoading ??= Promise.all([
    import('@modelcontextprotocol/sdk/server/index.js'),
    import('@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'),
    import('@modelcontextprotocol/sdk/types.js'),
  ]).then(
    ([server, transport, types]) => ({ Server: server.Server, Transport: transport.WebStandardStreamableHTTPServerTransport, types }),
    (error: unknown) => {
      sdkLoading = undefined;
      throw error;
    },
  );
  return sdkLoading;
}

type Validate = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

interface RegisteredTool {
  tool: McpTool;
  /** What tools/list shows: plain JSON Schema, computed once. */
  listing: Tool;
  validate: Validate;
}

/** Credentials stay at the edge: the SDK hands request headers to handlers, which need none of these. */
const WITHHELD_HEADERS = new Set(['authorization', 'x-api-key', 'cookie']);

export interface McpHttpRequest {
  principal: Principal;
  correlationId: string;
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /**
   * JSON of a value through a schema, as Fastify serialises a response: only what the schema lists goes out, so a
   * tool's output is whitelisted exactly like its REST route's response (secrets and hashes cannot leak).
   */
  serialize: (schema: TObject, value: Record<string, unknown>) => string;
}

type Serialize = McpHttpRequest['serialize'];

export interface McpHttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string | undefined;
}

function toolResult(json: string): CallToolResult {
  // The text block carries the same JSON for clients that read only content (the MCP specification asks for both).
  return { content: [{ type: 'text', text: json }], structuredContent: JSON.parse(json) as Record<string, unknown> };
}

function errorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

/** "a", "a or b", "a, b or c". */
function anyOf(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)!}`;
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((error) => `${error.instancePath === '' ? '/' : error.instancePath} ${error.message ?? 'is invalid'}`).join('; ');
}

export function createMcpEndpoint(deps: { tools: McpToolRegistry; version: string; logger: Logger; metrics: McpMetrics }) {
  const { logger, metrics } = deps;
  checkRegistry(deps.tools);
  const registry = new Map<string, RegisteredTool>(
    deps.tools.map((tool) => [
      tool.name,
      {
        tool,
        listing: JSON.parse(
          JSON.stringify({ name: tool.name, title: tool.title, description: tool.description, inputSchema: tool.inputSchema, outputSchema: tool.outputSchema, annotations: tool.annotations }),
        ) as Tool,
        // The REST body validator: the same rules, the same coercions (none) and defaults.
        validate: validatorCompiler({ schema: tool.inputSchema, httpPart: 'body', method: 'POST', url: '/mcp' }) as Validate,
      },
    ]),
  );

  async function callTool(
    sdk: McpSdk,
    name: string,
    args: Record<string, unknown> | undefined,
    caller: { principal: Principal; correlationId: string; serialize: Serialize },
  ): Promise<CallToolResult> {
    const { principal, correlationId } = caller;
    const entry = registry.get(name);
    if (!entry) throw new sdk.types.McpError(sdk.types.ErrorCode.InvalidParams, `unknown tool "${name}"; tools/list names the tools this key may call`);
    const { tool, validate } = entry;
    const started = process.hrtime.bigint();
    const finish = (outcome: ToolOutcome, result: CallToolResult): CallToolResult => {
      metrics.calls.inc({ tool: tool.name, outcome });
      metrics.duration.observe({ tool: tool.name }, Number(process.hrtime.bigint() - started) / 1e9);
      return result;
    };
    if (!isAllowed(tool.access, principal.role)) {
      return finish('forbidden', errorResult(`forbidden: ${tool.name} needs an API key whose role is ${anyOf(PERMISSIONS[tool.access])}; this key is ${principal.role}`));
    }
    const input: unknown = structuredClone(args ?? {});
    if (!validate(input)) return finish('invalid', errorResult(`invalid arguments: ${describeErrors(validate.errors)}`));
    try {
      const output = await tool.call(input, { principal, correlationId });
      return finish('ok', toolResult(caller.serialize(tool.outputSchema, output as Record<string, unknown>)));
    } catch (error) {
      if (error instanceof AppError && error.status < 500) return finish('refused', errorResult(`${error.code}: ${error.message}`));
      logger.error({ err: error, tool: tool.name, correlation_id: correlationId }, 'MCP tool call failed');
      return finish('error', errorResult(`the tool failed; quote correlation id ${correlationId} when reporting it`));
    }
  }

  function createServer(sdk: McpSdk, caller: { principal: Principal; correlationId: string; serialize: Serialize }): Server {
    const { principal } = caller;
    const server = new sdk.Server({ name: 'orca', title: 'ORCA', version: deps.version }, { capabilities: { tools: { listChanged: false } }, instructions: INSTRUCTIONS });
    // A key sees the tools its role may call, as the REST API shows it only the routes it may call.
    server.setRequestHandler(sdk.types.ListToolsRequestSchema, () => ({
      tools: [...registry.values()].filter((entry) => isAllowed(entry.tool.access, principal.role)).map((entry) => entry.listing),
    }));
    server.setRequestHandler(sdk.types.CallToolRequestSchema, (request) => callTool(sdk, request.params.name, request.params.arguments, caller));
    return server;
  }

  return {
    /** One POST of the Streamable HTTP transport: JSON-RPC in, JSON-RPC out (or 202 for notifications only). */
    async handle(request: McpHttpRequest): Promise<McpHttpAnswer> {
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) {
        if (value === undefined || WITHHELD_HEADERS.has(name)) continue;
        for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
      }
      const sdk = await loadSdk();
      const server = createServer(sdk, request);
      const transport = new sdk.Transport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      try {
        await server.connect(transport);
        const response = await transport.handleRequest(new Request(new URL(request.url, 'http://orca.invalid'), { method: request.method, headers }), {
          parsedBody: request.body,
        });
        const answerHeaders: Record<string, string> = {};
        response.headers.forEach((value, name) => {
          if (name !== 'content-length') answerHeaders[name] = value;
        });
        const text = response.body ? await response.text() : '';
        return { status: response.status, headers: answerHeaders, body: text === '' ? undefined : text };
      } finally {
        await server.close();
      }
    },
  };
}

export type McpEndpoint = ReturnType<typeof createMcpEndpoint>;
