import { describe, expect, it } from 'vitest';
import type { DiscoveredAgent } from './connectors/types.js';
import { externalIdsFor, keysOfExternalId, lambdaArnOf, linkKeysOf, normaliseUrl } from './link-keys.js';

const ALL = ['endpoint_url', 'lambda_arn', 'webhook_url'] as const;
const ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:refund-bot';

function agent(overrides: Partial<DiscoveredAgent>): DiscoveredAgent {
  return {
    external_id: 'x',
    agent_external_id: 'x',
    name: 'x',
    kind: 'workflow',
    vendor: null,
    model: null,
    version: null,
    description: null,
    prompt: null,
    config: {},
    tools: [],
    owner: null,
    tags: [],
    details: {},
    ...overrides,
  };
}

describe('linking rules', () => {
  it('normalises URLs: scheme and host case, default port, fragment and trailing slash; refuses other schemes and credentials', () => {
    expect(normaliseUrl('HTTPS://Tools.Example.com:443/MCP/#x')).toBe('https://tools.example.com/MCP');
    expect(normaliseUrl('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080');
    expect(normaliseUrl('https://h/a?b=1')).toBe('https://h/a?b=1');
    expect(normaliseUrl('stdio:node server.js')).toBeNull();
    expect(normaliseUrl('https://user:pw@h/a')).toBeNull();
    expect(normaliseUrl('not a url')).toBeNull();
  });

  it('takes a Lambda ARN without its version or alias, and nothing else', () => {
    expect(lambdaArnOf(ARN)).toBe(ARN);
    expect(lambdaArnOf(`${ARN}:7`)).toBe(ARN);
    expect(lambdaArnOf(`${ARN}:live`)).toBe(ARN);
    expect(lambdaArnOf('arn:aws:s3:::bucket')).toBeNull();
  });

  it('derives keys per source kind, under the enabled rules only', () => {
    expect(linkKeysOf('lambda', agent({ external_id: ARN }), ALL)).toEqual([`lambda_arn:${ARN}`]);
    expect(linkKeysOf('lambda', agent({ external_id: ARN }), ['endpoint_url'])).toEqual([]);
    expect(linkKeysOf('mcp', agent({ external_id: 'https://tools.example.com/mcp/' }), ALL)).toEqual(['endpoint_url:https://tools.example.com/mcp']);
    expect(linkKeysOf('mcp', agent({ external_id: 'stdio:node server.js' }), ALL)).toEqual([]);
    const workflow = agent({ agent_external_id: 'https://n8n.example.com/workflow/42', details: { webhook_paths: ['orders', '/orders'], mcp_trigger_paths: ['tools'] } });
    expect(linkKeysOf('n8n', workflow, ALL)).toEqual(['endpoint_url:https://n8n.example.com/mcp/tools', 'webhook_url:https://n8n.example.com/webhook/orders']);
    expect(linkKeysOf('n8n', workflow, ['webhook_url'])).toEqual(['webhook_url:https://n8n.example.com/webhook/orders']);
    expect(linkKeysOf('airflow', agent({ external_id: 'https://airflow.example.com/dags/etl' }), ALL)).toEqual([]);
    expect(linkKeysOf('make', agent({ external_id: '17' }), ALL)).toEqual([]);
    const scenario = agent({ external_id: '17', details: { webhook_url: 'https://Hook.EU1.make.com/abc123/' } });
    expect(linkKeysOf('make', scenario, ALL)).toEqual(['webhook_url:https://hook.eu1.make.com/abc123']);
    expect(linkKeysOf('make', scenario, ['endpoint_url', 'lambda_arn'])).toEqual([]);
    expect(linkKeysOf('make', agent({ details: { webhook_url: 'mailto:hook@make.com' } }), ALL)).toEqual([]);
  });

  it('meets agents registered by hand through their external_id, both ways', () => {
    expect(externalIdsFor([`lambda_arn:${ARN}`, 'endpoint_url:https://h/mcp'])).toEqual([ARN, 'https://h/mcp', 'https://h/mcp/']);
    expect(keysOfExternalId('https://H/mcp/', ALL)).toEqual(['endpoint_url:https://h/mcp', 'webhook_url:https://h/mcp']);
    expect(keysOfExternalId(`${ARN}:3`, ALL)).toEqual([`lambda_arn:${ARN}`]);
    expect(keysOfExternalId(ARN, ['endpoint_url'])).toEqual([]);
  });
});
