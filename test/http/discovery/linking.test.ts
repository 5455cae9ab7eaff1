import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';
import { agentsOf, createSource, history, runSource, type Json } from './discovery-helpers.js';
import { ACCOUNT, REGION, lambdaFunction, startFakeLambda, type FakeLambda } from './fakes/lambda.js';
import { startFakeMcpServer, tool, type FakeMcpServer } from './fakes/mcp-server.js';

/**
 * One identity across sources (docs/discovery.md "Merging"): two Lambda sources and an agent registered by hand see
 * the same function ARN, an MCP source and an agent registered by hand the same endpoint URL — each is one agent,
 * with one identity per source; an unmerge gives the rule-linked identity back as an agent of its own.
 */

// secretlint-disable-next-line @secretlint/secretlint-rule-preset-recommend -- made-up credentials for the local fake Lambda
const CREDENTIALS = { access_key_id: 'AKIAORCATESTKEY00002', secret_access_key: 'orcaTestSecretAccessKey0000000000000001' };
const arn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
const suffix = () => randomBytes(3).toString('hex');

async function register(t: TestApp, body: Json): Promise<Json & { id: string }> {
  const response = await t.app.inject({ method: 'POST', url: '/api/v1/agents', headers: t.as('operator'), payload: { kind: 'function', classification: 'internal', ...body } });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as Json & { id: string };
}

async function read(t: TestApp, id: string): Promise<Json & { identities: Array<Json & { id: string }> }> {
  const response = await t.app.inject({ method: 'GET', url: `/api/v1/agents/${id}`, headers: t.as('viewer') });
  expect(response.statusCode).toBe(200);
  return response.json() as Json & { identities: Array<Json & { id: string }> };
}

describe.each(databaseTargets.map((target) => [target.name, target] as const))('linking rules across discovery sources [%s]', (_name, target) => {
  let t: TestApp;
  let lambda: FakeLambda;
  let mcp: FakeMcpServer;

  beforeAll(async () => {
    t = await createTestApp(target, { OUTBOUND_ALLOW_CIDRS: '127.0.0.0/8', OUTBOUND_TIMEOUT: '5s' });
    lambda = await startFakeLambda({ accessKeyId: CREDENTIALS.access_key_id, functions: [lambdaFunction('refunds'), lambdaFunction('reports')] });
    mcp = await startFakeMcpServer([tool('lookup', 'Looks an order up')]);
  });
  afterAll(async () => {
    await t?.close();
    await lambda?.close();
    await mcp?.close();
  });

  it('makes one agent of a function seen by two Lambda sources and registered by hand, and unmerge gives the linked identity back', async () => {
    const byHand = await register(t, { name: 'refunds (registered)', source: 'manual', external_id: arn('refunds'), role: 'analyst' });
    const first = await createSource(t, { kind: 'lambda', name: `lambda-a-${suffix()}`, config: { region: REGION, endpoint: lambda.url }, credentials: CREDENTIALS });
    const second = await createSource(t, { kind: 'lambda', name: `lambda-b-${suffix()}`, config: { region: REGION, endpoint: lambda.url }, credentials: CREDENTIALS });

    // The function registered by hand is linked, not new: only `reports` is an agent nobody registered.
    expect(await runSource(t, first.id)).toMatchObject({ status: 'succeeded', found: 2, new: 1, linked: 1, changed: 0, missing: 0, errors: [] });
    expect(await runSource(t, second.id)).toMatchObject({ status: 'succeeded', found: 2, new: 0, linked: 0, changed: 0, unchanged: 2, missing: 0, errors: [] });
    const seenByFirst = await agentsOf(t, first.id);
    const seenBySecond = await agentsOf(t, second.id);
    // One agent per function across both sources; the function registered by hand is that agent, still active.
    expect(seenByFirst.get(arn('refunds'))!.id).toBe(byHand.id);
    expect(seenBySecond.get(arn('refunds'))!.id).toBe(byHand.id);
    expect(seenBySecond.get(arn('reports'))!.id).toBe(seenByFirst.get(arn('reports'))!.id);
    const agent = await read(t, byHand.id);
    expect(agent).toMatchObject({ status: 'active', role: 'analyst' });
    expect(agent.identities.map((identity) => [identity.discovery_source_id, identity.link, identity.external_id])).toEqual([
      [first.id, 'rule', arn('refunds')],
      [second.id, 'adopted', arn('refunds')],
    ]);
    const own = agent.identities[0]!.merged_from as string;
    const ownRead = await read(t, own);
    expect(ownRead).toMatchObject({ status: 'merged', external_id: arn('refunds') });
    expect(ownRead).not.toHaveProperty('identities');
    expect((await history(t, byHand.id)).map((entry) => [entry.action, entry.reason])).toEqual([
      ['register', null],
      ['linked', `linked by the rule lambda_arn (${arn('refunds')}): refunds as discovery source ${first.name as string} (lambda) lists it`],
    ]);
    const merges = await t.container.db.query<{ via: string; rule: string; into_agent_id: string }>('select via, rule, into_agent_id from agent_merge where agent_id = $1', [own]);
    expect(merges.rows).toEqual([{ via: 'rule', rule: 'lambda_arn', into_agent_id: byHand.id }]);

    // A run over unchanged sources writes nothing but its record, linked identities included.
    expect(await runSource(t, first.id)).toMatchObject({ status: 'succeeded', new: 0, linked: 0, changed: 0, unchanged: 2 });

    const back = await t.app.inject({ method: 'POST', url: `/api/v1/agents/${byHand.id}/unmerge`, headers: t.as('operator'), payload: { identity: agent.identities[0]!.id } });
    expect(back.statusCode, back.body).toBe(200);
    // Given back as the agent discovery would have made: quarantined, with both sources' identities of it.
    expect(back.json()).toMatchObject({ id: own, status: 'quarantined', identities: [{ discovery_source_id: first.id, link: 'discovered' }, { discovery_source_id: second.id, link: 'adopted' }] });
    expect(await read(t, byHand.id)).not.toHaveProperty('identities');
    expect((await agentsOf(t, first.id)).get(arn('refunds'))!.id).toBe(own);
  });

  it('links an MCP server to the agent registered with its endpoint URL, and reviews that agent when the server changes', async () => {
    const byHand = await register(t, { name: 'order tools', kind: 'mcp_server', source: 'manual', external_id: mcp.url });
    const source = await createSource(t, { kind: 'mcp', name: `mcp-${suffix()}`, config: { transport: 'streamable_http', url: mcp.url } });
    expect(await runSource(t, source.id)).toMatchObject({ status: 'succeeded', found: 1, new: 0, linked: 1, errors: [] });
    expect((await agentsOf(t, source.id)).get(new URL(mcp.url).toString())!.id).toBe(byHand.id);
    const agent = await read(t, byHand.id);
    expect(agent.status).toBe('active');
    expect(agent.identities).toMatchObject([{ discovery_source_id: source.id, source_kind: 'mcp', link: 'rule' }]);

    // A tool added behind the linked identity is a change of what was approved: the agent goes back to review.
    mcp.tools = [...mcp.tools, tool('refund', 'Refunds an order')];
    expect(await runSource(t, source.id)).toMatchObject({ status: 'succeeded', changed: 1 });
    expect((await read(t, byHand.id)).status).toBe('needs_review');
    expect((await history(t, byHand.id)).at(-1)).toMatchObject({ action: 'review', changes: [{ change: 'tool_added', tool: 'refund' }] });
  });
});
