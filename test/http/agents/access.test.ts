import { expect, it } from 'vitest';
import type { Role } from '../../../src/platform/http/roles.js';
import { describeEachDatabase } from '../../helpers/app.js';
import { createAgent, expectProblem, getAgent, unique, type AgentJson } from './fixtures.js';

interface RouteCase {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: (id: string) => string;
  payload?: Record<string, unknown>;
  /** docs/SECURITY.md: viewer reads, operator writes. */
  access: 'viewer' | 'operator';
}

const ROUTES: RouteCase[] = [
  { method: 'GET', path: () => '/api/v1/agents', access: 'viewer' },
  { method: 'POST', path: () => '/api/v1/agents', payload: { name: 'denied', kind: 'llm_agent' }, access: 'operator' },
  { method: 'GET', path: (id) => `/api/v1/agents/${id}`, access: 'viewer' },
  { method: 'PATCH', path: (id) => `/api/v1/agents/${id}`, payload: { owner: 'denied' }, access: 'operator' },
  { method: 'DELETE', path: (id) => `/api/v1/agents/${id}`, access: 'operator' },
  ...(['suspend', 'resume', 'quarantine', 'approve', 'retire'] as const).map(
    (action): RouteCase => ({ method: 'POST', path: (id) => `/api/v1/agents/${id}/${action}`, payload: { reason: 'denied' }, access: 'operator' }),
  ),
  { method: 'GET', path: (id) => `/api/v1/agents/${id}/history`, access: 'viewer' },
];

/** Roles that may call a route of each access level (docs/SECURITY.md permission matrix). */
const ALLOWED: Record<RouteCase['access'], Role[]> = { viewer: ['viewer', 'operator', 'admin'], operator: ['operator', 'admin'] };
const ALL_ROLES: Role[] = ['viewer', 'operator', 'admin', 'ingest'];

const label = (route: RouteCase) => `${route.method} ${route.path('{id}')}`;

describeEachDatabase('agent routes: authentication and roles', (ctx) => {
  it.each(ROUTES.map((route) => [label(route), route] as const))('%s answers 401 without a key and changes nothing', async (_label, route) => {
    const agent = await createAgent(ctx(), { name: unique('guarded'), kind: 'llm_agent', status: 'quarantined' });
    const url = route.path(agent.id);
    const response = await ctx().app.inject({ method: route.method, url, ...(route.payload ? { payload: route.payload } : {}) });
    expectProblem(response, 401, 'unauthorized', url.split('?')[0]!);
    expect((await getAgent(ctx(), agent.id)).json()).toEqual(agent);
  });

  it.each(ROUTES.map((route) => [label(route), route] as const))('%s answers 401 for an unknown key', async (_label, route) => {
    const agent = await createAgent(ctx(), { name: unique('guarded'), kind: 'llm_agent' });
    const url = route.path(agent.id);
    const response = await ctx().app.inject({
      method: route.method,
      url,
      headers: { 'x-api-key': `${ctx().keys.operator}x` },
      ...(route.payload ? { payload: route.payload } : {}),
    });
    expectProblem(response, 401, 'unauthorized', url);
    expect((await getAgent(ctx(), agent.id)).json()).toEqual(agent);
  });

  it.each(ROUTES.map((route) => [label(route), route] as const))('%s answers 403 to roles below its access level', async (_label, route) => {
    const agent = await createAgent(ctx(), { name: unique('guarded'), kind: 'llm_agent' });
    const url = route.path(agent.id);
    for (const role of ALL_ROLES.filter((candidate) => !ALLOWED[route.access].includes(candidate))) {
      const response = await ctx().app.inject({ method: route.method, url, headers: ctx().as(role), ...(route.payload ? { payload: route.payload } : {}) });
      expectProblem(response, 403, 'forbidden', url);
    }
    expect((await getAgent(ctx(), agent.id)).json()).toEqual(agent);
  });

  it('lets every allowed role read and write', async () => {
    for (const role of ALLOWED.operator) {
      const created = await ctx().app.inject({
        method: 'POST',
        url: '/api/v1/agents',
        headers: ctx().as(role),
        payload: { name: unique(`by-${role}`), kind: 'llm_agent' },
      });
      expect(created.statusCode, created.body).toBe(201);
      const agent = created.json() as AgentJson;
      const suspended = await ctx().app.inject({ method: 'POST', url: `/api/v1/agents/${agent.id}/suspend`, headers: ctx().as(role), payload: { reason: 'r' } });
      expect(suspended.statusCode).toBe(200);
    }
    const agent = await createAgent(ctx(), { name: unique('readable'), kind: 'llm_agent' });
    for (const role of ALLOWED.viewer) {
      for (const url of [`/api/v1/agents/${agent.id}`, `/api/v1/agents/${agent.id}/history`, '/api/v1/agents?limit=1']) {
        expect((await ctx().app.inject({ method: 'GET', url, headers: ctx().as(role) })).statusCode).toBe(200);
      }
    }
  });
});
