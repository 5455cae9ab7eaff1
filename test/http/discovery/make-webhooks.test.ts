import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';
import { agentsOf, createSource, history, runSource, type Json } from './discovery-helpers.js';
import { hook, scenario, startFakeMake, type FakeMake } from './fakes/make.js';
import { startFakeN8n, workflow, type FakeN8n } from './fakes/n8n.js';

/**
 * Make scenarios started by a webhook (docs/discovery.md "Make", "Merging"): the connector reads the team's hooks
 * (pages, 429, a refused token) for the URL a scenario is started at, and the webhook_url rule makes one agent of a
 * scenario and an n8n workflow answering at the same URL — counted as linked, not new — unless the rule is off.
 */

// secretlint-disable-next-line @secretlint/secretlint-rule-preset-recommend -- made-up credentials for the local fakes
const MAKE_TOKEN = 'make-token-hooks-0123456789';
const N8N_KEY = 'n8n_api_hooks_key_0123456789';
const suffix = () => randomBytes(3).toString('hex');

/** A scenario started by the hook `hookId`, as the scenarios listing shows it (the hook by id only). */
const hooked = (id: number, hookId: number) => ({ ...scenario(id), hookId, scheduling: { type: 'immediately' } });

/** An n8n workflow started by a Webhook node at `path` (its URL is <instance>/webhook/<path>). */
function webhookWorkflow(id: string, path: string): Record<string, unknown> {
  const base = workflow(id, { name: `orders intake ${id}` });
  const trigger = { id: `${id}-w`, name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], parameters: { path, httpMethod: 'POST' } };
  return { ...base, nodes: [trigger, ...(base.nodes as unknown[]).slice(1)] };
}

async function identitiesOf(t: TestApp, id: string): Promise<Array<Json & { id: string }>> {
  const response = await t.app.inject({ method: 'GET', url: `/api/v1/agents/${id}`, headers: t.as('viewer') });
  expect(response.statusCode).toBe(200);
  return ((response.json() as Json).identities as Array<Json & { id: string }> | undefined) ?? [];
}

async function startFakes(): Promise<{ make: FakeMake; n8n: FakeN8n }> {
  return { make: await startFakeMake({ token: MAKE_TOKEN, teamId: 7, scenarios: [] }), n8n: await startFakeN8n({ apiKey: N8N_KEY, workflows: [] }) };
}

/** An n8n workflow and a Make scenario behind the same webhook URL (and a scenario of no webhook beside it). */
async function sameWebhook(t: TestApp, fakes: { make: FakeMake; n8n: FakeN8n }) {
  const path = `orders-${suffix()}`;
  const url = `${fakes.n8n.url}/webhook/${path}`;
  const workflowId = `wf-${suffix()}`;
  fakes.n8n.workflows = [webhookWorkflow(workflowId, path)];
  fakes.make.scenarios = [hooked(4101, 901), scenario(4102)];
  fakes.make.hooks = [hook(901, 4101, url), hook(902, null)];
  const n8nSource = await createSource(t, { kind: 'n8n', name: `n8n-${suffix()}`, config: { url: fakes.n8n.url }, credentials: { api_key: N8N_KEY } });
  const makeSource = await createSource(t, { kind: 'make', name: `make-${suffix()}`, config: { zone_url: fakes.make.url, team_id: 7 }, credentials: { api_token: MAKE_TOKEN } });
  return { url, workflowId, n8nSource, makeSource };
}

