/**
 * A small MCP server over Streamable HTTP written from the MCP specification (2025-06-18, "Transports" and "Tools"):
 * every JSON-RPC request is a POST answered with `application/json`, a notification with 202, a GET with 405 (no
 * server-initiated stream). It serves a scripted tool list — paginated with `nextCursor` — and, for the hostile
 * cases, misbehaves on `tools/list` as told: malformed JSON, a message that is not JSON-RPC, an answer that never
 * comes, an endless list of tools.
 */
import type http from 'node:http';
import { startTestReceiver, type TestReceiver } from '../../../helpers/http-receiver.js';

export type ToolsBehaviour = 'normal' | 'malformed_json' | 'not_jsonrpc' | 'hang' | 'endless' | 'slow_endless';

export interface FakeTool {
  name: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  title?: string;
  annotations?: Record<string, unknown>;
}

export interface FakeMcpServer {
  receiver: TestReceiver;
  url: string;
  tools: FakeTool[];
  instructions: string | undefined;
  behaviour: ToolsBehaviour;
  /** Tools per tools/list page. */
  pageSize: number;
  /** Bearer token required, when set. */
  token: string | undefined;
  close(): Promise<void>;
}

export const tool = (name: string, description: string, properties: Record<string, unknown> = { value: { type: 'string' } }): FakeTool => ({
  name,
  description,
  inputSchema: { type: 'object', properties, required: Object.keys(properties) },
});

export async function startFakeMcpServer(tools: FakeTool[]): Promise<FakeMcpServer> {
  const receiver = await startTestReceiver();
  const hanging: http.ServerResponse[] = [];
  // Tests change these fields between runs; the handler reads them on every request.
  const state: FakeMcpServer = {
    receiver,
    url: receiver.url('/mcp'),
    tools,
    instructions: 'Use these tools with care.',
    behaviour: 'normal',
    pageSize: 100,
    token: undefined,
    async close() {
      for (const response of hanging) response.destroy();
      await receiver.close();
    },
  };
  const reply = (response: http.ServerResponse, id: unknown, result: unknown) =>
    response.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 'session-1' }).end(JSON.stringify({ jsonrpc: '2.0', id, result }));

  receiver.respond((request, response) => {
    if (request.method === 'GET') return void response.writeHead(405, { allow: 'POST' }).end();
    if (request.method === 'DELETE') return void response.writeHead(200).end();
    if (state.token !== undefined && request.headers.authorization !== `Bearer ${state.token}`) {
      return void response.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' }).end('{"error":"invalid_token"}');
    }
    const message = JSON.parse(request.body) as { id?: unknown; method: string; params?: { cursor?: string } };
    if (message.id === undefined) return void response.writeHead(202).end();
    switch (message.method) {
      case 'initialize':
        return reply(response, message.id, {
          protocolVersion: '2025-06-18',
          capabilities: { tools: { listChanged: false } },
          serverInfo: { name: 'fake-tools', version: '1.0.0' },
          ...(state.instructions ? { instructions: state.instructions } : {}),
        });
      case 'tools/list': {
        if (state.behaviour === 'malformed_json') return void response.writeHead(200, { 'content-type': 'application/json' }).end(`{"jsonrpc":"2.0","id":${JSON.stringify(message.id)},"result":{"tools":[{"name":`);
        if (state.behaviour === 'not_jsonrpc') return void response.writeHead(200, { 'content-type': 'application/json' }).end('{"hello":"world"}');
        if (state.behaviour === 'hang') return void hanging.push(response);
        const offset = Number(message.params?.cursor ?? 0);
        if (state.behaviour === 'slow_endless') {
          // Ten tools every half second, and always another page: only the run's deadline ends it.
          const page = Array.from({ length: 10 }, (_, index) => ({ name: `slow_${offset + index}`, inputSchema: { type: 'object' } }));
          return void setTimeout(() => reply(response, message.id, { tools: page, nextCursor: String(offset + 10) }), 500);
        }
        if (state.behaviour === 'endless') {
          const page = Array.from({ length: 1000 }, (_, index) => ({ name: `tool_${offset + index}`, inputSchema: { type: 'object' } }));
          return reply(response, message.id, { tools: page, nextCursor: offset + 1000 < 100_000 ? String(offset + 1000) : undefined });
        }
        const page = state.tools.slice(offset, offset + state.pageSize);
        return reply(response, message.id, { tools: page, ...(offset + state.pageSize < state.tools.length ? { nextCursor: String(offset + state.pageSize) } : {}) });
      }
      default:
        return void response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ jsonrpc: '2.0', id: message.id, error: { code: -32601, message: `Method not found: ${message.method}` } }));
    }
  });
  return state;
}
