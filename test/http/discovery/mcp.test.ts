import { randomBytes } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintOf, hashInputSchema } from '../../../src/modules/agents/index.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';
import { agentsOf, createSource, runSource, writesSince } from './discovery-helpers.js';
import { EVERYTHING, startEverything, type EverythingServer } from './fakes/everything.js';

/**
 * The MCP connector against the real reference server `@modelcontextprotocol/server-everything` over stdio, over
 * Streamable HTTP, and over the older HTTP+SSE transport (reached through the Streamable HTTP fallback).
 */

/** The server's tools as the SDK's own client lists them, without capabilities (as ORCA's client connects). */
async function toolsListedBySdk(): Promise<Array<{ name: string; description: string | null; input_schema_hash: string }>> {
  const client = new Client({ name: 'oracle', version: '1.0.0' }, { capabilities: {} });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [EVERYTHING, 'stdio'], stderr: 'ignore' }));
  try {
    const { tools } = await client.listTools();
    return tools.map((tool) => ({ name: tool.name, description: tool.description ?? null, input_schema_hash: hashInputSchema(tool.inputSchema) }));
  } finally {
    await client.close();
  }
}

describe.each(databaseTargets.map((target) => [target.name, target] as const))('MCP discovery with server-everything [%s]', (_name, target) => {
  let t: TestApp;
  let http: EverythingServer | undefined;
  let sse: EverythingServer | undefined;
  let expected: Awaited<ReturnType<typeof toolsListedBySdk>>;
  const name = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

  beforeAll(async () => {
    t = await createTestApp(target, { OUTBOUND_ALLOW_CIDRS: '127.0.0.0/8', DISCOVERY_STDIO_COMMANDS: `${process.execPath} ${EVERYTHING}` });
    expected = await toolsListedBySdk();
  });
  afterAll(async () => {
    await t?.close();
    await http?.stop();
    await sse?.stop();
  });

  it('lists the tools of a stdio server into one quarantined mcp_server agent whose fingerprint covers them', async () => {
    const source = await createSource(t, { kind: 'mcp', name: name('everything-stdio'), config: { transport: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'] } });
    const run = await runSource(t, source.id);
    expect(run).toMatchObject({ status: 'succeeded', found: 1, new: 1, changed: 0, missing: 0, errors: [] });
    const agents = await agentsOf(t, source.id);
    const id = `stdio:${process.execPath} ${EVERYTHING} stdio`;
    const agent = agents.get(id)!;
    expect(agent).toMatchObject({ kind: 'mcp_server', source: 'mcp', external_id: id, status: 'quarantined' });
    expect(agent.tools.map((tool) => tool.name).sort()).toEqual(expected.map((tool) => tool.name).sort());
    expect(expected.map((tool) => tool.name)).toContain('echo');
    for (const tool of expected) expect(agent.tools).toContainEqual(expect.objectContaining(tool));
    expect(agent.fingerprint).toBe(fingerprintOf({ tools: agent.tools as never, prompt: agent.prompt, model: null, config: agent.config }));
    expect(agent.fingerprint).toBe(fingerprintOf({ tools: expected, prompt: agent.prompt, model: null, config: agent.config }));
    expect(agent.metadata.discovered).toMatchObject({ server: { name: expect.any(String) }, resources: { count: expect.any(Number) } });
    // The reference server's ordinary descriptions are not mistaken for tool poisoning.
    const findings = await t.app.inject({ method: 'GET', url: `/api/v1/discovery/findings?agent_id=${agent.id}`, headers: t.as('viewer') });
    expect(findings.json()).toEqual({ items: [], next_cursor: null });

    const since = (await t.container.db.query<{ now: Date }>('select clock_timestamp() as now')).rows[0]!.now;
    expect(await runSource(t, source.id)).toMatchObject({ status: 'succeeded', found: 1, new: 0, changed: 0, unchanged: 1 });
    expect(await writesSince(t, since)).toEqual({ agent: 0, agent_event: 0, agent_identities: 0, discovery_finding: 0, audit_entry: 0 });
  });

  it('lists the same tools over Streamable HTTP', async () => {
    http = await startEverything('streamableHttp');
    const source = await createSource(t, { kind: 'mcp', name: name('everything-http'), config: { transport: 'streamable_http', url: http.url } });
    const run = await runSource(t, source.id);
    expect(run).toMatchObject({ status: 'succeeded', found: 1, new: 1, errors: [] });
    const agent = (await agentsOf(t, source.id)).get(new URL(http.url).toString())!;
    expect(agent).toMatchObject({ kind: 'mcp_server', status: 'quarantined', config: expect.objectContaining({ transport: 'streamable_http' }) });
    expect(agent.tools.map((tool) => tool.name).sort()).toEqual(expected.map((tool) => tool.name).sort());
  });

  it('falls back to the HTTP+SSE transport for a server that does not speak Streamable HTTP', async () => {
    sse = await startEverything('sse');
    const source = await createSource(t, { kind: 'mcp', name: name('everything-sse'), config: { transport: 'streamable_http', url: sse.url } });
    const run = await runSource(t, source.id);
    expect(run).toMatchObject({ status: 'succeeded', found: 1, new: 1, errors: [] });
    const agent = (await agentsOf(t, source.id)).get(new URL(sse.url).toString())!;
    expect(agent.tools.map((tool) => tool.name).sort()).toEqual(expected.map((tool) => tool.name).sort());
  });

  it('fails a stdio source whose command left the allow-list since it was saved', async () => {
    const source = await createSource(t, { kind: 'mcp', name: name('everything-later'), config: { transport: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'] } });
    await t.container.db.query(`update discovery_source set config = jsonb_set(config, '{args,0}', '"/tmp/elsewhere.js"') where id = $1`, [source.id]);
    const run = await runSource(t, source.id);
    expect(run).toMatchObject({ status: 'failed', errors: [{ code: 'not_allowed', message: 'the stdio command is no longer allowed by DISCOVERY_STDIO_COMMANDS' }] });
  });
});
