import { describe, expect, it } from 'vitest';
import { workflowAgent } from './n8n.js';

/** Workflows shaped like the n8n public API returns them (GET /api/v1/workflows: whole workflows, nodes included). */
const aiWorkflow = {
  id: 'Wf1aI',
  name: 'Support triage agent',
  active: true,
  versionId: '7c1e',
  createdAt: '2026-01-10T09:00:00.000Z',
  updatedAt: '2026-02-01T12:00:00.000Z',
  tags: [{ id: 't1', name: 'Support Team' }, { id: 't2', name: 'prod' }],
  nodes: [
    { id: 'n1', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], parameters: { path: 'triage', httpMethod: 'POST' } },
    {
      id: 'n2',
      name: 'AI Agent',
      type: '@n8n/n8n-nodes-langchain.agent',
      typeVersion: 1.7,
      position: [200, 0],
      parameters: { text: '={{ $json.body }}', options: { systemMessage: 'You triage support tickets.' } },
    },
    { id: 'n3', name: 'OpenAI Chat Model', type: '@n8n/n8n-nodes-langchain.lmChatOpenAi', typeVersion: 1.2, position: [200, 200], parameters: { model: { __rl: true, value: 'gpt-4o-mini', mode: 'list' } } },
    { id: 'n4', name: 'lookup_customer', type: '@n8n/n8n-nodes-langchain.toolHttpRequest', typeVersion: 1.1, position: [400, 200], parameters: { toolDescription: 'Look up a customer by email', url: 'https://crm.example.com/api' } },
    { id: 'n5', name: 'send_email', type: 'n8n-nodes-base.gmailTool', typeVersion: 2.1, position: [600, 200], parameters: { descriptionType: 'manual', toolDescription: 'Send an email' } },
  ],
  connections: { Webhook: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] } },
};

const plainWorkflow = {
  id: 42,
  name: 'Nightly CRM sync',
  active: false,
  nodes: [
    { id: 'a', name: 'Schedule', type: 'n8n-nodes-base.scheduleTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
    { id: 'b', name: 'HTTP', type: 'n8n-nodes-base.httpRequest', typeVersion: 4, position: [100, 0], parameters: { url: 'https://crm.example.com' } },
  ],
  connections: {},
  tags: [],
};

describe('n8n workflows as agents', () => {
  it('registers a workflow with AI nodes as an llm_agent with its model, system prompt and tool nodes', () => {
    const agent = workflowAgent(aiWorkflow, 'https://n8n.example.com')!;
    expect(agent).toMatchObject({
      external_id: 'Wf1aI',
      agent_external_id: 'https://n8n.example.com/workflow/Wf1aI',
      name: 'Support triage agent',
      kind: 'llm_agent',
      vendor: 'n8n',
      model: 'gpt-4o-mini',
      version: '7c1e',
      prompt: 'You triage support tickets.',
      tags: ['Support-Team', 'prod'],
      details: { active: true, webhook_paths: ['triage'], updated_at: '2026-02-01T12:00:00.000Z' },
    });
    expect(agent.tools).toEqual([
      { name: 'lookup_customer', description: 'Look up a customer by email', input_schema_hash: null },
      { name: 'send_email', description: 'Send an email', input_schema_hash: null },
    ]);
  });

  it('registers any other workflow as an automation, without model, prompt or tools', () => {
    expect(workflowAgent(plainWorkflow, 'https://n8n.example.com')).toMatchObject({ external_id: '42', kind: 'workflow', model: null, prompt: null, tools: [] });
  });

  it('does not count moving a node or switching the workflow off as a new definition', () => {
    const moved = { ...aiWorkflow, active: false, nodes: aiWorkflow.nodes.map((node) => ({ ...node, position: [9, 9] })) };
    expect(workflowAgent(moved, 'https://n8n.example.com')!.config).toEqual(workflowAgent(aiWorkflow, 'https://n8n.example.com')!.config);
    const edited = { ...aiWorkflow, nodes: aiWorkflow.nodes.map((node) => (node.name === 'lookup_customer' ? { ...node, parameters: { ...node.parameters, url: 'https://evil.example.com' } } : node)) };
    expect(workflowAgent(edited, 'https://n8n.example.com')!.config).not.toEqual(workflowAgent(aiWorkflow, 'https://n8n.example.com')!.config);
  });

  it('skips an item without an id', () => {
    expect(workflowAgent({ name: 'no id' }, 'https://n8n.example.com')).toBeUndefined();
  });
});
