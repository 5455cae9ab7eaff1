import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { agentDefinition, jsonDocument, pinnedSample } from '../../../test/helpers/json-arbitraries.js';
import { fingerprintOf, hashInputSchema, type AgentDefinition } from './fingerprint.js';

/** Computed here with node:crypto alone, over canonical strings written out by hand. */
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const SCHEMA_HASH = 'a'.repeat(64);

const definition: AgentDefinition = {
  tools: [
    { name: 'search', description: 'Search the web', input_schema_hash: SCHEMA_HASH },
    { name: 'fetch', description: null, input_schema_hash: null },
  ],
  prompt: 'You are helpful.',
  model: 'gpt-4o',
  config: { temperature: 0.2, limits: { tokens: 1000, calls: 5 }, stop: ['\n', 'é'] },
};

// RFC 8785: object keys sorted by UTF-16 code unit, no whitespace, tools sorted by name.
const CANONICAL =
  '{"config":{"limits":{"calls":5,"tokens":1000},"stop":["\\n","é"],"temperature":0.2},' +
  '"model":"gpt-4o","prompt":"You are helpful.",' +
  '"tools":[{"description":null,"input_schema_hash":null,"name":"fetch"},' +
  `{"description":"Search the web","input_schema_hash":"${SCHEMA_HASH}","name":"search"}]}`;

describe('hashInputSchema', () => {
  it('hashes a pinned sample of schemas as it did before canonical JSON moved to the platform (stored hashes hold)', () => {
    const digest = createHash('sha256').update(pinnedSample(jsonDocument).map(hashInputSchema).join('\n')).digest('hex');
    expect(digest).toBe('871a895287394e92e95b2dcf19b10617e43a450868c156d0a77e1c01e46e883f');
  });

  it('hashes the canonical JSON of the schema, whatever its key order', () => {
    const expected = sha256('{"properties":{"q":{"type":"string"}},"required":["q"],"type":"object"}');
    expect(hashInputSchema({ type: 'object', properties: { q: { type: 'string' } }, required: ['q'] })).toBe(expected);
    expect(hashInputSchema({ required: ['q'], properties: { q: { type: 'string' } }, type: 'object' })).toBe(expected);
  });
});