describe.each(databaseTargets.map((target) => [target.name, target] as const))('Make webhooks and the webhook_url rule [%s]', (_name, target) => {
  let t: TestApp;
  let fakes: { make: FakeMake; n8n: FakeN8n };

  beforeAll(async () => {
    t = await createTestApp(target, { OUTBOUND_ALLOW_CIDRS: '127.0.0.0/8', OUTBOUND_TIMEOUT: '2s' });
    fakes = await startFakes();
  });
  afterAll(async () => {
    await t?.close();
    await fakes?.make.close();
    await fakes?.n8n.close();
  });

  it('reads every page of the team’s hooks, riding out a 429, and gives each webhook-started scenario its URL', async () => {
    const { make } = fakes;
    make.scenarios = [...Array.from({ length: 120 }, (_, index) => hooked(index + 1, 1000 + index)), scenario(500)];
    // 250 hooks, 120 of them assigned to the scenarios above: the assigned ones come in 3 pages of 50.
    make.hooks = [...Array.from({ length: 120 }, (_, index) => hook(1000 + index, index + 1)), ...Array.from({ length: 130 }, (_, index) => hook(5000 + index, null))];
    const source = await createSource(t, { kind: 'make', name: `make-${suffix()}`, config: { zone_url: make.url, team_id: 7, page_size: 50 }, credentials: { api_token: MAKE_TOKEN } });
    make.disruptHooks(2, { status: 429, headers: { 'retry-after': '1' } });

    expect(await runSource(t, source.id)).toMatchObject({ status: 'succeeded', found: 121, new: 121, linked: 0, errors: [] });
    const queries = make.hookRequests().map((request) => new URL(request.url, 'http://x').searchParams);
    expect(queries.map((query) => [query.get('teamId'), query.get('assigned'), query.get('pg[limit]'), query.get('pg[offset]')])).toEqual([
      ['7', 'true', '50', '0'],
      ['7', 'true', '50', '50'],
      ['7', 'true', '50', '50'],
      ['7', 'true', '50', '100'],
    ]);
    for (const request of make.hookRequests()) expect(request.headers.authorization).toBe(`Token ${MAKE_TOKEN}`);
    const agents = await agentsOf(t, source.id);
    expect(agents.get('1')!.metadata).toMatchObject({ discovered: { webhook_url: make.hooks[0]!.url } });
    expect(agents.get('120')!.metadata).toMatchObject({ discovered: { webhook_url: make.hooks[119]!.url } });
    expect(agents.get('500')!.metadata.discovered).not.toHaveProperty('webhook_url');
  });

  it('lists the scenarios when the hooks are refused (401): partial, the error recorded without the token', async () => {
    const { make } = fakes;
    make.scenarios = [hooked(7001, 77), scenario(7002)];
    make.hooks = [hook(77, 7001)];
    const source = await createSource(t, { kind: 'make', name: `make-${suffix()}`, config: { zone_url: make.url, team_id: 7 }, credentials: { api_token: MAKE_TOKEN } });
    make.disruptHooks(1, { status: 401 });

    const run = await runSource(t, source.id);
    expect(run).toMatchObject({
      status: 'partial',
      found: 2,
      new: 2,
      missing: 0,
      errors: [
        {
          code: 'unauthorized',
          message: 'the webhooks of team 7 (scope hooks:read): Make refused the credentials (HTTP 401): check the key and that it may read what discovery lists',
        },
      ],
    });
    expect(JSON.stringify(run)).not.toContain(MAKE_TOKEN);
    const agents = await agentsOf(t, source.id);
    expect(agents.get('7001')!.metadata.discovered).not.toHaveProperty('webhook_url');
    expect(agents.get('7001')!.config).toMatchObject({ hook_id: 77 });
  });

  it('makes one agent of a Make scenario and the n8n workflow at the same webhook URL, counted as linked, not new', async () => {
    const { url, workflowId, n8nSource, makeSource } = await sameWebhook(t, fakes);
    expect(await runSource(t, n8nSource.id)).toMatchObject({ status: 'succeeded', found: 1, new: 1, linked: 0 });
    expect(await runSource(t, makeSource.id)).toMatchObject({ status: 'succeeded', found: 2, new: 1, linked: 1, changed: 0, unchanged: 0, errors: [] });

    const agent = (await agentsOf(t, n8nSource.id)).get(workflowId)!;
    const seenByMake = await agentsOf(t, makeSource.id);
    expect(seenByMake.get('4101')!.id).toBe(agent.id);
    expect(seenByMake.get('4102')!.id).not.toBe(agent.id);
    const identities = await identitiesOf(t, agent.id);
    expect(identities.map((identity) => [identity.discovery_source_id, identity.source_kind, identity.link, identity.external_id])).toEqual([
      [n8nSource.id, 'n8n', 'discovered', workflowId],
      [makeSource.id, 'make', 'rule', '4101'],
    ]);
    expect((await history(t, agent.id)).at(-1)).toMatchObject({
      action: 'linked',
      reason: `linked by the rule webhook_url (${url}): Scenario 4101 as discovery source ${makeSource.name as string} (make) lists it`,
    });
    // The audit entry of the run counts the link apart too.
    const audit = await t.container.db.query<{ after: Json }>("select after from audit_entry where action = 'discovery.run.apply' and target = $1", [`discovery_source:${makeSource.id}`]);
    expect(audit.rows.map((row) => [row.after.new, row.after.linked])).toEqual([[1, 1]]);

    // Listed again unchanged: nothing is new or linked a second time, and nothing is written.
    expect(await runSource(t, makeSource.id)).toMatchObject({ status: 'succeeded', found: 2, new: 0, linked: 0, changed: 0, unchanged: 2 });
  });
});

describe.each(databaseTargets.map((target) => [target.name, target] as const))('Make webhooks with the webhook_url rule off [%s]', (_name, target) => {
  let t: TestApp;
  let fakes: { make: FakeMake; n8n: FakeN8n };

  beforeAll(async () => {
    t = await createTestApp(target, { OUTBOUND_ALLOW_CIDRS: '127.0.0.0/8', OUTBOUND_TIMEOUT: '2s', DISCOVERY_LINK_RULES: 'endpoint_url,lambda_arn' });
    fakes = await startFakes();
  });
  afterAll(async () => {
    await t?.close();
    await fakes?.make.close();
    await fakes?.n8n.close();
  });

  it('keeps a Make scenario and the n8n workflow at the same webhook URL as two agents', async () => {
    const { workflowId, n8nSource, makeSource } = await sameWebhook(t, fakes);
    expect(await runSource(t, n8nSource.id)).toMatchObject({ status: 'succeeded', found: 1, new: 1, linked: 0 });
    expect(await runSource(t, makeSource.id)).toMatchObject({ status: 'succeeded', found: 2, new: 2, linked: 0, errors: [] });

    const agent = (await agentsOf(t, n8nSource.id)).get(workflowId)!;
    const scenarioAgent = (await agentsOf(t, makeSource.id)).get('4101')!;
    expect(scenarioAgent.id).not.toBe(agent.id);
    expect(scenarioAgent).toMatchObject({ source: 'make', status: 'quarantined' });
    expect((await identitiesOf(t, agent.id)).map((identity) => identity.source_kind)).toEqual(['n8n']);
    expect((await identitiesOf(t, scenarioAgent.id)).map((identity) => identity.source_kind)).toEqual(['make']);
  });
});
