import { randomInt } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/platform/http/roles.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createSchema, pgliteTarget, serverUrl, type DatabaseTarget } from '../helpers/db.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

/**
 * The rate limiter as a client meets it (docs/SECURITY.md "Rate limiting"): per key, per IP when
 * anonymous (failed authentications included), IETF RateLimit headers, Retry-After on 429, probes exempt,
 * per-role maxima; and, with Redis, counters shared by replicas that degrade to per-process counters (never
 * open, never 5xx) when Redis goes away.
 *
 * Windows are fixed and aligned to the epoch, so every test pins the limiter's clock (the edge reads
 * `container.clock` on each request) to an instant 100 s into a window: the reset is then exactly 800 s and a
 * run can never straddle a window boundary.
 */

const WINDOW_MS = 15 * 60_000;
const RESET_SECONDS = 800;
const PROBLEM = 'application/problem+json; charset=utf-8';

/**
 * Resolves on the client's next `event`. Not `events.once`, which rejects on 'error': ioredis emits 'error' for
 * every failed (re)connection attempt, which is exactly what these tests provoke.
 */
function nextEvent(client: Redis, event: 'ready' | 'close'): Promise<void> {
  return new Promise((resolve) => client.once(event, () => resolve()));
}

async function whenRedisReady(client: Redis): Promise<void> {
  if (client.status !== 'ready') await nextEvent(client, 'ready');
}

function pinLimiterClock(testApp: TestApp, windowStart: number): void {
  const pinned = new Date(windowStart + WINDOW_MS - RESET_SECONDS * 1000);
  testApp.container.clock = { now: () => pinned };
}

async function createKey(testApp: TestApp, role: Role): Promise<{ id: string; headers: Record<string, string> }> {
  const created = await testApp.container.modules.keys.service.create({ id: 'test-setup', correlationId: null }, { name: `rate-limit-${role}`, role });
  return { id: created.key.id, headers: { 'x-api-key': created.secret } };
}

function expectRateLimit(response: LightMyRequestResponse, policy: string, quota: number, remaining: number): void {
  expect(response.headers['ratelimit-policy']).toBe(`"${policy}";q=${quota};w=900`);
  expect(response.headers.ratelimit).toBe(`"${policy}";r=${remaining};t=${RESET_SECONDS}`);
}

function expectTooManyRequests(response: LightMyRequestResponse, policy: string, quota: number, instance: string): void {
  expect(response.statusCode, response.body).toBe(429);
  expect(response.headers['content-type']).toBe(PROBLEM);
  expect(response.headers['retry-after']).toBe(String(RESET_SECONDS));
  expectRateLimit(response, policy, quota, 0);
  expect(response.json()).toEqual({
    type: 'urn:orca:problem:rate_limited',
    title: 'Too Many Requests',
    status: 429,
    detail: `rate limit of ${quota} requests per 900 s exceeded`,
    instance,
    correlation_id: response.headers['x-correlation-id'],
  });
}

function expectNotLimited(response: LightMyRequestResponse): void {
  expect(response.headers['ratelimit-policy']).toBeUndefined();
  expect(response.headers.ratelimit).toBeUndefined();
  expect(response.headers['retry-after']).toBeUndefined();
}

