import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/db.js';
import { fixture, signDelivery } from '../fixtures/ingest/sign.js';
import { createSource, eventsOf } from '../http/ingest/helpers.js';

/**
 * Signed webhooks are not starved by anonymous traffic (docs/SECURITY.md, "Rate limiting"). Vendors cannot send an
 * ORCA key, and many deliveries reach ORCA from one address (a proxy, a vendor's egress) that also carries anonymous
 * requests. A delivery without a key is counted once its signature verifies, against its source's own budget
 * (RATE_LIMIT_WEBHOOK_MAX per RATE_LIMIT_WINDOW); one that does not authenticate counts against its address's
 * anonymous budget (RATE_LIMIT_MAX), like a failed login.
 */

const WINDOW_MS = 15 * 60_000;
const RESET_SECONDS = 800;
const ANONYMOUS_MAX = 5;
const WEBHOOK_MAX = 3;
const PROXY = '198.51.100.7';

for (const target of databaseTargets) {
  describe(`webhook rate-limit budget per source [${target.name}]`, () => {
    let testApp: TestApp;

    beforeAll(async () => {
      testApp = await createTestApp(target, { RATE_LIMIT_MAX: String(ANONYMOUS_MAX), RATE_LIMIT_WEBHOOK_MAX: String(WEBHOOK_MAX), RATE_LIMIT_WINDOW: '15m' });
      // The limiter reads the container's clock: 100 s into a window, so the reset is exactly 800 s. Signatures are
      // checked against the ingest module's own (system) clock, which this does not move.
      const windowStart = Math.floor(Date.now() / WINDOW_MS) * WINDOW_MS;
      const pinned = new Date(windowStart + WINDOW_MS - RESET_SECONDS * 1000);
      testApp.container.clock = { now: () => pinned };
    }, 180_000);

    afterAll(async () => {
      await testApp?.close();
    });

    const webhook = (source: { id: string; secret: string }, secret = source.secret, remoteAddress = PROXY) => {
      // A distinct webhook-id per delivery: each is a new event, not a repeat.
      const delivery = signDelivery('zapier', fixture('zapier', 'order-created.json'), { secret, now: new Date(), url: `/api/v1/ingest/${source.id}` });
      return testApp.app.inject({ method: 'POST', url: delivery.url, headers: delivery.headers, payload: delivery.body, remoteAddress });
    };

    function expectTooMany(response: LightMyRequestResponse, policy: string, limit: number): void {
      expect(response.statusCode, response.body).toBe(429);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(response.headers['retry-after']).toBe(String(RESET_SECONDS));
      expect(response.headers['ratelimit-policy']).toBe(`"${policy}";q=${limit};w=900`);
      expect(response.headers.ratelimit).toBe(`"${policy}";r=0;t=${RESET_SECONDS}`);
      expect(response.json()).toMatchObject({ type: 'urn:orca:problem:rate_limited', status: 429, detail: `rate limit of ${limit} requests per 900 s exceeded` });
    }

    it('delivers signed webhooks from an address whose anonymous budget is spent, up to the source’s own budget', async () => {
      const source = await createSource(testApp, 'zapier');
      const other = await createSource(testApp, 'zapier');

      // Anonymous reads from the proxy's address spend its budget.
      for (let read = 0; read < ANONYMOUS_MAX; read += 1) {
        expect((await testApp.app.inject({ method: 'GET', url: '/api/v1/agents', remoteAddress: PROXY })).statusCode).toBe(401);
      }
      expectTooMany(await testApp.app.inject({ method: 'GET', url: '/api/v1/agents', remoteAddress: PROXY }), 'anonymous', ANONYMOUS_MAX);

      // Valid deliveries from that address still pass, counted for their source.
      for (let delivery = 1; delivery <= WEBHOOK_MAX; delivery += 1) {
        const response = await webhook(source);
        expect(response.statusCode, response.body).toBe(201);
        expect(response.headers['ratelimit-policy']).toBe(`"webhook";q=${WEBHOOK_MAX};w=900`);
        expect(response.headers.ratelimit).toBe(`"webhook";r=${WEBHOOK_MAX - delivery};t=${RESET_SECONDS}`);
      }
      expect(await eventsOf(testApp, source.id)).toHaveLength(WEBHOOK_MAX);

      // Beyond the source's budget: 429 with Retry-After, and nothing stored.
      expectTooMany(await webhook(source), 'webhook', WEBHOOK_MAX);
      expect(await eventsOf(testApp, source.id)).toHaveLength(WEBHOOK_MAX);

      // Another source has a budget of its own.
      const response = await webhook(other);
      expect(response.statusCode, response.body).toBe(201);
      expect(response.headers.ratelimit).toBe(`"webhook";r=${WEBHOOK_MAX - 1};t=${RESET_SECONDS}`);
    });

    it('counts deliveries that do not authenticate against their address, like failed logins', async () => {
      const source = await createSource(testApp, 'zapier');
      const forger = '198.51.100.66';
      const forged = await createSource(testApp, 'zapier');
      for (let attempt = 1; attempt <= ANONYMOUS_MAX; attempt += 1) {
        const response = await webhook(source, forged.secret, forger);
        expect(response.statusCode, response.body).toBe(401);
        expect(response.headers.ratelimit).toBe(`"anonymous";r=${ANONYMOUS_MAX - attempt};t=${RESET_SECONDS}`);
      }
      expectTooMany(await webhook(source, forged.secret, forger), 'anonymous', ANONYMOUS_MAX);
      // An unknown source is refused the same way: the address's budget is spent.
      expectTooMany(await webhook({ id: '00000000-0000-4000-8000-000000000000', secret: forged.secret }, forged.secret, forger), 'anonymous', ANONYMOUS_MAX);
      expect(await eventsOf(testApp, source.id)).toEqual([]);
      // The source's own budget was not touched by the forgeries; its real deliveries from that address pass.
      const real = await webhook(source, source.secret, forger);
      expect(real.statusCode, real.body).toBe(201);
      expect(real.headers.ratelimit).toBe(`"webhook";r=${WEBHOOK_MAX - 1};t=${RESET_SECONDS}`);
    });

    it('counts the refusals in orca_rate_limited_total by policy', async () => {
      const metrics = (await testApp.app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(metrics).toContain('orca_rate_limited_total{policy="webhook"} 1');
      expect(metrics).toContain('orca_rate_limited_total{policy="anonymous"} 3');
    });
  });
}
