import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { TestApp } from '../../helpers/app.js';
import { describeEachDatabase } from '../../helpers/app.js';
import {
  ISO_TIMESTAMP,
  UUID,
  act,
  agentGauge,
  createAgent,
  expectProblem,
  expectValidationError,
  fingerprintOfCanonical,
  getAgent,
  history,
  unique,
  withCorrelation,
  type AgentEventJson,
  type AgentJson,
} from './fixtures.js';

type Status = AgentJson['status'];
const STATUSES: Status[] = ['active', 'suspended', 'quarantined', 'retired'];
const ACTIONS = ['suspend', 'resume', 'quarantine', 'approve', 'retire'] as const;
type Action = (typeof ACTIONS)[number];

/** The lifecycle of docs/agents.md, written out by hand: null where the action is refused (409). */
const MACHINE: Record<Status, Record<Action, Status | null>> = {
  active: { suspend: 'suspended', resume: null, quarantine: 'quarantined', approve: null, retire: 'retired' },
  suspended: { suspend: null, resume: 'active', quarantine: 'quarantined', approve: null, retire: 'retired' },
  quarantined: { suspend: null, resume: null, quarantine: null, approve: 'active', retire: 'retired' },
  retired: { suspend: null, resume: null, quarantine: null, approve: null, retire: null },
};

const allowedFrom = (status: Status) => ACTIONS.filter((action) => MACHINE[status][action] !== null);

function refusalDetail(action: Action, status: Status): string {
  const allowed = allowedFrom(status);
  return `cannot ${action} an agent that is ${status} (${allowed.length > 0 ? `allowed: ${allowed.join(', ')}` : 'no further transitions are allowed'})`;
}

/** Writes are recorded under the id of the API key that made them (the `as('operator')` key here). */
async function operatorKeyId(t: TestApp): Promise<string> {
  const principal = await t.container.modules.keys.service.authenticate(t.keys.operator);
  expect(principal?.role).toBe('operator');
  return principal!.id;
}

async function agentIn(t: TestApp, status: Status, fields: Record<string, unknown> = {}): Promise<AgentJson> {
  const agent = await createAgent(t, { name: unique(`in-${status}`), kind: 'llm_agent', status: status === 'quarantined' ? 'quarantined' : 'active', ...fields });
  if (status === 'suspended') expect((await act(t, agent.id, 'suspend', 'setup')).statusCode).toBe(200);
  if (status === 'retired') expect((await act(t, agent.id, 'retire', 'setup')).statusCode).toBe(200);
  const read = (await getAgent(t, agent.id)).json() as AgentJson;
  expect(read.status).toBe(status);
  return read;
}

async function allEvents(t: TestApp, id: string): Promise<AgentEventJson[]> {
  const response = await history(t, id, { limit: 200 });
  expect(response.statusCode).toBe(200);
  return (response.json() as { items: AgentEventJson[] }).items;
}

