import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Webhook } from 'standardwebhooks';
import { waitForQuietMachine } from '../lib/cpu.js';
import { contentionWarnings } from '../lib/measure.js';
import { BENCH_RATE_LIMIT_MAX, SAMPLE_AGENT } from '../lib/orca.js';
import { freePort, HOST, startServerProcess, withServers, type ServerProcess } from '../lib/server-process.js';
import type { Detail, Measurement, Suite, SuiteContext, SuiteOutcome, TargetResult } from '../lib/types.js';
import { createSchema } from '../lib/postgres-schema.js';
import { postgresCpuBetween, samplePostgresCpu } from '../lib/postgres-cpu.js';
import { percentile } from '../lib/stats.js';

/**
 * Issue 4 item 12: signed single-event webhooks (acknowledged after commit) at several concurrencies and canonical
 * /events batches, on PostgreSQL and on PGlite. Targets (PostgreSQL, 2 cores): >= 5,000 webhook events/s,
 * >= 50,000 events/s through batches, p99 of a webhook <= 50 ms at 64 connections.
 */
const WEBHOOK_CONCURRENCIES = [16, 64] as const;
const BATCH_SIZE = 1000;
const BATCH_CONNECTIONS = 4;
const TARGET_CONNECTIONS = 64;
const MIN_WEBHOOK_EVENTS_PER_SECOND = 5000;
const MIN_BATCH_EVENTS_PER_SECOND = 50_000;
const MAX_WEBHOOK_P99_MS = 50;
/** A PostgreSQL server for the PostgreSQL half (a fresh schema is created and dropped); unset → PGlite only. */
const POSTGRES_URL = process.env.ORCA_BENCH_DATABASE_URL;

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
/**
 * Requests are prepared (signed, serialised) before the measured run, as many as the warm-up's rate says it will
 * take (times this margin), so that the load generator — on the same cores — spends its CPU sending, not signing.
 */
const PREPARE_MARGIN = 1.5;
/** Pre-signed webhooks must still be inside ORCA's replay window (300 s) when sent: longer runs sign as they go. */
const MAX_PREPARED_SECONDS = 240;
/** Bounds the memory of prepared /events bodies (about 200 KB each). */
const MAX_PREPARED_BATCHES = 2000;

export interface IngestServer extends ServerProcess {
  adminKey: string;
  sourceId: string;
  secret: string;
}


