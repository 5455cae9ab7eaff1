/**
 * A local Make API written from its reference (developers.make.com, "Scenarios > List scenarios" and "Hooks > List
 * hooks"): `GET /api/v2/scenarios` with `teamId` or `organizationId`, and `GET /api/v2/hooks` with `teamId` (required)
 * and `assigned`, both paged by `pg[limit]` and `pg[offset]` behind `Authorization: Token …`, answering
 * `{ scenarios, pg }` and `{ hooks, pg }`; 401 for another token; 429 with Retry-After (or any status) when told.
 */
import type http from 'node:http';
import { startTestReceiver, type RecordedRequest, type TestReceiver } from '../../../helpers/http-receiver.js';
import type { Disruption } from './n8n.js';

export interface FakeMake {
  receiver: TestReceiver;
  url: string;
  scenarios: Array<Record<string, unknown>>;
  hooks: Array<Record<string, unknown>>;
  listRequests(): RecordedRequest[];
  hookRequests(): RecordedRequest[];
  /** The n-th request from now (1-based) to /api/v2/scenarios is disrupted instead of answered. */
  disrupt(nth: number, disruption: Disruption): void;
  /** The n-th request from now (1-based) to /api/v2/hooks is disrupted instead of answered. */
  disruptHooks(nth: number, disruption: Disruption): void;
  close(): Promise<void>;
}

/** A custom webhook (`gateway-webhook`) as the hooks listing returns it; `scenarioId` null while no scenario uses it. */
export function hook(id: number, scenarioId: number | null, url = `https://hook.eu1.make.com/${id.toString(36).padStart(8, 'x')}qk2v`): Record<string, unknown> {
  return {
    id,
    name: `Webhook ${id}`,
    teamId: 7,
    udid: url.slice(url.lastIndexOf('/') + 1),
    type: 'web',
    packageName: null,
    theme: '#ff0000',
    flags: {},
    editable: false,
    queueCount: 0,
    queueLimit: 10000,
    enabled: true,
    gone: false,
    typeName: 'gateway-webhook',
    data: { headers: false, method: false, stringify: false, teamId: 7 },
    scenarioId,
    url,
  };
}

export function scenario(id: number, packages: string[] = ['gateway', 'google-sheets']): Record<string, unknown> {
  return {
    id,
    name: `Scenario ${id}`,
    teamId: 7,
    hookId: null,
    deviceId: null,
    deviceScope: null,
    concept: false,
    description: '',
    folderId: null,
    isinvalid: false,
    islinked: true,
    islocked: false,
    isPaused: false,
    usedPackages: packages,
    lastEdit: '2026-02-01T10:00:00.000Z',
    scheduling: { type: 'indefinitely', interval: 900 },
    iswaiting: false,
    dlqCount: 0,
    createdByUser: { id: 1, name: 'Ada', email: 'ada@example.com' },
    updatedByUser: { id: 1, name: 'Ada', email: 'ada@example.com' },
    nextExec: '2026-02-01T10:15:00.000Z',
    created: '2026-01-01T10:00:00.000Z',
  };
}

const json = (response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

export async function startFakeMake(options: { token: string; teamId: number; scenarios: Array<Record<string, unknown>>; hooks?: Array<Record<string, unknown>> }): Promise<FakeMake> {
  const receiver = await startTestReceiver();
  const state = { scenarios: options.scenarios, hooks: options.hooks ?? [] };
  const disruptions = { scenarios: new Map<number, Disruption>(), hooks: new Map<number, Disruption>() };
  const counts = { scenarios: 0, hooks: 0 };
  receiver.respond((request, response) => {
    const url = new URL(request.url, 'http://make.local');
    const resource = url.pathname === '/api/v2/scenarios' ? 'scenarios' : url.pathname === '/api/v2/hooks' ? 'hooks' : undefined;
    if (resource === undefined) return json(response, 404, { message: 'Not found' });
    counts[resource] += 1;
    const disruption = disruptions[resource].get(counts[resource]);
    if (disruption === 'hang') return;
    if (disruption) {
      const body = disruption.status === 401 ? { detail: 'Invalid access token.', message: 'Access denied', code: 'SC401' } : { message: 'Too many requests', code: 'SC429' };
      return json(response, disruption.status, body, disruption.headers);
    }
    if (request.headers.authorization !== `Token ${options.token}`) return json(response, 401, { detail: 'Invalid access token.', message: 'Access denied', code: 'SC401' });
    if (Number(url.searchParams.get('teamId')) !== options.teamId) return json(response, 403, { detail: 'Permission denied', message: 'Access denied', code: 'SC403' });
    const limit = Number(url.searchParams.get('pg[limit]') ?? 10000);
    const offset = Number(url.searchParams.get('pg[offset]') ?? 0);
    if (resource === 'scenarios') return json(response, 200, { scenarios: state.scenarios.slice(offset, offset + limit), pg: { sortBy: 'proprietary', sortDir: 'desc', limit, offset } });
    const hooks = url.searchParams.get('assigned') === 'true' ? state.hooks.filter((item) => item.scenarioId !== null) : state.hooks;
    return json(response, 200, { hooks: hooks.slice(offset, offset + limit), pg: { sortBy: 'id', sortDir: 'asc', limit, offset } });
  });
  return {
    receiver,
    url: receiver.url('').replace(/\/$/, ''),
    get scenarios() {
      return state.scenarios;
    },
    set scenarios(value) {
      state.scenarios = value;
    },
    get hooks() {
      return state.hooks;
    },
    set hooks(value) {
      state.hooks = value;
    },
    listRequests: () => receiver.requests.filter((request) => request.url.startsWith('/api/v2/scenarios')),
    hookRequests: () => receiver.requests.filter((request) => request.url.startsWith('/api/v2/hooks')),
    disrupt(nth, disruption) {
      disruptions.scenarios.set(counts.scenarios + nth, disruption);
    },
    disruptHooks(nth, disruption) {
      disruptions.hooks.set(counts.hooks + nth, disruption);
    },
    close: () => receiver.close(),
  };
}
