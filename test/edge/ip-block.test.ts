import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { pgliteTarget } from '../helpers/db.js';

/**
 * BLOCKED_IPS as an attacker meets it (docs/SECURITY.md "IP blocklist", "Proxies"): blocked peers get 403 on every
 * route — probes included — before anything else runs; a forged X-Forwarded-For neither unblocks a blocked peer
 * nor blocks (or un-limits) an allowed one unless TRUST_PROXY trusts the peer that sent it.
 */

const BLOCKED_IPS = '203.0.113.0/24,2001:db8::/32,198.51.100.7';
const PROBLEM = 'application/problem+json; charset=utf-8';
const WINDOW_MS = 15 * 60_000;

/** Fixed windows are aligned to the epoch: pin the limiter 100 s into one so that counts never reset mid-test. */
function pinLimiterClock(testApp: TestApp): void {
  const pinned = new Date(Math.floor(Date.now() / WINDOW_MS) * WINDOW_MS + 100_000);
  testApp.container.clock = { now: () => pinned };
}

interface Probe {
  method: 'GET' | 'POST' | 'DELETE' | 'OPTIONS';
  url: string;
  headers?: Record<string, string>;
  payload?: string;
}

function expectBlocked(response: LightMyRequestResponse, instance: string): void {
  expect(response.statusCode, response.body).toBe(403);
  expect(response.headers['content-type']).toBe(PROBLEM);
  expect(response.json()).toEqual({
    type: 'urn:orca:problem:forbidden',
    title: 'Forbidden',
    status: 403,
    detail: 'requests from this address are blocked',
    instance,
    correlation_id: response.headers['x-correlation-id'],
  });
  // Refused before the rate limiter: a blocked address is not even counted.
  expect(response.headers.ratelimit).toBeUndefined();
  // Security headers still apply to the refusal.
  expect(response.headers['x-content-type-options']).toBe('nosniff');
}

