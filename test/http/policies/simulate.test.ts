import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../helpers/app.js';
import { evaluate, registerAgent } from './fixtures.js';

/** POST /api/v1/policy/simulate and GET /api/v1/violations over decisions recorded under the default policy. */

const CLASSES = ['public', 'internal', 'confidential', 'restricted', 'critical'];

function draft(extra: Record<string, unknown> = {}) {
  return {
    classifications: CLASSES.map((name, index) => ({ name, risk_weight: index / 4 })),
    default_role: 'standard',
    roles: { analyst: { classifications: ['public', 'internal', 'confidential'], actions: ['summarize'] }, standard: { classifications: ['public'], actions: ['read'] } },
    pii: {
      detectors: {
        credit_card: { severity: 'high', actions: { public: 'block', internal: 'allow', confidential: 'allow', restricted: 'allow', critical: 'allow' } },
      },
    },
    ...extra,
  };
}

describeEachDatabase('policy simulation and violations', (ctx) => {
  const simulate = (body: Record<string, unknown>, role: 'operator' | 'viewer' = 'operator') =>
    ctx().app.inject({ method: 'POST', url: '/api/v1/policy/simulate', headers: ctx().as(role), payload: body });

  it('replays recorded decisions against a draft: what would change, by rule and by agent, writing nothing', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const analyst = await registerAgent(ctx(), { role: 'analyst', classification: 'confidential' });
    const request = { agent_id: analyst, resource: 'wiki', classification: 'internal' };
    // Recorded under the default policy: read allowed, summarize with a card denied (card → internal: block),
    // export allowed, delete_data denied (not in the analyst role) and held for approval.
    expect((await evaluate(ctx(), { ...request, action: 'read' })).body.decision).toBe('allow');
    expect((await evaluate(ctx(), { ...request, action: 'summarize', content: 'card 4111111111111111' })).body.decision).toBe('deny');
    expect((await evaluate(ctx(), { ...request, action: 'export' })).body.decision).toBe('allow');
    expect((await evaluate(ctx(), { ...request, action: 'delete_data' })).body.decision).toBe('deny');
    const until = new Date(Date.now() + 1000).toISOString();

    const counts = async () => {
      const tables = ['decision', 'policy_violation', 'policy', 'policy_quota_usage', 'audit_entry'];
      const result: Record<string, number> = {};
      for (const table of tables) {
        const { rows } = await ctx().container.db.query<{ count: number }>(`select count(*)::int8 as count from ${table}`);
        result[table] = Number(rows[0]!.count);
      }
      return result;
    };
    const before = await counts();

    // The draft lets the analyst only summarize, and allows cards to internal destinations.
    const response = await simulate({ policy: draft(), since, until, agent_id: analyst });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      replayed: 4,
      unchanged: 1,
      newly_denied: 2,
      newly_allowed: 1,
      changed: 3,
      transitions: [
        { from: 'allow', to: 'deny', count: 2 },
        { from: 'deny', to: 'allow', count: 1 },
      ],
      by_rule: [
        { rule: 'approval_required', recorded: 1, simulated: 0 },
        { rule: 'pii.credit_card', recorded: 1, simulated: 0 },
        { rule: 'role_action', recorded: 1, simulated: 3 },
      ],
      by_agent: [{ agent_id: analyst, newly_denied: 2, newly_allowed: 1, changed: 3 }],
      limitations: [],
      truncated: false,
    });
    expect(await counts()).toEqual(before);
  });

  it('names what cannot be replayed, rejects bad drafts and ranges, and needs an operator', async () => {
    const agentId = await registerAgent(ctx());
    const since = new Date(Date.now() - 1000).toISOString();
    await evaluate(ctx(), { agent_id: agentId, action: 'read', resource: 'x', classification: 'internal', content: 'hello' });
    const until = new Date(Date.now() + 1000).toISOString();
    const custom = draft({
      pii: { custom: [{ name: 'badge', pattern: 'B-[0-9]{4}', severity: 'low', actions: Object.fromEntries(CLASSES.map((name) => [name, 'redact'])) }] },
    });
    const response = await simulate({ policy: custom, since, until, agent_id: agentId });
    expect(response.json()).toMatchObject({
      replayed: 1,
      limitations: ['1 decision was recorded without detector badge: its findings cannot be replayed (content is never stored)'],
    });
    const invalid = await simulate({ policy: { roles: {} }, since, until });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ errors: [{ path: '/body/policy/classifications' }] });
    const backwards = await simulate({ policy: draft(), since: until, until: since });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json()).toMatchObject({ errors: [{ path: '/body/until', message: 'must be after since' }] });
    const yearZero = await simulate({ policy: draft(), since: '0000-01-01T00:00:00Z', until });
    expect(yearZero.statusCode).toBe(400);
    expect(yearZero.json()).toMatchObject({ errors: [{ path: '/body/since' }] });
    expect((await simulate({ policy: draft(), since, until }, 'viewer')).statusCode).toBe(403);
  });

  it('lists violations newest first with filters and cursor pagination', async () => {
    const agentId = await registerAgent(ctx(), { role: 'analyst', classification: 'internal' });
    for (const classification of ['restricted', 'critical', 'confidential']) {
      await evaluate(ctx(), { agent_id: agentId, action: 'read', resource: 'x', classification });
    }
    const list = (query: string) => ctx().app.inject({ method: 'GET', url: `/api/v1/violations?agent_id=${agentId}&${query}`, headers: ctx().as('viewer') });
    const ceiling = await list('rule=classification_ceiling&limit=2');
    expect(ceiling.statusCode).toBe(200);
    const first = ceiling.json() as { items: Array<Record<string, unknown>>; next_cursor: string | null };
    expect(first.items.map((item) => item.detail)).toEqual(['agent ceiling internal is below confidential', 'agent ceiling internal is below critical']);
    expect(first.items[0]).toEqual({
      id: expect.any(String),
      decision_id: expect.any(String),
      at: expect.any(String),
      agent_id: agentId,
      rule: 'classification_ceiling',
      severity: 'high',
      detail: 'agent ceiling internal is below confidential',
      decision: 'deny',
      mode: 'enforce',
      policy_version: 0,
    });
    const second = (await list(`rule=classification_ceiling&limit=2&cursor=${first.next_cursor}`)).json() as { items: Array<Record<string, unknown>>; next_cursor: string | null };
    expect(second.items.map((item) => item.detail)).toEqual(['agent ceiling internal is below restricted']);
    expect(second.next_cursor).toBeNull();
    // role_classification: analyst may touch confidential, not restricted/critical.
    expect(((await list('rule=role_classification')).json() as { items: unknown[] }).items).toHaveLength(2);
    expect(((await list('severity=critical')).json() as { items: unknown[] }).items).toHaveLength(0);
    expect((await list('severity=extreme')).statusCode).toBe(400);
  });
  // Last in this file: it activates a policy of its own.
  it('knows what each recording policy version scanned for from the version, not from the decision row', async () => {
    const agentId = await registerAgent(ctx());
    const badge = { name: 'badge', pattern: 'B-[0-9]{4}', severity: 'low', actions: Object.fromEntries(CLASSES.map((name) => [name, 'redact'])) };
    const ticket = { ...badge, name: 'ticket', pattern: 'T-[0-9]{4}' };
    const put = await ctx().app.inject({ method: 'PUT', url: '/api/v1/policies', headers: ctx().as('admin'), payload: draft({ pii: { custom: [badge] } }) });
    expect(put.statusCode).toBe(200);
    const since = new Date(Date.now() - 1000).toISOString();
    await evaluate(ctx(), { agent_id: agentId, action: 'read', resource: 'x', classification: 'internal', content: 'hello' });
    const until = new Date(Date.now() + 1000).toISOString();
    // The row keeps its version and no copy of the lists.
    const { rows } = await ctx().container.db.query<{ policy_version: number; facts: Record<string, unknown> }>(
      'select policy_version, facts from decision where agent_id = $1',
      [agentId],
    );
    expect(rows.map((row) => row.policy_version)).toEqual([put.json().version]);
    expect(rows[0]!.facts).not.toHaveProperty('scanned');

    const withBadge = await simulate({ policy: draft({ pii: { custom: [badge] } }), since, until, agent_id: agentId });
    expect(withBadge.json()).toMatchObject({ replayed: 1, limitations: [] });
    const withTicket = await simulate({ policy: draft({ pii: { custom: [badge, ticket] } }), since, until, agent_id: agentId });
    expect(withTicket.json()).toMatchObject({
      replayed: 1,
      limitations: ['1 decision was recorded without detector ticket: its findings cannot be replayed (content is never stored)'],
    });

    // A row of an earlier release carries its own lists, and they are believed over the version's.
    await ctx().container.db.query(`update decision set facts = facts || '{"scanned": {"detectors": ["email", "ticket"], "injection": []}}'::jsonb where agent_id = $1`, [agentId]);
    const legacy = await simulate({ policy: draft({ pii: { custom: [badge, ticket] } }), since, until, agent_id: agentId });
    expect(legacy.json()).toMatchObject({
      replayed: 1,
      limitations: ['1 decision was recorded without detector badge: its findings cannot be replayed (content is never stored)'],
    });
  });
  it('replays quotas with the usage each call was counted with, from the usage columns or from facts of older rows', async () => {
    const agentId = await registerAgent(ctx(), { role: 'analyst', classification: 'internal' });
    const withQuota = (quota: Record<string, unknown>) =>
      draft({ default_role: 'analyst', roles: { analyst: { classifications: ['public', 'internal'], actions: ['read'] } }, quotas: { agents: { [agentId]: quota } } });
    const put = await ctx().app.inject({ method: 'PUT', url: '/api/v1/policies', headers: ctx().as('operator'), payload: withQuota({ calls: 100, window: '1h', tokens_per_day: 1000 }) });
    expect(put.statusCode).toBe(200);
    const since = new Date(Date.now() - 1000).toISOString();
    // One after the other: the calls are counted 1..5, with 10..50 tokens.
    for (let call = 0; call < 5; call += 1) {
      expect((await evaluate(ctx(), { agent_id: agentId, action: 'read', resource: 'crm', classification: 'internal', tokens: 10 })).body.decision).toBe('allow');
    }
    const until = new Date(Date.now() + 1000).toISOString();
    const { rows } = await ctx().container.db.query<{ id: string; calls: number; tokens: number; facts_usage: boolean }>(
      "select id, usage_calls as calls, usage_tokens as tokens, facts ? 'usage' as facts_usage from decision where agent_id = $1 order by id",
      [agentId],
    );
    expect(rows.map(({ calls, tokens, facts_usage }) => ({ calls, tokens, facts_usage }))).toEqual(
      [1, 2, 3, 4, 5].map((calls) => ({ calls, tokens: 10 * calls, facts_usage: false })),
    );
    // A draft of at most 3 calls and 40 tokens: calls 4 and 5 pass the call limit, call 5 the token limit too.
    const expected = {
      replayed: 5,
      unchanged: 3,
      newly_denied: 2,
      newly_allowed: 0,
      changed: 2,
      transitions: [{ from: 'allow', to: 'deny', count: 2 }],
      by_rule: [
        { rule: 'quota_calls', recorded: 0, simulated: 2 },
        { rule: 'quota_tokens', recorded: 0, simulated: 1 },
      ],
      by_agent: [{ agent_id: agentId, newly_denied: 2, newly_allowed: 0, changed: 2 }],
      limitations: [],
      truncated: false,
    };
    const replay = () => simulate({ policy: withQuota({ calls: 3, window: '1h', tokens_per_day: 40 }), since, until, agent_id: agentId });
    const response = await replay();
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(expected);
    // Rows recorded before migration 0009 kept the usage inside facts: the same replay reads them the same way.
    await ctx().container.db.query(
      `update decision set facts = facts || jsonb_build_object('usage', jsonb_build_object('calls', usage_calls, 'tokens', usage_tokens, 'cost_usd', usage_cost_usd)),
         usage_calls = null, usage_tokens = null, usage_cost_usd = null
       where agent_id = $1`,
      [agentId],
    );
    expect((await replay()).json()).toEqual(expected);
  });
});
