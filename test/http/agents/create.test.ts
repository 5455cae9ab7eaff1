import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../helpers/app.js';
import {
  ISO_TIMESTAMP,
  JSON_TYPE,
  UUID,
  createAgent,
  expectProblem,
  expectValidationError,
  fingerprintOfCanonical,
  getAgent,
  sha256,
  unique,
  withCorrelation,
  type AgentJson,
  type Json,
} from './fixtures.js';

const URL_AGENTS = '/api/v1/agents';

describeEachDatabase('POST /api/v1/agents', (ctx) => {
  const post = (payload: unknown, headers: Record<string, string> = {}) =>
    ctx().app.inject({ method: 'POST', url: URL_AGENTS, headers: { ...ctx().as('operator'), ...headers }, payload: payload as Json });

  it('registers a minimal agent with every default, 201 and a Location header', async () => {
    const name = unique('minimal');
    const response = await post({ name, kind: 'llm_agent' });
    expect(response.statusCode).toBe(201);
    expect(response.headers['content-type']).toBe(JSON_TYPE);
    const agent = response.json() as AgentJson;
    expect(response.headers.location).toBe(`/api/v1/agents/${agent.id}`);
    expect(agent).toEqual({
      id: expect.stringMatching(UUID),
      name,
      kind: 'llm_agent',
      source: 'manual',
      external_id: null,
      owner: null,
      vendor: null,
      model: null,
      version: null,
      description: null,
      prompt: null,
      config: {},
      tools: [],
      fingerprint: sha256('{"config":{},"model":null,"prompt":null,"tools":[]}'),
      status: 'active',
      status_reason: null,
      classification: 'internal',
      role: null,
      targets: [],
      tags: [],
      metadata: {},
      created_at: expect.stringMatching(ISO_TIMESTAMP),
      updated_at: expect.stringMatching(ISO_TIMESTAMP),
    });
    expect(agent.updated_at).toBe(agent.created_at);

    const read = await ctx().app.inject({ method: 'GET', url: response.headers.location as string, headers: ctx().as('viewer') });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(agent);
  });

  it('echoes every field exactly, hashes tool input schemas and fingerprints the definition', async () => {
    const owner = unique('owner');
    const externalId = unique('ext');
    const input = {
      name: unique('Full agent ✓'),
      kind: 'mcp_server',
      source: 'mcp',
      status: 'quarantined',
      classification: 'confidential',
      config: { transport: 'stdio', args: ['--port', 8080], nested: { on: true, none: null, ratio: 0.5 } },
      tools: [
        { name: 'search', description: 'Search the web', input_schema: { type: 'object', properties: { q: { type: 'string' } } } },
        { name: 'fetch', input_schema_hash: 'c'.repeat(64) },
        { name: 'noop', description: null },
      ],
      targets: ['salesforce', 'hubspot'],
      tags: ['team:growth', 'env/prod', 'v1.2_x'],
      metadata: { cost_center: 42, labels: { a: 'b' }, list: [1, 'two', null] },
      external_id: externalId,
      owner,
      vendor: 'Acme',
      model: 'claude-sonnet',
      version: '1.2.3',
      description: 'Does things',
      prompt: 'Be careful.\nAlways.',
      role: 'support',
    };
    const correlationId = unique('corr');
    const response = await post(input, { 'x-correlation-id': correlationId });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.headers['x-correlation-id']).toBe(correlationId);
    const agent = response.json() as AgentJson;

    const searchSchemaHash = sha256('{"properties":{"q":{"type":"string"}},"type":"object"}');
    const { tools: _tools, status: _status, ...echoed } = input;
    const fingerprint = fingerprintOfCanonical({
      config: '{"args":["--port",8080],"nested":{"none":null,"on":true,"ratio":0.5},"transport":"stdio"}',
      model: 'claude-sonnet',
      prompt: 'Be careful.\nAlways.',
      tools:
        `[{"description":null,"input_schema_hash":"${'c'.repeat(64)}","name":"fetch"},` +
        '{"description":null,"input_schema_hash":null,"name":"noop"},' +
        `{"description":"Search the web","input_schema_hash":"${searchSchemaHash}","name":"search"}]`,
    });
    expect(agent).toEqual({
      ...echoed,
      id: expect.stringMatching(UUID),
      tools: [
        { name: 'search', description: 'Search the web', input_schema_hash: searchSchemaHash },
        { name: 'fetch', description: null, input_schema_hash: 'c'.repeat(64) },
        { name: 'noop', description: null, input_schema_hash: null },
      ],
      fingerprint,
      status: 'quarantined',
      status_reason: null,
      created_at: expect.stringMatching(ISO_TIMESTAMP),
      updated_at: expect.stringMatching(ISO_TIMESTAMP),
    });

    const { rows } = await ctx().container.db.query<Record<string, unknown>>('select * from agent where id = $1', [agent.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      name: input.name,
      source: 'mcp',
      external_id: externalId,
      status: 'quarantined',
      fingerprint,
      config: input.config,
      metadata: input.metadata,
      tags: input.tags,
      targets: input.targets,
      tools: agent.tools,
    });

    const events = await ctx().container.db.query<Record<string, unknown>>(
      'select action, from_status, to_status, reason, fingerprint, correlation_id from agent_event where agent_id = $1',
      [agent.id],
    );
    expect(events.rows).toEqual([
      { action: 'register', from_status: null, to_status: 'quarantined', reason: null, fingerprint, correlation_id: correlationId },
    ]);
  });

  it('keeps an explicit null in an optional field as null', async () => {
    const agent = await createAgent(ctx(), { name: unique('nulls'), kind: 'function', owner: null, model: null, prompt: null, external_id: null });
    expect(agent).toMatchObject({ owner: null, model: null, prompt: null, external_id: null });
  });

  it('accepts every kind, source and classification of docs/agents.md', async () => {
    for (const kind of ['mcp_server', 'llm_agent', 'workflow', 'pipeline', 'function']) {
      expect((await createAgent(ctx(), { name: unique(kind), kind })).kind).toBe(kind);
    }
    for (const source of ['manual', 'mcp', 'n8n', 'zapier', 'make', 'airflow', 'lambda']) {
      expect((await createAgent(ctx(), { name: unique(source), kind: 'workflow', source })).source).toBe(source);
    }
    for (const classification of ['public', 'internal', 'confidential', 'restricted', 'critical']) {
      expect((await createAgent(ctx(), { name: unique(classification), kind: 'workflow', classification })).classification).toBe(classification);
    }
  });

  const invalidBodies: Array<[string, unknown, string]> = [
    ['an unknown kind', { name: 'x', kind: 'robot' }, '/body/kind'],
    ['an unknown source', { name: 'x', kind: 'llm_agent', source: 'github' }, '/body/source'],
    ['an unknown classification', { name: 'x', kind: 'llm_agent', classification: 'secret' }, '/body/classification'],
    ['an initial status of suspended', { name: 'x', kind: 'llm_agent', status: 'suspended' }, '/body/status'],
    ['an initial status of retired', { name: 'x', kind: 'llm_agent', status: 'retired' }, '/body/status'],
    ['a missing name', { kind: 'llm_agent' }, '/body/name'],
    ['a missing kind', { name: 'x' }, '/body/kind'],
    ['an unknown field', { name: 'x', kind: 'llm_agent', colour: 'blue' }, '/body/colour'],
    ['a client-chosen id', { name: 'x', kind: 'llm_agent', id: '0190f3a2-7b1c-7d2e-8f3a-0123456789ab' }, '/body/id'],
    ['a client-chosen fingerprint', { name: 'x', kind: 'llm_agent', fingerprint: 'a'.repeat(64) }, '/body/fingerprint'],
    ['a client-chosen status_reason', { name: 'x', kind: 'llm_agent', status_reason: 'because' }, '/body/status_reason'],
    ['a number as name (never coerced)', { name: 5, kind: 'llm_agent' }, '/body/name'],
    ['a boolean as name', { name: true, kind: 'llm_agent' }, '/body/name'],
    ['an empty name', { name: '', kind: 'llm_agent' }, '/body/name'],
    ['a name over 200 characters', { name: 'n'.repeat(201), kind: 'llm_agent' }, '/body/name'],
    ['an array as kind', { name: 'x', kind: ['llm_agent'] }, '/body/kind'],
    ['a string as tags (never coerced to an array)', { name: 'x', kind: 'llm_agent', tags: 'a' }, '/body/tags'],
    ['a repeated tag', { name: 'x', kind: 'llm_agent', tags: ['a', 'a'] }, '/body/tags'],
    ['a tag with a space', { name: 'x', kind: 'llm_agent', tags: ['has space'] }, '/body/tags/0'],
    ['a repeated target', { name: 'x', kind: 'llm_agent', targets: ['crm', 'crm'] }, '/body/targets'],
    ['an array as config', { name: 'x', kind: 'llm_agent', config: [] }, '/body/config'],
    ['a string as config', { name: 'x', kind: 'llm_agent', config: 'x' }, '/body/config'],
    ['null as metadata', { name: 'x', kind: 'llm_agent', metadata: null }, '/body/metadata'],
    ['a number as owner', { name: 'x', kind: 'llm_agent', owner: 5 }, '/body/owner'],
    ['an empty owner', { name: 'x', kind: 'llm_agent', owner: '' }, '/body/owner'],
    ['a tool without a name', { name: 'x', kind: 'llm_agent', tools: [{}] }, '/body/tools/0/name'],
    ['a tool with an unknown field', { name: 'x', kind: 'llm_agent', tools: [{ name: 't', colour: 1 }] }, '/body/tools/0/colour'],
    ['a tool schema hash that is not sha256 hex', { name: 'x', kind: 'llm_agent', tools: [{ name: 't', input_schema_hash: 'xyz' }] }, '/body/tools/0/input_schema_hash'],
    ['a tool input schema that is not an object', { name: 'x', kind: 'llm_agent', tools: [{ name: 't', input_schema: 'string' }] }, '/body/tools/0/input_schema'],
    [
      'a tool with both input_schema and input_schema_hash',
      { name: 'x', kind: 'llm_agent', tools: [{ name: 't', input_schema: {}, input_schema_hash: 'a'.repeat(64) }] },
      '/body/tools/0',
    ],
    ['an array body', [{ name: 'x', kind: 'llm_agent' }], '/body'],
    ['a string body', 'agent', '/body'],
  ];

  it.each(invalidBodies)('answers 400 problem+json for %s', async (_case, body, path) => {
    const response = await ctx().app.inject({
      method: 'POST',
      url: URL_AGENTS,
      headers: { ...ctx().as('operator'), 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
    expectValidationError(response, URL_AGENTS, path);
  });

  it('answers 400 for duplicate tool names, naming the second occurrence, and stores nothing', async () => {
    const name = unique('dup-tools');
    const response = await post({ name, kind: 'mcp_server', tools: [{ name: 'a' }, { name: 'b' }, { name: 'a', description: 'again' }] });
    const body = expectValidationError(response, URL_AGENTS, '/body/tools/2/name');
    expect(body.detail).toBe('tool name "a" appears twice');
    const { rows } = await ctx().container.db.query('select id from agent where name = $1', [name]);
    expect(rows).toHaveLength(0);
  });

  it('stores nothing when validation fails', async () => {
    const name = unique('invalid');
    const response = await post({ name, kind: 'robot' });
    expect(response.statusCode).toBe(400);
    const { rows } = await ctx().container.db.query('select id from agent where name = $1', [name]);
    expect(rows).toHaveLength(0);
  });

  it('answers 400 for malformed JSON, 400 for an empty JSON body and 415 for another media type', async () => {
    const malformed = await ctx().app.inject({
      method: 'POST',
      url: URL_AGENTS,
      headers: { ...ctx().as('operator'), 'content-type': 'application/json' },
      payload: '{"name": "x",',
    });
    expect(expectProblem(malformed, 400, 'bad_request', URL_AGENTS).detail).toBe('the request body is not valid JSON');

    const empty = await ctx().app.inject({
      method: 'POST',
      url: URL_AGENTS,
      headers: { ...ctx().as('operator'), 'content-type': 'application/json' },
      payload: '',
    });
    expectProblem(empty, 400, 'bad_request', URL_AGENTS);

    const text = await ctx().app.inject({
      method: 'POST',
      url: URL_AGENTS,
      headers: { ...ctx().as('operator'), 'content-type': 'text/plain' },
      payload: 'name=x',
    });
    expectProblem(text, 415, 'unsupported_media_type', URL_AGENTS);
  });

  it('answers 409 for a second agent with the same (source, external_id) and keeps only the first', async () => {
    const externalId = unique('ext');
    const first = await createAgent(ctx(), { name: unique('first'), kind: 'workflow', source: 'n8n', external_id: externalId });
    const correlationId = unique('corr');
    const second = await post({ name: unique('second'), kind: 'workflow', source: 'n8n', external_id: externalId }, { 'x-correlation-id': correlationId });
    const body = expectProblem(second, 409, 'conflict', URL_AGENTS);
    expect(body.detail).toBe(`another agent from this source already has external_id "${externalId}"`);
    expect(body.correlation_id).toBe(correlationId);

    const { rows } = await ctx().container.db.query<{ id: string }>('select id from agent where external_id = $1', [externalId]);
    expect(rows).toEqual([{ id: first.id }]);
    const events = await ctx().container.db.query('select id from agent_event where correlation_id = $1', [correlationId]);
    expect(events.rows).toHaveLength(0);
  });

  it('allows the same external_id from another source, and any number of agents without external_id', async () => {
    const externalId = unique('ext');
    await createAgent(ctx(), { name: unique('a'), kind: 'workflow', source: 'zapier', external_id: externalId });
    const other = await createAgent(ctx(), { name: unique('b'), kind: 'workflow', source: 'make', external_id: externalId });
    expect(other.external_id).toBe(externalId);
    const owner = unique('owner');
    await createAgent(ctx(), { name: unique('c'), kind: 'workflow', source: 'zapier', owner });
    await createAgent(ctx(), { name: unique('d'), kind: 'workflow', source: 'zapier', owner });
    const { rows } = await ctx().container.db.query('select id from agent where owner = $1 and external_id is null', [owner]);
    expect(rows).toHaveLength(2);
  });

  it('generates a correlation id when none is sent and records it with the registration', async () => {
    const response = await post({ name: unique('no-corr'), kind: 'llm_agent' });
    expect(response.statusCode).toBe(201);
    const correlationId = response.headers['x-correlation-id'] as string;
    expect(correlationId).toMatch(/^[0-9a-f-]{36}$/);
    const { rows } = await ctx().container.db.query<{ correlation_id: string }>('select correlation_id from agent_event where agent_id = $1', [
      (response.json() as AgentJson).id,
    ]);
    expect(rows).toEqual([{ correlation_id: correlationId }]);
  });

  it('reads back what it wrote through GET by id', async () => {
    const agent = await createAgent(ctx(), { name: unique('read-back'), kind: 'pipeline', tags: ['x'] }, withCorrelation({}, unique('c')));
    const read = await getAgent(ctx(), agent.id);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(agent);
  });
});
