import { randomUUID } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Role } from '../../../src/platform/http/roles.js';
import { describeEachDatabase, type TestApp } from '../../helpers/app.js';
import { createAgent } from '../killswitch/fixtures.js';
import { askTransfer, createKey, decideApproval, readApproval, registerPayer } from '../approvals/fixtures.js';

/**
 * ORCA's MCP server through the official SDK client (Client + StreamableHTTPClientTransport) against the app
 * listening on a loopback port: tools per role, each tool against its REST twin, refusals, and the security edge
 * (keys, headers, rate-limit policy, body limit) on /mcp. docs/mcp.md.
 */

const TOOLS = ['evaluate_policy', 'get_agent', 'get_trust', 'list_open_gaps', 'get_approval'];

describeEachDatabase('MCP server', (ctx) => {
  let address = '';
  const clients: Client[] = [];

  async function connect(key: string | undefined): Promise<Client> {
    const transport = new StreamableHTTPClientTransport(new URL(`${address}/mcp`), key ? { requestInit: { headers: { 'x-api-key': key } } } : {});
    const client = new Client({ name: 'orca-test', version: '1.0.0' });
    await client.connect(transport);
    clients.push(client);
    return client;
  }
  const as = (t: TestApp, role: Role) => connect(t.keys[role]);
  const json = (result: Awaited<ReturnType<Client['callTool']>>) => JSON.parse((result.content as Array<{ text: string }>)[0]!.text) as unknown;

  beforeAll(async () => {
    address = await ctx().app.listen({ host: '127.0.0.1', port: 0 });
    // fetch keeps an idle connection for the server's keep-alive hint minus 1 s: on a loaded machine the event loop
    // can lag past that margin, and a request then leaves on a socket the server is closing (ECONNRESET). The server
    // keeping connections longer than the client leaves the client to close them first.
    ctx().app.server.keepAliveTimeout = 60_000;
  });
  afterAll(async () => {
    for (const client of clients) await client.close();
  });

  it('lists the tools each role may call, with input and output schemas', async () => {
    const t = ctx();
    const admin = await as(t, 'admin');
    expect(admin.getServerVersion()).toMatchObject({ name: 'orca', title: 'ORCA' });
    const { tools } = await admin.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(TOOLS);
    for (const tool of tools) {
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type).toBe('object');
      expect(tool.description!.length).toBeGreaterThan(40);
    }
    expect(tools.find((tool) => tool.name === 'get_agent')).toMatchObject({
      title: 'Read an agent',
      inputSchema: { type: 'object', required: ['agent_id'], properties: { agent_id: { type: 'string', format: 'uuid' } } },
      annotations: { readOnlyHint: true, openWorldHint: false },
    });
    expect((await (await as(t, 'viewer')).listTools()).tools.map((tool) => tool.name)).toEqual(['get_agent', 'get_trust', 'list_open_gaps', 'get_approval']);
    expect((await (await as(t, 'operator')).listTools()).tools.map((tool) => tool.name)).toEqual(['get_agent', 'get_trust', 'list_open_gaps', 'get_approval']);
    expect((await (await as(t, 'ingest')).listTools()).tools.map((tool) => tool.name)).toEqual(['evaluate_policy', 'get_approval']);
  });

  it('answers each tool as its REST route does, as structured content validated against the output schema', async () => {
    const t = ctx();
    const agentId = await createAgent(t, { tags: ['mcp'] });
    const viewer = await as(t, 'viewer');
    await viewer.listTools();

    const agent = await viewer.callTool({ name: 'get_agent', arguments: { agent_id: agentId } });
    const rest = await t.app.inject({ method: 'GET', url: `/api/v1/agents/${agentId}`, headers: t.as('viewer') });
    expect(agent.isError).toBeUndefined();
    expect(agent.structuredContent).toEqual(rest.json());
    expect(json(agent)).toEqual(rest.json());

    const trust = await viewer.callTool({ name: 'get_trust', arguments: { agent_id: agentId, window: '7d' } });
    const restTrust = (await t.app.inject({ method: 'GET', url: `/api/v1/agents/${agentId}/trust?window=7d`, headers: t.as('viewer') })).json() as Record<string, unknown>;
    const { at: _at, from: _from, ...stable } = restTrust;
    expect(trust.structuredContent).toMatchObject({ ...stable, agent_id: agentId, window: '7d' });

    // One open and one resolved gap of this agent, seeded directly.
    const open = randomUUID();
    await t.container.db.query(
      `insert into sync_gap (id, type, severity, contract, rule, entity_type, entity_id, agent_id, detected_at, resolved_at)
       values ($1, 'stale', 'high', 'mcp-contract', 'stale:orders', 'order', 'o-1', $3, now(), null),
              ($2, 'duplicate', 'low', 'mcp-contract', 'unique:orders', 'order', 'o-2', $3, now(), now())`,
      [open, randomUUID(), agentId],
    );
    const gaps = await viewer.callTool({ name: 'list_open_gaps', arguments: { agent_id: agentId } });
    const restGaps = await t.app.inject({ method: 'GET', url: `/api/v1/sync/gaps?status=open&agent_id=${agentId}`, headers: t.as('viewer') });
    expect(gaps.structuredContent).toEqual(restGaps.json());
    expect((gaps.structuredContent as { items: Array<{ id: string }> }).items.map((gap) => gap.id)).toEqual([open]);

    const ingest = await as(t, 'ingest');
    await ingest.listTools();
    const before = await t.container.db.query<{ count: number }>('select count(*)::int as count from decision where agent_id = $1', [agentId]);
    const decision = await ingest.callTool({ name: 'evaluate_policy', arguments: { agent_id: agentId, action: 'read', resource: 'crm', classification: 'internal' } });
    expect(decision.structuredContent).toMatchObject({ decision: 'allow', violations: [], mode: 'enforce', decision_id: expect.any(String) });
    const after = await t.container.db.query<{ count: number; correlation_id: string | null }>(
      'select count(*)::int as count, max(correlation_id) as correlation_id from decision where agent_id = $1',
      [agentId],
    );
    expect(after.rows[0]!.count).toBe(before.rows[0]!.count + 1);
    expect(after.rows[0]!.correlation_id).toMatch(/\S/);
  });

  it('reads an approval with get_approval: a viewer any, the ingest key that asked its own, another ingest key none', async () => {
    const t = ctx();
    const agentId = await registerPayer(t);
    const asked = await askTransfer(t, agentId);
    expect(asked.body.decision).toBe('require_approval');
    const approvalId = asked.body.approval!.id;
    const rest = await readApproval(t, approvalId);
    expect(rest.status).toBe(200);

    const viewer = await as(t, 'viewer');
    const viewed = await viewer.callTool({ name: 'get_approval', arguments: { approval_id: approvalId } });
    expect(viewed.structuredContent).toEqual(rest.body);
    expect(viewed.structuredContent).toMatchObject({ id: approvalId, status: 'pending', agent_id: agentId, action: 'transfer_funds' });
    const own = await (await as(t, 'ingest')).callTool({ name: 'get_approval', arguments: { approval_id: approvalId } });
    expect(own.structuredContent).toEqual(rest.body);

    // Another agent's key learns nothing, not even that the approval exists (the REST route answers it 404 too).
    const stranger = await connect((await createKey(t, 'ingest')).headers['x-api-key']);
    const refused = (await stranger.callTool({ name: 'get_approval', arguments: { approval_id: approvalId } })) as CallToolResult;
    expect(refused).toEqual({ isError: true, content: [{ type: 'text', text: `not_found: approval ${approvalId} was not found` }] });
    expect((await decideApproval(t, approvalId, 'approve')).status).toBe(200);
    const decided = await viewer.callTool({ name: 'get_approval', arguments: { approval_id: approvalId } });
    expect(decided.structuredContent).toMatchObject({ id: approvalId, status: 'approved' });
  });

  it('refuses a tool the key may not call, bad arguments and unknown agents as tool errors; an unknown tool as a protocol error', async () => {
    const t = ctx();
    const viewer = await as(t, 'viewer');
    const forbidden = (await viewer.callTool({ name: 'evaluate_policy', arguments: { agent_id: randomUUID(), action: 'read', resource: 'x', classification: 'internal' } })) as CallToolResult;
    expect(forbidden).toEqual({ isError: true, content: [{ type: 'text', text: 'forbidden: evaluate_policy needs an API key whose role is ingest or admin; this key is viewer' }] });
    const ingest = await as(t, 'ingest');
    const readAsIngest = (await ingest.callTool({ name: 'get_agent', arguments: { agent_id: randomUUID() } })) as CallToolResult;
    expect(readAsIngest.content).toEqual([{ type: 'text', text: 'forbidden: get_agent needs an API key whose role is viewer, operator or admin; this key is ingest' }]);

    const invalid = (await viewer.callTool({ name: 'get_agent', arguments: { agent_id: 'nope' } })) as CallToolResult;
    expect(invalid.isError).toBe(true);
    expect((invalid.content[0] as { text: string }).text).toMatch(/^invalid arguments: \/agent_id must (match format "uuid"|match pattern)/);
    const extra = (await viewer.callTool({ name: 'get_agent', arguments: { agent_id: randomUUID(), more: 1 } })) as CallToolResult;
    expect((extra.content[0] as { text: string }).text).toBe('invalid arguments: / must NOT have additional properties');
    const missing = randomUUID();
    const notFound = (await viewer.callTool({ name: 'get_agent', arguments: { agent_id: missing } })) as CallToolResult;
    expect(notFound).toEqual({ isError: true, content: [{ type: 'text', text: `not_found: agent ${missing} was not found` }] });
    await expect(viewer.callTool({ name: 'delete_everything', arguments: {} })).rejects.toThrow(/unknown tool "delete_everything"/);

    const calls = await t.container.metrics.registry.getSingleMetric('orca_mcp_tool_calls_total')!.get();
    const count = (tool: string, outcome: string) => calls.values.find((value) => value.labels.tool === tool && value.labels.outcome === outcome)?.value ?? 0;
    expect(count('evaluate_policy', 'forbidden')).toBeGreaterThanOrEqual(1);
    expect(count('get_agent', 'invalid')).toBeGreaterThanOrEqual(2);
    expect(count('get_agent', 'refused')).toBeGreaterThanOrEqual(1);
  });

  it('answers 401 without a key or with a bad one, before any MCP message is read', async () => {
    const noKey = connect(undefined);
    await expect(noKey).rejects.toBeInstanceOf(StreamableHTTPError);
    await expect(noKey).rejects.toMatchObject({ code: 401 });
    await expect(connect('orca_000000000000_not-a-key')).rejects.toMatchObject({ code: 401 });
    const raw = await fetch(`${address}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(raw.status).toBe(401);
    expect(raw.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(raw.headers.get('www-authenticate')).toBe('Bearer realm="orca"');
  });

  it('keeps the security edge on /mcp: security headers, rate-limit policy, correlation id, body limit, media type, 405 for GET', async () => {
    const t = ctx();
    const headers = { 'x-api-key': t.keys.viewer, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'x-correlation-id': 'mcp-edge-check' };
    const list = await fetch(`${address}/mcp`, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list' }) });
    expect(list.status).toBe(200);
    expect(list.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(list.headers.get('x-content-type-options')).toBe('nosniff');
    expect(list.headers.get('x-frame-options')).toBe('DENY');
    expect(list.headers.get('ratelimit-policy')).toMatch(/^"viewer";q=\d+;w=\d+$/);
    expect(list.headers.get('x-correlation-id')).toBe('mcp-edge-check');
    expect(((await list.json()) as { id: number; result: { tools: unknown[] } }).result.tools).toHaveLength(4);

    const huge = await fetch(`${address}/mcp`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'get_agent', arguments: { agent_id: 'x'.repeat(2 * 1024 * 1024) } } }),
    });
    expect(huge.status).toBe(413);
    expect(huge.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    const text = await fetch(`${address}/mcp`, { method: 'POST', headers: { ...headers, 'content-type': 'text/plain' }, body: 'hello' });
    expect(text.status).toBe(415);
    const notJsonRpc = await fetch(`${address}/mcp`, { method: 'POST', headers, body: JSON.stringify({ hello: 'world' }) });
    expect(notJsonRpc.status).toBe(400);
    const stream = await fetch(`${address}/mcp`, { headers: { 'x-api-key': t.keys.viewer, accept: 'text/event-stream' } });
    expect(stream.status).toBe(405);
    expect(stream.headers.get('allow')).toBe('POST');
    expect(stream.headers.get('content-security-policy')).toContain("default-src 'none'");
    // One request log line per answer, with the correlation id the client sent (the GET sent none).
    const logged = t.logs.filter((line) => line.route === '/mcp' && line.correlation_id === 'mcp-edge-check');
    expect(logged.map((line) => [line.method, line.status_code])).toEqual([
      ['POST', 200],
      ['POST', 413],
      ['POST', 415],
      ['POST', 400],
    ]);
  });
});
