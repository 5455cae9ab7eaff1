/**
 * A local Make API written from its reference (developers.make.com, "Scenarios > List scenarios"):
 * `GET /api/v2/scenarios` with `teamId` or `organizationId`, `pg[limit]` and `pg[offset]`, `Authorization: Token …`,
 * answering `{ scenarios, pg }`; 401 for another token; 429 with Retry-After when told.
 */
import type http from 'node:http';
import { startTestReceiver, type RecordedRequest, type TestReceiver } from '../../../helpers/http-receiver.js';
import type { Disruption } from './n8n.js';

export interface FakeMake {
  receiver: TestReceiver;
  url: string;
  scenarios: Array<Record<string, unknown>>;
  listRequests(): RecordedRequest[];
  disrupt(nth: number, disruption: Disruption): void;
  close(): Promise<void>;
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

export async function startFakeMake(options: { token: string; teamId: number; scenarios: Array<Record<string, unknown>> }): Promise<FakeMake> {
  const receiver = await startTestReceiver();
  const state = { scenarios: options.scenarios };
  const disruptions = new Map<number, Disruption>();
  let listed = 0;
  receiver.respond((request, response) => {
    const url = new URL(request.url, 'http://make.local');
    if (url.pathname !== '/api/v2/scenarios') return json(response, 404, { message: 'Not found' });
    listed += 1;
    const disruption = disruptions.get(listed);
    if (disruption === 'hang') return;
    if (disruption) return json(response, disruption.status, { message: 'Too many requests', code: 'SC429' }, disruption.headers);
    if (request.headers.authorization !== `Token ${options.token}`) return json(response, 401, { detail: 'Invalid access token.', message: 'Access denied', code: 'SC401' });
    if (Number(url.searchParams.get('teamId')) !== options.teamId) return json(response, 403, { detail: 'Permission denied', message: 'Access denied', code: 'SC403' });
    const limit = Number(url.searchParams.get('pg[limit]') ?? 10000);
    const offset = Number(url.searchParams.get('pg[offset]') ?? 0);
    return json(response, 200, { scenarios: state.scenarios.slice(offset, offset + limit), pg: { sortBy: 'proprietary', sortDir: 'desc', limit, offset } });
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
    listRequests: () => receiver.requests.filter((request) => request.url.startsWith('/api/v2/scenarios')),
    disrupt(nth, disruption) {
      disruptions.set(listed + nth, disruption);
    },
    close: () => receiver.close(),
  };
}