export async function startIngestServer(context: SuiteContext, name: string, databaseUrl: string | undefined, env: Record<string, string> = {}): Promise<IngestServer> {
  const entry = join(context.repoRoot, 'dist', 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first (\`npm run bench\` does)`);
  const adminKey = randomBytes(24).toString('base64url');
  const port = await freePort();
  context.progress(`starting ORCA (${name})`);
  const server = await startServerProcess({
    name,
    args: [entry, 'start'],
    cwd: context.workDir,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOST,
      PORT: String(port),
      ORCA_DATA_DIR: join(context.workDir, `${name}-data`),
      LOG_LEVEL: 'info',
      API_KEYS: `bench-admin:admin:${adminKey}`,
      RATE_LIMIT_MAX: String(BENCH_RATE_LIMIT_MAX),
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      ...env,
    },
    port,
    readyPath: '/livez',
    stdoutPath: join(context.workDir, `${name}.log`),
  });
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  const response = await fetch(`${server.baseUrl}/api/v1/sources`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': adminKey },
    body: JSON.stringify({ kind: 'generic', name: 'bench', secret }),
  });
  if (response.status !== 201) {
    await server.stop();
    throw new Error(`POST /api/v1/sources answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  }
  return { ...server, adminKey, sourceId: ((await response.json()) as { id: string }).id, secret };
}

/** Every request gets a fresh body and webhook-id, signed as a sender would: each one is a new event, never a duplicate. */
export function webhookRequest(server: Pick<IngestServer, 'secret' | 'sourceId' | 'adminKey'>) {
  const signer = new Webhook(server.secret);
  let sequence = 0;
  return () => {
    sequence += 1;
    const id = `msg_${randomUUID()}`;
    const body = JSON.stringify({
      type: 'order.created',
      timestamp: new Date().toISOString(),
      data: { object: 'order', id: `ORD-${sequence}`, sequence, total: 129.9, currency: 'EUR' },
    });
    const now = new Date();
    return {
      method: 'POST' as const,
      path: `/api/v1/ingest/${server.sourceId}`,
      headers: {
        'content-type': 'application/json',
        'x-api-key': server.adminKey,
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signer.sign(id, now, body),
      },
      body,
    };
  };
}

export function batchRequest(server: Pick<IngestServer, 'sourceId' | 'adminKey'>, size: number = BATCH_SIZE) {
  let batch = 0;
  return () => {
    batch += 1;
    const occurredAt = new Date().toISOString();
    const events = Array.from({ length: size }, (_, index) => ({
      source_id: server.sourceId,
      idempotency_key: `b${batch}-${index}-${randomUUID()}`,
      event_type: 'order.created',
      entity_type: 'order',
      entity_id: `B${batch}-${index}`,
      occurred_at: occurredAt,
      sequence: index,
      payload: { total: 129.9, currency: 'EUR' },
    }));
    return {
      method: 'POST' as const,
      path: '/api/v1/events',
      headers: { 'content-type': 'application/json', 'x-api-key': server.adminKey },
      body: JSON.stringify({ events }),
    };
  };
}

/**
 * The batch case once more with a sync contract on the bench source, so that the analyzer has work for every event:
 * a stream on its `order` events (sequence checked, one order.created per order) and a follow-up that expects an
 * order.fulfilled within 2 h. Each event then claims its analysis, creates its order's memory and awaits a
 * follow-up, in the transaction after its ingest commit and before the 2xx (docs/sync.md, "How the analyzer runs").
 */
async function activateContract(server: IngestServer): Promise<void> {
  const headers = { 'content-type': 'application/json', 'x-api-key': server.adminKey };
  const agent = await fetch(`${server.baseUrl}/api/v1/agents`, { method: 'POST', headers, body: JSON.stringify({ ...SAMPLE_AGENT, name: 'order-sync-bench' }) });
  if (agent.status !== 201) throw new Error(`POST /api/v1/agents answered ${agent.status}: ${(await agent.text()).slice(0, 300)}`);
  const owner = ((await agent.json()) as { id: string }).id;
  const document = {
    contracts: [
      {
        name: 'bench-orders',
        owner,
        streams: [{ name: 'bench-orders', source: server.sourceId, entity_type: 'order', freshness: '1h', check_sequence: true, unique_event_types: ['order.created'] }],
        follow_ups: [
          {
            name: 'order-fulfilled',
            when: { stream: 'bench-orders', event_type: 'order.created' },
            then: { stream: 'bench-orders', event_type: 'order.fulfilled' },
            within: '2h',
            severity: 'high',
          },
        ],
      },
    ],
  };
  const response = await fetch(`${server.baseUrl}/api/v1/sync/contracts`, { method: 'PUT', headers, body: JSON.stringify(document) });
  if (response.status !== 200) throw new Error(`PUT /api/v1/sync/contracts answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
}

interface Fired {
  result: autocannon.Result;
  latencies: number[];
}

export function fire(server: IngestServer, next: () => { method: 'POST'; path: string; headers: Record<string, string>; body: string }, connections: number, seconds: number): Promise<Fired> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: server.baseUrl,
        connections,
        pipelining: 1,
        duration: seconds,
        requests: [{ setupRequest: (request: autocannon.Request) => ({ ...request, ...next() }) }],
      },
      (error: Error | null, result: autocannon.Result) => (error ? reject(error) : resolve({ result, latencies })),
    );
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

async function storedEvents(server: IngestServer): Promise<number> {
  const response = await fetch(`${server.baseUrl}/metrics`, { headers: { 'x-api-key': server.adminKey } });
  const text = await response.text();
  let total = 0;
  for (const match of text.matchAll(/^orca_ingest_events_total\{[^}]*outcome="accepted"[^}]*\} (\d+(?:\.\d+)?)$/gm)) total += Number(match[1]);
  return total;
}

type PreparedRequest = { method: 'POST'; path: string; headers: Record<string, string>; body: string };

interface Case {
  id: string;
  label: string;
  operation: string;
  connections: number;
  eventsPerRequest: number;
  next: () => PreparedRequest;
  maxPrepared: number;
}

/** Up to `count` requests made in advance, handed out in order; then made on demand (counted in `live`). */
function prepared(next: () => PreparedRequest, count: number) {
  const pool = Array.from({ length: count }, next);
  let taken = 0;
  const state = {
    live: 0,
    next(): PreparedRequest {
      if (taken < pool.length) {
        const request = pool[taken]!;
        pool[taken] = undefined as unknown as PreparedRequest; // let what was sent be collected
        taken += 1;
        return request;
      }
      state.live += 1;
      return next();
    },
  };
  return state;
}

