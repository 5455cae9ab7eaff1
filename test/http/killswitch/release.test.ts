import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { createKillSwitchModule } from '../../../src/modules/killswitch/index.js';
import { createMetrics } from '../../../src/platform/telemetry/metrics.js';
import { activate, agentStatus, createAgent, describeKillSwitchSuite, evaluateDecision, problem, release, SETUP, unique } from './fixtures.js';

/** Releasing a kill switch: what is restored, what is left alone and why, overlapping activations; extension points. */

const START = '2026-06-01T08:00:00.000Z';

interface Detail {
  id: string;
  status: string;
  restored_count: number | null;
  skipped_count: number | null;
  transferred_count: number | null;
  agents: Array<{ agent_id: string; current_status: string; outcome: string; release_outcome: string | null; release_detail: string | null }>;
}

describeKillSwitchSuite('kill switch release', START, (ctx) => {
  it('restores each agent it still holds to its previous status and reason, and skips the ones someone changed since', async () => {
    const { t } = ctx();
    const tag = unique('ks-release');
    const active = await createAgent(t, { tags: [tag] });
    const quarantined = await createAgent(t, { tags: [tag], status: 'quarantined' });
    const alreadySuspended = await createAgent(t, { tags: [tag], status: 'suspended' });
    const resumed = await createAgent(t, { tags: [tag] });
    const resuspended = await createAgent(t, { tags: [tag] });
    const id = await activate(t, { tags: [tag] }, 'suspicious tool calls');

    const agents = t.container.modules.agents.service;
    const someone = { id: 'someone', correlationId: null };
    await agents.transition(someone, resumed, 'resume', 'false alarm for this one');
    await agents.transition(someone, resuspended, 'resume', 'checking');
    await agents.transition(someone, resuspended, 'suspend', 'suspended by hand');

    const response = await release(t, id, 'tool calls explained');
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json() as Detail & Record<string, unknown>;
    expect(body).toMatchObject({ id, status: 'released', released_at: START, release_reason: 'tool calls explained', restored_count: 2, skipped_count: 2, transferred_count: 0 });
    const byAgent = new Map(body.agents.map((agent) => [agent.agent_id, agent]));
    expect(byAgent.get(active)).toMatchObject({ current_status: 'active', outcome: 'suspended', release_outcome: 'restored', release_detail: null });
    expect(byAgent.get(quarantined)).toMatchObject({ current_status: 'quarantined', outcome: 'suspended', release_outcome: 'restored' });
    expect(byAgent.get(alreadySuspended)).toMatchObject({ current_status: 'suspended', outcome: 'already_suspended', release_outcome: null });
    expect(byAgent.get(resumed)).toMatchObject({ current_status: 'active', release_outcome: 'skipped', release_detail: 'its status was changed since (now active)' });
    expect(byAgent.get(resuspended)).toMatchObject({ current_status: 'suspended', release_outcome: 'skipped', release_detail: 'suspended again by someone else since' });

    expect(await agentStatus(t, active)).toEqual({ status: 'active', status_reason: null });
    expect(await agentStatus(t, quarantined)).toEqual({ status: 'quarantined', status_reason: 'set up quarantined' });
    expect(await agentStatus(t, alreadySuspended)).toEqual({ status: 'suspended', status_reason: 'set up suspended' });
    expect(await agentStatus(t, resuspended)).toEqual({ status: 'suspended', status_reason: 'suspended by hand' });
    expect((await evaluateDecision(t, active)).decision).toBe('allow');

    const history = await t.app.inject({ method: 'GET', url: `/api/v1/agents/${quarantined}/history`, headers: t.as('viewer') });
    expect((history.json() as { items: unknown[] }).items.slice(-2)).toMatchObject([
      { action: 'kill_switch', from_status: 'quarantined', to_status: 'suspended' },
      { action: 'kill_switch_release', from_status: 'suspended', to_status: 'quarantined', reason: 'set up quarantined', correlation_id: response.headers['x-correlation-id'] },
    ]);
    const audit = await t.container.db.query<{ after: Record<string, unknown> }>("select after from audit_entry where action = 'kill_switch.release' and target = $1", [`kill_switch:${id}`]);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]!.after).toEqual({
      reason: 'tool calls explained',
      restored: [
        { agent_id: active, status: 'active' },
        { agent_id: quarantined, status: 'quarantined' },
      ].sort((a, b) => (a.agent_id < b.agent_id ? -1 : 1)),
      transferred: [],
      skipped: [resumed, resuspended].sort(),
    });

    const again = await release(t, id);
    expect(again.statusCode).toBe(409);
    expect(problem(again).detail).toBe(`kill switch ${id} was already released at ${START}`);
    expect((await release(t, randomUUID())).statusCode).toBe(404);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/kill-switch?status=released', headers: t.as('viewer') });
    expect((list.json() as { items: Array<{ id: string }> }).items.map((item) => item.id)).toContain(id);
  });

  it('hands an agent over to another activation still in force instead of resuming it', async () => {
    const { t } = ctx();
    const first = await createAgent(t);
    const second = await createAgent(t, { status: 'quarantined' });
    const narrow = await activate(t, { agent_ids: [first] }, 'first incident');
    const wide = await activate(t, { agent_ids: [first, second] }, 'wider incident');

    const releasedNarrow = (await release(t, narrow)).json() as Detail;
    expect(releasedNarrow).toMatchObject({ restored_count: 0, skipped_count: 0, transferred_count: 1 });
    expect(releasedNarrow.agents).toEqual([expect.objectContaining({ agent_id: first, current_status: 'suspended', release_outcome: 'transferred', release_detail: `still held by kill switch ${wide}` })]);
    expect(await agentStatus(t, first)).toEqual({ status: 'suspended', status_reason: `kill switch ${wide}: wider incident` });
    expect((await evaluateDecision(t, first)).decision).toBe('deny');

    const releasedWide = (await release(t, wide)).json() as Detail;
    expect(releasedWide).toMatchObject({ restored_count: 2, skipped_count: 0, transferred_count: 0 });
    expect(await agentStatus(t, first)).toEqual({ status: 'active', status_reason: null });
    expect(await agentStatus(t, second)).toEqual({ status: 'quarantined', status_reason: 'set up quarantined' });
  });

  it('selects by discovery source what that source found, and lists their pending approvals (the wired ports)', async () => {
    const { t } = ctx();
    const tag = unique('ks-disc');
    const found = await createAgent(t, { tags: [tag] });
    const other = await createAgent(t, { tags: [tag] });
    const db = t.container.db;
    const sourceId = randomUUID();
    await db.query(`insert into discovery_source (id, kind, name, config) values ($1, 'lambda', $2, '{"region": "eu-west-1"}'::jsonb)`, [sourceId, unique('ks-src')]);
    await db.query(`insert into agent_identities (id, agent_id, source_kind, discovery_source_id, external_id) values ($1, $2, 'lambda', $3, 'fn-1')`, [randomUUID(), found, sourceId]);
    const approvalId = randomUUID();
    const insertApproval = `insert into approval (id, agent_id, action, resource, classification, rule, policy_version, requested_by, status, expires_at, created_at, updated_at, decided_at)
                            values ($1, $2, 'transfer_funds', 'bank', 'confidential', 'approval_required', 1, 'key-1', $3, $4, $5, $5, $6)`;
    const now = new Date(START);
    const later = new Date(now.getTime() + 3_600_000);
    await db.query(insertApproval, [approvalId, found, 'pending', later, now, null]);
    // Neither a decided approval nor one of an agent outside the selection is listed.
    await db.query(insertApproval, [randomUUID(), found, 'denied', later, now, now]);
    await db.query(insertApproval, [randomUUID(), other, 'pending', later, now, null]);

    const response = await t.app.inject({ method: 'POST', url: '/api/v1/kill-switch/preview', headers: t.as('operator'), payload: { selector: { discovery_source_ids: [sourceId] } } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      agents: { total: 1, items: [{ id: found }] },
      pending_approvals: {
        total: 1,
        items: [{ id: approvalId, agent_id: found, action: 'transfer_funds', resource: 'bank', requested_at: now.toISOString(), expires_at: later.toISOString() }],
      },
      notes: [],
    });
    const none = await t.app.inject({ method: 'POST', url: '/api/v1/kill-switch/preview', headers: t.as('operator'), payload: { selector: { tags: [tag], discovery_source_ids: [randomUUID()] } } });
    expect(none.json()).toMatchObject({ agents: { total: 0, items: [] }, notes: ['the selector matches no agent: executing this preview would be refused'] });
  });

  it('uses the pending-approvals and discovery extension points when a build provides them', async () => {
    const { t, clock } = ctx();
    const found = await createAgent(t);
    const other = await createAgent(t);
    const sourceId = randomUUID();
    const approval = { id: randomUUID(), agent_id: found, action: 'transfer_funds', resource: 'bank', requested_at: START, expires_at: null };
    const asked: string[][] = [];
    const module = createKillSwitchModule({
      db: t.container.db,
      metrics: createMetrics(),
      logger: t.container.logger,
      clock,
      audit: t.container.modules.audit.service,
      agents: t.container.modules.agents.service,
      ports: {
        ownedStreams: async () => [],
        sourceName: async () => null,
        pendingApprovals: async (agentIds) => {
          asked.push(agentIds);
          return agentIds.includes(found) ? [approval] : [];
        },
        discoveredAgents: async (sourceIds) => (sourceIds.includes(sourceId) ? [found] : []),
      },
    });
    const view = await module.previews.preview(SETUP, { selector: { discovery_source_ids: [sourceId] } });
    expect(view.agents.items.map((agent) => agent.id)).toEqual([found]);
    expect(view.pending_approvals).toEqual({ total: 1, items: [approval] });
    expect(view.notes).toEqual([]);
    expect(asked).toEqual([[found]]);

    const activation = await module.service.execute(SETUP, { preview_token: view.preview_token, reason: 'shadow deployment' });
    expect(activation.agents.map((agent) => agent.agent_id)).toEqual([found]);
    expect((await agentStatus(t, other)).status).toBe('active');
  });
});
