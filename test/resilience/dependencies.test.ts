import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets, type DatabaseTarget } from '../helpers/db.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { signDelivery, standardWebhooksSecret } from '../fixtures/ingest/sign.js';
import { registerAgent } from '../http/policies/fixtures.js';
import { alertNotification } from '../http/receivers/fixtures.js';
import { kindOf, measureRate, startLoad, type LoadRequest, type LoadRun } from './load.js';
import { recordCase, tally } from './report.js';
import { BENCHMARK, DELIVERY_BOUND_MS, ENQUEUE_IN_FLIGHT, LOAD_FACTOR, MAX_IN_FLIGHT, RECOVERY_BOUND_MS, TIMING, within } from './settings.js';

/**
 * ORCA's dependencies fail under load and come back, with ORCA running on (no restart): PostgreSQL stopped, frozen
 * and restarted, Redis stopped and restarted, an alert receiver down and up. The app runs in this process, listening
 * on loopback; PostgreSQL and Redis are reached through TCP proxies (test/helpers/tcp-proxy.ts) so that the shared
 * servers are never touched: stop = every connection reset and new ones refused, freeze = no byte passes either way
 * (a SIGSTOPped server), restart = connections accepted again. PGlite runs inside ORCA and cannot fail apart from
 * it: the database cases run on PostgreSQL only; Redis and the receiver on both databases.
 */

const redisUrl = process.env.ORCA_TEST_REDIS_URL;
const results = inject('resilienceResults');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const crashes: unknown[] = [];
const onCrash = (error: unknown) => crashes.push(error);
beforeAll(() => {
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
});
afterAll(() => {
  process.off('uncaughtException', onCrash);
  process.off('unhandledRejection', onCrash);
});

/** Only 2xx and the documented `503 unavailable` (docs/errors.md); never another 5xx, 4xx or a dropped connection. */
function unexpectedKinds(run: LoadRun, allowed: string[]): Record<string, number> {
  const unexpected: Record<string, number> = {};
  for (const outcome of run.outcomes) {
    const kind = kindOf(outcome);
    if (!allowed.includes(kind)) unexpected[`${outcome.phase}: ${kind}`] = (unexpected[`${outcome.phase}: ${kind}`] ?? 0) + 1;
  }
  return unexpected;
}

interface FaultCase {
  name: string;
  path: string;
  benchmarkRate: number;
  next: () => LoadRequest;
  captureBody?: boolean;
  fault(): void | Promise<void>;
  heal(): void | Promise<void>;
  /** The moment ORCA serves again by itself; by default the first 2xx of a request sent after heal(). */
  recovered?: (run: LoadRun, healedAt: number) => Promise<number>;
}

/**
 * Measures the rate the server sustains now, offers twice that open loop, and runs: before (steady), fault, recovery
 * (heal until ORCA serves again), after (steady again). Returns the run for the case's own assertions.
 */
async function underLoad(port: number, spec: FaultCase) {
  const measuredRate = await measureRate({ port, connections: 16, durationMs: TIMING.calibrateMs, next: spec.next });
  const offeredRate = Math.max(1, Math.round(measuredRate * LOAD_FACTOR));
  const run = startLoad({ port, rate: offeredRate, maxInFlight: MAX_IN_FLIGHT, next: spec.next, captureBody: spec.captureBody ?? false });
  await sleep(TIMING.beforeMs);
  run.mark('fault');
  await spec.fault();
  await sleep(TIMING.faultMs);
  run.mark('recovery');
  const healedAt = performance.now();
  await spec.heal();
  const recoveredAt = await within((spec.recovered ?? ((load, since) => load.firstSuccessSince(since)))(run, healedAt), RECOVERY_BOUND_MS, `${spec.name}: no recovery within ${RECOVERY_BOUND_MS} ms`);
  run.mark('after');
  await sleep(TIMING.afterMs);
  await run.stop();
  return { run, measuredRate, offeredRate, recoveryMs: recoveredAt - healedAt };
}

