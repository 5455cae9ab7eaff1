import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledMigrations } from '../../src/platform/db/migrate.js';
import { ROLES } from '../../src/platform/http/roles.js';
import { ORCA_VERSION } from '../../src/platform/version.js';
import { createTestApp, describeEachDatabase, type TestApp } from '../helpers/app.js';

const LATEST_MIGRATION = Math.max(...bundledMigrations().map((migration) => migration.version));
const UP = { status: 'up', latency_ms: expect.any(Number) };

/**
 * Every route the app serves, read from Fastify's own route tree (printRoutes prints one node per line,
 * indented four characters per level, each node's path relative to its parent, methods in parentheses).
 */
function registeredRoutes(app: FastifyInstance): Array<{ method: string; url: string }> {
  const routes: Array<{ method: string; url: string }> = [];
  const path: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const node = /^((?:[│ ] {3})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!node) continue;
    const depth = (node[1] ?? '').length / 4;
    path.length = depth;
    path.push(node[2] ?? '');
    for (const method of node[3]?.split(', ') ?? []) routes.push({ method, url: path.join('') });
  }
  return routes;
}

function expectJson(response: LightMyRequestResponse, status: number): unknown {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  return response.json();
}

describeEachDatabase('probes and documents', (ctx, target) => {
  const get = (url: string, headers: Record<string, string> = {}) => ctx().app.inject({ method: 'GET', url, headers });

  describe('liveness', () => {
    it.each(['/livez', '/liveness'])('%s answers 200 {status: ok} without credentials', async (url) => {
      expect(expectJson(await get(url), 200)).toEqual({ status: 'ok' });
    });
  });

  describe('readiness', () => {
    it.each(['/readyz', '/readiness'])('%s answers 200 with the database and migration checks', async (url) => {
      expect(expectJson(await get(url), 200)).toEqual({ status: 'ready', checks: { database: UP, migrations: UP } });
    });
  });

  it('/health answers 200 with version, uptime and every check', async () => {
    const body = expectJson(await get('/health'), 200) as { uptime_seconds: number };
    expect(body).toEqual({ status: 'ok', version: ORCA_VERSION, uptime_seconds: expect.any(Number), checks: { database: UP, migrations: UP } });
    expect(body.uptime_seconds).toBeGreaterThanOrEqual(0);
    expect(Number.isInteger(body.uptime_seconds)).toBe(true);
  });

  describe('/status', () => {
    it('answers a viewer with the runtime status of the process', async () => {
      const body = expectJson(await get('/status', ctx().as('viewer')), 200);
      expect(body).toEqual({
        status: 'ok',
        redis: 'not_configured',
        version: ORCA_VERSION,
        uptime_seconds: expect.any(Number),
        role: 'all',
        node_version: process.version,
        database: { kind: target.name, schema_version: LATEST_MIGRATION },
        breakers: [],
        queues: [
          { queue: 'alerts.evaluate', queued: 0, active: 0, dead_lettered: 0, oldest_queued_seconds: 0 },
          { queue: 'alerts.evaluate.schedule', queued: 0, active: 0, dead_lettered: 0, oldest_queued_seconds: 0 },
          { queue: 'alerts.prune', queued: 0, active: 0, dead_lettered: 0, oldest_queued_seconds: 0 },
          { queue: 'approvals.callback', queued: 0, active: 0, dead_lettered: 0, oldest_queued_seconds: 0 },
          { queue: 'approvals.expire', queued: 0, active: 0, dead_lettered: 0, oldest_queued_seconds: 0 },
          { queue: 'approvals.slack-response', queued: 0, active: 0, dead_lettered: 0, oldest_queued_seconds: 0 },
          { queue: 'backup.scheduled', queued: 0, active: 0, dead_lettered: 0, oldest_queued_seconds: 0 },
          { queue: 'discovery.run', queued: 0, active: 0, dead_lettered: 0, oldest_queued_seconds: 0 },
          { queue: 'discovery.schedule', queued: 0, active: 0, dead_lettered: 0, oldest_queued_seconds: 0 },
          { queue: 'receivers.deliver', queued: 0, active: 0, dead_lettered: 0, oldest_queued_seconds: 0 },
          { queue: 'remediation.act', queued: 0, active: 0, dead_lettered: 0, oldest_queued_seconds: 0 },
          { queue: 'remediation.tick', queued: 0, active: 0, dead_lettered: 0, oldest_queued_seconds: 0 },
          { queue: 'reports.run', queued: 0, active: 0, dead_lettered: 0, oldest_queued_seconds: 0 },
          { queue: 'reports.schedules.check', queued: 0, active: 0, dead_lettered: 0, oldest_queued_seconds: 0 },
          { queue: 'sessions.purge', queued: 0, active: 0, dead_lettered: 0, oldest_queued_seconds: 0 },
          { queue: 'sync.sweep', queued: 0, active: 0, dead_lettered: 0, oldest_queued_seconds: 0 },
          { queue: 'trust.snapshot', queued: 0, active: 0, dead_lettered: 0, oldest_queued_seconds: 0 },
        ],
        // No attempt recorded in this data directory's BACKUP_DIR yet (docs/backups.md).
        backup: null,
      });
    });

    // Only measurements: every field reports something this build measures (breakers, queues and the last backup
    // joined when their features landed), never a placeholder a client could not tell from a reading.
    it('documents exactly the fields it measures', async () => {
      type Schema = { properties?: Record<string, unknown>; $ref?: string };
      const document = (await get('/openapi.json')).json() as {
        paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: Schema }> }> } }>;
        components: { schemas: Record<string, Schema> };
      };
      const declared = document.paths['/status']!.get.responses['200']!.content['application/json']!.schema;
      // Shared schemas are referenced from components (#/components/schemas/<name>).
      const schema = declared.$ref ? document.components.schemas[declared.$ref.split('/').pop()!]! : declared;
      expect(Object.keys(schema.properties!).sort()).toEqual(['backup', 'breakers', 'database', 'node_version', 'queues', 'redis', 'role', 'status', 'uptime_seconds', 'version']);
    });

    it('is not public', async () => {
      const response = await get('/status');
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    });
  });

  describe('/openapi.json', () => {
    let document: {
      openapi: string;
      info: { title: string; version: string };
      paths: Record<string, Record<string, { 'x-orca-role'?: string; security?: unknown[]; responses?: Record<string, unknown> }>>;
    };
    beforeAll(async () => {
      document = expectJson(await get('/openapi.json'), 200) as typeof document;
    });

    it('is a valid OpenAPI 3.1 document', async () => {
      const validator = new Validator();
      const result = await validator.validate(document as unknown as Record<string, unknown>);
      expect(result.errors).toBeUndefined();
      expect(result.valid).toBe(true);
      expect(validator.version).toBe('3.1');
      expect(document.openapi).toBe('3.1.0');
      expect(document.info).toMatchObject({ title: 'ORCA API', version: ORCA_VERSION });
    });

    it('lists every registered /api/v1 route, and nothing else under /api/v1, each with its role', () => {
      const registered = registeredRoutes(ctx().app)
        .filter((route) => route.url.startsWith('/api/v1/') && route.method !== 'HEAD' && route.method !== 'OPTIONS')
        .map((route) => `${route.method.toLowerCase()} ${route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`)
        .sort();
      // Guards the route-tree parsing: the agent registry alone has more than ten operations.
      expect(registered).toContain('get /api/v1/agents/{id}');
      expect(registered.length).toBeGreaterThan(10);

      const documented = Object.entries(document.paths)
        .filter(([path]) => path.startsWith('/api/v1/'))
        .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`))
        .sort();
      expect(documented).toEqual(registered);

      for (const entry of registered) {
        const [method = '', path = ''] = entry.split(' ');
        const operation = document.paths[path]?.[method];
        if (operation?.['x-orca-role'] === 'signed') {
          // A native webhook: its sender's signature authenticates it; a console sign-in: the key in its body. No
          // key header either way (docs/SECURITY.md).
          // Slack's interactivity requests: Slack's own request signature.
          expect(['post /api/v1/ingest/{sourceId}', 'post /api/v1/session', 'post /api/v1/integrations/slack/interactions']).toContain(entry);
          expect(operation.security, entry).toEqual([]);
        } else {
          // viewer_or_requester: any viewer, or the ingest key that asked for the approval it reads (docs/SECURITY.md).
          expect([...ROLES, 'viewer_or_requester'], entry).toContain(operation?.['x-orca-role']);
          expect(operation?.security, entry).toEqual([{ apiKey: [] }, { bearer: [] }, { session: [] }]);
        }
        // Every /api/v1 route needs a key or a signature: the edge can refuse it, limit it, or fail to look the key up.
        expect(Object.keys(operation?.responses ?? {}), entry).toEqual(expect.arrayContaining(['401', '403', '429', '500', '503']));
      }
    });

    it('records the role each agent route needs', () => {
      expect(document.paths['/api/v1/agents']?.get?.['x-orca-role']).toBe('viewer');
      expect(document.paths['/api/v1/agents']?.post?.['x-orca-role']).toBe('operator');
      expect(document.paths['/api/v1/agents/{id}']?.get?.['x-orca-role']).toBe('viewer');
      expect(document.paths['/api/v1/agents/{id}']?.patch?.['x-orca-role']).toBe('operator');
      expect(document.paths['/api/v1/agents/{id}']?.delete?.['x-orca-role']).toBe('operator');
    });

    it('marks the probes public and /status viewer', () => {
      for (const path of ['/livez', '/liveness', '/readyz', '/readiness', '/health', '/metrics']) {
        expect(document.paths[path]?.get?.['x-orca-role'], path).toBe('public');
        expect(document.paths[path]?.get?.security, path).toEqual([]);
      }
      expect(document.paths['/status']?.get?.['x-orca-role']).toBe('viewer');
    });

    it('leaves out its own route and the documentation UI', () => {
      expect(Object.keys(document.paths).filter((path) => path === '/openapi.json' || path.startsWith('/docs'))).toEqual([]);
    });
  });

  it('/docs serves the HTML API reference without credentials', async () => {
    const response = await get('/docs');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toMatch(/<!DOCTYPE html>/i);
    expect(response.body).toContain('<title>');
  });
});

describeEachDatabase('readiness when the database is not ready', (_ctx, target) => {
  let broken: TestApp | undefined;
  beforeAll(async () => {
    broken = await createTestApp(target);
  });
  afterAll(async () => {
    await broken?.close();
  });
  const app = () => {
    if (!broken) throw new Error('app not built');
    return broken;
  };

  it('answers 503 while a migration is pending, and liveness stays 200', async () => {
    await app().container.db.query('delete from schema_migration where version = $1', [LATEST_MIGRATION]);
    const pending = {
      database: UP,
      migrations: { status: 'down', latency_ms: expect.any(Number), detail: `pending migrations: ${LATEST_MIGRATION}` },
    };
    for (const url of ['/readyz', '/readiness']) {
      const response = await app().app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(503);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(response.headers['retry-after']).toBe('5');
      expect(response.json()).toEqual({
        type: 'urn:orca:problem:unavailable',
        title: 'Service Unavailable',
        status: 503,
        detail: `not ready — migrations: pending migrations: ${LATEST_MIGRATION}`,
        instance: url,
        correlation_id: response.headers['x-correlation-id'],
        checks: pending,
      });
    }
    const health = await app().app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(503);
    expect(health.json()).toEqual({ status: 'down', version: ORCA_VERSION, uptime_seconds: expect.any(Number), checks: pending });
    expect((await app().app.inject({ method: 'GET', url: '/livez' })).statusCode).toBe(200);
  });

  it('answers 503 when the database is gone, and liveness stays 200', async () => {
    await app().container.db.close();
    const response = await app().app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    const body = response.json() as { detail: string; checks: Record<string, unknown> };
    expect(body.detail).toMatch(/^not ready — database: .+; migrations: database unreachable$/);
    expect(body.checks).toEqual({
      database: { status: 'down', latency_ms: expect.any(Number), detail: expect.any(String) },
      migrations: { status: 'down', latency_ms: 0, detail: 'database unreachable' },
    });
    const health = await app().app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(503);
    expect(health.json()).toMatchObject({ status: 'down' });
    expect((await app().app.inject({ method: 'GET', url: '/livez' })).statusCode).toBe(200);
  });
});