async function metricValue(testApp: TestApp, name: string, labels = ''): Promise<number> {
  const response = await testApp.app.inject({ method: 'GET', url: '/metrics' });
  expect(response.statusCode).toBe(200);
  const line = response.body.split('\n').find((row) => row.startsWith(`${name}${labels} `));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

const PUBLIC_ROUTES = ['/livez', '/liveness', '/readyz', '/readiness', '/health', '/metrics', '/openapi.json', '/docs'];

describe('rate limiting, per process (RATE_LIMIT_MAX=1000, RATE_LIMIT_WINDOW=15m)', () => {
  let testApp: TestApp;
  const get = (url: string, options: { headers?: Record<string, string>; remoteAddress?: string } = {}) =>
    testApp.app.inject({ method: 'GET', url, headers: options.headers ?? {}, remoteAddress: options.remoteAddress ?? '127.0.0.1' });

  beforeAll(async () => {
    testApp = await createTestApp(pgliteTarget, { RATE_LIMIT_MAX: '1000', RATE_LIMIT_WINDOW: '15m' });
    pinLimiterClock(testApp, Math.floor(Date.now() / WINDOW_MS) * WINDOW_MS);
  });

  afterAll(async () => {
    await testApp?.close();
  });

  it('serves 1000 requests with one key, counting down exactly, then answers 429 with Retry-After; other keys are unaffected', async () => {
    const key = await createKey(testApp, 'viewer');
    const limitedBefore = await metricValue(testApp, 'orca_rate_limited_total', '{policy="viewer"}');
    for (let request = 1; request <= 1000; request += 1) {
      const response = await get('/status', { headers: key.headers });
      expect(response.statusCode, `request ${request}: ${response.body}`).toBe(200);
      expectRateLimit(response, 'viewer', 1000, 1000 - request);
    }
    expectTooManyRequests(await get('/status', { headers: key.headers }), 'viewer', 1000, '/status');
    // The limit is per key, not per route, and stays shut for the rest of the window.
    expectTooManyRequests(await get('/api/v1/agents?limit=1', { headers: key.headers }), 'viewer', 1000, '/api/v1/agents');
    expect(await metricValue(testApp, 'orca_rate_limited_total', '{policy="viewer"}')).toBe(limitedBefore + 2);

    // Another key of the same role from the same address has its own counter.
    const other = await createKey(testApp, 'viewer');
    const response = await get('/status', { headers: other.headers });
    expect(response.statusCode).toBe(200);
    expectRateLimit(response, 'viewer', 1000, 999);
    // So does the anonymous caller at that address.
    const anonymous = await get('/status');
    expect(anonymous.statusCode).toBe(401);
    expectRateLimit(anonymous, 'anonymous', 1000, 999);
  });

  it('limits anonymous callers per client IP', async () => {
    for (let request = 1; request <= 1000; request += 1) {
      const response = await get('/status', { remoteAddress: '192.0.2.10' });
      expect(response.statusCode, `request ${request}`).toBe(401);
      expectRateLimit(response, 'anonymous', 1000, 1000 - request);
    }
    expectTooManyRequests(await get('/status', { remoteAddress: '192.0.2.10' }), 'anonymous', 1000, '/status');
    // An unknown route is not a way around the limit.
    expectTooManyRequests(await get('/no-such-route', { remoteAddress: '192.0.2.10' }), 'anonymous', 1000, '/no-such-route');

    const neighbour = await get('/status', { remoteAddress: '192.0.2.11' });
    expect(neighbour.statusCode).toBe(401);
    expectRateLimit(neighbour, 'anonymous', 1000, 999);
    const ipv6 = await get('/status', { remoteAddress: '2001:db8::10' });
    expect(ipv6.statusCode).toBe(401);
    expectRateLimit(ipv6, 'anonymous', 1000, 999);

    // A valid key presented from the exhausted address is counted against the key, not the address.
    const key = await createKey(testApp, 'viewer');
    const authenticated = await get('/status', { headers: key.headers, remoteAddress: '192.0.2.10' });
    expect(authenticated.statusCode).toBe(200);
    expectRateLimit(authenticated, 'viewer', 1000, 999);
  });

  it('counts failed authentications against the client IP, so guessing keys is rate-limited too', async () => {
    const revoked = await createKey(testApp, 'viewer');
    await testApp.container.modules.keys.service.revoke({ id: 'test-setup', correlationId: null }, revoked.id);
    const wrongCredentials: Array<Record<string, string>> = [
      { 'x-api-key': `orca_0123456789ab_${'A'.repeat(43)}` },
      { authorization: `Bearer orca_ba9876543210_${'B'.repeat(43)}` },
      { authorization: 'Basic YWRtaW46YWRtaW4=' },
      { 'x-api-key': 'x'.repeat(300) },
      revoked.headers,
    ];
    const rejected = await metricValue(testApp, 'orca_auth_failures_total', '{reason="invalid"}');
    for (let request = 1; request <= 1000; request += 1) {
      const response = await get('/status', { headers: wrongCredentials[request % wrongCredentials.length], remoteAddress: '192.0.2.20' });
      expect(response.statusCode, `request ${request}: ${response.body}`).toBe(401);
      expectRateLimit(response, 'anonymous', 1000, 1000 - request);
    }
    expect(await metricValue(testApp, 'orca_auth_failures_total', '{reason="invalid"}')).toBe(rejected + 1000);

    // The 1001st guess is not even checked: 429, not 401.
    expectTooManyRequests(await get('/status', { headers: wrongCredentials[0], remoteAddress: '192.0.2.20' }), 'anonymous', 1000, '/status');
    expectTooManyRequests(await get('/status', { remoteAddress: '192.0.2.20' }), 'anonymous', 1000, '/status');
    expect(await metricValue(testApp, 'orca_auth_failures_total', '{reason="invalid"}')).toBe(rejected + 1000);

    // A real key still works from that address.
    const key = await createKey(testApp, 'operator');
    const authenticated = await get('/status', { headers: key.headers, remoteAddress: '192.0.2.20' });
    expect(authenticated.statusCode).toBe(200);
    expectRateLimit(authenticated, 'operator', 1000, 999);
  });

  it('never limits probes, /metrics, /openapi.json or /docs, and does not count them', async () => {
    // Exhaust an address and a key first: public routes must still answer them.
    const key = await createKey(testApp, 'viewer');
    for (let request = 0; request < 1000; request += 1) {
      await get('/no-such-route', { remoteAddress: '192.0.2.30' });
      await get('/no-such-route', { headers: key.headers, remoteAddress: '192.0.2.31' });
    }
    expect((await get('/status', { remoteAddress: '192.0.2.30' })).statusCode).toBe(429);
    expect((await get('/status', { headers: key.headers })).statusCode).toBe(429);

    for (const url of PUBLIC_ROUTES) {
      for (const caller of [{ remoteAddress: '192.0.2.30' }, { headers: key.headers }]) {
        const response = await get(url, caller);
        expect(response.statusCode, `${url}: ${response.body.slice(0, 200)}`).toBe(200);
        expectNotLimited(response);
      }
    }

    // A monitoring system polling far beyond the limit is neither refused nor charged.
    for (let request = 1; request <= 1100; request += 1) {
      const response = await get(request % 100 === 0 ? '/metrics' : '/livez', { remoteAddress: '192.0.2.32' });
      expect(response.statusCode, `probe ${request}`).toBe(200);
      expectNotLimited(response);
    }
    const first = await get('/status', { remoteAddress: '192.0.2.32' });
    expect(first.statusCode).toBe(401);
    expectRateLimit(first, 'anonymous', 1000, 999);
  });
});

describe('per-role maxima (RATE_LIMIT_ROLE_MAX=viewer:3)', () => {
  let testApp: TestApp;
  const get = (url: string, headers: Record<string, string> = {}) => testApp.app.inject({ method: 'GET', url, headers });

  beforeAll(async () => {
    testApp = await createTestApp(pgliteTarget, { RATE_LIMIT_MAX: '1000', RATE_LIMIT_WINDOW: '15m', RATE_LIMIT_ROLE_MAX: 'viewer:3' });
    pinLimiterClock(testApp, Math.floor(Date.now() / WINDOW_MS) * WINDOW_MS);
  });

  afterAll(async () => {
    await testApp?.close();
  });

  it('gives each viewer key 3 requests per window', async () => {
    const viewer = await createKey(testApp, 'viewer');
    for (let request = 1; request <= 3; request += 1) {
      const response = await get('/status', viewer.headers);
      expect(response.statusCode).toBe(200);
      expectRateLimit(response, 'viewer', 3, 3 - request);
    }
    expectTooManyRequests(await get('/status', viewer.headers), 'viewer', 3, '/status');
    const another = await get('/status', (await createKey(testApp, 'viewer')).headers);
    expect(another.statusCode).toBe(200);
    expectRateLimit(another, 'viewer', 3, 2);
  });

  it('leaves every other role, and anonymous callers, on RATE_LIMIT_MAX', async () => {
    for (const role of ['operator', 'admin'] as const) {
      const key = await createKey(testApp, role);
      for (let request = 1; request <= 5; request += 1) {
        const response = await get('/status', key.headers);
        expect(response.statusCode).toBe(200);
        expectRateLimit(response, role, 1000, 1000 - request);
      }
    }
    // An ingest key may not read /status, but is still counted under its own policy.
    const ingest = await get('/status', (await createKey(testApp, 'ingest')).headers);
    expect(ingest.statusCode).toBe(403);
    expectRateLimit(ingest, 'ingest', 1000, 999);
    const anonymous = await testApp.app.inject({ method: 'GET', url: '/status', remoteAddress: '192.0.2.40' });
    expect(anonymous.statusCode).toBe(401);
    expectRateLimit(anonymous, 'anonymous', 1000, 999);
  });
});

/*
 * Replicas sharing counters through Redis. Two apps play two replicas; both reach Redis through a TCP proxy so
 * the test can cut the network for real. With a PostgreSQL server both apps share one schema, so a key created
 * on one is valid on the other and the shared counter is the key's; without one (PGlite each) only anonymous
 * callers can be the same caller on both apps, so the counter under test is an IP's.
 *
 * Each run pins the limiter to its own random window (in 2001–2029): every Redis key it writes ends with that
 * window's start, so concurrent runs never share a counter and cleanup deletes exactly this run's keys.
 */
const redisUrl = process.env.ORCA_TEST_REDIS_URL;
const redisTitle = redisUrl
  ? `rate limits shared through Redis [${serverUrl ? 'two apps on one PostgreSQL schema' : 'two PGlite apps, anonymous callers'}]`
  : 'rate limits shared through Redis [skipped: ORCA_TEST_REDIS_URL is unset]';
if (!redisUrl) console.warn('[edge/rate-limit.test] ORCA_TEST_REDIS_URL is unset: skipping the shared-counter and Redis-outage tests');

interface Caller {
  headers: Record<string, string>;
  remoteAddress: string;
  /** The answer to a request under the limit: 200 for a key, 401 for an anonymous caller of /status. */
  status: number;
  policy: string;
  /** The Redis counter behind this caller. */
  bucket: string;
}

describe.skipIf(!redisUrl)(redisTitle, () => {
  const LIMIT = 10;
  const windowStart = (Math.floor(Date.UTC(2001, 0, 1) / WINDOW_MS) + randomInt(0, 900_000)) * WINDOW_MS;
  let proxy: TcpProxy;
  let direct: Redis;
  let schema: Awaited<ReturnType<typeof createSchema>> | undefined;
  let replicaA: TestApp;
  let replicaB: TestApp;
  let nextAddress = 0;
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);

  const redisOf = (testApp: TestApp): Redis => {
    const client = testApp.container.redis;
    if (!client) throw new Error('the app has no Redis client although REDIS_URL is set');
    return client;
  };

  const whenReady = (testApp: TestApp) => whenRedisReady(redisOf(testApp));

  async function newCaller(): Promise<Caller> {
    if (schema) {
      const key = await createKey(replicaA, 'viewer');
      return { headers: key.headers, remoteAddress: '127.0.0.1', status: 200, policy: 'viewer', bucket: `key:${key.id}` };
    }
    nextAddress += 1;
    const address = `198.18.${Math.floor(nextAddress / 250)}.${(nextAddress % 250) + 1}`;
    return { headers: {}, remoteAddress: address, status: 401, policy: 'anonymous', bucket: `ip:${address}` };
  }

  const call = (testApp: TestApp, caller: Caller) =>
    testApp.app.inject({ method: 'GET', url: '/status', headers: caller.headers, remoteAddress: caller.remoteAddress });

  /** `count` requests that must all pass, with remaining counting down from `firstRemaining`. */
  async function expectAllowed(testApp: TestApp, caller: Caller, count: number, firstRemaining: number): Promise<void> {
    for (let index = 0; index < count; index += 1) {
      const response = await call(testApp, caller);
      expect(response.statusCode, response.body).toBe(caller.status);
      expectRateLimit(response, caller.policy, LIMIT, firstRemaining - index);
    }
  }

  beforeAll(async () => {
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    const redis = new URL(redisUrl as string);
    direct = new Redis(redisUrl as string, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await direct.connect();
    proxy = await startTcpProxy({ host: redis.hostname, port: Number(redis.port || 6379) });
    let target: DatabaseTarget = pgliteTarget;
    if (serverUrl) {
      const shared = await createSchema(serverUrl);
      schema = shared;
      target = { name: 'postgres', provision: async () => ({ url: shared.url, drop: async () => {} }) };
    }
    const env = { REDIS_URL: proxy.urlFor(redisUrl as string), RATE_LIMIT_MAX: String(LIMIT), RATE_LIMIT_WINDOW: '15m' };
    replicaA = await createTestApp(target, env);
    replicaB = await createTestApp(target, env);
    for (const replica of [replicaA, replicaB]) {
      pinLimiterClock(replica, windowStart);
      // Until its connection is ready a replica falls back to local counters by design; start from shared ones.
      await whenReady(replica);
    }
  });

  afterAll(async () => {
    await replicaB?.close();
    await replicaA?.close();
    await schema?.drop();
    await proxy?.close();
    if (direct) {
      // Only this run's counters (its own window), never FLUSHALL: other suites share the server.
      const mine = await direct.keys(`orca:ratelimit:*:${windowStart}`);
      if (mine.length > 0) await direct.del(...mine);
      direct.disconnect();
    }
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  });

  it.skipIf(!serverUrl)('shares one key’s counter between replicas: 6 on A + 5 on B → the 11th is 429', async () => {
    const caller = await newCaller();
    await expectAllowed(replicaA, caller, 6, 9);
    await expectAllowed(replicaB, caller, 4, 3);
    expectTooManyRequests(await call(replicaB, caller), caller.policy, LIMIT, '/status');
    expectTooManyRequests(await call(replicaA, caller), caller.policy, LIMIT, '/status');
    expect(await direct.get(`orca:ratelimit:${caller.bucket}:${windowStart}`)).toBe('12');
    const ttl = await direct.pttl(`orca:ratelimit:${caller.bucket}:${windowStart}`);
    expect(ttl).toBeGreaterThan(WINDOW_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(WINDOW_MS + 1000);
  });

  it('shares an anonymous client’s counter between replicas: 6 on A + 5 on B → the 11th is 429', async () => {
    nextAddress += 1;
    const address = `198.19.0.${nextAddress}`;
    const caller: Caller = { headers: {}, remoteAddress: address, status: 401, policy: 'anonymous', bucket: `ip:${address}` };
    await expectAllowed(replicaA, caller, 6, 9);
    await expectAllowed(replicaB, caller, 4, 3);
    expectTooManyRequests(await call(replicaB, caller), 'anonymous', LIMIT, '/status');
    expect(await direct.get(`orca:ratelimit:${caller.bucket}:${windowStart}`)).toBe('11');
  });

  it('falls back to per-process limits when Redis is cut (never 5xx, never open), and shares again once it is back', async () => {
    const fallbackBefore = await metricValue(replicaA, 'orca_rate_limit_fallback_total');
    // While Redis answered, no decision was taken locally.
    expect(fallbackBefore).toBe(0);
    expect(await metricValue(replicaB, 'orca_rate_limit_fallback_total')).toBe(0);
    const caller = await newCaller();
    await expectAllowed(replicaA, caller, 2, 9);

    const closed = [replicaA, replicaB].map((replica) => nextEvent(redisOf(replica), 'close'));
    proxy.cut();
    await Promise.all(closed);

    // Each replica now counts on its own: the caller gets LIMIT requests on each, then 429 — never a 5xx.
    await expectAllowed(replicaA, caller, LIMIT, 9);
    expectTooManyRequests(await call(replicaA, caller), caller.policy, LIMIT, '/status');
    await expectAllowed(replicaB, caller, LIMIT, 9);
    expectTooManyRequests(await call(replicaB, caller), caller.policy, LIMIT, '/status');
    expect(await metricValue(replicaA, 'orca_rate_limit_fallback_total')).toBe(fallbackBefore + LIMIT + 1);
    expect(await metricValue(replicaB, 'orca_rate_limit_fallback_total')).toBe(LIMIT + 1);

    for (const replica of [replicaA, replicaB]) {
      const warnings = replica.logs.filter((line) => line.msg === 'redis unavailable; rate limits fall back to per-process counters');
      // Reconnection attempts fail every few hundred ms and every request falls back: the outage is logged once.
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ level: 'warn' });

      // Still ready: the replica serves without Redis (test/edge/redis-outage.test.ts).
      const readyz = await replica.app.inject({ method: 'GET', url: '/readyz' });
      expect(readyz.statusCode).toBe(200);
      expect(readyz.json()).toMatchObject({
        status: 'ready',
        checks: { database: { status: 'up' }, migrations: { status: 'up' }, redis: { status: 'down', detail: expect.any(String) } },
      });
      // Liveness does not depend on Redis.
      expect((await replica.app.inject({ method: 'GET', url: '/livez' })).statusCode).toBe(200);
    }

    const ready = [whenReady(replicaA), whenReady(replicaB)];
    proxy.restore();
    await Promise.all(ready);

    for (const replica of [replicaA, replicaB]) {
      const readyz = await replica.app.inject({ method: 'GET', url: '/readyz' });
      expect(readyz.statusCode, readyz.body).toBe(200);
      expect(readyz.json()).toMatchObject({ status: 'ready', checks: { redis: { status: 'up' } } });
    }
    // The shared counter never saw the outage's requests: counting starts again from Redis, across both replicas.
    await expectAllowed(replicaA, caller, 4, 7);
    await expectAllowed(replicaB, caller, 4, 3);
    expectTooManyRequests(await call(replicaB, caller), caller.policy, LIMIT, '/status');
    expectTooManyRequests(await call(replicaA, caller), caller.policy, LIMIT, '/status');
    expect(await direct.get(`orca:ratelimit:${caller.bucket}:${windowStart}`)).toBe('12');
    expect(await metricValue(replicaA, 'orca_rate_limit_fallback_total')).toBe(fallbackBefore + LIMIT + 1);
    expect(crashes).toEqual([]);
  });
});

