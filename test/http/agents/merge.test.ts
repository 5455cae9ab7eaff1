import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachDatabase, type TestApp } from '../../helpers/app.js';

/**
 * POST /agents/{id}/merge and /unmerge by hand (docs/discovery.md "Merging"): what follows the survivor, what an
 * unmerge gives back, the audit entries, and every refusal as a 4xx problem.
 */

type Json = Record<string, unknown>;

async function register(t: TestApp, body: Json): Promise<Json & { id: string }> {
  const response = await t.app.inject({ method: 'POST', url: '/api/v1/agents', headers: t.as('operator'), payload: { kind: 'llm_agent', classification: 'internal', ...body } });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as Json & { id: string };
}

const post = (t: TestApp, url: string, payload: Json, role: 'operator' | 'viewer' | 'admin' = 'operator') =>
  t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: t.as(role), payload });

async function count(t: TestApp, table: 'decision' | 'run' | 'agent_event', agentId: string): Promise<number> {
  const statements = {
    decision: 'select count(*)::int as count from decision where agent_id = $1',
    run: 'select count(*)::int as count from run where agent_id = $1',
    agent_event: 'select count(*)::int as count from agent_event where agent_id = $1',
  } as const;
  return (await t.container.db.query<{ count: number }>(statements[table], [agentId])).rows[0]!.count;
}

