import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintOf, hashInputSchema } from '../../../src/modules/agents/index.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { databaseTargets } from '../../helpers/db.js';

/** POST /agents takes MCP `Tool` objects as a server lists them (title, inputSchema, outputSchema, annotations …). */

const inputSchema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
const outputSchema = { type: 'object', properties: { celsius: { type: 'number' } } };
const mcpTool = {
  name: 'get_weather',
  title: 'Weather',
  description: 'Current weather for a city',
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, openWorldHint: true },
  icons: [{ src: 'https://example.com/w.png', mimeType: 'image/png' }],
  execution: { taskSupport: 'forbidden' },
  _meta: { 'example.com/owner': 'weather-team' },
};

describe.each(databaseTargets.map((target) => [target.name, target] as const))('MCP tools on POST /agents [%s]', (_name, target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(target);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps the schemas as hashes and the title and annotations as given; the fingerprint covers name, description and input', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/agents', headers: t.as('operator'), payload: { name: 'weather-mcp', kind: 'mcp_server', source: 'mcp', tools: [mcpTool] } });
    expect(response.statusCode, response.body).toBe(201);
    const agent = response.json() as { tools: unknown[]; fingerprint: string };
    const stored = {
      name: 'get_weather',
      description: 'Current weather for a city',
      input_schema_hash: hashInputSchema(inputSchema),
      title: 'Weather',
      output_schema_hash: hashInputSchema(outputSchema),
      annotations: { readOnlyHint: true, openWorldHint: true },
    };
    expect(agent.tools).toEqual([stored]);
    expect(agent.fingerprint).toBe(fingerprintOf({ tools: [{ name: 'get_weather', description: 'Current weather for a city', input_schema_hash: hashInputSchema(inputSchema) }], prompt: null, model: null, config: {} }));
    // The same tool in ORCA's own spelling has the same fingerprint.
    const snake = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agents',
      headers: t.as('operator'),
      payload: { name: 'weather-2', kind: 'mcp_server', tools: [{ name: 'get_weather', description: 'Current weather for a city', input_schema: inputSchema }] },
    });
    expect((snake.json() as { fingerprint: string }).fingerprint).toBe(agent.fingerprint);
  });

  it.each([
    [{ ...mcpTool, input_schema: inputSchema }, '/body/tools/0', 'more than one of input_schema, inputSchema and input_schema_hash'],
    [{ ...mcpTool, output_schema: outputSchema }, '/body/tools/0', 'has both output_schema and outputSchema'],
    [{ ...mcpTool, unknownField: 1 }, '/body/tools/0', ''],
  ])('refuses an ambiguous or unknown tool field with a 400', async (toolInput, path, message) => {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/agents', headers: t.as('operator'), payload: { name: 'bad', kind: 'mcp_server', tools: [toolInput] } });
    expect(response.statusCode).toBe(400);
    const errors = (response.json() as { errors: Array<{ path: string; message: string }> }).errors;
    expect(errors.some((error) => error.path.startsWith(path) && error.message.includes(message)), JSON.stringify(errors)).toBe(true);
  });
});
