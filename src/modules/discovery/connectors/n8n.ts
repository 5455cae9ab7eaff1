/**
 * n8n through its public REST API (https://docs.n8n.io/api/): `GET /api/v1/workflows` with the `X-N8N-API-KEY`
 * header, 250 workflows a page (the API's maximum), following `nextCursor` until it is absent. Each workflow comes
 * whole, nodes included. A workflow with an AI node (n8n's LangChain nodes, or the OpenAI node) is an agent
 * (`llm_agent`), any other an automation (`workflow`); both are registered.
 */
import { Type } from '@sinclair/typebox';
import type { AgentTool } from '../../agents/index.js';
import { baseUrl, getJson, httpUrl, isRecord, listPages, stringOr, urlErrors } from './http-json.js';
import { clip, hashOf, nameOf, tagsOf } from './shape.js';
import { ConnectorFailure, type Connector, type DiscoveredAgent } from './types.js';

const ConfigSchema = Type.Object(
  {
    url: httpUrl('base URL of the n8n instance, e.g. https://n8n.example.com (the API is under /api/v1)'),
    page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 250, description: 'workflows per page (default 250, the API maximum)' })),
  },
  { additionalProperties: false },
);

const CredentialsSchema = Type.Object(
  { api_key: Type.String({ minLength: 1, maxLength: 2000, description: 'an n8n API key (Settings → n8n API)' }) },
  { additionalProperties: false },
);

interface Config {
  url: string;
  page_size?: number;
}
interface Credentials {
  api_key: string;
}

const LANGCHAIN = '@n8n/n8n-nodes-langchain.';
const AI_NODES = new Set(['n8n-nodes-base.openAi']);

interface N8nNode {
  name: string;
  type: string;
  typeVersion: unknown;
  parameters: Record<string, unknown>;
}

function nodesOf(workflow: Record<string, unknown>): N8nNode[] {
  const nodes = Array.isArray(workflow.nodes) ? workflow.nodes : [];
  return nodes.filter(isRecord).map((node) => ({
    name: typeof node.name === 'string' ? node.name : '',
    type: typeof node.type === 'string' ? node.type : '',
    typeVersion: node.typeVersion ?? null,
    parameters: isRecord(node.parameters) ? node.parameters : {},
  }));
}

export const isAiNode = (node: Pick<N8nNode, 'type'>): boolean => node.type.startsWith(LANGCHAIN) || AI_NODES.has(node.type);

/** A node an AI agent calls as a tool: LangChain tool nodes (toolCode, toolHttpRequest, mcpClientTool …) and app nodes used as tools (gmailTool …). */
const isToolNode = (node: Pick<N8nNode, 'type'>): boolean => /\.tool[A-Z]/.test(node.type) || /Tool$/.test(node.type);

/** A model parameter is a string or a resource locator ({ __rl, value, mode }). */
function modelOf(nodes: N8nNode[]): string | null {
  for (const node of nodes) {
    if (!isAiNode(node)) continue;
    const model = node.parameters.model ?? node.parameters.modelId;
    const name = isRecord(model) ? stringOr(model.value) : stringOr(model);
    if (name) return clip(name, 200);
  }
  return null;
}

function promptOf(nodes: N8nNode[]): string | null {
  for (const node of nodes) {
    if (!node.type.startsWith(LANGCHAIN)) continue;
    const options = isRecord(node.parameters.options) ? node.parameters.options : {};
    const prompt = stringOr(options.systemMessage) ?? stringOr(node.parameters.systemMessage);
    if (prompt) return clip(prompt, 200_000);
  }
  return null;
}

function toolsOf(nodes: N8nNode[]): AgentTool[] {
  const tools = new Map<string, AgentTool>();
  for (const node of nodes) {
    if (!isToolNode(node) || node.name === '' || tools.has(node.name)) continue;
    const schema = node.parameters.inputSchema ?? node.parameters.jsonSchemaExample;
    tools.set(node.name, {
      name: clip(node.name, 200),
      description: stringOr(node.parameters.toolDescription) ?? stringOr(node.parameters.description),
      input_schema_hash: schema === undefined ? null : hashOf(schema),
    });
  }
  return [...tools.values()];
}

