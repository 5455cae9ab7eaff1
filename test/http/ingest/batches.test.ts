import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachDatabase, type TestApp } from '../../helpers/app.js';
import { createSource, type Json } from './helpers.js';

/** POST /events and /runs (issue 4 item 5): all or nothing, per-item errors by index; GET /events filters and pages. */

async function countEvents(t: TestApp, sourceId: string): Promise<number> {
  const { rows } = await t.container.db.query<{ n: number }>('select count(*)::int8 as n from event where source_id = $1', [sourceId]);
  return rows[0]!.n;
}

async function createAgent(t: TestApp): Promise<string> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/v1/agents',
    headers: t.as('operator'),
    payload: { name: `agent-${randomUUID()}`, kind: 'llm_agent' },
  });
  expect(response.statusCode, response.body).toBe(201);
  return (response.json() as { id: string }).id;
}

const event = (sourceId: string, index: number, extra: Json = {}) => ({
  source_id: sourceId,
  idempotency_key: `k-${index}`,
  event_type: 'order.created',
  entity_type: 'order',
  entity_id: `O-${index}`,
  occurred_at: new Date(Date.UTC(2026, 10, 27, 9, 0, index % 60)).toISOString(),
  sequence: index,
  payload: { n: index },
  ...extra,
});

describeEachDatabase('canonical event and run batches', (ctx) => {
  it('stores a batch of 10,000 events in one request, and a replay of it stores nothing more', async () => {
    const t = ctx();
    const { id } = await createSource(t, 'generic');
    const events = Array.from({ length: 10_000 }, (_, index) => event(id, index));
    const first = await t.app.inject({ method: 'POST', url: '/api/v1/events', headers: t.as('ingest'), payload: { events } });
    expect(first.statusCode, first.body.slice(0, 500)).toBe(201);
    const body = first.json() as { accepted: number; duplicates: number; conflicts: number; ids: string[] };
    expect([body.accepted, body.duplicates, body.conflicts, body.ids.length, new Set(body.ids).size]).toEqual([10_000, 0, 0, 10_000, 10_000]);
    expect(await countEvents(t, id)).toBe(10_000);

    const replay = await t.app.inject({ method: 'POST', url: '/api/v1/events', headers: t.as('ingest'), payload: { events } });
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toEqual({ accepted: 0, duplicates: 10_000, conflicts: 0, ids: body.ids });
    expect(await countEvents(t, id)).toBe(10_000);
  });

  it('refuses 10,001 events with a 400 and stores none of them', async () => {
    const t = ctx();
    const { id } = await createSource(t, 'generic');
    const events = Array.from({ length: 10_001 }, (_, index) => event(id, index));
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/events', headers: t.as('ingest'), payload: { events } });
    expect(response.statusCode).toBe(400);
    expect((response.json() as { errors: Array<{ path: string }> }).errors[0]!.path).toBe('/body/events');
    expect(await countEvents(t, id)).toBe(0);
  });

  it('is all or nothing: problems are reported per index and nothing is stored', async () => {
    const t = ctx();
    const { id } = await createSource(t, 'generic');
    const unknown = randomUUID();
    const events = [event(id, 0), event(unknown, 1), event(id, 2), event(id, 3, { occurred_at: '0001-01-01T00:00:00Z' })];
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/events', headers: t.as('ingest'), payload: { events } });
    expect(response.statusCode, response.body).toBe(422);
    expect(response.json()).toMatchObject({
      status: 422,
      detail: '2 of 4 events cannot be stored; nothing was stored',
      errors: [
        { path: '/body/events/1/source_id', message: 'names no enabled source' },
        { path: '/body/events/3/occurred_at', message: 'must lie within the years 1970–9999' },
      ],
    });
    expect(await countEvents(t, id)).toBe(0);

    const badType = await t.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: t.as('ingest'),
      payload: { events: [event(id, 0), { ...event(id, 1), occurred_at: 'yesterday' }] },
    });
    expect(badType.statusCode).toBe(400);
    expect((badType.json() as { errors: Array<{ path: string }> }).errors[0]!.path).toBe('/body/events/1/occurred_at');
    expect(await countEvents(t, id)).toBe(0);
  });

  it('stores a repeated key once inside one batch, flags a changed payload as a conflict, and keys unkeyed events by content', async () => {
    const t = ctx();
    const { id } = await createSource(t, 'generic');
    const unkeyed = { ...event(id, 9), idempotency_key: undefined };
    const events = [event(id, 1), event(id, 1), event(id, 1, { payload: { n: 'changed' } }), unkeyed, unkeyed];
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/events', headers: t.as('ingest'), payload: { events } });
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json() as { accepted: number; duplicates: number; conflicts: number; ids: string[] };
    expect([body.accepted, body.duplicates, body.conflicts]).toEqual([2, 3, 1]);
    expect([body.ids[1], body.ids[2]]).toEqual([body.ids[0], body.ids[0]]);
    expect(body.ids[4]).toBe(body.ids[3]);
    const { rows } = await t.container.db.query<{ idempotency_key: string; payload: unknown }>(
      'select idempotency_key, payload from event where source_id = $1 order by id',
      [id],
    );
    expect(rows[0]).toEqual({ idempotency_key: 'k-1', payload: { n: 1 } });
    expect(rows[1]!.idempotency_key).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(rows).toHaveLength(2);
  });

  it('stores runs for registered agents, all or nothing, and a retried batch with ids stores nothing twice', async () => {
    const t = ctx();
    const agent = await createAgent(t);
    const runs = [
      { id: randomUUID(), agent_id: agent, started_at: '2026-11-27T09:00:00Z', duration_ms: 1200, outcome: 'success', tokens_in: 100, tokens_out: 50, cost_usd: 0.0125 },
      { id: randomUUID(), agent_id: agent, started_at: '2026-11-27T09:05:00Z', duration_ms: 30_000, outcome: 'timeout', error_kind: 'upstream_timeout' },
    ];
    const first = await t.app.inject({ method: 'POST', url: '/api/v1/runs', headers: t.as('ingest'), payload: { runs } });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toEqual({ accepted: 2, duplicates: 0, ids: runs.map((run) => run.id) });
    const retry = await t.app.inject({ method: 'POST', url: '/api/v1/runs', headers: t.as('ingest'), payload: { runs } });
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual({ accepted: 0, duplicates: 2, ids: runs.map((run) => run.id) });
    const { rows } = await t.container.db.query<Json>(
      'select agent_id, duration_ms, outcome, error_kind, tokens_in, tokens_out, cost_usd from run where agent_id = $1 order by started_at',
      [agent],
    );
    expect(rows).toEqual([
      { agent_id: agent, duration_ms: 1200, outcome: 'success', error_kind: null, tokens_in: 100, tokens_out: 50, cost_usd: 0.0125 },
      { agent_id: agent, duration_ms: 30_000, outcome: 'timeout', error_kind: 'upstream_timeout', tokens_in: 0, tokens_out: 0, cost_usd: 0 },
    ]);

    const stranger = randomUUID();
    const mixed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/runs',
      headers: t.as('ingest'),
      payload: { runs: [{ agent_id: agent, started_at: '2026-11-27T10:00:00Z', duration_ms: 5, outcome: 'success' }, { agent_id: stranger, started_at: '2026-11-27T10:00:00Z', duration_ms: 5, outcome: 'error' }] },
    });
    expect(mixed.statusCode).toBe(422);
    expect((mixed.json() as { errors: unknown }).errors).toEqual([{ path: '/body/runs/1/agent_id', message: 'names no registered agent' }]);
    const count = await t.container.db.query<{ n: number }>('select count(*)::int8 as n from run where agent_id = $1', [agent]);
    expect(count.rows[0]!.n).toBe(2);
  });

  it('stores every column exactly as sent, whatever characters the text holds (column-wise array parameters)', async () => {
    const t = ctx();
    const { id } = await createSource(t, 'generic');
    const agent = randomUUID();
    const awkward = ['a"quoted"b', 'back\\slash\\', '{braces},comma', 'NULL', ' padded ', 'ünïcödé ✓ 😀', "it's", 'tab\tnew\nline', '\\"{,}"\\'];
    const events = awkward.map((text, index) => ({
      source_id: id,
      idempotency_key: `key ${text}`,
      external_event_id: index % 2 === 0 ? `ext ${text}` : null,
      event_type: `type ${text}`,
      entity_type: `entity ${text}`,
      entity_id: text,
      occurred_at: `2026-11-27T09:00:0${index}.123+02:00`,
      sequence: index === 0 ? -9007199254740991 : index === 1 ? null : 9007199254740991 - index,
      agent_id: index % 3 === 0 ? agent : null,
      correlation_id: index % 2 === 1 ? `corr ${text}` : null,
      payload: { text, nested: { list: [1, null, 'x"y'] }, index },
    }));
    const stored = await t.app.inject({ method: 'POST', url: '/api/v1/events', headers: t.as('ingest'), payload: { events } });
    expect(stored.statusCode, stored.body).toBe(201);
    const ids = (stored.json() as { ids: string[] }).ids;
    const listed = await t.app.inject({ method: 'GET', url: `/api/v1/events?source_id=${id}&limit=100`, headers: t.as('viewer') });
    const items = (listed.json() as { items: Array<Json & { id: string }> }).items.reverse();
    expect(items.map((item) => item.id)).toEqual(ids);
    items.forEach((item, index) => {
      const sent = events[index]!;
      expect(item).toEqual({
        id: ids[index],
        source_id: id,
        external_event_id: sent.external_event_id,
        idempotency_key: sent.idempotency_key,
        event_type: sent.event_type,
        entity_type: sent.entity_type,
        entity_id: sent.entity_id,
        occurred_at: new Date(sent.occurred_at).toISOString(),
        received_at: expect.any(String),
        sequence: sent.sequence,
        agent_id: sent.agent_id,
        correlation_id: sent.correlation_id,
        payload: sent.payload,
      });
    });
  });

  it('lists events with filters and cursor pagination, to viewers only', async () => {
    const t = ctx();
    const { id } = await createSource(t, 'generic');
    const agent = randomUUID();
    const events = [
      event(id, 0, { event_type: 'order.created', entity_id: 'A', occurred_at: '2026-11-01T00:00:00Z' }),
      event(id, 1, { event_type: 'order.fulfilled', entity_id: 'A', occurred_at: '2026-11-02T00:00:00Z', agent_id: agent }),
      event(id, 2, { event_type: 'order.created', entity_id: 'B', occurred_at: '2026-11-03T00:00:00Z', entity_type: 'invoice' }),
      event(id, 3, { event_type: 'order.created', entity_id: 'C', occurred_at: '2026-11-04T00:00:00Z' }),
    ];
    const stored = await t.app.inject({ method: 'POST', url: '/api/v1/events', headers: t.as('ingest'), payload: { events } });
    const ids = (stored.json() as { ids: string[] }).ids;
    const list = async (query: string) => {
      const response = await t.app.inject({ method: 'GET', url: `/api/v1/events?source_id=${id}&${query}`, headers: t.as('viewer') });
      expect(response.statusCode, response.body).toBe(200);
      return response.json() as { items: Array<Json & { id: string }>; next_cursor: string | null };
    };
    expect((await list('')).items.map((item) => item.id)).toEqual([...ids].reverse());
    expect((await list('event_type=order.created')).items.map((item) => item.entity_id)).toEqual(['C', 'B', 'A']);
    expect((await list('entity_type=order&entity_id=A')).items.map((item) => item.event_type)).toEqual(['order.fulfilled', 'order.created']);
    expect((await list(`agent_id=${agent}`)).items.map((item) => item.id)).toEqual([ids[1]]);
    expect((await list('time_field=occurred_at&since=2026-11-02T00:00:00Z&until=2026-11-04T00:00:00Z')).items.map((item) => item.entity_id)).toEqual(['B', 'A']);
    expect((await list('since=2999-01-01T00:00:00Z')).items).toEqual([]);

    const page1 = await list('limit=3');
    expect(page1.items).toHaveLength(3);
    const page2 = await list(`limit=3&cursor=${page1.next_cursor!}`);
    expect(page2).toMatchObject({ next_cursor: null });
    expect([...page1.items, ...page2.items].map((item) => item.id)).toEqual([...ids].reverse());
    expect(page1.items[0]).toEqual({
      id: ids[3],
      source_id: id,
      external_event_id: null,
      idempotency_key: 'k-3',
      event_type: 'order.created',
      entity_type: 'order',
      entity_id: 'C',
      occurred_at: '2026-11-04T00:00:00.000Z',
      received_at: expect.any(String),
      sequence: 3,
      agent_id: null,
      correlation_id: null,
      payload: { n: 3 },
    });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/events', headers: t.as('ingest') })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/events?cursor=nope', headers: t.as('viewer') })).statusCode).toBe(400);
  });
});