async function measure(server: IngestServer, item: Case, context: SuiteContext, database: 'postgres' | 'pglite'): Promise<Measurement> {
  const { load, progress } = context;
  await waitForQuietMachine(load.waitQuietSeconds, progress);
  let expectedRate = 0;
  if (load.warmupSeconds > 0) {
    progress(`warm-up ${load.warmupSeconds} s: ${item.label}`);
    const warmup = await fire(server, item.next, item.connections, load.warmupSeconds);
    expectedRate = warmup.result['2xx'] / load.warmupSeconds;
  }
  const count =
    load.durationSeconds <= MAX_PREPARED_SECONDS
      ? Math.min(item.maxPrepared, Math.ceil(expectedRate * load.durationSeconds * PREPARE_MARGIN) + item.connections)
      : 0;
  progress(`preparing ${count} requests: ${item.label}`);
  const requests = prepared(item.next, count);
  progress(`${load.durationSeconds} s: ${item.label}`);
  const storedBefore = await storedEvents(server);
  const cpuBefore = server.cpuSeconds();
  const postgresBefore = database === 'postgres' ? samplePostgresCpu() : undefined;
  const harnessBefore = process.cpuUsage();
  const started = performance.now();
  const { result, latencies } = await fire(server, () => requests.next(), item.connections, load.durationSeconds);
  const wall = (performance.now() - started) / 1000;
  const cpuAfter = server.cpuSeconds();
  const harness = process.cpuUsage(harnessBefore);
  const postgresSeconds = postgresCpuBetween(postgresBefore, database === 'postgres' ? samplePostgresCpu() : undefined);
  const stored = (await storedEvents(server)) - storedBefore;
  if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) {
    throw new Error(`${item.label}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx responses`);
  }
  const completed = result['2xx'];
  const sorted = Float64Array.from(latencies).sort();
  const details: Detail[] = [
    { key: 'requests_per_second', label: 'requests', value: round(completed / wall, 1), unit: 'req/s' },
    { key: 'events_stored', label: 'events stored (orca_ingest_events_total, accepted)', value: stored, unit: '' },
    { key: 'load_generator_cpu_percent', label: 'load generator CPU', value: round(((harness.user + harness.system) / 1e6 / wall) * 100, 1), unit: '% of a core' },
    { key: 'requests_prepared', label: 'requests prepared before the run', value: count, unit: '' },
    { key: 'requests_made_live', label: 'requests made during the run (pool exhausted)', value: requests.live, unit: '' },
  ];
  if (cpuBefore !== undefined && cpuAfter !== undefined) {
    details.push({ key: 'server_cpu_percent', label: 'server CPU', value: round(((cpuAfter - cpuBefore) / wall) * 100, 1), unit: '% of a core' });
    const events = completed * item.eventsPerRequest;
    if (events > 0) details.push({ key: 'server_cpu_us_per_event', label: 'server CPU per event', value: round(((cpuAfter - cpuBefore) / events) * 1e6, 1), unit: 'µs' });
    if (postgresSeconds !== undefined && events > 0) {
      details.push({ key: 'postgres_cpu_percent', label: 'PostgreSQL CPU (all its processes)', value: round((postgresSeconds / wall) * 100, 1), unit: '% of a core' });
      details.push({ key: 'postgres_cpu_us_per_event', label: 'PostgreSQL CPU per event', value: round((postgresSeconds / events) * 1e6, 1), unit: 'µs' });
    }
  }
  return {
    id: item.id,
    label: item.label,
    operation: item.operation,
    throughput: { unit: 'events/s', mean: round((completed * item.eventsPerRequest) / wall, 1) },
    latencyMs: {
      mean: round(latencies.reduce((total, value) => total + value, 0) / Math.max(1, latencies.length), 3),
      p50: round(percentile(sorted, 0.5), 2),
      p97_5: round(percentile(sorted, 0.975), 2),
      p99: round(percentile(sorted, 0.99), 2),
      max: round(sorted[sorted.length - 1] ?? 0, 2),
    },
    completed,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    details,
  };
}

