import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../helpers/app.js';
import {
  act,
  createAgent,
  expectProblem,
  expectValidationError,
  fingerprintOfCanonical,
  getAgent,
  history,
  sha256,
  unique,
  type AgentEventJson,
  type AgentJson,
  type Json,
} from './fixtures.js';

describeEachDatabase('GET /api/v1/agents/{id}', (ctx) => {
  it('answers 200 with the agent', async () => {
    const agent = await createAgent(ctx(), { name: unique('read'), kind: 'llm_agent', owner: unique('o') });
    const response = await getAgent(ctx(), agent.id);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(agent);
  });

  it('reads a cached agent as the bytes the response schema gives, and the new agent after every write', async () => {
    const body = { name: unique('cached'), kind: 'llm_agent', owner: 'a@example.com', prompt: 'say "hi"\n\u2028', config: { nested: { list: [1, 'two', null] } } };
    const created = await ctx().app.inject({ method: 'POST', url: '/api/v1/agents', headers: ctx().as('operator'), payload: body });
    expect(created.statusCode).toBe(201);
    const id = (created.json() as AgentJson).id;
    const first = await getAgent(ctx(), id);
    const second = await getAgent(ctx(), id);
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    // The create answer is serialized by the same schema: the read must be byte for byte the same, every time.
    expect(first.body).toBe(created.body);
    expect(second.body).toBe(first.body);

    const patched = await ctx().app.inject({ method: 'PATCH', url: `/api/v1/agents/${id}`, headers: ctx().as('operator'), payload: { owner: 'b@example.com' } });
    expect(patched.statusCode).toBe(200);
    const afterPatch = await getAgent(ctx(), id);
    expect(afterPatch.body).toBe(patched.body);
    expect((afterPatch.json() as AgentJson).owner).toBe('b@example.com');

    const suspended = await act(ctx(), id, 'suspend', 'maintenance');
    expect(suspended.statusCode).toBe(200);
    expect((await getAgent(ctx(), id)).body).toBe(suspended.body);
  });

  it('finds the agent when its id is written in upper case', async () => {
    const agent = await createAgent(ctx(), { name: unique('upper'), kind: 'llm_agent' });
    const response = await getAgent(ctx(), agent.id.toUpperCase());
    expect(response.statusCode).toBe(200);
    expect((response.json() as AgentJson).id).toBe(agent.id);
  });

  it('answers 404 problem+json for an unknown uuid', async () => {
    const id = randomUUID();
    const response = await getAgent(ctx(), id);
    expect(expectProblem(response, 404, 'not_found', `/api/v1/agents/${id}`).detail).toBe(`agent ${id} was not found`);
  });

  it.each(['not-a-uuid', '12345', '0190f3a2-7b1c-7d2e-8f3a-0123456789a', '0190f3a2-7b1c-7d2e-8f3a-0123456789abc', "0190f3a2' or '1'='1"])(
    'answers 400 for the id %s',
    async (id) => {
      const response = await getAgent(ctx(), encodeURIComponent(id));
      expectValidationError(response, `/api/v1/agents/${encodeURIComponent(id)}`, '/params/id');
    },
  );

  // ajv-formats' uuid format accepts this form, which PostgreSQL's uuid type rejects: it used to answer 500.
  it('answers 400, not 500, for an id in urn:uuid: form, on every route that takes an id', async () => {
    const agent = await createAgent(ctx(), { name: unique('urn'), kind: 'llm_agent' });
    const id = `urn:uuid:${agent.id}`;
    const instance = `/api/v1/agents/${id}`;
    const operator = ctx().as('operator');
    const responses = [
      await getAgent(ctx(), id),
      await ctx().app.inject({ method: 'PATCH', url: instance, headers: operator, payload: { owner: 'x' } }),
      await ctx().app.inject({ method: 'DELETE', url: instance, headers: operator }),
      await act(ctx(), id, 'suspend', 'r'),
      await history(ctx(), id),
    ];
    expectValidationError(responses[0]!, instance, '/params/id');
    expectValidationError(responses[1]!, instance, '/params/id');
    expectValidationError(responses[2]!, instance, '/params/id');
    expectValidationError(responses[3]!, `${instance}/suspend`, '/params/id');
    expectValidationError(responses[4]!, `${instance}/history`, '/params/id');
    expect((await getAgent(ctx(), agent.id)).json()).toEqual(agent);
  });
});

