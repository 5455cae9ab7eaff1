import { describe, expect, it } from 'vitest';
import { hoistTitledSchemas } from './components.js';
import type { OpenApiDocument } from './document.js';

const tool = { title: 'Tool', type: 'object', properties: { name: { type: 'string' } } };
const agent = { title: 'Agent', type: 'object', properties: { tools: { type: 'array', items: tool }, title: { type: 'string' } } };

function documentOf(responseSchema: Record<string, unknown>, bodySchema?: Record<string, unknown>): OpenApiDocument {
  return {
    paths: {
      '/agents': {
        post: {
          ...(bodySchema ? { requestBody: { content: { 'application/json': { schema: bodySchema } } } } : {}),
          responses: { 201: { description: 'Created', content: { 'application/json': { schema: responseSchema } } } },
        },
      },
    },
  } as OpenApiDocument;
}

describe('hoistTitledSchemas', () => {
  it('publishes titled schemas, nested ones included, and references them where they were', () => {
    const document = documentOf({ type: 'object', properties: { items: { type: 'array', items: agent } } });
    hoistTitledSchemas(document);
    expect(document.components!.schemas).toEqual({
      Agent: { title: 'Agent', type: 'object', properties: { tools: { type: 'array', items: { $ref: '#/components/schemas/Tool' } }, title: { type: 'string' } } },
      Tool: tool,
    });
    expect(document.paths!['/agents']!.post!.responses!['201']!.content!['application/json']!.schema).toEqual({
      type: 'object',
      properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Agent' } } },
    });
  });

  it('turns a titled body or response schema itself into a reference', () => {
    const document = documentOf(agent, tool);
    hoistTitledSchemas(document);
    const operation = document.paths!['/agents']!.post!;
    expect(operation.requestBody!.content!['application/json']!.schema).toEqual({ $ref: '#/components/schemas/Tool' });
    expect(operation.responses!['201']!.content!['application/json']!.schema).toEqual({ $ref: '#/components/schemas/Agent' });
  });

  it('does not mistake a property named title, or data, for a schema keyword', () => {
    const document = documentOf({ type: 'object', properties: { title: { type: 'string', enum: ['Mr'] } }, examples: [{ title: 'Not a component' }] });
    hoistTitledSchemas(document);
    expect(document.components!.schemas).toEqual({});
  });

  it('refuses two different schemas under one title, and a title that is not a component name', () => {
    expect(() => hoistTitledSchemas(documentOf(agent, { ...tool, properties: {} }))).toThrow('two different schemas are titled "Tool"');
    expect(() => hoistTitledSchemas(documentOf({ title: 'an agent', type: 'object' }))).toThrow('"an agent" is not a PascalCase component name');
  });

  it('walks unions, maps of properties and schemas under additionalProperties', () => {
    const document = documentOf({
      anyOf: [tool, { type: 'null' }],
      additionalProperties: agent,
    });
    hoistTitledSchemas(document);
    expect(document.paths!['/agents']!.post!.responses!['201']!.content!['application/json']!.schema).toEqual({
      anyOf: [{ $ref: '#/components/schemas/Tool' }, { type: 'null' }],
      additionalProperties: { $ref: '#/components/schemas/Agent' },
    });
  });
});