/** Measured after the plain cases, once a sync contract is active: a webhook burst and the batches again. */
function contractCases(server: IngestServer, database: string): Case[] {
  return [
    {
      id: `${database}-webhook-${TARGET_CONNECTIONS}-contract`,
      label: `${database}: signed webhook, ${TARGET_CONNECTIONS} connections, sync contract active`,
      operation: 'POST /api/v1/ingest/{sourceId} (1 event, Standard Webhooks, analysed)',
      connections: TARGET_CONNECTIONS,
      eventsPerRequest: 1,
      next: webhookRequest(server),
      maxPrepared: Number.POSITIVE_INFINITY,
    },
    {
      id: `${database}-batch-${BATCH_SIZE}-contract`,
      label: `${database}: /events batches of ${BATCH_SIZE}, ${BATCH_CONNECTIONS} connections, sync contract active`,
      operation: `POST /api/v1/events (${BATCH_SIZE} events, each analysed)`,
      connections: BATCH_CONNECTIONS,
      eventsPerRequest: BATCH_SIZE,
      next: batchRequest(server),
      maxPrepared: MAX_PREPARED_BATCHES,
    },
  ];
}

function casesFor(server: IngestServer, database: string): Case[] {
  return [
    ...WEBHOOK_CONCURRENCIES.map((connections) => ({
      id: `${database}-webhook-${connections}`,
      label: `${database}: signed webhook, ${connections} connections`,
      operation: 'POST /api/v1/ingest/{sourceId} (1 event, Standard Webhooks)',
      connections,
      eventsPerRequest: 1,
      next: webhookRequest(server),
      maxPrepared: Number.POSITIVE_INFINITY,
    })),
    {
      id: `${database}-batch-${BATCH_SIZE}`,
      label: `${database}: /events batches of ${BATCH_SIZE}, ${BATCH_CONNECTIONS} connections`,
      operation: `POST /api/v1/events (${BATCH_SIZE} events)`,
      connections: BATCH_CONNECTIONS,
      eventsPerRequest: BATCH_SIZE,
      next: batchRequest(server),
      maxPrepared: MAX_PREPARED_BATCHES,
    },
  ];
}

function evaluateTargets(measurements: Measurement[]): TargetResult[] {
  const find = (id: string) => measurements.find((measurement) => measurement.id === id);
  const webhook = find(`postgres-webhook-${TARGET_CONNECTIONS}`);
  const batch = find(`postgres-batch-${BATCH_SIZE}`);
  const missing = 'not measured: set ORCA_BENCH_DATABASE_URL to a PostgreSQL server';
  return [
    {
      description: `PostgreSQL: signed single-event webhooks at ${TARGET_CONNECTIONS} connections`,
      measurement: `postgres-webhook-${TARGET_CONNECTIONS}`,
      actual: webhook?.throughput.mean ?? 0,
      unit: 'events/s',
      comparator: '>=',
      threshold: MIN_WEBHOOK_EVENTS_PER_SECOND,
      pass: webhook ? webhook.throughput.mean >= MIN_WEBHOOK_EVENTS_PER_SECOND : null,
      ...(webhook ? {} : { note: missing }),
    },
    {
      description: `PostgreSQL: p99 of a signed webhook at ${TARGET_CONNECTIONS} connections`,
      measurement: `postgres-webhook-${TARGET_CONNECTIONS}`,
      actual: webhook?.latencyMs.p99 ?? 0,
      unit: 'ms',
      comparator: '<=',
      threshold: MAX_WEBHOOK_P99_MS,
      pass: webhook ? webhook.latencyMs.p99 <= MAX_WEBHOOK_P99_MS : null,
      ...(webhook ? {} : { note: missing }),
    },
    {
      description: `PostgreSQL: events through /events batches of ${BATCH_SIZE}`,
      measurement: `postgres-batch-${BATCH_SIZE}`,
      actual: batch?.throughput.mean ?? 0,
      unit: 'events/s',
      comparator: '>=',
      threshold: MIN_BATCH_EVENTS_PER_SECOND,
      pass: batch ? batch.throughput.mean >= MIN_BATCH_EVENTS_PER_SECOND : null,
      ...(batch ? {} : { note: missing }),
    },
  ];
}