async function storedStatus(t: TestApp, id: string): Promise<{ status: string; status_reason: string | null }> {
  const { rows } = await t.container.db.query<{ status: string; status_reason: string | null }>('select status, status_reason from agent where id = $1', [id]);
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

const pairs = STATUSES.flatMap((from) => ACTIONS.map((action) => ({ from, action, to: MACHINE[from][action] })));

describeEachDatabase('agent lifecycle transitions', (ctx) => {
  it.each(pairs.filter((pair) => pair.to !== null))('POST …/$action on a $from agent answers 200 and makes it $to', async ({ from, action, to }) => {
    const agent = await agentIn(ctx(), from);
    const reason = unique(`why ${action}`);
    const correlationId = unique('corr');
    const response = await act(ctx(), agent.id, action, reason, { 'x-correlation-id': correlationId });
    expect(response.statusCode, response.body).toBe(200);
    const updated = response.json() as AgentJson;
    expect(updated).toEqual({ ...agent, status: to, status_reason: reason, updated_at: expect.stringMatching(ISO_TIMESTAMP) });
    expect(Date.parse(updated.updated_at)).toBeGreaterThanOrEqual(Date.parse(agent.updated_at));
    expect(await storedStatus(ctx(), agent.id)).toEqual({ status: to, status_reason: reason });

    const events = await allEvents(ctx(), agent.id);
    expect(events.at(-1)).toEqual({
      id: expect.stringMatching(UUID),
      agent_id: agent.id,
      action,
      from_status: from,
      to_status: to,
      reason,
      actor: await operatorKeyId(ctx()),
      fingerprint: null,
      correlation_id: correlationId,
      at: expect.stringMatching(ISO_TIMESTAMP),
    });
  });

  it.each(pairs.filter((pair) => pair.to === null))('POST …/$action on a $from agent answers 409 naming the allowed actions', async ({ from, action }) => {
    const agent = await agentIn(ctx(), from);
    const before = await allEvents(ctx(), agent.id);
    const response = await act(ctx(), agent.id, action, 'try');
    const problem = expectProblem(response, 409, 'conflict', `/api/v1/agents/${agent.id}/${action}`);
    expect(problem.detail).toBe(refusalDetail(action, from));
    for (const allowed of allowedFrom(from)) expect(problem.detail).toContain(allowed);
    expect((await getAgent(ctx(), agent.id)).json()).toEqual(agent);
    expect(await allEvents(ctx(), agent.id)).toEqual(before);
  });

  it.each<[string, unknown, string]>([
    ['a missing reason', {}, '/body/reason'],
    ['an empty reason', { reason: '' }, '/body/reason'],
    ['a reason over 1000 characters', { reason: 'r'.repeat(1001) }, '/body/reason'],
    ['a number as reason', { reason: 5 }, '/body/reason'],
    ['null as reason', { reason: null }, '/body/reason'],
    ['an unknown field', { reason: 'ok', note: 'x' }, '/body/note'],
  ])('answers 400 for %s and leaves the agent alone', async (_case, body, path) => {
    const agent = await agentIn(ctx(), 'active');
    for (const action of ACTIONS) {
      const response = await ctx().app.inject({
        method: 'POST',
        url: `/api/v1/agents/${agent.id}/${action}`,
        headers: { ...ctx().as('operator'), 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });
      expectValidationError(response, `/api/v1/agents/${agent.id}/${action}`, path);
    }
    expect((await getAgent(ctx(), agent.id)).json()).toEqual(agent);
    expect((await allEvents(ctx(), agent.id)).map((event) => event.action)).toEqual(['register']);
  });

  it('answers 400 when there is no body at all', async () => {
    const agent = await agentIn(ctx(), 'active');
    const response = await ctx().app.inject({ method: 'POST', url: `/api/v1/agents/${agent.id}/suspend`, headers: ctx().as('operator') });
    expectValidationError(response, `/api/v1/agents/${agent.id}/suspend`, '/body');
    expect(await storedStatus(ctx(), agent.id)).toEqual({ status: 'active', status_reason: null });
  });

  it('answers 404 for an unknown agent, 400 for a non-uuid id and 404 for an unknown action', async () => {
    const id = randomUUID();
    for (const action of ACTIONS) {
      expect(expectProblem(await act(ctx(), id, action, 'r'), 404, 'not_found', `/api/v1/agents/${id}/${action}`).detail).toBe(`agent ${id} was not found`);
      expectValidationError(await act(ctx(), 'abc', action, 'r'), `/api/v1/agents/abc/${action}`, '/params/id');
    }
    const agent = await agentIn(ctx(), 'active');
    expectProblem(await act(ctx(), agent.id, 'delete', 'r'), 404, 'not_found', `/api/v1/agents/${agent.id}/delete`);
  });

  it('keeps the newest reason in status_reason as an agent moves through the machine', async () => {
    const agent = await agentIn(ctx(), 'quarantined');
    expect((await act(ctx(), agent.id, 'approve', 'reviewed by security')).json()).toMatchObject({ status: 'active', status_reason: 'reviewed by security' });
    expect((await act(ctx(), agent.id, 'suspend', 'incident 42')).json()).toMatchObject({ status: 'suspended', status_reason: 'incident 42' });
    expect((await act(ctx(), agent.id, 'quarantine', 'trust fell')).json()).toMatchObject({ status: 'quarantined', status_reason: 'trust fell' });
    expect((await act(ctx(), agent.id, 'approve', 'fixed')).json()).toMatchObject({ status: 'active', status_reason: 'fixed' });
  });
});

describeEachDatabase('DELETE /api/v1/agents/{id}', (ctx) => {
  const remove = (id: string, query = '') =>
    ctx().app.inject({ method: 'DELETE', url: `/api/v1/agents/${id}${query}`, headers: ctx().as('operator') });

  it.each<Status>(['active', 'suspended', 'quarantined'])('retires a %s agent with the reason from ?reason= and keeps the row', async (from) => {
    const agent = await agentIn(ctx(), from);
    const response = await remove(agent.id, `?reason=${encodeURIComponent('replaced by v2 & more')}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ ...agent, status: 'retired', status_reason: 'replaced by v2 & more', updated_at: expect.stringMatching(ISO_TIMESTAMP) });
    expect(await storedStatus(ctx(), agent.id)).toEqual({ status: 'retired', status_reason: 'replaced by v2 & more' });
    expect((await getAgent(ctx(), agent.id)).json()).toMatchObject({ id: agent.id, status: 'retired' });
    expect((await allEvents(ctx(), agent.id)).at(-1)).toMatchObject({ action: 'retire', from_status: from, to_status: 'retired', reason: 'replaced by v2 & more' });
  });

  it('retires without a reason, recording null', async () => {
    const agent = await agentIn(ctx(), 'active');
    const response = await remove(agent.id);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'retired', status_reason: null });
    expect((await allEvents(ctx(), agent.id)).at(-1)).toMatchObject({ action: 'retire', reason: null });
  });

  it('answers 409 to a second DELETE and records nothing more', async () => {
    const agent = await agentIn(ctx(), 'active');
    expect((await remove(agent.id, '?reason=first')).statusCode).toBe(200);
    const events = await allEvents(ctx(), agent.id);
    const second = await remove(agent.id, '?reason=second');
    expect(expectProblem(second, 409, 'conflict', `/api/v1/agents/${agent.id}`).detail).toBe(
      'cannot retire an agent that is retired (no further transitions are allowed)',
    );
    expect(await storedStatus(ctx(), agent.id)).toEqual({ status: 'retired', status_reason: 'first' });
    expect(await allEvents(ctx(), agent.id)).toEqual(events);
  });

  it('answers 400 for an empty reason or an unknown query parameter, 404 for an unknown agent, 400 for a non-uuid id', async () => {
    const agent = await agentIn(ctx(), 'active');
    expectValidationError(await remove(agent.id, '?reason='), `/api/v1/agents/${agent.id}`, '/querystring/reason');
    expectValidationError(await remove(agent.id, '?hard=true'), `/api/v1/agents/${agent.id}`, '/querystring/hard');
    expect(await storedStatus(ctx(), agent.id)).toEqual({ status: 'active', status_reason: null });
    const id = randomUUID();
    expectProblem(await remove(id), 404, 'not_found', `/api/v1/agents/${id}`);
    expectValidationError(await remove('1'), '/api/v1/agents/1', '/params/id');
  });
});

describeEachDatabase('GET /api/v1/agents/{id}/history', (ctx) => {
  it('lists registration, every transition and definition change in order, with reason, actor and correlation id', async () => {
    const t = ctx();
    const correlation = Array.from({ length: 7 }, (_, index) => unique(`c${index}`));
    const agent = await createAgent(t, { name: unique('story'), kind: 'llm_agent', model: 'm1', status: 'quarantined' }, withCorrelation({}, correlation[0]!));
    const steps: Array<[Action, string]> = [
      ['approve', 'reviewed'],
      ['suspend', 'incident'],
      ['resume', 'incident closed'],
      ['quarantine', 'low trust'],
    ];
    for (const [index, [action, reason]] of steps.entries()) {
      expect((await act(t, agent.id, action, reason, { 'x-correlation-id': correlation[index + 1]! })).statusCode).toBe(200);
    }
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/agents/${agent.id}`,
      headers: withCorrelation(t.as('operator'), correlation[5]!),
      payload: { model: 'm2' },
    });
    expect(patched.statusCode).toBe(200);
    const retired = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/agents/${agent.id}?reason=decommissioned`,
      headers: withCorrelation(t.as('operator'), correlation[6]!),
    });
    expect(retired.statusCode).toBe(200);

    const response = await history(t, agent.id);
    expect(response.statusCode).toBe(200);
    const page = response.json() as { items: AgentEventJson[]; next_cursor: string | null };
    expect(page.next_cursor).toBeNull();
    const actor = await operatorKeyId(t);
    const row = (action: string, from: Status | null, to: Status, reason: string | null, fingerprint: string | null, correlationId: string) => ({
      id: expect.stringMatching(UUID),
      agent_id: agent.id,
      action,
      from_status: from,
      to_status: to,
      reason,
      actor,
      fingerprint,
      correlation_id: correlationId,
      at: expect.stringMatching(ISO_TIMESTAMP),
    });
    expect(page.items).toEqual([
      row('register', null, 'quarantined', null, fingerprintOfCanonical({ model: 'm1' }), correlation[0]!),
      row('approve', 'quarantined', 'active', 'reviewed', null, correlation[1]!),
      row('suspend', 'active', 'suspended', 'incident', null, correlation[2]!),
      row('resume', 'suspended', 'active', 'incident closed', null, correlation[3]!),
      row('quarantine', 'active', 'quarantined', 'low trust', null, correlation[4]!),
      row('definition_changed', 'quarantined', 'quarantined', null, fingerprintOfCanonical({ model: 'm2' }), correlation[5]!),
      row('retire', 'quarantined', 'retired', 'decommissioned', null, correlation[6]!),
    ]);
    const times = page.items.map((event) => Date.parse(event.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));

    const { rows } = await t.container.db.query<{ count: number }>('select count(*)::int as count from agent_event where agent_id = $1', [agent.id]);
    expect(rows).toEqual([{ count: 7 }]);
  });

  it('pages with limit and next_cursor, oldest first, and new events appear after the pages already read', async () => {
    const t = ctx();
    const agent = await agentIn(t, 'active');
    for (let index = 0; index < 3; index += 1) {
      expect((await act(t, agent.id, 'suspend', `s${index}`)).statusCode).toBe(200);
      expect((await act(t, agent.id, 'resume', `r${index}`)).statusCode).toBe(200);
    }
    const all = await allEvents(t, agent.id);
    expect(all).toHaveLength(7);

    const first = (await history(t, agent.id, { limit: 3 })).json() as { items: AgentEventJson[]; next_cursor: string | null };
    expect(first.items).toEqual(all.slice(0, 3));
    expect(first.next_cursor).toEqual(expect.any(String));

    expect((await act(t, agent.id, 'quarantine', 'meanwhile')).statusCode).toBe(200);

    const second = (await history(t, agent.id, { limit: 3, cursor: first.next_cursor! })).json() as { items: AgentEventJson[]; next_cursor: string | null };
    expect(second.items).toEqual(all.slice(3, 6));
    const third = (await history(t, agent.id, { limit: 3, cursor: second.next_cursor! })).json() as { items: AgentEventJson[]; next_cursor: string | null };
    expect(third.items.map((event) => event.id)).toEqual([all[6]!.id, expect.any(String)]);
    expect(third.items[1]).toMatchObject({ action: 'quarantine', reason: 'meanwhile' });
    expect(third.next_cursor).toBeNull();

    const exact = (await history(t, agent.id, { limit: 8 })).json() as { items: AgentEventJson[]; next_cursor: string | null };
    expect(exact.items).toHaveLength(8);
    expect(exact.next_cursor).toBeNull();
  });

  it('answers 400 for a bad limit, cursor or parameter, 404 for an unknown agent and 400 for a non-uuid id', async () => {
    const t = ctx();
    const agent = await agentIn(t, 'active');
    const instance = `/api/v1/agents/${agent.id}/history`;
    expectValidationError(await history(t, agent.id, { limit: 0 }), instance, '/querystring/limit');
    expectValidationError(await history(t, agent.id, { limit: 201 }), instance, '/querystring/limit');
    expectValidationError(await history(t, agent.id, { limit: 'ten' }), instance, '/querystring/limit');
    expectValidationError(await history(t, agent.id, { cursor: 'garbage' }), instance, '/querystring/cursor');
    expectValidationError(await history(t, agent.id, { order: 'desc' }), instance, '/querystring/order');
    expect((await history(t, agent.id, { limit: 200 })).statusCode).toBe(200);
    const id = randomUUID();
    expect(expectProblem(await history(t, id), 404, 'not_found', `/api/v1/agents/${id}/history`).detail).toBe(`agent ${id} was not found`);
    expectValidationError(await history(t, 'x'), '/api/v1/agents/x/history', '/params/id');
  });
});

describeEachDatabase('orca_agents gauge', (ctx) => {
  // Discovery also moves agents into needs_review and missing (docs/discovery.md): the gauge reports them too.
  const GAUGE_STATUSES = [...STATUSES, 'needs_review', 'missing', 'merged'];
  async function databaseCounts(t: TestApp): Promise<Record<string, number>> {
    const { rows } = await t.container.db.query<{ status: string; count: number }>('select status, count(*)::int as count from agent group by status');
    return Object.fromEntries(GAUGE_STATUSES.map((status) => [status, rows.find((row) => row.status === status)?.count ?? 0]));
  }

  it('reports every status, equal to the database, and moves with registrations and transitions', async () => {
    const t = ctx();
    const before = await agentGauge(t);
    expect(Object.keys(before).sort()).toEqual([...GAUGE_STATUSES].sort());
    expect(before).toEqual(await databaseCounts(t));

    const active = [await agentIn(t, 'active'), await agentIn(t, 'active'), await agentIn(t, 'active')];
    const quarantined = [await agentIn(t, 'quarantined'), await agentIn(t, 'quarantined')];
    expect((await act(t, active[0]!.id, 'suspend', 'x')).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/agents/${active[1]!.id}`, headers: t.as('operator') })).statusCode).toBe(200);
    expect((await act(t, quarantined[0]!.id, 'approve', 'ok')).statusCode).toBe(200);
    expect((await act(t, quarantined[1]!.id, 'resume', 'refused')).statusCode).toBe(409);

    const after = await agentGauge(t);
    expect({
      active: after.active! - before.active!,
      suspended: after.suspended! - before.suspended!,
      quarantined: after.quarantined! - before.quarantined!,
      retired: after.retired! - before.retired!,
    }).toEqual({ active: 2, suspended: 1, quarantined: 1, retired: 1 });
    expect(after).toEqual(await databaseCounts(t));
  });
});
