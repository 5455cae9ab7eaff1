import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { PERMISSIONS } from '../../src/platform/auth/permissions.js';
import { ROLES, type Role, type RouteAccess } from '../../src/platform/http/roles.js';
import { describeEachDatabase, type TestApp } from '../helpers/app.js';

/**
 * Every route of the real app, taken from what it publishes (/openapi.json) and from what it actually registered
 * (the router), is called without a key, with each role's key and with a bad key; the answers must follow the
 * permission matrix (src/platform/auth/permissions.ts, docs/SECURITY.md) for the route's `x-orca-role`.
 */

/** docs/ARCHITECTURE.md "HTTP API conventions": public (no key, not rate limited), with the /liveness and /readiness aliases. */
const DOCUMENTED_PUBLIC_PATHS = ['/', '/console', '/docs', '/health', '/liveness', '/livez', '/metrics', '/openapi.json', '/readiness', '/readyz'];

/** The web console's page and files, and `/` that redirects there (docs/console.md): public, hidden from the document. */
const isConsolePath = (path: string) => path === '/' || path === '/console' || path.startsWith('/console/');

/**
 * docs/SECURITY.md's table for the routes that exist in this build (a route listed here must exist, with this role).
 * Routes added later are still checked against the matrix for whatever role they declare.
 */
const DOCUMENTED_ROLES: Record<string, RouteAccess> = {
  'GET /status': 'viewer',
  'GET /api/v1/agents': 'viewer',
  'POST /api/v1/agents': 'operator',
  'GET /api/v1/agents/{id}': 'viewer',
  'PATCH /api/v1/agents/{id}': 'operator',
  'DELETE /api/v1/agents/{id}': 'operator',
  'POST /api/v1/agents/{id}/suspend': 'operator',
  'POST /api/v1/agents/{id}/resume': 'operator',
  'POST /api/v1/agents/{id}/quarantine': 'operator',
  'POST /api/v1/agents/{id}/approve': 'operator',
  'POST /api/v1/agents/{id}/retire': 'operator',
  'GET /api/v1/agents/{id}/history': 'viewer',
  'GET /api/v1/keys': 'admin',
  'POST /api/v1/keys': 'admin',
  'GET /api/v1/keys/{id}': 'admin',
  'DELETE /api/v1/keys/{id}': 'admin',
  'GET /api/v1/audit': 'admin',
  'GET /api/v1/audit/verify': 'admin',
  'GET /api/v1/sync/contracts': 'viewer',
  'PUT /api/v1/sync/contracts': 'operator',
  'GET /api/v1/sync/freshness': 'viewer',
  'GET /api/v1/sync/gaps': 'viewer',
  'POST /api/v1/sync/gaps/{id}/resolve': 'operator',
  'GET /api/v1/sync/gaps/{id}': 'viewer',
  'GET /api/v1/policies': 'viewer',
  'PUT /api/v1/policies': 'operator',
  'GET /api/v1/policies/versions': 'viewer',
  'POST /api/v1/policy/evaluate': 'ingest',
  'POST /api/v1/policy/simulate': 'operator',
  'GET /api/v1/violations': 'viewer',
  'GET /api/v1/sources': 'admin',
  'POST /api/v1/sources': 'admin',
  'GET /api/v1/sources/{id}': 'admin',
  'PATCH /api/v1/sources/{id}': 'admin',
  'DELETE /api/v1/sources/{id}': 'admin',
  'POST /api/v1/sources/{id}/rotate-secret': 'admin',
  'GET /api/v1/receivers': 'admin',
  'POST /api/v1/receivers': 'admin',
  'GET /api/v1/receivers/{id}': 'admin',
  'PATCH /api/v1/receivers/{id}': 'admin',
  'DELETE /api/v1/receivers/{id}': 'admin',
  'POST /api/v1/receivers/{id}/test': 'admin',
  'GET /api/v1/deliveries': 'operator',
  'POST /api/v1/deliveries/{id}/retry': 'operator',
  // The ingestion area is `ingest`; native webhooks cannot carry an ORCA key, so the sender's signature authenticates.
  'POST /api/v1/ingest/{sourceId}': 'signed',
  'POST /api/v1/events': 'ingest',
  'GET /api/v1/events': 'viewer',
  'POST /api/v1/runs': 'ingest',
  'GET /api/v1/agents/{id}/trust': 'viewer',
  'GET /api/v1/kpis': 'viewer',
  'GET /api/v1/kpis/history': 'viewer',
  'GET /api/v1/incidents': 'viewer',
  'POST /api/v1/incidents': 'operator',
  'GET /api/v1/incidents/{id}': 'viewer',
  'POST /api/v1/incidents/{id}/resolve': 'operator',
  'GET /api/v1/reports/executive': 'viewer',
  'GET /api/v1/reports/drift': 'viewer',
  'GET /api/v1/report-schedules': 'viewer',
  'POST /api/v1/report-schedules': 'operator',
  'GET /api/v1/report-schedules/{id}': 'viewer',
  'DELETE /api/v1/report-schedules/{id}': 'operator',
  'GET /api/v1/report-schedules/{id}/runs': 'viewer',
  'GET /api/v1/evidence': 'admin',
  'GET /api/v1/alert-rules': 'viewer',
  'PUT /api/v1/alert-rules': 'operator',
  'GET /api/v1/alerts': 'viewer',
  'GET /api/v1/silences': 'viewer',
  'POST /api/v1/silences': 'operator',
  'DELETE /api/v1/silences/{id}': 'operator',
  'POST /api/v1/kill-switch/preview': 'operator',
  'POST /api/v1/kill-switch': 'admin',
  'GET /api/v1/kill-switch': 'viewer',
  'GET /api/v1/kill-switch/{id}': 'viewer',
  'POST /api/v1/kill-switch/{id}/release': 'admin',
  // A console sign-in carries its key in the body, checked by the route (docs/console.md).
  'POST /api/v1/session': 'signed',
  'GET /api/v1/session': 'viewer',
  'DELETE /api/v1/session': 'viewer',
  'GET /api/v1/approvals': 'viewer',
  // Viewers read any approval; an ingest key only those it asked for (the route answers 404 for the others).
  'GET /api/v1/approvals/{id}': 'viewer_or_requester',
  'POST /api/v1/approvals/{id}/approve': 'operator',
  'POST /api/v1/approvals/{id}/deny': 'operator',
  // Slack cannot send an ORCA key: its request signature authenticates.
  'POST /api/v1/integrations/slack/interactions': 'signed',
};