describe('fingerprintOf', () => {
  it('fingerprints a pinned sample of definitions as it did before canonical JSON moved to the platform (stored fingerprints hold)', () => {
    const sample = pinnedSample(agentDefinition);
    // The sample itself first: if fast-check ever generates another one, that (not the code) is what changed.
    expect(createHash('sha256').update(sample.map((value) => JSON.stringify(value)).join('\n')).digest('hex')).toBe('b0bc102852fb51c07e13063a59519c6f3af325faabee6d56a73b341e8895fa54');
    expect(createHash('sha256').update(sample.map(fingerprintOf).join('\n')).digest('hex')).toBe('bbe49fc79154d8a1ccae38572e435e0fe32577afa3dd8e57231175ac0e2342e7');
  });

  it('is the sha256 of the hand-written canonical definition', () => {
    expect(fingerprintOf(definition)).toBe(sha256(CANONICAL));
  });

  it('of an empty definition hashes empty tools and config and null prompt and model', () => {
    expect(fingerprintOf({ tools: [], prompt: null, model: null, config: {} })).toBe(sha256('{"config":{},"model":null,"prompt":null,"tools":[]}'));
  });

  it('does not depend on key order, in config or in tools', () => {
    const reordered: AgentDefinition = {
      config: { stop: ['\n', 'é'], limits: { calls: 5, tokens: 1000 }, temperature: 0.2 },
      model: 'gpt-4o',
      prompt: 'You are helpful.',
      tools: [
        { input_schema_hash: SCHEMA_HASH, name: 'search', description: 'Search the web' },
        { input_schema_hash: null, description: null, name: 'fetch' },
      ],
    };
    expect(fingerprintOf(reordered)).toBe(sha256(CANONICAL));
  });

  it('does not depend on the order tools are declared in', () => {
    const reversed = { ...definition, tools: [...definition.tools].reverse() };
    expect(fingerprintOf(reversed)).toBe(sha256(CANONICAL));
  });

  it('does not mutate the definition it hashes', () => {
    const tools = [...definition.tools];
    fingerprintOf(definition);
    expect(definition.tools).toEqual(tools);
  });

  it('ignores owner, tags and every other bookkeeping field', () => {
    const withBookkeeping = {
      ...definition,
      name: 'renamed',
      owner: 'team-b',
      tags: ['x', 'y'],
      metadata: { cost_center: 42 },
      status: 'suspended',
      classification: 'restricted',
      targets: ['salesforce'],
    };
    expect(fingerprintOf(withBookkeeping)).toBe(sha256(CANONICAL));
  });

  it('ignores properties of a tool other than name, description and input schema hash', () => {
    const tools = definition.tools.map((tool) => ({ ...tool, input_schema: { type: 'object' }, note: 'x' }));
    expect(fingerprintOf({ ...definition, tools })).toBe(sha256(CANONICAL));
  });

  const changes: Array<[string, AgentDefinition, string]> = [
    [
      'a tool is added',
      { ...definition, tools: [...definition.tools, { name: 'write', description: null, input_schema_hash: null }] },
      CANONICAL.replace(']}', ',{"description":null,"input_schema_hash":null,"name":"write"}]}'),
    ],
    [
      'a tool is removed',
      { ...definition, tools: definition.tools.filter((tool) => tool.name !== 'fetch') },
      CANONICAL.replace('{"description":null,"input_schema_hash":null,"name":"fetch"},', ''),
    ],
    [
      'a tool description changes',
      { ...definition, tools: definition.tools.map((tool) => (tool.name === 'fetch' ? { ...tool, description: 'Fetch a URL' } : tool)) },
      CANONICAL.replace('{"description":null,"input_schema_hash":null,"name":"fetch"}', '{"description":"Fetch a URL","input_schema_hash":null,"name":"fetch"}'),
    ],
    [
      'a tool input schema changes',
      { ...definition, tools: definition.tools.map((tool) => (tool.name === 'search' ? { ...tool, input_schema_hash: 'b'.repeat(64) } : tool)) },
      CANONICAL.replace(SCHEMA_HASH, 'b'.repeat(64)),
    ],
    [
      'a tool is renamed',
      { ...definition, tools: definition.tools.map((tool) => (tool.name === 'fetch' ? { ...tool, name: 'get' } : tool)) },
      CANONICAL.replace('"name":"fetch"', '"name":"get"'),
    ],
    ['the prompt changes', { ...definition, prompt: 'You are terse.' }, CANONICAL.replace('You are helpful.', 'You are terse.')],
    ['the prompt is cleared', { ...definition, prompt: null }, CANONICAL.replace('"You are helpful."', 'null')],
    ['the prompt becomes empty', { ...definition, prompt: '' }, CANONICAL.replace('"You are helpful."', '""')],
    ['the model changes', { ...definition, model: 'gpt-4.1' }, CANONICAL.replace('"gpt-4o"', '"gpt-4.1"')],
    ['the model is cleared', { ...definition, model: null }, CANONICAL.replace('"gpt-4o"', 'null')],
    [
      'a nested config value changes',
      { ...definition, config: { ...definition.config, limits: { tokens: 1001, calls: 5 } } },
      CANONICAL.replace('"tokens":1000', '"tokens":1001'),
    ],
    [
      'a config key is added',
      { ...definition, config: { ...definition.config, top_p: 1 } },
      CANONICAL.replace('"temperature":0.2}', '"temperature":0.2,"top_p":1}'),
    ],
    [
      'a config value changes type',
      { ...definition, config: { ...definition.config, temperature: '0.2' } },
      CANONICAL.replace('"temperature":0.2', '"temperature":"0.2"'),
    ],
  ];

  it.each(changes)('changes when %s', (_change, changed, canonical) => {
    expect(canonical).not.toBe(CANONICAL);
    expect(fingerprintOf(changed)).toBe(sha256(canonical));
    expect(fingerprintOf(changed)).not.toBe(fingerprintOf(definition));
  });
});

describe('the worked example in docs/agents.md', () => {
  it('has the fingerprint and input schema hash the code computes', () => {
    const doc = readFileSync(new URL('../../../docs/agents.md', import.meta.url), 'utf8');
    const inputSchemaHash = hashInputSchema({ type: 'object', properties: { q: { type: 'string' } }, required: ['q'] });
    const fingerprint = fingerprintOf({
      tools: [{ name: 'search_kb', description: 'Search the knowledge base', input_schema_hash: inputSchemaHash }],
      prompt: 'Classify the ticket.',
      model: 'gpt-4o',
      config: { temperature: 0 },
    });
    expect(doc).toContain(`whose sha256 is \`${fingerprint}\``);
    expect(doc).toContain(`"input_schema_hash": "${inputSchemaHash}"`);
  });
});