describeEachDatabase('PATCH /api/v1/agents/{id}', (ctx) => {
  const patch = (id: string, payload: unknown, headers: Record<string, string> = {}) =>
    ctx().app.inject({
      method: 'PATCH',
      url: `/api/v1/agents/${id}`,
      headers: { ...ctx().as('operator'), 'content-type': 'application/json', ...headers },
      payload: JSON.stringify(payload),
    });

  const base = () => ({
    name: unique('patch'),
    kind: 'llm_agent',
    owner: unique('owner'),
    vendor: 'Acme',
    model: 'm1',
    prompt: 'p1',
    config: { a: 1 },
    tools: [{ name: 't1', description: 'd1' }],
    tags: ['one'],
    metadata: { k: 'v' },
  });
  const baseTools = '[{"description":"d1","input_schema_hash":null,"name":"t1"}]';
  const baseFingerprint = fingerprintOfCanonical({ config: '{"a":1}', model: 'm1', prompt: 'p1', tools: baseTools });

  async function events(id: string): Promise<AgentEventJson[]> {
    const response = await history(ctx(), id, { limit: 200 });
    expect(response.statusCode).toBe(200);
    return (response.json() as { items: AgentEventJson[] }).items;
  }

  it('changes only the fields given and keeps the rest', async () => {
    const agent = await createAgent(ctx(), base());
    expect(agent.fingerprint).toBe(baseFingerprint);
    const response = await patch(agent.id, { description: 'now described', classification: 'restricted' });
    expect(response.statusCode, response.body).toBe(200);
    const updated = response.json() as AgentJson;
    expect(updated).toEqual({ ...agent, description: 'now described', classification: 'restricted', updated_at: expect.any(String) });
    expect(Date.parse(updated.updated_at)).toBeGreaterThanOrEqual(Date.parse(agent.updated_at));
    expect((await getAgent(ctx(), agent.id)).json()).toEqual(updated);
  });

  it('clears optional fields given as null', async () => {
    const agent = await createAgent(ctx(), { ...base(), external_id: unique('ext'), version: '1', description: 'd', role: 'r' });
    const response = await patch(agent.id, { owner: null, vendor: null, external_id: null, version: null, description: null, role: null });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ owner: null, vendor: null, external_id: null, version: null, description: null, role: null });
    const { rows } = await ctx().container.db.query('select owner, vendor, external_id, version, description, role from agent where id = $1', [agent.id]);
    expect(rows).toEqual([{ owner: null, vendor: null, external_id: null, version: null, description: null, role: null }]);
  });

  it('replaces config, tags, metadata and targets as a whole (no deep merge)', async () => {
    const agent = await createAgent(ctx(), { ...base(), targets: ['crm'] });
    const response = await patch(agent.id, { config: { b: 2 }, tags: ['two'], metadata: {}, targets: [] });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ config: { b: 2 }, tags: ['two'], metadata: {}, targets: [] });
  });

  const definitionChanges: Array<[string, Json, string]> = [
    ['tools', { tools: [{ name: 't2' }, { name: 't1', description: 'd1' }] }, fingerprintOfCanonical({
      config: '{"a":1}',
      model: 'm1',
      prompt: 'p1',
      tools: '[{"description":"d1","input_schema_hash":null,"name":"t1"},{"description":null,"input_schema_hash":null,"name":"t2"}]',
    })],
    ['a tool input schema', { tools: [{ name: 't1', description: 'd1', input_schema: { type: 'object' } }] }, fingerprintOfCanonical({
      config: '{"a":1}',
      model: 'm1',
      prompt: 'p1',
      tools: `[{"description":"d1","input_schema_hash":"${sha256('{"type":"object"}')}","name":"t1"}]`,
    })],
    ['prompt', { prompt: 'p2' }, fingerprintOfCanonical({ config: '{"a":1}', model: 'm1', prompt: 'p2', tools: baseTools })],
    ['prompt cleared', { prompt: null }, fingerprintOfCanonical({ config: '{"a":1}', model: 'm1', prompt: null, tools: baseTools })],
    ['model', { model: 'm2' }, fingerprintOfCanonical({ config: '{"a":1}', model: 'm2', prompt: 'p1', tools: baseTools })],
    ['config', { config: { a: 1, b: { c: true } } }, fingerprintOfCanonical({ config: '{"a":1,"b":{"c":true}}', model: 'm1', prompt: 'p1', tools: baseTools })],
  ];

  it.each(definitionChanges)('recomputes the fingerprint when %s changes and records definition_changed', async (_field, body, fingerprint) => {
    const agent = await createAgent(ctx(), base());
    const correlationId = unique('corr');
    const response = await patch(agent.id, body, { 'x-correlation-id': correlationId });
    expect(response.statusCode, response.body).toBe(200);
    const updated = response.json() as AgentJson;
    expect(updated.fingerprint).toBe(fingerprint);
    expect(updated.fingerprint).not.toBe(agent.fingerprint);

    const { rows } = await ctx().container.db.query<{ fingerprint: string }>('select fingerprint from agent where id = $1', [agent.id]);
    expect(rows).toEqual([{ fingerprint }]);

    const entries = await events(agent.id);
    expect(entries.map((entry) => entry.action)).toEqual(['register', 'definition_changed']);
    expect(entries[1]).toMatchObject({
      agent_id: agent.id,
      from_status: 'active',
      to_status: 'active',
      reason: null,
      fingerprint,
      correlation_id: correlationId,
    });
  });

  it('records the current status in a definition change of a non-active agent', async () => {
    const agent = await createAgent(ctx(), { ...base(), status: 'quarantined' });
    expect((await patch(agent.id, { model: 'm9' })).statusCode).toBe(200);
    const entries = await events(agent.id);
    expect(entries[1]).toMatchObject({ action: 'definition_changed', from_status: 'quarantined', to_status: 'quarantined' });
    expect((await getAgent(ctx(), agent.id)).json()).toMatchObject({ status: 'quarantined' });
  });

  it.each<[string, Json]>([
    ['owner', { owner: unique('new-owner') }],
    ['owner cleared', { owner: null }],
    ['tags', { tags: ['a', 'b'] }],
    ['name, metadata, targets, classification and role', { name: 'renamed', metadata: { x: 1 }, targets: ['erp'], classification: 'public', role: 'r' }],
    ['the same tools in another order with the same prompt', { tools: [{ name: 't1', description: 'd1' }], prompt: 'p1' }],
    ['config with the same content in another key order', { config: { a: 1 } }],
  ])('keeps the fingerprint and records no definition change when only %s changes', async (_field, body) => {
    const agent = await createAgent(ctx(), base());
    const response = await patch(agent.id, body);
    expect(response.statusCode, response.body).toBe(200);
    expect((response.json() as AgentJson).fingerprint).toBe(baseFingerprint);
    expect((await events(agent.id)).map((entry) => entry.action)).toEqual(['register']);
  });

  it('answers 409 for a retired agent and changes nothing', async () => {
    const agent = await createAgent(ctx(), base());
    expect((await act(ctx(), agent.id, 'retire', 'gone')).statusCode).toBe(200);
    const before = (await getAgent(ctx(), agent.id)).json() as AgentJson;
    const response = await patch(agent.id, { owner: 'someone', model: 'm2' });
    expect(expectProblem(response, 409, 'conflict', `/api/v1/agents/${agent.id}`).detail).toBe(
      `agent ${agent.id} is retired and can no longer be changed`,
    );
    expect((await getAgent(ctx(), agent.id)).json()).toEqual(before);
    expect((await events(agent.id)).map((entry) => entry.action)).toEqual(['register', 'retire']);
  });

  it('answers 409 when the new external_id belongs to another agent of the same source, and changes nothing', async () => {
    const taken = unique('ext');
    await createAgent(ctx(), { ...base(), source: 'airflow', external_id: taken });
    const agent = await createAgent(ctx(), { ...base(), source: 'airflow', external_id: unique('ext') });
    const response = await patch(agent.id, { external_id: taken, model: 'm2' });
    expect(expectProblem(response, 409, 'conflict', `/api/v1/agents/${agent.id}`).detail).toBe(
      `another agent from this source already has external_id "${taken}"`,
    );
    expect((await getAgent(ctx(), agent.id)).json()).toEqual(agent);
    expect((await events(agent.id)).map((entry) => entry.action)).toEqual(['register']);
  });

  it('accepts an external_id used only by an agent of another source, or the agent’s own', async () => {
    const externalId = unique('ext');
    await createAgent(ctx(), { ...base(), source: 'lambda', external_id: externalId });
    const agent = await createAgent(ctx(), { ...base(), source: 'airflow', external_id: unique('ext') });
    const moved = await patch(agent.id, { external_id: externalId });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ external_id: externalId, source: 'airflow' });
    const same = await patch(agent.id, { external_id: externalId });
    expect(same.statusCode, same.body).toBe(200);
  });

  it('answers 400 for an empty body', async () => {
    const agent = await createAgent(ctx(), base());
    expectValidationError(await patch(agent.id, {}), `/api/v1/agents/${agent.id}`, '/body');
  });

  it.each<[string, unknown, string]>([
    ['status (only lifecycle actions change it)', { status: 'active' }, '/body/status'],
    ['source', { source: 'mcp' }, '/body/source'],
    ['fingerprint', { fingerprint: 'a'.repeat(64) }, '/body/fingerprint'],
    ['id', { id: randomUUID() }, '/body/id'],
    ['an unknown field', { colour: 'blue' }, '/body/colour'],
    ['a number as name', { name: 5 }, '/body/name'],
    ['null as name (required on every agent)', { name: null }, '/body/name'],
    ['null as kind', { kind: null }, '/body/kind'],
    ['an unknown kind', { kind: 'robot' }, '/body/kind'],
    ['null as config', { config: null }, '/body/config'],
    ['null as tags', { tags: null }, '/body/tags'],
    ['a number as owner', { owner: 1 }, '/body/owner'],
    ['an array body', [], '/body'],
  ])('answers 400 for %s', async (_case, body, path) => {
    const agent = await createAgent(ctx(), base());
    expectValidationError(await patch(agent.id, body), `/api/v1/agents/${agent.id}`, path);
    expect((await getAgent(ctx(), agent.id)).json()).toEqual(agent);
  });

  it('answers 400 for duplicate tool names and changes nothing', async () => {
    const agent = await createAgent(ctx(), base());
    const body = expectValidationError(await patch(agent.id, { tools: [{ name: 'x' }, { name: 'x' }] }), `/api/v1/agents/${agent.id}`, '/body/tools/1/name');
    expect(body.detail).toBe('tool name "x" appears twice');
    expect((await getAgent(ctx(), agent.id)).json()).toEqual(agent);
  });

  it('answers 404 for an unknown uuid and 400 for a non-uuid id', async () => {
    const id = randomUUID();
    expectProblem(await patch(id, { owner: 'x' }), 404, 'not_found', `/api/v1/agents/${id}`);
    expectValidationError(await patch('nope', { owner: 'x' }), '/api/v1/agents/nope', '/params/id');
  });
});
