import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';
import type { Principal } from '../http/actor.js';
import { createLogger } from '../telemetry/logger.js';
import { createMetrics } from '../telemetry/metrics.js';
import { installEdge } from './index.js';
import { createLocalStore, type RateLimitStore } from './rate-limit-store.js';

const VIEWER: Principal = { id: '00000000-0000-4000-8000-000000000001', role: 'viewer', name: 'reader' };

/**
 * The edge hook continues synchronously when the key and the counter are in memory and from a promise when either
 * has to wait; both paths must give the same answers, and a failure on either must reach the error handler.
 */
async function edgeApp(options: { authenticate: (key: string) => Principal | null | Promise<Principal | null>; store?: RateLimitStore }) {
  const config = loadConfig({ ORCA_DATA_DIR: '/nonexistent', RATE_LIMIT_MAX: '10', RATE_LIMIT_WINDOW: '1m' }, '/nonexistent');
  const app = Fastify();
  app.decorateRequest('principal', null);
  await installEdge(app, {
    config,
    authenticate: options.authenticate,
    rateLimitStore: options.store ?? createLocalStore(),
    metrics: createMetrics(),
    logger: createLogger({ level: 'silent' }),
    now: () => Date.UTC(2025, 0, 1),
  });
  app.get('/read', { config: { access: 'viewer' } }, async (request) => ({ principal: request.principal }));
  app.get('/admin', { config: { access: 'admin' } }, async () => ({ ok: true }));
  await app.ready();
  return app;
}

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

describe.each([
  ['synchronous (cached key, per-process counter)', (principal: Principal | null) => () => principal, undefined],
  [
    'asynchronous (key read from the database, counter in Redis)',
    (principal: Principal | null) => async () => principal,
    (): RateLimitStore => {
      const local = createLocalStore();
      return { hit: async (key, windowMs, now) => local.hit(key, windowMs, now) };
    },
  ],
])('the edge hook, %s', (_label, authenticateAs, asyncStore) => {
  const open = async (principal: Principal | null) => {
    const app = await edgeApp({ authenticate: authenticateAs(principal), ...(asyncStore ? { store: asyncStore() } : {}) });
    apps.push(app);
    return app;
  };

  it('lets an allowed key through with its principal and the RateLimit headers', async () => {
    const app = await open(VIEWER);
    const response = await app.inject({ method: 'GET', url: '/read', headers: { 'x-api-key': 'k'.repeat(30) } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ principal: VIEWER });
    expect(response.headers['ratelimit-policy']).toBe('"viewer";q=10;w=60');
    expect(response.headers.ratelimit).toMatch(/^"viewer";r=\d+;t=60$/);
  });

  it('refuses an unknown key with 401 and a role that is not enough with 403', async () => {
    const nobody = await open(null);
    const unknown = await nobody.inject({ method: 'GET', url: '/read', headers: { 'x-api-key': 'k'.repeat(30) } });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.headers['www-authenticate']).toBe('Bearer realm="orca"');
    const viewer = await open(VIEWER);
    expect((await viewer.inject({ method: 'GET', url: '/admin', headers: { 'x-api-key': 'k'.repeat(30) } })).statusCode).toBe(403);
  });

  it('answers 429 once the window is used up', async () => {
    const app = await open(VIEWER);
    const statuses = [];
    for (let i = 0; i < 12; i += 1) statuses.push((await app.inject({ method: 'GET', url: '/read', headers: { 'x-api-key': 'k'.repeat(30) } })).statusCode);
    expect(statuses).toEqual([...Array<number>(10).fill(200), 429, 429]);
  });
});

describe('the edge hook when a step fails', () => {
  it('hands a failed key lookup to the error handler (500), as the async hook did', async () => {
    const app = await edgeApp({ authenticate: async () => Promise.reject(new Error('database is down')) });
    apps.push(app);
    const response = await app.inject({ method: 'GET', url: '/read', headers: { 'x-api-key': 'k'.repeat(30) } });
    expect(response.statusCode).toBe(500);
  });

  it('hands a failed counter to the error handler (500)', async () => {
    const app = await edgeApp({ authenticate: () => VIEWER, store: { hit: async () => Promise.reject(new Error('redis is down')) } });
    apps.push(app);
    const response = await app.inject({ method: 'GET', url: '/read', headers: { 'x-api-key': 'k'.repeat(30) } });
    expect(response.statusCode).toBe(500);
  });

  it('hands a lookup that throws synchronously to the error handler (500)', async () => {
    const app = await edgeApp({
      authenticate: () => {
        throw new Error('bug');
      },
    });
    apps.push(app);
    const response = await app.inject({ method: 'GET', url: '/read', headers: { 'x-api-key': 'k'.repeat(30) } });
    expect(response.statusCode).toBe(500);
  });
});
