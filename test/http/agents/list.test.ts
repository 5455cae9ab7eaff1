import { expect, it } from 'vitest';
import type { TestApp } from '../../helpers/app.js';
import { describeEachDatabase } from '../../helpers/app.js';
import { act, createAgent, expectValidationError, listAgents, unique, type AgentJson } from './fixtures.js';

interface PageJson {
  items: AgentJson[];
  next_cursor: string | null;
}

const URL_AGENTS = '/api/v1/agents';

async function page(t: TestApp, query: Record<string, string | number>): Promise<PageJson> {
  const response = await listAgents(t, query);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as PageJson;
}

/** Every agent matching the query, following next_cursor to the end. */
async function listAll(t: TestApp, query: Record<string, string | number>): Promise<AgentJson[]> {
  const items: AgentJson[] = [];
  let cursor: string | null = null;
  do {
    const current: PageJson = await page(t, { ...query, limit: 200, ...(cursor ? { cursor } : {}) });
    items.push(...current.items);
    cursor = current.next_cursor;
  } while (cursor);
  return items;
}

const ids = (agents: AgentJson[]) => agents.map((agent) => agent.id);
/** Newest first: the order the API promises. */
const newestFirst = (agents: AgentJson[]) => ids([...agents].reverse());

describeEachDatabase('GET /api/v1/agents', (ctx) => {
  it('lists newest first with every field, and an empty page for a filter that matches nothing', async () => {
    const owner = unique('owner');
    const created = [];
    for (let index = 0; index < 3; index += 1) created.push(await createAgent(ctx(), { name: unique(`n${index}`), kind: 'workflow', owner }));
    const result = await page(ctx(), { owner });
    expect(result).toEqual({ items: [...created].reverse(), next_cursor: null });
    expect(await page(ctx(), { owner: unique('nobody') })).toEqual({ items: [], next_cursor: null });
  });

  it('filters by status', async () => {
    const owner = unique('owner');
    const active = await createAgent(ctx(), { name: unique('a'), kind: 'llm_agent', owner });
    const suspended = await createAgent(ctx(), { name: unique('s'), kind: 'llm_agent', owner });
    expect((await act(ctx(), suspended.id, 'suspend', 'x')).statusCode).toBe(200);
    const quarantined = await createAgent(ctx(), { name: unique('q'), kind: 'llm_agent', owner, status: 'quarantined' });
    const retired = await createAgent(ctx(), { name: unique('r'), kind: 'llm_agent', owner });
    expect((await act(ctx(), retired.id, 'retire', 'x')).statusCode).toBe(200);

    for (const [status, agent] of [
      ['active', active],
      ['suspended', suspended],
      ['quarantined', quarantined],
      ['retired', retired],
    ] as const) {
      const everyone = await listAll(ctx(), { status });
      expect(everyone.every((item) => item.status === status)).toBe(true);
      expect(ids(everyone.filter((item) => item.owner === owner))).toEqual([agent.id]);
    }
  });

  it('filters by kind', async () => {
    const owner = unique('owner');
    const pipeline = await createAgent(ctx(), { name: unique('p'), kind: 'pipeline', owner });
    await createAgent(ctx(), { name: unique('f'), kind: 'function', owner });
    const everyone = await listAll(ctx(), { kind: 'pipeline' });
    expect(everyone.every((item) => item.kind === 'pipeline')).toBe(true);
    expect(ids(everyone.filter((item) => item.owner === owner))).toEqual([pipeline.id]);
  });

  it('filters by source', async () => {
    const owner = unique('owner');
    const airflow = await createAgent(ctx(), { name: unique('a'), kind: 'pipeline', source: 'airflow', owner });
    await createAgent(ctx(), { name: unique('m'), kind: 'pipeline', owner });
    const everyone = await listAll(ctx(), { source: 'airflow' });
    expect(everyone.every((item) => item.source === 'airflow')).toBe(true);
    expect(ids(everyone.filter((item) => item.owner === owner))).toEqual([airflow.id]);
  });

  it('filters by owner exactly (no prefix, no case folding)', async () => {
    const owner = unique('Owner');
    const mine = await createAgent(ctx(), { name: unique('mine'), kind: 'llm_agent', owner });
    await createAgent(ctx(), { name: unique('longer'), kind: 'llm_agent', owner: `${owner}-2` });
    await createAgent(ctx(), { name: unique('lower'), kind: 'llm_agent', owner: owner.toLowerCase() });
    expect(ids((await page(ctx(), { owner })).items)).toEqual([mine.id]);
  });

  it('filters by one tag among several, exactly', async () => {
    const tag = unique('tag');
    const first = await createAgent(ctx(), { name: unique('t1'), kind: 'llm_agent', tags: ['other', tag] });
    const second = await createAgent(ctx(), { name: unique('t2'), kind: 'llm_agent', tags: [tag] });
    await createAgent(ctx(), { name: unique('t3'), kind: 'llm_agent', tags: [`${tag}x`, 'other'] });
    await createAgent(ctx(), { name: unique('t4'), kind: 'llm_agent', tags: [tag.toUpperCase()] });
    expect(ids((await page(ctx(), { tag })).items)).toEqual(newestFirst([first, second]));
  });

  it('filters by q: a case-insensitive substring of the name', async () => {
    const owner = unique('owner');
    const stem = unique('Invoice').toLowerCase();
    const exact = await createAgent(ctx(), { name: stem, kind: 'workflow', owner });
    const upper = await createAgent(ctx(), { name: `Daily ${stem.toUpperCase()} sync`, kind: 'workflow', owner });
    await createAgent(ctx(), { name: 'unrelated', kind: 'workflow', owner });
    expect(ids((await page(ctx(), { q: stem })).items)).toEqual(newestFirst([exact, upper]));
    expect(ids((await page(ctx(), { q: stem.slice(2, 12).toUpperCase() })).items)).toEqual(newestFirst([exact, upper]));
  });

  it('matches %, _ and \\ in q literally, not as LIKE wildcards or escapes', async () => {
    const owner = unique('owner');
    const percent = await createAgent(ctx(), { name: 'growth 100% sure', kind: 'workflow', owner });
    const underscore = await createAgent(ctx(), { name: 'snake_case agent', kind: 'workflow', owner });
    const backslash = await createAgent(ctx(), { name: 'C:\\agents\\one', kind: 'workflow', owner });
    await createAgent(ctx(), { name: 'plain name', kind: 'workflow', owner });
    await createAgent(ctx(), { name: 'snakeXcase agent', kind: 'workflow', owner });

    expect(ids((await page(ctx(), { owner, q: '%' })).items)).toEqual([percent.id]);
    expect(ids((await page(ctx(), { owner, q: '_' })).items)).toEqual([underscore.id]);
    expect(ids((await page(ctx(), { owner, q: 'snake_case' })).items)).toEqual([underscore.id]);
    expect(ids((await page(ctx(), { owner, q: '\\' })).items)).toEqual([backslash.id]);
    expect(ids((await page(ctx(), { owner, q: '\\a' })).items)).toEqual([backslash.id]);
    expect(ids((await page(ctx(), { owner, q: '%%' })).items)).toEqual([]);
    expect(ids((await page(ctx(), { owner, q: "'" })).items)).toEqual([]);

    const raw = await ctx().app.inject({ method: 'GET', url: `${URL_AGENTS}?owner=${owner}&q=_`, headers: ctx().as('viewer') });
    expect(raw.statusCode).toBe(200);
    expect(ids((raw.json() as PageJson).items)).toEqual([underscore.id]);
  });

  it('combines filters with AND', async () => {
    const owner = unique('owner');
    const tag = unique('tag');
    const match = await createAgent(ctx(), { name: 'Billing bot', kind: 'llm_agent', source: 'mcp', owner, tags: [tag] });
    await createAgent(ctx(), { name: 'Billing bot', kind: 'workflow', source: 'mcp', owner, tags: [tag] });
    await createAgent(ctx(), { name: 'Billing bot', kind: 'llm_agent', source: 'n8n', owner, tags: [tag] });
    await createAgent(ctx(), { name: 'Billing bot', kind: 'llm_agent', source: 'mcp', owner, tags: ['other'] });
    await createAgent(ctx(), { name: 'Support bot', kind: 'llm_agent', source: 'mcp', owner, tags: [tag] });
    await createAgent(ctx(), { name: 'Billing bot', kind: 'llm_agent', source: 'mcp', owner: unique('else'), tags: [tag] });
    const suspended = await createAgent(ctx(), { name: 'Billing bot', kind: 'llm_agent', source: 'mcp', owner, tags: [tag] });
    expect((await act(ctx(), suspended.id, 'suspend', 'x')).statusCode).toBe(200);

    const query = { owner, tag, kind: 'llm_agent', source: 'mcp', q: 'billing', status: 'active' };
    expect(ids((await page(ctx(), query)).items)).toEqual([match.id]);
    expect(ids((await page(ctx(), { ...query, status: 'suspended' })).items)).toEqual([suspended.id]);
    expect(ids((await page(ctx(), { ...query, kind: 'pipeline' })).items)).toEqual([]);
  });

  it('pages with limit and next_cursor; the last page has next_cursor null', async () => {
    const owner = unique('owner');
    const created = [];
    for (let index = 0; index < 5; index += 1) created.push(await createAgent(ctx(), { name: unique(`p${index}`), kind: 'function', owner }));
    const expected = newestFirst(created);

    const first = await page(ctx(), { owner, limit: 2 });
    expect(ids(first.items)).toEqual(expected.slice(0, 2));
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = await page(ctx(), { owner, limit: 2, cursor: first.next_cursor! });
    expect(ids(second.items)).toEqual(expected.slice(2, 4));
    const third = await page(ctx(), { owner, limit: 2, cursor: second.next_cursor! });
    expect(ids(third.items)).toEqual(expected.slice(4));
    expect(third.next_cursor).toBeNull();

    const exact = await page(ctx(), { owner, limit: 5 });
    expect(ids(exact.items)).toEqual(expected);
    expect(exact.next_cursor).toBeNull();
    expect((await page(ctx(), { owner, limit: 1 })).items).toHaveLength(1);
  });

  it('uses a page size of 50 by default', async () => {
    const tag = unique('fifty');
    const created = [];
    for (let index = 0; index < 51; index += 1) created.push(await createAgent(ctx(), { name: unique(`d${index}`), kind: 'function', tags: [tag] }));
    const first = await page(ctx(), { tag });
    expect(ids(first.items)).toEqual(newestFirst(created).slice(0, 50));
    expect(first.next_cursor).toEqual(expect.any(String));
    const rest = await page(ctx(), { tag, cursor: first.next_cursor! });
    expect(ids(rest.items)).toEqual([created[0]!.id]);
    expect(rest.next_cursor).toBeNull();
  });

  it('keeps pages stable under inserts: page 2 holds exactly the next older agents, no duplicates, no gaps', async () => {
    const owner = unique('owner');
    const older = [];
    for (let index = 0; index < 5; index += 1) older.push(await createAgent(ctx(), { name: unique(`old${index}`), kind: 'llm_agent', owner }));
    const expected = newestFirst(older);

    const first = await page(ctx(), { owner, limit: 2 });
    expect(ids(first.items)).toEqual(expected.slice(0, 2));

    const newer = [];
    for (let index = 0; index < 3; index += 1) newer.push(await createAgent(ctx(), { name: unique(`new${index}`), kind: 'llm_agent', owner }));

    const second = await page(ctx(), { owner, limit: 2, cursor: first.next_cursor! });
    expect(ids(second.items)).toEqual(expected.slice(2, 4));
    const third = await page(ctx(), { owner, limit: 2, cursor: second.next_cursor! });
    expect(ids(third.items)).toEqual(expected.slice(4, 5));
    expect(third.next_cursor).toBeNull();

    const seen = [...first.items, ...second.items, ...third.items].map((agent) => agent.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(ids(older).sort());

    expect(ids((await page(ctx(), { owner, limit: 3 })).items)).toEqual(newestFirst(newer));
  });

  it('keeps the next page consistent when an agent already shown changes status meanwhile', async () => {
    const owner = unique('owner');
    const created = [];
    for (let index = 0; index < 4; index += 1) created.push(await createAgent(ctx(), { name: unique(`c${index}`), kind: 'llm_agent', owner }));
    const expected = newestFirst(created);
    const first = await page(ctx(), { owner, status: 'active', limit: 2 });
    expect(ids(first.items)).toEqual(expected.slice(0, 2));
    expect((await act(ctx(), first.items[0]!.id, 'suspend', 'x')).statusCode).toBe(200);
    const second = await page(ctx(), { owner, status: 'active', limit: 2, cursor: first.next_cursor! });
    expect(ids(second.items)).toEqual(expected.slice(2, 4));
  });

  it.each<[string, Record<string, string | number>, string]>([
    ['limit=0', { limit: 0 }, '/querystring/limit'],
    ['limit=201', { limit: 201 }, '/querystring/limit'],
    ['limit=-1', { limit: -1 }, '/querystring/limit'],
    ['limit=1.5', { limit: '1.5' }, '/querystring/limit'],
    ['limit=abc', { limit: 'abc' }, '/querystring/limit'],
    ['a cursor that is not base64url JSON', { cursor: 'not a cursor' }, '/querystring/cursor'],
    ['a cursor without after', { cursor: Buffer.from('{}').toString('base64url') }, '/querystring/cursor'],
    ['a cursor whose after is not a UUID', { cursor: Buffer.from('{"after":"1 or 1=1"}').toString('base64url') }, '/querystring/cursor'],
    ['a cursor over 200 characters', { cursor: 'a'.repeat(201) }, '/querystring/cursor'],
    ['an unknown status', { status: 'deleted' }, '/querystring/status'],
    ['an unknown kind', { kind: 'robot' }, '/querystring/kind'],
    ['an unknown source', { source: 'github' }, '/querystring/source'],
    ['a tag with a space', { tag: 'a b' }, '/querystring/tag'],
    ['an empty q', { q: '' }, '/querystring/q'],
    ['a q over 200 characters', { q: 'q'.repeat(201) }, '/querystring/q'],
    ['an empty owner', { owner: '' }, '/querystring/owner'],
    ['an unknown parameter', { sort: 'name' }, '/querystring/sort'],
  ])('answers 400 problem+json for %s', async (_case, query, path) => {
    expectValidationError(await listAgents(ctx(), query), URL_AGENTS, path);
  });

  it('accepts the limit bounds 1 and 200', async () => {
    expect((await listAgents(ctx(), { limit: 1 })).statusCode).toBe(200);
    expect((await listAgents(ctx(), { limit: 200 })).statusCode).toBe(200);
  });
});
