import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/db.js';

/**
 * Redis is optional at run time (docs/OPERATIONS.md, "Probes"; docs/SECURITY.md, "Rate limiting"): with REDIS_URL
 * set and Redis gone, a replica keeps serving — rate limits fall back to per-process counters — so it stays ready.
 * An orchestrator that pulled every replica at once for an outage they all share would serve no one. The outage
 * shows as `degraded` in /health and /status and as `orca_dependency_up{dependency="redis"} 0`, and is logged once
 * when it starts and once when it ends, not on every probe or request.
 *
 * A real redis-server, started by this file on a free port, is stopped mid-run and started again.
 */

const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedisServer) console.warn('[edge/redis-outage.test] redis-server is not on PATH: skipping the Redis outage tests');

const OUTAGE = 'redis unavailable; rate limits fall back to per-process counters';
const RECOVERY = 'redis available again; rate limits are shared again';

async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** redis-server on `port`, in memory only; resolves once it accepts connections. */
async function startRedisServer(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before accepting connections:\n${output}`)));
  });
  return child;
}

async function stopRedisServer(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

/** The client's next `event`; not events.once, which rejects on the 'error' events a dead Redis causes. */
function nextEvent(client: Redis, event: 'ready' | 'close'): Promise<void> {
  return new Promise((resolve) => client.once(event, () => resolve()));
}

async function dependencyUp(testApp: TestApp): Promise<string | undefined> {
  const metrics = (await testApp.app.inject({ method: 'GET', url: '/metrics' })).body;
  return metrics.split('\n').find((line) => line.startsWith('orca_dependency_up{dependency="redis"}'));
}

async function fallbacks(testApp: TestApp): Promise<number> {
  const metrics = (await testApp.app.inject({ method: 'GET', url: '/metrics' })).body;
  return Number(/^orca_rate_limit_fallback_total (\d+)$/m.exec(metrics)?.[1]);
}

for (const target of databaseTargets) {
  describe.skipIf(!hasRedisServer)(`a Redis outage degrades, never unreadies [${target.name}, real redis-server]`, () => {
    let port: number;
    let server: ChildProcess | undefined;
    let testApp: TestApp;
    let client: Redis;
    const crashes: unknown[] = [];
    const onCrash = (error: unknown) => crashes.push(error);
    const logged = (message: string) => testApp.logs.filter((line) => line.msg === message);

    beforeAll(async () => {
      process.on('uncaughtException', onCrash);
      process.on('unhandledRejection', onCrash);
      port = await freePort();
      server = await startRedisServer(port);
      testApp = await createTestApp(target, { REDIS_URL: `redis://127.0.0.1:${port}`, RATE_LIMIT_MAX: '50' });
      client = testApp.container.redis!;
      if (client.status !== 'ready') await nextEvent(client, 'ready');
    }, 180_000);

    afterAll(async () => {
      await testApp?.close();
      await stopRedisServer(server);
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
    });

    it('reports Redis up while it answers', async () => {
      const readyz = await testApp.app.inject({ method: 'GET', url: '/readyz' });
      expect(readyz.statusCode, readyz.body).toBe(200);
      expect(readyz.json()).toMatchObject({ status: 'ready', checks: { database: { status: 'up' }, migrations: { status: 'up' }, redis: { status: 'up' } } });
      const health = await testApp.app.inject({ method: 'GET', url: '/health' });
      expect(health.statusCode).toBe(200);
      expect(health.json()).toMatchObject({ status: 'ok', checks: { redis: { status: 'up' } } });
      const status = await testApp.app.inject({ method: 'GET', url: '/status', headers: testApp.as('viewer') });
      expect(status.json()).toMatchObject({ status: 'ok', redis: 'up' });
      expect(await dependencyUp(testApp)).toBe('orca_dependency_up{dependency="redis"} 1');
      expect(logged(OUTAGE)).toEqual([]);
    });

    it('stays ready with Redis stopped: degraded in /health and /status, metric 0, limits per process, one log line', async () => {
      const closed = nextEvent(client, 'close');
      await stopRedisServer(server);
      server = undefined;
      await closed;

      for (let probe = 0; probe < 3; probe += 1) {
        const readyz = await testApp.app.inject({ method: 'GET', url: '/readyz' });
        expect(readyz.statusCode, readyz.body).toBe(200);
        expect(readyz.json()).toMatchObject({
          status: 'ready',
          checks: { database: { status: 'up' }, migrations: { status: 'up' }, redis: { status: 'down', detail: expect.any(String) } },
        });
        const health = await testApp.app.inject({ method: 'GET', url: '/health' });
        expect(health.statusCode, health.body).toBe(200);
        expect(health.json()).toMatchObject({ status: 'degraded', checks: { database: { status: 'up' }, redis: { status: 'down' } } });
      }
      const status = await testApp.app.inject({ method: 'GET', url: '/status', headers: testApp.as('viewer') });
      expect(status.statusCode).toBe(200);
      expect(status.json()).toMatchObject({ status: 'degraded', redis: 'down' });
      expect(await dependencyUp(testApp)).toBe('orca_dependency_up{dependency="redis"} 0');

      // A rate-limited route still answers, counted by this process alone.
      const before = await fallbacks(testApp);
      for (let request = 0; request < 3; request += 1) {
        const listed = await testApp.app.inject({ method: 'GET', url: '/api/v1/agents?limit=1', headers: testApp.as('viewer') });
        expect(listed.statusCode, listed.body).toBe(200);
        expect(listed.headers['ratelimit-policy']).toBe('"viewer";q=50;w=900');
        expect(listed.headers.ratelimit).toMatch(/^"viewer";r=4\d;t=\d+$/);
      }
      expect(await fallbacks(testApp)).toBe(before + 3);

      // Reconnection attempts, probes and fallbacks all reported the outage; it was logged once, as a warning.
      expect(logged(OUTAGE).map((line) => [line.level, line.dependency])).toEqual([['warn', 'redis']]);
      expect(testApp.logs.filter((line) => line.msg === 'not ready')).toEqual([]);
      expect(crashes).toEqual([]);
    });

    it('logs the recovery once and reports Redis up again when it is back', async () => {
      const ready = nextEvent(client, 'ready');
      server = await startRedisServer(port);
      await ready;
      expect(await dependencyUp(testApp)).toBe('orca_dependency_up{dependency="redis"} 1');
      const health = await testApp.app.inject({ method: 'GET', url: '/health' });
      expect(health.json()).toMatchObject({ status: 'ok', checks: { redis: { status: 'up' } } });
      const status = await testApp.app.inject({ method: 'GET', url: '/status', headers: testApp.as('viewer') });
      expect(status.json()).toMatchObject({ status: 'ok', redis: 'up' });
      const before = await fallbacks(testApp);
      const listed = await testApp.app.inject({ method: 'GET', url: '/api/v1/agents?limit=1', headers: testApp.as('viewer') });
      expect(listed.statusCode).toBe(200);
      expect(await fallbacks(testApp)).toBe(before);
      expect(logged(RECOVERY).map((line) => [line.level, line.dependency])).toEqual([['info', 'redis']]);
      expect(logged(OUTAGE)).toHaveLength(1);
      expect(crashes).toEqual([]);
    });
  });
}
