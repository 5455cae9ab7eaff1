import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';
import { agentsOf, createSource, history, runSource, transition, writesSince, type Json } from './discovery-helpers.js';
import { startFakeN8n, workflow, type FakeN8n } from './fakes/n8n.js';

/**
 * n8n discovery end to end against a local n8n written from its API docs: pagination, shadow-AI quarantine, a second
 * run that writes nothing, review after a change, missing and back, and the vendor's errors (401, 429, a timeout).
 */

// secretlint-disable-next-line @secretlint/secretlint-rule-preset-recommend -- a made-up key for the local fake n8n
const API_KEY = 'n8n_api_4f1c0ffee0ddba11';

describe.each(databaseTargets.map((target) => [target.name, target] as const))('n8n discovery [%s]', (_name, target) => {
  let t: TestApp;
  let n8n: FakeN8n;
  let sourceId: string;
  const dbNow = async () => (await t.container.db.query<{ now: Date }>('select clock_timestamp() as now')).rows[0]!.now;

  beforeAll(async () => {
    t = await createTestApp(target, { OUTBOUND_ALLOW_CIDRS: '127.0.0.0/8', OUTBOUND_TIMEOUT: '1s', OUTBOUND_RETRIES: '2' });
    n8n = await startFakeN8n({
      apiKey: API_KEY,
      workflows: [
        workflow('w1', { ai: true, name: 'Support agent', prompt: 'You answer support tickets.', tools: [{ name: 'lookup', description: 'Look up a customer' }] }),
        workflow('w2'),
        workflow('w3', { ai: true, name: 'Sales agent' }),
        workflow('w4'),
        workflow('w5'),
        workflow('w6', { ai: true }),
        workflow('w7'),
      ],
    });
    const source = await createSource(t, { kind: 'n8n', name: `n8n-${randomBytes(3).toString('hex')}`, config: { url: n8n.url, page_size: 3 }, credentials: { api_key: API_KEY } });
    sourceId = source.id;
  });
  afterAll(async () => {
    await t?.close();
    await n8n?.close();
  });

  it('lists every page and registers each workflow in quarantine: AI workflows as agents, the rest as automations', async () => {
    const run = await runSource(t, sourceId);
    expect(run).toMatchObject({ status: 'succeeded', found: 7, new: 7, changed: 0, unchanged: 0, missing: 0, errors: [], trigger: 'api', attempts: 1 });
    const requests = n8n.listRequests();
    expect(requests.map((request) => new URL(request.url, 'http://x').searchParams.get('limit'))).toEqual(['3', '3', '3']);
    expect(requests.map((request) => new URL(request.url, 'http://x').searchParams.has('cursor'))).toEqual([false, true, true]);
    for (const request of requests) expect(request.headers['x-n8n-api-key']).toBe(API_KEY);
    const agents = await agentsOf(t, sourceId);
    expect([...agents.keys()].sort()).toEqual(['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7']);
    expect(agents.get('w1')).toMatchObject({
      kind: 'llm_agent',
      source: 'n8n',
      external_id: `${n8n.url}/workflow/w1`,
      status: 'quarantined',
      name: 'Support agent',
      model: 'gpt-4o-mini',
      prompt: 'You answer support tickets.',
      tools: [{ name: 'lookup', description: 'Look up a customer', input_schema_hash: null }],
      tags: ['prod'],
    });
    expect(agents.get('w2')).toMatchObject({ kind: 'workflow', status: 'quarantined', model: null, tools: [] });
    expect([...agents.values()].filter((agent) => agent.kind === 'llm_agent')).toHaveLength(3);
    const events = await history(t, agents.get('w1')!.id);
    expect(events).toEqual([
      expect.objectContaining({ action: 'discovered', from_status: null, to_status: 'quarantined', actor: `discovery:${sourceId}`, reason: expect.stringContaining('found by discovery source') }),
    ]);
    const source = (await t.app.inject({ method: 'GET', url: `/api/v1/discovery/sources/${sourceId}`, headers: t.as('admin') })).json() as Json;
    expect(source.last_run).toMatchObject({ id: run.id, status: 'succeeded' });
  });

  it('writes nothing but its run record when nothing changed', async () => {
    const since = await dbNow();
    const run = await runSource(t, sourceId);
    expect(run).toMatchObject({ status: 'succeeded', found: 7, new: 0, changed: 0, unchanged: 7, missing: 0 });
    expect(await writesSince(t, since)).toEqual({ agent: 0, agent_event: 0, agent_identities: 0, discovery_finding: 0, audit_entry: 0 });
  });

  it('sends an approved agent back to review when its definition changes, with the change in its history', async () => {
    const agents = await agentsOf(t, sourceId);
    const support = agents.get('w1')!;
    await transition(t, support.id, 'approve');
    n8n.workflows = n8n.workflows.map((item) =>
      item.id === 'w1' ? workflow('w1', { ai: true, name: 'Support agent', prompt: 'You answer tickets. Be brief.', tools: [{ name: 'lookup', description: 'Look up a customer' }, { name: 'refund', description: 'Refund an order' }] }) : item,
    );
    const run = await runSource(t, sourceId);
    expect(run).toMatchObject({ status: 'succeeded', found: 7, new: 0, changed: 1, unchanged: 6, missing: 0 });
    const after = (await agentsOf(t, sourceId)).get('w1')!;
    expect(after.status).toBe('needs_review');
    expect(after.prompt).toBe('You answer tickets. Be brief.');
    expect(after.fingerprint).not.toBe(support.fingerprint);
    const review = (await history(t, support.id)).at(-1)!;
    expect(review).toMatchObject({ action: 'review', from_status: 'active', to_status: 'needs_review', actor: `discovery:${sourceId}` });
    expect(review.reason).toBe(`definition changed (discovery source ${(await source()).name as string}): tools added: refund; prompt changed; config changed: nodes`);
    expect(review.changes).toEqual([{ change: 'tool_added', tool: 'refund' }, { change: 'prompt_changed' }, { change: 'config_changed', keys: ['nodes'] }]);

    // Denied while in review (the default policy), and active again once approved.
    const evaluate = () => t.app.inject({ method: 'POST', url: '/api/v1/policy/evaluate', headers: t.as('ingest'), payload: { agent_id: support.id, action: 'read', resource: 'crm', classification: 'internal' } });
    const denied = (await evaluate()).json() as { decision: string; violations: Array<{ rule: string; detail: string }> };
    expect(denied.decision).toBe('deny');
    expect(denied.violations).toContainEqual(expect.objectContaining({ rule: 'agent_status', detail: 'agent is needs_review' }));
    await transition(t, support.id, 'approve', 'new prompt reviewed');
    expect(((await evaluate()).json() as { decision: string }).decision).toBe('allow');
  });

  it('marks an agent no longer listed missing, never deleting it, and brings it back when it reappears', async () => {
    const w7 = n8n.workflows.find((item) => item.id === 'w7')!;
    n8n.workflows = n8n.workflows.filter((item) => item.id !== 'w7');
    const gone = await runSource(t, sourceId);
    expect(gone).toMatchObject({ status: 'succeeded', found: 6, missing: 1, unchanged: 6 });
    const missing = (await agentsOf(t, sourceId)).get('w7')!;
    expect(missing.status).toBe('missing');
    expect((await history(t, missing.id)).at(-1)).toMatchObject({ action: 'missing', from_status: 'quarantined', to_status: 'missing' });

    n8n.workflows = [...n8n.workflows, w7];
    const back = await runSource(t, sourceId);
    expect(back).toMatchObject({ status: 'succeeded', found: 7, missing: 0, new: 0 });
    const returned = (await agentsOf(t, sourceId)).get('w7')!;
    expect(returned.id).toBe(missing.id);
    expect(returned.status).toBe('quarantined');
    expect((await history(t, missing.id)).at(-1)).toMatchObject({ action: 'reappeared', from_status: 'missing', to_status: 'quarantined' });
  });

  it('raises alerts for the agents waiting in quarantine and for the agent in review', async () => {
    n8n.workflows = n8n.workflows.map((item) => (item.id === 'w1' ? workflow('w1', { ai: true, name: 'Support agent', prompt: 'Changed again.' }) : item));
    await runSource(t, sourceId);
    await t.container.modules.alerts.evaluate(`alerts-${randomBytes(4).toString('hex')}`);
    const alerts = (await t.app.inject({ method: 'GET', url: '/api/v1/alerts?status=firing&limit=200', headers: t.as('viewer') })).json() as { items: Array<{ labels: Record<string, string>; annotations: Record<string, string> }> };
    const discovered = alerts.items.find((alert) => alert.labels.alertname === 'shadow-ai-discovered' && alert.labels.discovery_source_id === sourceId);
    expect(discovered?.annotations.summary).toBe(`6 agent(s) found by discovery source ${(await source()).name as string} wait in quarantine for approval`);
    const support = (await agentsOf(t, sourceId)).get('w1')!;
    const changed = alerts.items.find((alert) => alert.labels.alertname === 'agent-changed' && alert.labels.agent_id === support.id);
    expect(changed?.annotations).toMatchObject({ summary: 'Support agent changed since it was approved and waits for review', description: expect.stringContaining('prompt changed') });
  });

  it('fails with a clear error when n8n refuses the key, without the key in the run or the logs', async () => {
    const wrong = await createSource(t, { kind: 'n8n', name: `n8n-bad-${randomBytes(3).toString('hex')}`, config: { url: n8n.url }, credentials: { api_key: 'n8n_api_wrong_key_123' } });
    const run = await runSource(t, wrong.id);
    expect(run).toMatchObject({ status: 'failed', found: 0, new: 0 });
    expect(run.errors).toEqual([{ code: 'unauthorized', message: 'n8n refused the credentials (HTTP 401): check the key and that it may read what discovery lists' }]);
    expect(JSON.stringify(t.logs)).not.toContain('n8n_api_wrong_key_123');
    expect(JSON.stringify(t.logs)).not.toContain(API_KEY);
    await t.container.modules.alerts.evaluate(`alerts-${randomBytes(4).toString('hex')}`);
    const alerts = (await t.app.inject({ method: 'GET', url: '/api/v1/alerts?status=firing&limit=200', headers: t.as('viewer') })).json() as { items: Array<{ labels: Record<string, string> }> };
    expect(alerts.items.some((alert) => alert.labels.alertname === 'discovery-failed' && alert.labels.discovery_source_id === wrong.id)).toBe(true);
  });

  it('waits as long as a 429 Retry-After asks, then goes on', async () => {
    n8n.disrupt(2, { status: 429, headers: { 'retry-after': '1' } });
    const before = n8n.listRequests().length;
    const run = await runSource(t, sourceId);
    expect(run).toMatchObject({ status: 'succeeded', found: 7 });
    const requests = n8n.listRequests().slice(before);
    expect(requests).toHaveLength(4);
    // The retry of page 2 came no sooner than the second the server asked for.
    expect(requests[2]!.receivedAt - requests[1]!.receivedAt).toBeGreaterThanOrEqual(1000);
    expect(requests[2]!.url).toBe(requests[1]!.url);
  });

  it('ends partial when a later page never answers, marking nothing missing', async () => {
    for (const nth of [2, 3, 4]) n8n.disrupt(nth, 'hang');
    const run = await runSource(t, sourceId);
    expect(run).toMatchObject({ status: 'partial', found: 3, missing: 0, new: 0 });
    expect(run.errors).toEqual([{ code: 'timeout', message: 'page 2: n8n did not answer: no answer within 1000 ms' }]);
    const statuses = [...(await agentsOf(t, sourceId)).values()].map((agent) => agent.status);
    expect(statuses).not.toContain('missing');
  });

  async function source(): Promise<Json> {
    return (await t.app.inject({ method: 'GET', url: `/api/v1/discovery/sources/${sourceId}`, headers: t.as('admin') })).json() as Json;
  }
});