/*
 * A Redis that stops answering without closing anything (a partition, a hung server): commands get no reply,
 * so the limiter must give up on its own after 250 ms, decide locally and answer — never wait, never 5xx.
 */
describe.skipIf(!redisUrl)(redisUrl ? 'rate limits when Redis hangs [one app, blackholed proxy]' : 'rate limits when Redis hangs [skipped: ORCA_TEST_REDIS_URL is unset]', () => {
  const LIMIT = 5;
  // The store's own deadline (src/container.ts) plus generous slack for a loaded CI machine.
  const ANSWER_BUDGET_MS = 250 + 750;
  const windowStart = (Math.floor(Date.UTC(2001, 0, 1) / WINDOW_MS) + randomInt(0, 900_000)) * WINDOW_MS;
  let proxy: TcpProxy;
  let direct: Redis;
  let replica: TestApp;
  let client: Redis;
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);

  const call = (remoteAddress: string) => replica.app.inject({ method: 'GET', url: '/status', remoteAddress });

  /**
   * Heals the network after a blackhole in which the client sent commands: restore() resets those connections
   * (their protocol stream lost bytes), so the client first closes, then reconnects.
   */
  async function restoreAndWaitReady(): Promise<void> {
    const closed = nextEvent(client, 'close');
    proxy.restore();
    await closed;
    await whenRedisReady(client);
  }

  beforeAll(async () => {
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    const redis = new URL(redisUrl as string);
    direct = new Redis(redisUrl as string, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await direct.connect();
    proxy = await startTcpProxy({ host: redis.hostname, port: Number(redis.port || 6379) });
    replica = await createTestApp(pgliteTarget, { REDIS_URL: proxy.urlFor(redisUrl as string), RATE_LIMIT_MAX: String(LIMIT), RATE_LIMIT_WINDOW: '15m' });
    pinLimiterClock(replica, windowStart);
    const redisClient = replica.container.redis;
    if (!redisClient) throw new Error('the app has no Redis client although REDIS_URL is set');
    client = redisClient;
    await whenRedisReady(client);
  });

  afterAll(async () => {
    proxy?.restore();
    await replica?.close();
    await proxy?.close();
    if (direct) {
      const mine = await direct.keys(`orca:ratelimit:*:${windowStart}`);
      if (mine.length > 0) await direct.del(...mine);
      direct.disconnect();
    }
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  });

  /*
   * A hung Redis emits no ioredis 'error' event: the warning must come from the fallback itself (docs/SECURITY.md).
   * Runs first: the outage is logged once per outage, so it must be this app's first fallback.
   */
  it('logs a warning when requests fall back because Redis does not answer', async () => {
    proxy.blackhole();
    try {
      const response = await call('198.51.100.200');
      expect(response.statusCode).toBe(401);
      const warnings = replica.logs.filter((line) => line.level === 'warn' && /redis/i.test(String(line.msg)));
      expect(warnings.length).toBeGreaterThan(0);
    } finally {
      await restoreAndWaitReady();
    }
  });

  it('answers within the store deadline, still limits per process, stays ready (degraded), and recovers', async () => {
    const address = '198.51.100.201';
    const first = await call(address);
    expect(first.statusCode).toBe(401);
    expectRateLimit(first, 'anonymous', LIMIT, LIMIT - 1);
    const bucket = `orca:ratelimit:ip:${address}:${windowStart}`;
    expect(await direct.get(bucket)).toBe('1');
    const fallbackBefore = await metricValue(replica, 'orca_rate_limit_fallback_total');

    proxy.blackhole();
    for (let request = 1; request <= LIMIT + 1; request += 1) {
      const started = performance.now();
      const response = await call(address);
      expect(performance.now() - started).toBeLessThan(ANSWER_BUDGET_MS);
      // The local counter of this replica starts from zero: the limit applies again from the top, never open.
      if (request <= LIMIT) {
        expect(response.statusCode, response.body).toBe(401);
        expectRateLimit(response, 'anonymous', LIMIT, LIMIT - request);
      } else {
        expectTooManyRequests(response, 'anonymous', LIMIT, '/status');
      }
    }
    expect(await metricValue(replica, 'orca_rate_limit_fallback_total')).toBe(fallbackBefore + LIMIT + 1);

    const readyz = await replica.app.inject({ method: 'GET', url: '/readyz' });
    expect(readyz.statusCode).toBe(200);
    expect(readyz.json()).toMatchObject({
      status: 'ready',
      checks: { database: { status: 'up' }, redis: { status: 'down', detail: 'redis ping timed out after 500 ms' } },
    });
    const health = await replica.app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'degraded', checks: { redis: { status: 'down' } } });

    await restoreAndWaitReady();
    const readyAgain = await replica.app.inject({ method: 'GET', url: '/readyz' });
    expect(readyAgain.statusCode, readyAgain.body).toBe(200);
    // Redis decides again: a fresh caller is counted there and nothing more falls back.
    const fresh = '198.51.100.202';
    const response = await call(fresh);
    expectRateLimit(response, 'anonymous', LIMIT, LIMIT - 1);
    expect(await direct.get(`orca:ratelimit:ip:${fresh}:${windowStart}`)).toBe('1');
    expect(await metricValue(replica, 'orca_rate_limit_fallback_total')).toBe(fallbackBefore + LIMIT + 1);
    expect(crashes).toEqual([]);
  });
});