describeEachDatabase('merging agents by hand', (ctx) => {
  it('moves identities, history, decisions and runs to the survivor, audited, and unmerge gives them back', async () => {
    const t = ctx();
    const merged = await register(t, { name: 'refund-bot (n8n)', source: 'n8n', external_id: `https://n8n.example.com/workflow/${randomUUID()}`, role: 'analyst' });
    const survivor = await register(t, { name: 'refund-bot', source: 'manual' });
    const evaluation = await post(t, '/policy/evaluate', { agent_id: merged.id, action: 'read', resource: 'crm', classification: 'internal' }, 'admin');
    expect(evaluation.statusCode, evaluation.body).toBe(200);
    const runs = await t.app.inject({
      method: 'POST',
      url: '/api/v1/runs',
      headers: t.as('ingest'),
      payload: { runs: [{ agent_id: merged.id, started_at: new Date().toISOString(), duration_ms: 120, outcome: 'success' }] },
    });
    expect(runs.statusCode, runs.body).toBe(201);
    expect([await count(t, 'decision', merged.id), await count(t, 'run', merged.id), await count(t, 'agent_event', merged.id)]).toEqual([1, 1, 1]);

    const response = await post(t, `/agents/${merged.id}/merge`, { into: survivor.id, reason: 'the same workflow' });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json() as Json & { identities: Array<Json & { id: string }> };
    // The survivor took the merged agent's role (it had none) and its one identity (made for the agent registered by hand).
    expect(body).toMatchObject({ id: survivor.id, status: 'active', role: 'analyst' });
    expect(body.identities).toEqual([
      {
        id: expect.any(String),
        source_kind: 'n8n',
        discovery_source_id: null,
        external_id: merged.external_id,
        link: 'manual',
        merged_from: merged.id,
        first_seen_at: expect.any(String),
        missing_since: null,
      },
    ]);
    const identity = body.identities[0]!.id;
    // Decisions, runs and the history (its register entry) follow the survivor; the merged agent keeps one entry saying where it went.
    expect([await count(t, 'decision', merged.id), await count(t, 'run', merged.id), await count(t, 'agent_event', merged.id)]).toEqual([0, 0, 1]);
    expect([await count(t, 'decision', survivor.id), await count(t, 'run', survivor.id), await count(t, 'agent_event', survivor.id)]).toEqual([1, 1, 3]);
    const gone = (await t.app.inject({ method: 'GET', url: `/api/v1/agents/${merged.id}`, headers: t.as('viewer') })).json() as Json;
    expect(gone).toMatchObject({ status: 'merged', status_reason: `merged into agent ${survivor.id}` });
    expect(gone).not.toHaveProperty('identities');
    // A merged agent is denied like any agent that is not active.
    const denied = await post(t, '/policy/evaluate', { agent_id: merged.id, action: 'read', resource: 'crm', classification: 'internal' }, 'admin');
    expect(denied.json()).toMatchObject({ decision: 'deny' });
    const audit = await t.container.db.query<{ action: string; after: Json }>(`select action, after from audit_entry where target = $1 and action like 'agent.%merge' order by seq`, [`agent:${merged.id}`]);
    expect(audit.rows.map((row) => row.action)).toEqual(['agent.merge']);
    expect(audit.rows[0]!.after).toMatchObject({ into: survivor.id, moved: { decision: 1, run: 1, agent_event: 1 }, role_set: 'analyst', reason: 'the same workflow' });

    const back = await post(t, `/agents/${survivor.id}/unmerge`, { identity, reason: 'two workflows after all' });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ id: merged.id, status: 'active', role: 'analyst', identities: [{ id: identity, link: 'manual', merged_from: null }] });
    // What the merge moved goes back; the decision the merged agent got denied stays with it, the survivor's history keeps its entries.
    expect([await count(t, 'decision', merged.id), await count(t, 'run', merged.id)]).toEqual([2, 1]);
    expect([await count(t, 'decision', survivor.id), await count(t, 'run', survivor.id)]).toEqual([0, 0]);
    const restored = (await t.app.inject({ method: 'GET', url: `/api/v1/agents/${survivor.id}`, headers: t.as('viewer') })).json() as Json;
    expect(restored).toMatchObject({ role: null });
    expect(restored).not.toHaveProperty('identities');
    const history = (await t.app.inject({ method: 'GET', url: `/api/v1/agents/${merged.id}/history`, headers: t.as('viewer') })).json() as { items: Json[] };
    expect(history.items.map((entry) => entry.action)).toEqual(['register', 'merged', 'unmerged']);
    const actions = await t.container.db.query<{ action: string }>(`select action from audit_entry where target = $1 and action like 'agent.%merge' order by seq`, [`agent:${merged.id}`]);
    expect(actions.rows.map((row) => row.action)).toEqual(['agent.merge', 'agent.unmerge']);
  });

  it('refuses bad merges and unmerges with 400, 403, 404 and 409, never 5xx', async () => {
    const t = ctx();
    const a = await register(t, { name: 'a' });
    const b = await register(t, { name: 'b' });
    const c = await register(t, { name: 'c' });
    const unknown = randomUUID();
    const detail = (response: { statusCode: number; json(): unknown }) => [response.statusCode, (response.json() as { detail: string }).detail];

    expect(detail(await post(t, `/agents/${a.id}/merge`, { into: a.id }))).toEqual([400, 'an agent cannot be merged into itself']);
    expect(detail(await post(t, `/agents/${a.id}/merge`, { into: unknown }))).toEqual([404, `agent ${unknown} was not found`]);
    expect(detail(await post(t, `/agents/${unknown}/merge`, { into: a.id }))).toEqual([404, `agent ${unknown} was not found`]);
    expect((await post(t, `/agents/${a.id}/merge`, { into: 'not-a-uuid' })).statusCode).toBe(400);
    expect((await post(t, `/agents/${a.id}/merge`, {})).statusCode).toBe(400);
    expect((await post(t, `/agents/${a.id}/merge`, { into: b.id }, 'viewer')).statusCode).toBe(403);

    const merged = await post(t, `/agents/${a.id}/merge`, { into: b.id });
    expect(merged.statusCode, merged.body).toBe(200);
    const identity = (merged.json() as { identities: Array<{ id: string }> }).identities[0]!.id;
    expect(detail(await post(t, `/agents/${a.id}/merge`, { into: c.id }))).toEqual([409, `agent ${a.id} is merged already (merged into agent ${b.id}): unmerge it first`]);
    expect(detail(await post(t, `/agents/${c.id}/merge`, { into: a.id }))).toEqual([409, `agent ${a.id} is itself merged (merged into agent ${b.id}): merge into the agent it was merged into`]);
    // A merged agent takes no lifecycle action either.
    expect((await post(t, `/agents/${a.id}/approve`, { reason: 'x' })).statusCode).toBe(409);

    expect(detail(await post(t, `/agents/${b.id}/unmerge`, { identity: unknown }))).toEqual([404, `identity ${unknown} was not found`]);
    expect(detail(await post(t, `/agents/${unknown}/unmerge`, { identity }))).toEqual([404, `agent ${unknown} was not found`]);
    expect(detail(await post(t, `/agents/${c.id}/unmerge`, { identity }))).toEqual([409, `identity ${identity} belongs to agent ${b.id}, not to agent ${c.id}`]);
    expect((await post(t, `/agents/${b.id}/unmerge`, { identity })).statusCode).toBe(200);
    // Once given back, the identity is the agent's own: nothing more to unmerge.
    expect(detail(await post(t, `/agents/${a.id}/unmerge`, { identity }))).toEqual([409, `identity ${identity} is agent ${a.id}'s own: no merge brought it, so there is nothing to unmerge`]);

    expect((await post(t, `/agents/${c.id}/retire`, { reason: 'gone' })).statusCode).toBe(200);
    expect(detail(await post(t, `/agents/${c.id}/merge`, { into: b.id }))).toEqual([409, `agent ${c.id} is retired and can no longer be changed`]);
    expect(detail(await post(t, `/agents/${b.id}/merge`, { into: c.id }))).toEqual([409, `agent ${c.id} is retired: merge into an agent that is not`]);
  });
});