/** The app for one database, its PostgreSQL reached through `pgProxy` when there is one, Redis through `redisProxy`. */
async function appFor(target: DatabaseTarget, pgProxy: TcpProxy | undefined, redisProxy: TcpProxy | undefined): Promise<TestApp> {
  const proxied: DatabaseTarget = {
    name: target.name,
    async provision() {
      const provisioned = await target.provision();
      return pgProxy && provisioned.url ? { ...provisioned, url: pgProxy.urlFor(provisioned.url) } : provisioned;
    },
  };
  return createTestApp(proxied, {
    ...(redisProxy && redisUrl ? { REDIS_URL: redisProxy.urlFor(redisUrl) } : {}),
    RATE_LIMIT_MAX: '10000000',
    // Short budgets, so that a frozen database answers 503 within seconds rather than the production 5 s and 45 s.
    DATABASE_STATEMENT_TIMEOUT: '2s',
    DATABASE_HEAVY_STATEMENT_TIMEOUT: '4s',
    HANDLER_TIMEOUT: '20s',
    // The receiver case: a local receiver, retried every second or two, its breaker probing again after 2 s.
    OUTBOUND_ALLOW_CIDRS: '127.0.0.0/8',
    DELIVERY_RETRY_DELAY: '1s',
    OUTBOUND_BREAKER_OPEN_DURATION: '2s',
    OUTBOUND_TIMEOUT: '5s',
    JOBS_POLL_INTERVAL: '1s',
    JOBS_MAINTENANCE_INTERVAL: '1s',
    ALERTS_ENABLED: 'false',
  });
}

/** The client's next `event`; not events.once, which rejects on the 'error' events a dead Redis causes. */
function nextEvent(client: Redis, event: 'ready' | 'close'): Promise<void> {
  return new Promise((resolve) => client.once(event, () => resolve()));
}

/** A webhook receiver that can be stopped (connections refused) and started again on the same port. */
async function restartableReceiver() {
  const arrivals = new Map<string, number>();
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const id = String(request.headers['webhook-id']);
      arrivals.set(id, (arrivals.get(id) ?? 0) + 1);
      response.writeHead(204).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    arrivals,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    async start() {
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
    },
  };
}

