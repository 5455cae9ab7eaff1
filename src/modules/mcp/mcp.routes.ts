import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { McpEndpoint } from './mcp.server.js';

/** What the SDK answers a method the stateless transport does not serve, with the Allow header the spec asks for. */
const METHOD_NOT_ALLOWED = JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: this server is stateless; send JSON-RPC messages with POST' }, id: null });

/**
 * POST /mcp: the MCP Streamable HTTP transport (docs/mcp.md). Any valid key passes the edge (`authenticated`); each
 * tool checks the role it needs. Not in the OpenAPI document: its contract is the MCP specification, and clients
 * discover its tools with tools/list. GET (a server-to-client event stream) and DELETE (ending a session) have no
 * meaning without sessions: 405, as the specification allows.
 */
export function mcpRoutes(endpoint: McpEndpoint): FastifyPluginAsync {
  return async (app) => {
    app.post('/mcp', { config: { access: 'authenticated' }, schema: { hide: true } }, async (request, reply) => {
      const answer = await endpoint.handle({
        // The edge admits no request to an `authenticated` route without a valid key.
        principal: request.principal!,
        correlationId: request.id,
        method: request.method,
        url: request.url,
        headers: request.headers,
        body: request.body,
        serialize: (schema, value) => reply.serializeInput(value, schema),
      });
      return reply.code(answer.status).headers(answer.headers).send(answer.body);
    });

    const refuse = async (_request: unknown, reply: FastifyReply) =>
      reply.code(405).header('allow', 'POST').type('application/json; charset=utf-8').send(METHOD_NOT_ALLOWED);
    app.get('/mcp', { config: { access: 'authenticated' }, schema: { hide: true } }, refuse);
    app.delete('/mcp', { config: { access: 'authenticated' }, schema: { hide: true } }, refuse);
  };
}