/**
 * Routes left out of the OpenAPI document because another protocol is their contract (the MCP endpoint,
 * docs/mcp.md), with the access each declares; they must exist, and meet the edge like documented routes.
 */
const PROTOCOL_ROUTES: Record<string, RouteAccess> = {
  'POST /mcp': 'authenticated',
  'GET /mcp': 'authenticated',
  'DELETE /mcp': 'authenticated',
};

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const PROBLEM_JSON = 'application/problem+json; charset=utf-8';

interface Operation {
  method: string;
  /** OpenAPI form, e.g. /api/v1/agents/{id}. */
  path: string;
  role: string | undefined;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { 'x-orca-role'?: string; security?: unknown[] }>>;
}

/**
 * Every (method, path) the router holds, from `printRoutes()`'s tree: the OpenAPI document omits hidden routes
 * (the /docs UI, /openapi.json itself), and a hidden route must not escape this suite. HEAD routes mirror GET
 * routes (same config) and OPTIONS is CORS preflight, so both are left out.
 */
function registeredRoutes(app: FastifyInstance): Array<{ method: string; path: string }> {
  const routes: Array<{ method: string; path: string }> = [];
  const stack: string[] = [];
  // The compact tree (common prefixes factored out) is exact; the `commonPrefix: false` rendering drops the
  // `static/` segment of the /docs assets wildcard.
  for (const line of app.printRoutes().split('\n')) {
    const match = /^((?:[│ ] {3})*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    const segment = match[2] === '(empty root node)' ? '' : match[2]!;
    const path = (stack[depth - 1] ?? '') + segment;
    stack[depth] = path;
    for (const method of match[3]?.split(', ') ?? []) {
      if (method !== 'HEAD' && method !== 'OPTIONS') routes.push({ method, path: path.replace(/:(\w+)/g, '{$1}') });
    }
  }
  return routes;
}

function concreteUrl(path: string): string {
  return path.replace(/\{\w+\}/g, () => randomUUID()).replace(/\*$/, 'index.css');
}

/** Calls a route with a random uuid for every path parameter and a minimal JSON body `{}` for writes. */
async function call(t: TestApp, method: string, path: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse & { url: string }> {
  const url = concreteUrl(path);
  const withBody = ['POST', 'PUT', 'PATCH'].includes(method);
  const response = await t.app.inject({ method: method as 'GET', url, headers, ...(withBody ? { payload: {} } : {}) });
  return Object.assign(response, { url });
}

const label = (operation: { method: string; path: string }) => `${operation.method} ${operation.path}`;

describeEachDatabase('route access matrix', (ctx) => {
  let operations: Operation[] = [];
  let hidden: Array<{ method: string; path: string }> = [];

  beforeAll(async () => {
    const response = await ctx().app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json() as OpenApiDocument;
    operations = Object.entries(document.paths).flatMap(([path, item]) =>
      HTTP_METHODS.filter((method) => item[method] !== undefined).map((method) => ({
        method: method.toUpperCase(),
        path,
        role: item[method]!['x-orca-role'],
      })),
    );
    const documented = new Set(operations.map(label));
    hidden = registeredRoutes(ctx().app).filter((route) => !documented.has(label(route)) && !(label(route) in PROTOCOL_ROUTES));
  });

  it('serves the protocol routes with their access: 401 without a key or with a bad one, any valid key passes the edge', async () => {
    const registered = registeredRoutes(ctx().app).map(label);
    for (const [route, access] of Object.entries(PROTOCOL_ROUTES)) {
      expect(registered).toContain(route);
      const [method, path] = route.split(' ') as [string, string];
      const noKey: Record<string, string> = {};
      for (const headers of [noKey, { 'x-api-key': 'orca_000000000000_not-a-key' }]) {
        const response = await call(ctx(), method, path, headers);
        expect({ route, status: response.statusCode }).toEqual({ route, status: 401 });
        expect(response.headers['www-authenticate']).toBe('Bearer realm="orca"');
      }
      for (const role of PERMISSIONS[access as keyof typeof PERMISSIONS]) {
        const response = await call(ctx(), method, path, ctx().as(role));
        expect({ route, role, refused: [401, 403].includes(response.statusCode) || response.statusCode >= 500 }).toEqual({ route, role, refused: false });
        expect(response.headers['ratelimit-policy']).toMatch(new RegExp(`^"${role}";q=\\d+;w=\\d+$`));
      }
    }
  });

  it('publishes operations, and every operation declares an x-orca-role from the closed set', () => {
    expect(operations.length).toBeGreaterThanOrEqual(Object.keys(DOCUMENTED_ROLES).length);
    const undeclared = operations.filter((operation) => !['public', 'signed', 'viewer_or_requester', ...ROLES].includes(operation.role as Role)).map(label);
    expect(undeclared).toEqual([]);
  });

  it('documents every registered route except the API reference itself (/openapi.json and the /docs UI)', () => {
    const documented = new Set(operations.map(label));
    for (const operation of operations) expect(registeredRoutes(ctx().app).map(label)).toContain(label(operation));
    expect(documented.size).toBe(operations.length);
    expect(hidden.length).toBeGreaterThan(0);
    const unexpected = hidden.filter(
      (route) => !(route.path === '/openapi.json' || route.path === '/docs' || route.path.startsWith('/docs/') || isConsolePath(route.path)),
    );
    expect(unexpected.map(label)).toEqual([]);
  });

  it('gives each route the role docs/SECURITY.md assigns', () => {
    const declared = Object.fromEntries(operations.map((operation) => [label(operation), operation.role]));
    for (const [route, role] of Object.entries(DOCUMENTED_ROLES)) expect({ route, role: declared[route] }).toEqual({ route, role });
  });

  it('has exactly the documented public paths', () => {
    const publicPaths = new Set([
      ...operations.filter((operation) => operation.role === 'public').map((operation) => operation.path),
      ...hidden.map((route) => (route.path.startsWith('/docs/') ? '/docs' : route.path.startsWith('/console/') ? '/console' : route.path)),
    ]);
    expect([...publicPaths].sort()).toEqual(DOCUMENTED_PUBLIC_PATHS);
    // Public operations are GET only, and declare no security requirement in the document.
    expect(operations.filter((operation) => operation.role === 'public' && operation.method !== 'GET').map(label)).toEqual([]);
  });

  it('answers public routes without a key (or with a bad one), without RateLimit headers', async () => {
    const publicRoutes = [...operations.filter((operation) => operation.role === 'public'), ...hidden];
    expect(publicRoutes.length).toBeGreaterThanOrEqual(DOCUMENTED_PUBLIC_PATHS.length);
    const failures: string[] = [];
    for (const route of publicRoutes) {
      for (const headers of [{}, { 'x-api-key': 'orca_000000000000_not-a-key' }, ctx().as('viewer')]) {
        const response = await call(ctx(), route.method, route.path, headers);
        // The console's files exist only once `npm run build` made them, and a random asset name is a 404 anyway: what
        // matters here is that no key is asked for.
        const missingConsoleFile = isConsolePath(route.path) && response.statusCode === 404;
        const problems = [
          response.statusCode >= 400 && !missingConsoleFile ? `status ${response.statusCode}` : '',
          response.headers.ratelimit !== undefined ? 'RateLimit header' : '',
          response.headers['ratelimit-policy'] !== undefined ? 'RateLimit-Policy header' : '',
          response.headers['www-authenticate'] !== undefined ? 'WWW-Authenticate header' : '',
        ].filter(Boolean);
        if (problems.length > 0) failures.push(`${label(route)} with ${Object.keys(headers).join(',') || 'no key'}: ${problems.join(', ')}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers 401 problem+json with WWW-Authenticate to every protected operation called without a key', async () => {
    const protectedOperations = operations.filter((operation) => operation.role !== 'public' && operation.role !== 'signed');
    expect(protectedOperations.length).toBeGreaterThanOrEqual(Object.values(DOCUMENTED_ROLES).filter((role) => role !== 'signed').length);
    for (const operation of protectedOperations) {
      const response = await call(ctx(), operation.method, operation.path);
      const url = response.url;
      expect({ route: label(operation), status: response.statusCode }).toEqual({ route: label(operation), status: 401 });
      expect(response.headers['content-type']).toBe(PROBLEM_JSON);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="orca"');
      // Anonymous callers are rate limited per IP, even when they fail.
      expect(response.headers['ratelimit-policy']).toMatch(/^"anonymous";q=\d+;w=\d+$/);
      expect(response.json()).toEqual({
        type: 'urn:orca:problem:unauthorized',
        title: 'Unauthorized',
        status: 401,
        detail: 'an API key is required (X-API-Key or Authorization: Bearer)',
        instance: url,
        correlation_id: response.headers['x-correlation-id'],
      });
    }
  });

  it('answers 401 to every protected or signed operation called with an unknown, malformed or conflicting key', async () => {
    const protectedOperations = operations.filter((operation) => operation.role !== 'public');
    const bad: Array<Record<string, string>> = [
      { 'x-api-key': `${ctx().keys.admin.slice(0, -1)}${ctx().keys.admin.endsWith('A') ? 'B' : 'A'}` },
      { authorization: `Basic ${ctx().keys.admin}` },
      { 'x-api-key': ctx().keys.admin, authorization: `Bearer ${ctx().keys.viewer}` },
      { 'x-api-key': `${ctx().keys.admin}${'x'.repeat(300)}` },
    ];
    for (const operation of protectedOperations) {
      for (const headers of bad) {
        const response = await call(ctx(), operation.method, operation.path, headers);
        expect({ route: label(operation), status: response.statusCode }).toEqual({ route: label(operation), status: 401 });
        expect(response.headers['www-authenticate']).toBe('Bearer realm="orca"');
        expect((response.json() as { detail: string }).detail).toBe('the API key is invalid, expired or revoked');
      }
    }
  });

  it('answers 403 to every role the matrix does not allow, and neither 401 nor 403 (nor 5xx) to every role it allows', async () => {
    const results: string[] = [];
    const expected: string[] = [];
    for (const operation of operations.filter((candidate) => candidate.role !== 'public' && candidate.role !== 'signed')) {
      const allowed = PERMISSIONS[operation.role as Role];
      for (const role of ROLES) {
        const response = await call(ctx(), operation.method, operation.path, ctx().as(role));
        const permitted = allowed.includes(role);
        const outcome = response.statusCode === 403 ? 'forbidden' : response.statusCode === 401 ? 'unauthorized' : response.statusCode >= 500 ? '5xx' : 'passed';
        results.push(`${label(operation)} as ${role}: ${outcome}`);
        expected.push(`${label(operation)} as ${role}: ${permitted ? 'passed' : 'forbidden'}`);
        expect(response.headers['ratelimit-policy']).toMatch(new RegExp(`^"${role}";q=\\d+;w=\\d+$`));
        if (!permitted) {
          expect(response.headers['content-type']).toBe(PROBLEM_JSON);
          expect(response.json()).toEqual({
            type: 'urn:orca:problem:forbidden',
            title: 'Forbidden',
            status: 403,
            detail: `this route needs a ${operation.role} key; yours is ${role}`,
            instance: response.url,
            correlation_id: response.headers['x-correlation-id'],
          });
          expect(response.headers['www-authenticate']).toBeUndefined();
        }
      }
    }
    expect(results).toEqual(expected);
  });

  it('lets signed operations (webhooks, console sign-in) through the edge without a key, rate limited per IP: the route answers', async () => {
    const signed = operations.filter((operation) => operation.role === 'signed');
    // The route's own answer, not the edge's 401/403: a random source id is unknown; `{}` carries no api_key.
    const routeAnswers: Record<string, number> = {
      'POST /api/v1/ingest/{sourceId}': 404,
      'POST /api/v1/session': 400,
      // An unsigned Slack request (no signing secret configured here) is the route's 401, without WWW-Authenticate.
      'POST /api/v1/integrations/slack/interactions': 401,
    };
    expect(signed.map(label).sort()).toEqual(Object.keys(routeAnswers).sort());
    for (const operation of signed) {
      for (const headers of [{}, ctx().as('viewer'), ctx().as('ingest')]) {
        const response = await call(ctx(), operation.method, operation.path, headers);
        expect({ route: label(operation), status: response.statusCode }).toEqual({ route: label(operation), status: routeAnswers[label(operation)] });
        expect(response.headers['www-authenticate']).toBeUndefined();
        expect(response.headers['ratelimit-policy']).toMatch(/^"(anonymous|viewer|ingest)";q=\d+;w=\d+$/);
      }
    }
  });

  it('accepts the same key as Authorization: Bearer for every allowed role', async () => {
    for (const operation of operations.filter((candidate) => candidate.role !== 'public' && candidate.role !== 'signed' && candidate.method === 'GET')) {
      for (const role of PERMISSIONS[operation.role as Role]) {
        const response = await call(ctx(), operation.method, operation.path, { authorization: `Bearer ${ctx().keys[role]}` });
        expect({ route: label(operation), role, status: [401, 403].includes(response.statusCode) ? response.statusCode : 'ok' }).toEqual({
          route: label(operation),
          role,
          status: 'ok',
        });
      }
    }
  });
});
