/**
 * A local n8n written from its public API documentation (https://docs.n8n.io/api/ — authentication, pagination, the
 * workflow object): `GET /api/v1/workflows` behind `X-N8N-API-KEY`, `limit` (default 100, capped at 250) and an opaque
 * `cursor`, answering `{ data, nextCursor }` with `nextCursor: null` on the last page, and 401 `{ message }` for a
 * missing or wrong key. Tests script disruptions (429 with Retry-After, a request that never answers) by request number.
 */
import type http from 'node:http';
import { startTestReceiver, type RecordedRequest, type TestReceiver } from '../../../helpers/http-receiver.js';

export type Disruption = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

export interface FakeN8n {
  receiver: TestReceiver;
  url: string;
  workflows: Array<Record<string, unknown>>;
  /** Requests to /api/v1/workflows so far, in order. */
  listRequests(): RecordedRequest[];
  /** The n-th request from now (1-based) to /api/v1/workflows is disrupted instead of answered. */
  disrupt(nth: number, disruption: Disruption): void;
  close(): Promise<void>;
}

export function workflow(id: string, options: { ai?: boolean; name?: string; prompt?: string; tools?: Array<{ name: string; description: string }> } = {}): Record<string, unknown> {
  const nodes: Array<Record<string, unknown>> = [{ id: `${id}-t`, name: 'Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }];
  if (options.ai) {
    nodes.push(
      { id: `${id}-a`, name: 'AI Agent', type: '@n8n/n8n-nodes-langchain.agent', typeVersion: 1.7, position: [200, 0], parameters: { options: { systemMessage: options.prompt ?? 'You help.' } } },
      { id: `${id}-m`, name: 'Model', type: '@n8n/n8n-nodes-langchain.lmChatOpenAi', typeVersion: 1.2, position: [200, 200], parameters: { model: { __rl: true, value: 'gpt-4o-mini', mode: 'list' } } },
      ...(options.tools ?? []).map((tool, index) => ({
        id: `${id}-tool${index}`,
        name: tool.name,
        type: '@n8n/n8n-nodes-langchain.toolCode',
        typeVersion: 1.1,
        position: [400, 200],
        parameters: { toolDescription: tool.description, jsCode: 'return 1;' },
      })),
    );
  } else {
    nodes.push({ id: `${id}-h`, name: 'HTTP Request', type: 'n8n-nodes-base.httpRequest', typeVersion: 4.2, position: [200, 0], parameters: { url: 'https://crm.example.com/sync' } });
  }
  return {
    id,
    name: options.name ?? `workflow ${id}`,
    active: true,
    isArchived: false,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-02T00:00:00.000Z',
    versionId: `${id}-v1`,
    nodes,
    connections: {},
    settings: { executionOrder: 'v1' },
    staticData: null,
    tags: [{ id: 'tag1', name: 'prod', createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' }],
  };
}

const json = (response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));

export async function startFakeN8n(options: { apiKey: string; workflows: Array<Record<string, unknown>> }): Promise<FakeN8n> {
  const receiver = await startTestReceiver();
  const fake = { workflows: options.workflows };
  const disruptions = new Map<number, Disruption>();
  let listed = 0;
  const hanging: http.ServerResponse[] = [];
  receiver.respond((request, response) => {
    const url = new URL(request.url, 'http://n8n.local');
    if (url.pathname !== '/api/v1/workflows' || request.method !== 'GET') return json(response, 404, { message: 'not found' });
    listed += 1;
    const disruption = disruptions.get(listed);
    if (disruption === 'hang') return void hanging.push(response);
    if (disruption) return response.writeHead(disruption.status, { 'content-type': 'application/json', ...disruption.headers }).end(disruption.body ?? '{"message":"Too many requests"}');
    const key = request.headers['x-n8n-api-key'];
    if (key === undefined) return json(response, 401, { message: "'X-N8N-API-KEY' header required" });
    if (key !== options.apiKey) return json(response, 401, { message: 'unauthorized' });
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 100) || 100, 250);
    const cursor = url.searchParams.get('cursor');
    const offset = cursor ? (JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as { offset: number }).offset : 0;
    const data = fake.workflows.slice(offset, offset + limit);
    const next = offset + limit < fake.workflows.length ? Buffer.from(JSON.stringify({ offset: offset + limit, limit })).toString('base64') : null;
    return json(response, 200, { data, nextCursor: next });
  });
  return {
    receiver,
    url: receiver.url('').replace(/\/$/, ''),
    get workflows() {
      return fake.workflows;
    },
    set workflows(value) {
      fake.workflows = value;
    },
    listRequests: () => receiver.requests.filter((request) => request.url.startsWith('/api/v1/workflows')),
    disrupt(nth, disruption) {
      disruptions.set(listed + nth, disruption);
    },
    async close() {
      for (const response of hanging) response.destroy();
      await receiver.close();
    },
  };
}