export const ingestSuite: Suite = {
  name: 'ingest',
  description: 'signed webhooks (16 and 64 connections) and 1,000-event /events batches (64-connection webhooks and batches also with a sync contract active), acknowledged after commit, on PostgreSQL and PGlite',
  async run(context: SuiteContext): Promise<SuiteOutcome> {
    const measurements: Measurement[] = [];
    const databases: Array<{ name: 'postgres' | 'pglite'; url?: string; drop?: () => Promise<void> }> = [];
    if (POSTGRES_URL) {
      const schema = await createSchema(POSTGRES_URL);
      databases.push({ name: 'postgres', url: schema.url, drop: schema.drop });
    }
    databases.push({ name: 'pglite' });
    for (const database of databases) {
      const servers: ServerProcess[] = [];
      try {
        const server = await startIngestServer(context, `orca-${database.name}`, database.url);
        servers.push(server);
        await withServers(servers, async () => {
          for (const item of casesFor(server, database.name)) measurements.push(await measure(server, item, context, database.name));
          // Last: the contract stays active for the rest of this server's life.
          context.progress(`activating a sync contract (${database.name})`);
          await activateContract(server);
          for (const item of contractCases(server, database.name)) measurements.push(await measure(server, item, context, database.name));
        });
      } finally {
        await database.drop?.();
      }
    }
    const { load } = context;
    return {
      title: 'Ingestion: signed webhooks and /events batches, acknowledged after commit',
      summary:
        'Events per second stored by ORCA through its webhook endpoint (one Standard Webhooks-signed event per request, answered only ' +
        `after the group commit) and through /events batches of ${BATCH_SIZE}, on a PostgreSQL server and on the embedded PGlite.`,
      settings: {
        'warm-up per case': `${load.warmupSeconds} s`,
        'measured time per case': `${load.durationSeconds} s`,
        'webhook connections': WEBHOOK_CONCURRENCIES.join(', '),
        'batch connections': String(BATCH_CONNECTIONS),
        'PostgreSQL server': POSTGRES_URL ? 'ORCA_BENCH_DATABASE_URL (fresh schema per run)' : 'not configured (ORCA_BENCH_DATABASE_URL unset)',
        'group commit': 'up to 2 ms wait, up to 256 requests per commit (one insert statement, no BEGIN/COMMIT around it), up to 4 batches at once on PostgreSQL (1 on PGlite); a request of 256 events or more (each /events batch here) is inserted and committed on its own',
      },
      measurements,
      targets: evaluateTargets(measurements),
      warnings: [
        ...contentionWarnings(measurements),
        ...(POSTGRES_URL ? [] : ['PostgreSQL was not measured: the targets of issue 4 are defined on PostgreSQL.']),
      ],
      method: [
        'ORCA: the build in dist/ (`node dist/main.js start`, role all), LOG_LEVEL=info to a file, the security edge on (admin key in X-API-Key, rate limiter counting but never refusing). PostgreSQL: DATABASE_URL on a fresh schema of ORCA_BENCH_DATABASE_URL, default pool; PGlite: a fresh ORCA_DATA_DIR.',
        'One `generic` source (Standard Webhooks) is created through POST /api/v1/sources. Every webhook request carries a new body and webhook-id, signed in the load generator with the `standardwebhooks` library, so every request stores a new event (no duplicates); a 2xx means the event is committed.',
        `Requests are prepared before each measured run — webhooks signed, /events bodies serialised — as many as the warm-up's rate times the measured time times ${PREPARE_MARGIN} (at most ${MAX_PREPARED_BATCHES} /events bodies; none for runs over ${MAX_PREPARED_SECONDS} s, whose signatures would leave ORCA's 300 s replay window), so that the load generator, which shares the machine's cores with ORCA and PostgreSQL, spends its CPU sending rather than signing (the sender's signing cost is the outside world's, not ORCA's). Should the pool run out, requests are made during the run; the cost table says how many.`,
        `/events: each request carries ${BATCH_SIZE} canonical events with unique idempotency keys; events/s counts ${BATCH_SIZE} per 2xx.`,
        'Sync contract active (last two cases on each database, informational: the targets are on the cases without one): a contract is put through PUT /api/v1/sync/contracts with a stream on the bench source\'s `order` events (check_sequence, unique_event_types [order.created]) and a follow-up expecting order.fulfilled within 2 h, owned by an agent registered for it. Every order.created, of the webhooks (their data.object and data.id name the order) and of the batches, is then analysed before its 2xx: its analysis claimed, its order\'s memory created, its follow-up awaited.',
        'Load: autocannon in the harness process on the same machine (they share its cores); one warm-up, then one measured run per case. Any error, timeout or non-2xx fails the run. "events stored" is read from ORCA\'s orca_ingest_events_total before and after, as a cross-check of the throughput.',
        'CPU: the ORCA process from /proc/<pid>/stat; PostgreSQL as the sum over every local process named `postgres` (backends serving ORCA, WAL writer, checkpointer, …), so the cost table shows how the machine\'s two cores are shared between ORCA, its database and the load generator. Per event = CPU seconds over events stored in the measured run.',
      ],
    };
  },
};