const WEBHOOK_NODE = 'n8n-nodes-base.webhook';
const MCP_TRIGGER_NODE = '@n8n/n8n-nodes-langchain.mcpTrigger';

const pathsOf = (nodes: N8nNode[], type: string): string[] =>
  nodes.filter((node) => node.type === type).map((node) => stringOr(node.parameters.path)).filter((path) => path !== null);

/** A workflow as the registry sees it. Exported for unit tests. */
export function workflowAgent(workflow: Record<string, unknown>, instance: string): DiscoveredAgent | undefined {
  const id = typeof workflow.id === 'string' || typeof workflow.id === 'number' ? String(workflow.id) : undefined;
  if (id === undefined) return undefined;
  const nodes = nodesOf(workflow);
  const ai = nodes.some(isAiNode);
  // What the workflow does: each node's type, version and parameters, and how they connect. Positions, ids and
  // the active flag are not part of it (moving a node or switching the workflow off is not a new definition).
  const config = {
    nodes: nodes
      .map((node) => ({ name: node.name, type: node.type, type_version: node.typeVersion, parameters_hash: hashOf(node.parameters) }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    connections_hash: hashOf(workflow.connections ?? {}),
  };
  const tags = Array.isArray(workflow.tags) ? workflow.tags.filter(isRecord).map((tag) => String(tag.name ?? '')) : [];
  return {
    external_id: id,
    agent_external_id: `${instance}/workflow/${id}`,
    name: nameOf(workflow.name, `n8n workflow ${id}`),
    kind: ai ? 'llm_agent' : 'workflow',
    vendor: 'n8n',
    model: ai ? modelOf(nodes) : null,
    version: stringOr(workflow.versionId),
    description: null,
    prompt: ai ? promptOf(nodes) : null,
    config,
    tools: ai ? toolsOf(nodes) : [],
    owner: null,
    tags: tagsOf(tags),
    details: {
      active: workflow.active === true,
      node_types: [...new Set(nodes.map((node) => node.type))].sort(),
      webhook_paths: pathsOf(nodes, WEBHOOK_NODE),
      // An MCP Server Trigger serves the workflow as an MCP server at <instance>/mcp/<path>: the endpoint an MCP
      // source may list too (docs/discovery.md "Merging"). Only when there is one, so other workflows read as before.
      ...(nodes.some((node) => node.type === MCP_TRIGGER_NODE) ? { mcp_trigger_paths: pathsOf(nodes, MCP_TRIGGER_NODE) } : {}),
      updated_at: stringOr(workflow.updatedAt),
    },
  };
}

export const n8nConnector: Connector<Config, Credentials> = {
  kind: 'n8n',
  configSchema: ConfigSchema,
  credentialsSchema: CredentialsSchema,

  validate: (config, _credentials, context) => urlErrors(context, config.url, '/body/config/url'),

  async discover(context) {
    if (!context.credentials) throw new ConnectorFailure('no_credentials', 'an n8n source needs credentials: {"api_key": "…"}');
    const instance = baseUrl(context.config.url);
    const limit = context.config.page_size ?? 250;
    const headers = { 'x-n8n-api-key': context.credentials.api_key };
    const listing = await listPages<Record<string, unknown>, string>(context, async (cursor) => {
      const url = new URL(`${instance}/api/v1/workflows`);
      url.searchParams.set('limit', String(limit));
      if (cursor !== undefined) url.searchParams.set('cursor', cursor);
      const page = await getJson(context, 'n8n', url.toString(), headers);
      if (!isRecord(page) || !Array.isArray(page.data)) throw new ConnectorFailure('malformed_response', 'n8n answered without a data array');
      const next = stringOr(page.nextCursor);
      return { items: page.data.filter(isRecord), next: next ?? undefined };
    });
    const agents: DiscoveredAgent[] = [];
    const errors = [...listing.errors];
    for (const workflow of listing.items) {
      const agent = workflowAgent(workflow, instance);
      if (agent) agents.push(agent);
      else errors.push({ code: 'malformed_item', message: 'a workflow without an id was skipped' });
    }
    return { agents, errors, complete: listing.complete && errors.length === listing.errors.length };
  },
};