for (const target of databaseTargets) {
  describe(`resilience: dependencies fail under load, ORCA keeps running [${target.name}]`, { timeout: 300_000 }, () => {
    let pgProxy: TcpProxy | undefined;
    let redisProxy: TcpProxy | undefined;
    let receiver: Awaited<ReturnType<typeof restartableReceiver>>;
    let testApp: TestApp;
    let port: number;

    beforeAll(async () => {
      const server = process.env.ORCA_TEST_DATABASE_URL;
      if (target.name === 'postgres' && server) pgProxy = await startTcpProxy({ host: new URL(server).hostname, port: Number(new URL(server).port || 5432) });
      if (redisUrl) redisProxy = await startTcpProxy({ host: new URL(redisUrl).hostname, port: Number(new URL(redisUrl).port || 6379) });
      receiver = await restartableReceiver();
      testApp = await appFor(target, pgProxy, redisProxy);
      await testApp.app.listen({ host: '127.0.0.1', port: 0 });
      port = (testApp.app.server.address() as AddressInfo).port;
      if (testApp.container.redis && testApp.container.redis.status !== 'ready') await nextEvent(testApp.container.redis, 'ready');
    }, 300_000);

    afterAll(async () => {
      pgProxy?.thaw();
      pgProxy?.restore();
      redisProxy?.restore();
      await testApp?.close();
      await pgProxy?.close();
      await redisProxy?.close();
      await receiver?.stop().catch(() => {});
      expect(crashes).toEqual([]);
    });

    /** Signed single-event webhooks, each with a new webhook-id: the ingest path of docs/benchmarks.md. */
    async function webhookLoad() {
      const secret = standardWebhooksSecret();
      const created = await testApp.app.inject({ method: 'POST', url: '/api/v1/sources', headers: testApp.as('admin'), payload: { kind: 'generic', name: `resilience-${randomBytes(4).toString('hex')}`, secret } });
      expect(created.statusCode, created.body).toBe(201);
      const sourceId = (created.json() as { id: string }).id;
      const path = `/api/v1/ingest/${sourceId}`;
      let sequence = 0;
      const next = (): LoadRequest => {
        sequence += 1;
        const key = `msg_${sequence}_${randomBytes(3).toString('hex')}`;
        const body = JSON.stringify({ type: 'order.created', timestamp: new Date().toISOString(), data: { object: 'order', id: `ORD-${sequence}` } });
        const signed = signDelivery('generic', body, { secret, now: new Date(), url: path, id: key });
        const { host: _host, ...headers } = signed.headers;
        return { method: 'POST', path, headers: { ...headers, 'x-api-key': testApp.keys.ingest }, body: signed.body, key };
      };
      const stored = async (keys: string[]) => {
        const { rows } = await testApp.container.db.query<{ idempotency_key: string }>('select idempotency_key from event where source_id = $1 and idempotency_key = any($2)', [sourceId, keys]);
        return new Set(rows.map((row) => row.idempotency_key));
      };
      return { next, stored };
    }

    it.skipIf(target.name !== 'postgres')('PostgreSQL stopped, then restarted: webhooks answer 503 meanwhile, every acknowledged event is stored', async () => {
      const proxy = pgProxy as TcpProxy;
      const { next, stored } = await webhookLoad();
      const { run, measuredRate, offeredRate, recoveryMs } = await underLoad(port, {
        name: 'PostgreSQL stopped and restarted',
        path: 'signed webhooks',
        benchmarkRate: BENCHMARK.webhooks[target.name],
        next,
        fault: () => proxy.cut(),
        heal: () => proxy.restore(),
      });
      const acknowledged = run.outcomes.filter((outcome) => kindOf(outcome) === '2xx').map((outcome) => outcome.key!);
      const found = await stored(acknowledged);
      const lost = acknowledged.filter((key) => !found.has(key));
      recordCase(results, {
        case: 'PostgreSQL stopped, then restarted',
        database: target.name,
        path: 'POST /api/v1/ingest/{sourceId} (signed webhook)',
        benchmarkRate: BENCHMARK.webhooks[target.name],
        measuredRate,
        offeredRate,
        faultMs: TIMING.faultMs,
        recoveryMs,
        phases: tally(run),
        acknowledged: acknowledged.length,
        stored: found.size,
        lost: lost.length,
        notes: ['Stopped: the proxy resets every connection to PostgreSQL and refuses new ones; restarted: it accepts them again.'],
      });
      expect(lost).toEqual([]);
      expect(unexpectedKinds(run, ['2xx', '503 unavailable'])).toEqual({});
      expect(tally(run).fault?.['503 unavailable'] ?? 0, 'requests during the outage must have been refused').toBeGreaterThan(0);
      expect(run.outcomes.filter((outcome) => outcome.phase === 'after' && kindOf(outcome) !== '2xx')).toEqual([]);
    });

    it.skipIf(target.name !== 'postgres')('PostgreSQL frozen, then thawed: evaluations answer 503 within their budget, every acknowledged decision is recorded', async () => {
      const proxy = pgProxy as TcpProxy;
      const agentId = await registerAgent(testApp, { role: 'analyst', classification: 'confidential' });
      const body = JSON.stringify({ agent_id: agentId, action: 'read', resource: 'crm.accounts', classification: 'internal', content: `Quarterly numbers look fine; ask jane.roe@acme-corp.com. ${'x'.repeat(1900)}` });
      const next = (): LoadRequest => ({ method: 'POST', path: '/api/v1/policy/evaluate', headers: { 'content-type': 'application/json', 'x-api-key': testApp.keys.ingest }, body });
      const { run, measuredRate, offeredRate, recoveryMs } = await underLoad(port, {
        name: 'PostgreSQL frozen and thawed',
        path: 'policy evaluate',
        benchmarkRate: BENCHMARK.evaluate[target.name],
        next,
        captureBody: true,
        fault: () => proxy.freeze(),
        heal: () => proxy.thaw(),
      });
      const acknowledged = run.outcomes.filter((outcome) => kindOf(outcome) === '2xx').map((outcome) => (JSON.parse(outcome.body!) as { decision_id: string }).decision_id);
      const { rows } = await testApp.container.db.query<{ id: string }>('select id from decision where id = any($1)', [acknowledged]);
      const found = new Set(rows.map((row) => row.id));
      const lost = acknowledged.filter((id) => !found.has(id));
      recordCase(results, {
        case: 'PostgreSQL frozen, then thawed',
        database: target.name,
        path: 'POST /api/v1/policy/evaluate (2 KB content)',
        benchmarkRate: BENCHMARK.evaluate[target.name],
        measuredRate,
        offeredRate,
        faultMs: TIMING.faultMs,
        recoveryMs,
        phases: tally(run),
        acknowledged: acknowledged.length,
        stored: found.size,
        lost: lost.length,
        notes: ['Frozen: no byte passes either way and nothing is closed, as with a SIGSTOPped server; DATABASE_STATEMENT_TIMEOUT=2s bounds each request. Thawed: the queued bytes are delivered and traffic flows again.'],
      });
      expect(lost).toEqual([]);
      expect(unexpectedKinds(run, ['2xx', '503 unavailable'])).toEqual({});
      expect(run.outcomes.filter((outcome) => outcome.phase === 'after' && kindOf(outcome) !== '2xx')).toEqual([]);
    });

    it.skipIf(!redisUrl)('Redis stopped, then restarted: reads go on being served (rate limits per process meanwhile), Redis is used again', async () => {
      const proxy = redisProxy as TcpProxy;
      const redis = testApp.container.redis!;
      const created = await testApp.app.inject({ method: 'POST', url: '/api/v1/agents', headers: testApp.as('operator'), payload: { name: `resilience-read-${randomBytes(4).toString('hex')}`, kind: 'workflow' } });
      expect(created.statusCode, created.body).toBe(201);
      const agentPath = `/api/v1/agents/${(created.json() as { id: string }).id}`;
      const next = (): LoadRequest => ({ method: 'GET', path: agentPath, headers: { 'x-api-key': testApp.keys.viewer } });
      const { run, measuredRate, offeredRate, recoveryMs } = await underLoad(port, {
        name: 'Redis stopped and restarted',
        path: 'agent by id',
        benchmarkRate: BENCHMARK.reads[target.name],
        next,
        fault: async () => {
          const closed = nextEvent(redis, 'close');
          proxy.cut();
          await closed;
        },
        heal: () => proxy.restore(),
        // Reads never stop: recovery is Redis in use again (the client reconnected by itself).
        recovered: async () => {
          if (redis.status !== 'ready') await nextEvent(redis, 'ready');
          return performance.now();
        },
      });
      const phases = tally(run);
      recordCase(results, {
        case: 'Redis stopped, then restarted',
        database: target.name,
        path: 'GET /api/v1/agents/{id}',
        benchmarkRate: BENCHMARK.reads[target.name],
        measuredRate,
        offeredRate,
        faultMs: TIMING.faultMs,
        recoveryMs,
        phases,
        acknowledged: 0,
        stored: 0,
        lost: 0,
        notes: ['A read path: no writes to count. Recovery is the Redis client ready again after the proxy accepts connections (reads are served throughout).'],
      });
      // A 503 here is a request that waited 1.5 s for a pooled connection under this load (docs/OPERATIONS.md,
      // "Timeouts"), before and after the fault alike: Redis being down adds no error of any kind.
      expect(unexpectedKinds(run, ['2xx', '503 unavailable'])).toEqual({});
      expect(phases.fault?.['2xx'] ?? 0).toBeGreaterThan(0);
      const metrics = (await testApp.app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(metrics).toContain('orca_dependency_up{dependency="redis"} 1');
    });

    it('an alert receiver down, then up: every queued notification is delivered after retries, none lost', async () => {
      const created = await testApp.container.modules.receivers.service.create({ id: 'resilience', correlationId: randomUUID() }, { name: `resilience-${randomBytes(4).toString('hex')}`, kind: 'webhook', url: `http://127.0.0.1:${receiver.port}/orca` });
      const sink = testApp.container.modules.receivers.sink;
      // Queued in an open loop at twice the benchmark's delivery rate, bounded in flight, while the receiver is down;
      // it comes back after the fault window whether or not the queueing is done. An enqueue that fails (its
      // transaction found no pooled connection in time under this load) was never acknowledged: nothing is owed to it.
      const offeredRate = BENCHMARK.deliveries * LOAD_FACTOR;
      const total = Math.round((offeredRate * TIMING.queueMs) / 1000);
      let arrivedWhileDown = 0;
      let healedAt = 0;
      await receiver.stop();
      const downAt = performance.now();
      const back = sleep(TIMING.faultMs).then(async () => {
        arrivedWhileDown = receiver.arrivals.size;
        healedAt = performance.now();
        await receiver.start();
      });
      const queued: string[] = [];
      let refused = 0;
      const inFlight = new Set<Promise<void>>();
      for (let index = 0; index < total; index += 1) {
        const due = downAt + (index / offeredRate) * 1000;
        if (due > performance.now()) await sleep(due - performance.now());
        while (inFlight.size >= ENQUEUE_IN_FLIGHT) await Promise.race(inFlight);
        const notification = alertNotification(created.name);
        const pending = sink.enqueue(notification).then(
          () => void queued.push(notification.id),
          () => void (refused += 1),
        );
        inFlight.add(pending);
        void pending.then(() => inFlight.delete(pending));
      }
      await Promise.all(inFlight);
      const queuedRate = total / ((performance.now() - downAt) / 1000);
      await back;
      const deliveredAt = await within(
        (async () => {
          for (;;) {
            const { rows } = await testApp.container.db.query<{ status: string; count: number }>('select status, count(*)::int as count from delivery where receiver_id = $1 group by status', [created.id]);
            const counts = Object.fromEntries(rows.map((row) => [row.status, row.count]));
            if (counts.delivered === queued.length && queued.every((id) => receiver.arrivals.has(id))) return performance.now();
            if ((counts.dead_lettered ?? 0) > 0) throw new Error(`deliveries dead-lettered: ${JSON.stringify(counts)}`);
            await sleep(250);
          }
        })(),
        DELIVERY_BOUND_MS,
        'the queued notifications were not all delivered',
      );
      const lost = queued.filter((id) => !receiver.arrivals.has(id));
      const { rows: attempts } = await testApp.container.db.query<{ attempts: number }>('select coalesce(sum(attempts), 0)::int as attempts from delivery where receiver_id = $1', [created.id]);
      recordCase(results, {
        case: 'Alert receiver down, then up',
        database: target.name,
        path: 'notification deliveries',
        benchmarkRate: BENCHMARK.deliveries,
        measuredRate: queuedRate,
        offeredRate,
        faultMs: TIMING.faultMs,
        recoveryMs: deliveredAt - healedAt,
        phases: { fault: { queued: queued.length, 'enqueue refused (503 under load)': refused, 'arrived while down': arrivedWhileDown }, after: { delivered: queued.length - lost.length, 'delivery attempts': attempts[0]!.attempts, 'arrived twice': [...receiver.arrivals.values()].filter((count) => count > 1).length } },
        acknowledged: queued.length,
        stored: queued.length - lost.length,
        lost: lost.length,
        notes: ['Down: the receiver closes its port (connections refused); up: it listens again on the same port. Notifications are queued through the receivers sink, as the alerts module queues them, at twice the delivery rate of docs/benchmarks.md; measured now is the rate they were queued at. Recovery is the time from the receiver listening again to every delivery `delivered` (retries with DELIVERY_RETRY_DELAY=1s, breaker open 2 s).'],
      });
      expect(arrivedWhileDown).toBe(0);
      expect(queued.length).toBeGreaterThan(0);
      expect(lost).toEqual([]);
    });
  });
}