async function blockedCount(testApp: TestApp): Promise<number> {
  const response = await testApp.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '192.0.2.250' });
  expect(response.statusCode).toBe(200);
  const line = response.body.split('\n').find((row) => row.startsWith('orca_blocked_requests_total '));
  if (line === undefined) throw new Error('orca_blocked_requests_total is not exported');
  return Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('BLOCKED_IPS with TRUST_PROXY=false (the default)', () => {
  let testApp: TestApp;
  let routes: Probe[];

  beforeAll(async () => {
    testApp = await createTestApp(pgliteTarget, { BLOCKED_IPS, RATE_LIMIT_MAX: '3' });
    pinLimiterClock(testApp);
    routes = [
      { method: 'GET', url: '/livez' },
      { method: 'GET', url: '/readyz' },
      { method: 'GET', url: '/metrics' },
      { method: 'GET', url: '/openapi.json' },
      { method: 'GET', url: '/status', headers: testApp.as('admin') },
      { method: 'GET', url: '/api/v1/agents', headers: testApp.as('admin') },
      { method: 'POST', url: '/api/v1/agents', headers: { ...testApp.as('admin'), 'content-type': 'application/json' }, payload: '{"name":"x"}' },
      { method: 'DELETE', url: '/api/v1/keys/whatever', headers: testApp.as('admin') },
      { method: 'GET', url: '/no-such-route' },
      { method: 'OPTIONS', url: '/api/v1/agents', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' } },
    ];
  });

  afterAll(async () => {
    await testApp?.close();
  });

  const send = (probe: Probe, remoteAddress: string) =>
    testApp.app.inject({ method: probe.method, url: probe.url, headers: probe.headers ?? {}, payload: probe.payload, remoteAddress });

  it.each([
    ['the first address of the v4 range', '203.0.113.0'],
    ['an address inside the v4 range', '203.0.113.77'],
    ['the last address of the v4 range', '203.0.113.255'],
    ['the single blocked v4 address', '198.51.100.7'],
    ['an address of the v6 range', '2001:db8::1'],
    ['the last address of the v6 range', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['an IPv4-mapped v6 peer inside the v4 range', '::ffff:203.0.113.9'],
    ['the IPv4-mapped form of the single address', '::ffff:198.51.100.7'],
  ])('refuses %s (%s) with 403 on every route, valid key or not, and counts each refusal', async (_label, address) => {
    const before = await blockedCount(testApp);
    for (const probe of routes) expectBlocked(await send(probe, address), probe.url);
    expect(await blockedCount(testApp)).toBe(before + routes.length);
  });

  it.each([
    ['below the v4 range', '203.0.112.255'],
    ['above the v4 range', '203.0.114.0'],
    ['next to the single address (below)', '198.51.100.6'],
    ['next to the single address (above)', '198.51.100.8'],
    ['below the v6 range', '2001:db7:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['above the v6 range', '2001:db9::'],
    ['an IPv4-mapped neighbour', '::ffff:203.0.114.1'],
  ])('lets a neighbour %s (%s) through', async (_label, address) => {
    const before = await blockedCount(testApp);
    const probe = await testApp.app.inject({ method: 'GET', url: '/livez', remoteAddress: address });
    expect(probe.statusCode).toBe(200);
    // Past the blocklist to the next stages of the edge: counted under its own address, then asked for a key.
    const status = await testApp.app.inject({ method: 'GET', url: '/status', remoteAddress: address });
    expect(status.statusCode, status.body).toBe(401);
    expect(status.headers.ratelimit).toBe('"anonymous";r=2;t=800');
    expect(await blockedCount(testApp)).toBe(before);
  });

  it('ignores X-Forwarded-For from an untrusted peer: a blocked peer cannot unblock itself', async () => {
    for (const forwarded of ['8.8.8.8', '8.8.8.8, 192.0.2.1', '127.0.0.1']) {
      const response = await testApp.app.inject({
        method: 'GET',
        url: '/status',
        headers: { ...testApp.as('viewer'), 'x-forwarded-for': forwarded },
        remoteAddress: '203.0.113.5',
      });
      expectBlocked(response, '/status');
    }
  });

  it('ignores X-Forwarded-For from an untrusted peer: a forged blocked address neither blocks nor un-limits the sender', async () => {
    const peer = '192.0.2.50';
    const forged = ['203.0.113.5', '198.51.100.7', '2001:db8::1', '192.0.2.51'];
    // RATE_LIMIT_MAX=3: the peer is counted as itself whatever address it claims.
    for (let request = 0; request < 3; request += 1) {
      const response = await testApp.app.inject({ method: 'GET', url: '/status', headers: { 'x-forwarded-for': forged[request]! }, remoteAddress: peer });
      expect(response.statusCode, response.body).toBe(401);
      expect(response.headers.ratelimit).toBe(`"anonymous";r=${2 - request};t=800`);
    }
    const limited = await testApp.app.inject({ method: 'GET', url: '/status', headers: { 'x-forwarded-for': forged[3]! }, remoteAddress: peer });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toBe(PROBLEM);
    expect(limited.headers.ratelimit).toBe('"anonymous";r=0;t=800');
    // The address it claimed to be is untouched.
    const claimed = await testApp.app.inject({ method: 'GET', url: '/status', remoteAddress: '192.0.2.51' });
    expect(claimed.statusCode).toBe(401);
    expect(claimed.headers.ratelimit).toBe('"anonymous";r=2;t=800');
  });
});

describe('BLOCKED_IPS with TRUST_PROXY=127.0.0.1 (behind one reverse proxy)', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp(pgliteTarget, { BLOCKED_IPS, TRUST_PROXY: '127.0.0.1', RATE_LIMIT_MAX: '3' });
    pinLimiterClock(testApp);
  });

  afterAll(async () => {
    await testApp?.close();
  });

  const viaProxy = (forwardedFor: string | undefined, remoteAddress = '127.0.0.1') =>
    testApp.app.inject({
      method: 'GET',
      url: '/status',
      headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
      remoteAddress,
    });

  it('refuses a blocked client forwarded by the trusted proxy, on probes too', async () => {
    const before = await blockedCount(testApp);
    expectBlocked(await viaProxy('203.0.113.5'), '/status');
    expectBlocked(await viaProxy('2001:db8::7'), '/status');
    expectBlocked(await viaProxy('198.51.100.7'), '/status');
    expectBlocked(await viaProxy('::ffff:203.0.113.5'), '/status');
    // The client is the first untrusted address from the right: the proxy itself is skipped.
    expectBlocked(await viaProxy('203.0.113.5, 127.0.0.1'), '/status');
    const probe = await testApp.app.inject({ method: 'GET', url: '/livez', headers: { 'x-forwarded-for': '203.0.113.5' }, remoteAddress: '127.0.0.1' });
    expectBlocked(probe, '/livez');
    expect(await blockedCount(testApp)).toBe(before + 6);
  });

  it('believes only the hop the trusted proxy saw: an address the client wrote further left is ignored', async () => {
    // The client 192.0.2.80 sent "X-Forwarded-For: 203.0.113.5"; the proxy appended what it saw.
    const response = await viaProxy('203.0.113.5, 192.0.2.80');
    expect(response.statusCode, response.body).toBe(401);
    expect(response.headers.ratelimit).toBe('"anonymous";r=2;t=800');
  });

  it('does not believe X-Forwarded-For from a peer that is not the trusted proxy', async () => {
    const response = await viaProxy('203.0.113.5', '192.0.2.90');
    expect(response.statusCode, response.body).toBe(401);
    // Counted as the peer it is, not as the address it claimed.
    const again = await viaProxy(undefined, '192.0.2.90');
    expect(again.headers.ratelimit).toBe('"anonymous";r=1;t=800');
  });

  it('rate-limits the forwarded client, not the proxy', async () => {
    for (let request = 0; request < 3; request += 1) {
      const response = await viaProxy('192.0.2.60');
      expect(response.statusCode).toBe(401);
      expect(response.headers.ratelimit).toBe(`"anonymous";r=${2 - request};t=800`);
    }
    const limited = await viaProxy('192.0.2.60');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('800');
    // Other clients behind the same proxy, and the proxy's own requests, have their own counters.
    const neighbour = await viaProxy('192.0.2.61');
    expect(neighbour.statusCode).toBe(401);
    expect(neighbour.headers.ratelimit).toBe('"anonymous";r=2;t=800');
    const proxyItself = await viaProxy(undefined);
    expect(proxyItself.statusCode).toBe(401);
    expect(proxyItself.headers.ratelimit).toBe('"anonymous";r=2;t=800');
  });

  it('still refuses a blocked peer that claims to be forwarding for someone else', async () => {
    expectBlocked(await viaProxy('192.0.2.1', '203.0.113.20'), '/status');
  });
});
