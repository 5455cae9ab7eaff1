import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { sha256Hex } from '../../../src/platform/hash.js';
import { HOUR, MINUTE } from '../sync/fixtures.js';
import {
  agentStatus,
  createAgent,
  describeKillSwitchSuite,
  evaluateDecision,
  execute,
  preview,
  previewToken,
  problem,
  unique,
} from './fixtures.js';

/**
 * The kill switch through HTTP: the blast-radius preview, execution in one audited transaction (and what the policy
 * engine then answers), and every reason an execution is refused. docs/kill-switch.md.
 */

const START = '2026-05-04T10:00:00.000Z';

describeKillSwitchSuite('kill switch', START, (ctx) => {
  it('previews what would stop — agents, contracts and sources they own, decisions of 24 h, runs of 1 h — and changes nothing', async () => {
    const { t, clock } = ctx();
    const tag = unique('ks-tag');
    const active = await createAgent(t, { tags: [tag, 'crm'], owner: 'team-sales', vendor: 'acme', model: 'gpt-x' });
    const quarantined = await createAgent(t, { tags: [tag], status: 'quarantined' });
    const suspended = await createAgent(t, { tags: [tag], status: 'suspended' });
    await createAgent(t, { tags: [tag], status: 'retired' });
    const outsider = await createAgent(t, { tags: ['other'] });

    // Decisions: one 25 h ago (outside the window), three now.
    clock.set(new Date(Date.parse(START) - 25 * HOUR));
    expect((await evaluateDecision(t, active)).decision).toBe('allow');
    clock.set(START);
    expect((await evaluateDecision(t, active)).decision).toBe('allow');
    expect((await evaluateDecision(t, active)).decision).toBe('allow');
    expect((await evaluateDecision(t, quarantined)).decision).toBe('deny');
    // Runs: two in the last hour, one two hours ago.
    const at = (msAgo: number) => new Date(Date.parse(START) - msAgo).toISOString();
    const runs = [
      { agent_id: active, started_at: at(10 * MINUTE), duration_ms: 900, outcome: 'success' },
      { agent_id: active, started_at: at(2 * HOUR), duration_ms: 900, outcome: 'success' },
      { agent_id: quarantined, started_at: at(30 * MINUTE), duration_ms: 100, outcome: 'error', error_kind: 'upstream' },
    ];
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/runs', headers: t.as('ingest'), payload: { runs } })).statusCode).toBe(201);
    // Contracts: one owned by a selected agent, fed by a source kind and by one source by id; one owned by an outsider.
    const source = await t.app.inject({ method: 'POST', url: '/api/v1/sources', headers: t.as('admin'), payload: { kind: 'generic', name: unique('ks-crm') } });
    expect(source.statusCode).toBe(201);
    const { id: sourceId, name: sourceName } = source.json() as { id: string; name: string };
    const contracts = {
      contracts: [
        {
          name: 'ks-orders',
          owner: active,
          streams: [
            { name: 'zapier-orders', source: 'zapier', entity_type: 'order', freshness: '1h' },
            { name: 'crm-orders', source: sourceId, entity_type: 'order', freshness: '1h' },
          ],
        },
        { name: 'ks-tickets', owner: outsider, streams: [{ source: 'n8n', entity_type: 'ticket', freshness: '1h' }] },
      ],
    };
    expect((await t.app.inject({ method: 'PUT', url: '/api/v1/sync/contracts', headers: t.as('operator'), payload: contracts })).statusCode).toBe(200);

    const response = await preview(t, { tags: [tag] });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json() as Record<string, unknown> & { preview_id: string; preview_token: string };
    expect(body.preview_token).toMatch(/^orca_ksp_[A-Za-z0-9_-]{43}$/);
    const item = (id: string, status: string, extra: Record<string, unknown>) => ({
      id,
      name: expect.stringMatching(/^ks-agent-/),
      kind: 'llm_agent',
      status,
      owner: null,
      vendor: null,
      model: null,
      tags: [tag],
      action: status === 'suspended' ? 'none' : 'suspend',
      decisions_last_24h: 0,
      runs_last_hour: 0,
      ...extra,
    });
    expect(body).toEqual({
      preview_id: expect.any(String),
      preview_token: body.preview_token,
      expires_at: '2026-05-04T10:05:00.000Z',
      selector: { tags: [tag] },
      agents: {
        total: 3,
        to_suspend: 2,
        already_suspended: 1,
        by_status: { active: 1, quarantined: 1, suspended: 1 },
        items: [
          item(active, 'active', { owner: 'team-sales', vendor: 'acme', model: 'gpt-x', tags: [tag, 'crm'], decisions_last_24h: 2, runs_last_hour: 1 }),
          item(quarantined, 'quarantined', { decisions_last_24h: 1, runs_last_hour: 1 }),
          item(suspended, 'suspended', {}),
        ].sort((a, b) => (a.id < b.id ? -1 : 1)),
        truncated: false,
      },
      pending_approvals: { total: 0, items: [] },
      sync_contracts: [{ name: 'ks-orders', owner_agent_id: active, streams: ['zapier-orders', 'crm-orders'] }],
      sources: [
        { source: sourceId, name: sourceName, contracts: ['ks-orders'] },
        { source: 'zapier', name: null, contracts: ['ks-orders'] },
      ].sort((a, b) => a.source.localeCompare(b.source)),
      decisions_last_24h: { total: 3, by_decision: { allow: 2, deny: 1 } },
      runs_last_hour: { total: 2, by_outcome: { success: 1, error: 1 } },
      notes: [],
    });

    // Nothing stopped; the preview is stored with the hash of its token only, and audited.
    expect((await agentStatus(t, active)).status).toBe('active');
    expect((await agentStatus(t, quarantined)).status).toBe('quarantined');
    const { rows } = await t.container.db.query<Record<string, unknown>>(
      'select token_hash, agent_count, created_by, used_at, expires_at from kill_switch_preview where id = $1',
      [body.preview_id],
    );
    expect(rows).toEqual([{ token_hash: sha256Hex(body.preview_token), agent_count: 3, created_by: expect.any(String), used_at: null, expires_at: new Date('2026-05-04T10:05:00.000Z') }]);
    const dump = JSON.stringify(await t.container.db.query('select * from kill_switch_preview'));
    expect(dump).not.toContain(body.preview_token);
    const audit = await t.container.db.query<{ action: string; after: { agent_count: number } }>('select action, after from audit_entry where target = $1', [`kill_switch_preview:${body.preview_id}`]);
    expect(audit.rows).toEqual([{ action: 'kill_switch.preview', after: { selector: { tags: [tag] }, agent_count: 3, expires_at: '2026-05-04T10:05:00.000Z' } }]);
  });

  it('executes in one audited transaction: every selected agent suspended, evaluations denied at once, history kept', async () => {
    const { t, clock } = ctx();
    clock.set(START);
    const vendor = unique('vendor');
    const active = await createAgent(t, { vendor });
    const quarantined = await createAgent(t, { vendor, status: 'quarantined' });
    const suspended = await createAgent(t, { vendor, status: 'suspended' });
    // Cached by the policy engine's agent lookups as active.
    expect((await evaluateDecision(t, active)).decision).toBe('allow');
    const token = await previewToken(t, { vendors: [vendor] });

    const response = await execute(t, token, 'vendor credentials leaked');
    expect(response.statusCode, response.body).toBe(201);
    const activation = response.json() as { id: string; agents: Array<{ agent_id: string }> } & Record<string, unknown>;
    expect(response.headers.location).toBe(`/api/v1/kill-switch/${activation.id}`);
    const hold = `kill switch ${activation.id}: vendor credentials leaked`;
    const row = (agentId: string, outcome: string, previous: string, reason: string | null) => ({
      agent_id: agentId,
      name: expect.stringMatching(/^ks-agent-/),
      current_status: 'suspended',
      outcome,
      previous_status: previous,
      previous_status_reason: reason,
      release_outcome: null,
      release_detail: null,
    });
    expect(activation).toEqual({
      id: activation.id,
      status: 'active',
      selector: { vendors: [vendor] },
      reason: 'vendor credentials leaked',
      preview_id: expect.any(String),
      suspended_count: 2,
      already_suspended_count: 1,
      activated_by: expect.any(String),
      activated_at: START,
      correlation_id: response.headers['x-correlation-id'],
      released_at: null,
      released_by: null,
      release_reason: null,
      restored_count: null,
      skipped_count: null,
      transferred_count: null,
      agents: [
        row(active, 'suspended', 'active', null),
        row(quarantined, 'suspended', 'quarantined', 'set up quarantined'),
        row(suspended, 'already_suspended', 'suspended', 'set up suspended'),
      ].sort((a, b) => (a.agent_id < b.agent_id ? -1 : 1)),
    });

    // The very next evaluation is denied (the cache was emptied), and the agents say why.
    expect(await evaluateDecision(t, active)).toMatchObject({ decision: 'deny', violations: [{ rule: 'agent_status', detail: 'agent is suspended' }] });
    expect(await agentStatus(t, active)).toEqual({ status: 'suspended', status_reason: hold });
    expect(await agentStatus(t, quarantined)).toEqual({ status: 'suspended', status_reason: hold });
    expect(await agentStatus(t, suspended)).toEqual({ status: 'suspended', status_reason: 'set up suspended' });
    const history = await t.app.inject({ method: 'GET', url: `/api/v1/agents/${quarantined}/history`, headers: t.as('viewer') });
    expect((history.json() as { items: Array<Record<string, unknown>> }).items.at(-1)).toMatchObject({
      action: 'kill_switch',
      from_status: 'quarantined',
      to_status: 'suspended',
      reason: hold,
      correlation_id: response.headers['x-correlation-id'],
    });
    const events = await t.container.db.query<{ count: number }>("select count(*)::int as count from agent_event where agent_id = $1 and action = 'kill_switch'", [suspended]);
    expect(events.rows).toEqual([{ count: 0 }]);
    const audit = await t.container.db.query<{ after: Record<string, unknown> }>("select after from audit_entry where action = 'kill_switch.activate' and target = $1", [`kill_switch:${activation.id}`]);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]!.after).toEqual({
      preview_id: activation.preview_id,
      selector: { vendors: [vendor] },
      reason: 'vendor credentials leaked',
      suspended: [
        { agent_id: active, previous_status: 'active' },
        { agent_id: quarantined, previous_status: 'quarantined' },
      ].sort((a, b) => (a.agent_id < b.agent_id ? -1 : 1)),
      already_suspended: [suspended],
    });

    // Read back: one activation, the same document; the list shows it first.
    const read = await t.app.inject({ method: 'GET', url: `/api/v1/kill-switch/${activation.id}`, headers: t.as('viewer') });
    expect(read.json()).toEqual(activation);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/kill-switch?status=active&limit=1', headers: t.as('viewer') });
    const { agents: _agents, ...summary } = activation;
    expect((list.json() as { items: unknown[] }).items).toEqual([summary]);

    // A token executes once.
    const again = await execute(t, token, 'twice');
    expect(again.statusCode).toBe(409);
    expect(problem(again).detail).toBe(`this preview was already executed (kill switch ${activation.id}); preview again`);
  });

  it('refuses an unknown token, an empty selection, an expired preview and a selection that changed — writing nothing', async () => {
    const { t, clock } = ctx();
    clock.set(START);
    const unknown = await execute(t, 'orca_ksp_not-a-token');
    expect(unknown.statusCode).toBe(422);
    expect(problem(unknown)).toMatchObject({
      detail: 'preview_token names no preview: preview the selection first (POST /api/v1/kill-switch/preview)',
      errors: [{ path: '/body/preview_token', message: 'is not a preview token' }],
    });

    const emptyPreview = await preview(t, { agent_ids: [randomUUID()] });
    expect((emptyPreview.json() as { notes: string[] }).notes).toEqual([
      '1 of the agent_ids is not selected (unknown, retired, or excluded by another criterion)',
      'the selector matches no agent: executing this preview would be refused',
    ]);
    const empty = await execute(t, (emptyPreview.json() as { preview_token: string }).preview_token);
    expect(empty.statusCode).toBe(422);
    expect(problem(empty).detail).toBe('the preview selected no agent: there is nothing to stop');

    const owner = unique('owner');
    const first = await createAgent(t, { owner });
    const expiring = await previewToken(t, { owners: [owner] });
    clock.advance(5 * MINUTE + 1);
    const expired = await execute(t, expiring);
    expect(expired.statusCode).toBe(409);
    expect(problem(expired).detail).toBe('the preview expired at 2026-05-04T10:05:00.000Z (a preview is valid for 5 minutes); preview again');

    const added = await previewToken(t, { owners: [owner] });
    await createAgent(t, { owner });
    const grown = await execute(t, added);
    expect(grown.statusCode).toBe(409);
    expect(problem(grown).detail).toBe('the selection changed since the preview (1 agent now matches that did not); preview again');

    const statusChanged = await previewToken(t, { owners: [owner] });
    await t.container.modules.agents.service.transition({ id: 'someone', correlationId: null }, first, 'suspend', 'by hand');
    const changed = await execute(t, statusChanged);
    expect(changed.statusCode).toBe(409);
    expect(problem(changed).detail).toBe('the selection changed since the preview (1 changed status); preview again');

    const { rows } = await t.container.db.query<{ count: number }>("select count(*)::int as count from agent where owner = $1 and status = 'active'", [owner]);
    expect(rows).toEqual([{ count: 1 }]);
    const activations = await t.container.db.query<{ count: number }>('select count(*)::int as count from kill_switch_activation where selector @> $1::jsonb', [JSON.stringify({ owners: [owner] })]);
    expect(activations.rows).toEqual([{ count: 0 }]);
  });

  it('refuses a selector naming nothing, all mixed with criteria, unknown fields and malformed ids with 400', async () => {
    const { t } = ctx();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{}, '/body/selector'],
      [{ all: false }, '/body/selector'],
      [{ all: true, tags: ['x'] }, '/body/selector/all'],
      [{ colour: ['red'] }, '/body/selector/colour'],
      [{ agent_ids: ['not-a-uuid'] }, '/body/selector/agent_ids/0'],
      [{ kinds: ['robot'] }, '/body/selector/kinds/0'],
      [{ tags: [] }, '/body/selector/tags'],
    ];
    for (const [selector, path] of cases) {
      const response = await preview(t, selector);
      expect({ selector, status: response.statusCode }).toEqual({ selector, status: 400 });
      expect(problem(response).errors?.[0]?.path).toBe(path);
    }
    const missingReason = await t.app.inject({ method: 'POST', url: '/api/v1/kill-switch', headers: t.as('admin'), payload: { preview_token: 'x' } });
    expect(missingReason.statusCode).toBe(400);
  });

  it('lets an operator preview and only an admin execute or release; viewers read; ingest keys see nothing', async () => {
    const { t } = ctx();
    const selector = { all: true };
    expect((await preview(t, selector, 'viewer')).statusCode).toBe(403);
    expect((await preview(t, selector, 'ingest')).statusCode).toBe(403);
    expect((await preview(t, selector, 'admin')).statusCode).toBe(200);
    const token = await previewToken(t, selector);
    expect((await execute(t, token, 'no', 'operator')).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/kill-switch', payload: { preview_token: token, reason: 'no' } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/kill-switch/${randomUUID()}/release`, headers: t.as('operator'), payload: { reason: 'no' } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/kill-switch', headers: t.as('viewer') })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/kill-switch', headers: t.as('ingest') })).statusCode).toBe(403);
    const missing = await t.app.inject({ method: 'GET', url: `/api/v1/kill-switch/${randomUUID()}`, headers: t.as('viewer') });
    expect(missing.statusCode).toBe(404);
    // The token the operator got was never executed: nothing changed.
    const { rows } = await t.container.db.query<{ used_at: Date | null }>('select used_at from kill_switch_preview where token_hash = $1', [sha256Hex(token)]);
    expect(rows).toEqual([{ used_at: null }]);
  });
});
