import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { medianRss, readSamples, type MemoryRow } from '../lib/memory.js';
import { compileProbe, drive, failedRequests, measureLoad, measureStart, seed, startProbedBare, startProbedOrca, type OrcaTarget, type PreparedRequest } from '../lib/memory-servers.js';
import { describeSetup, readRecommendedNodeOptions, recommendedSetup, UNBOUNDED, type OptionsDatabase } from '../lib/node-options.js';
import { createSchema } from '../lib/postgres-schema.js';
import { serverNode, stopServers, withServers, type ServerProcess } from '../lib/server-process.js';
import type { Suite, SuiteContext, SuiteOutcome, TargetResult } from '../lib/types.js';
import { batchRequest, webhookRequest } from './ingest.js';

/** Issue 22: the embedded default must fit a small container. MB = 10^6 bytes. */
const MAX_PGLITE_FIRST_START_MB = 450;
const MAX_PGLITE_STEADY_MB = 300;
const MAX_POSTGRES_STEADY_MB = 160;
const MAX_SOAK_GROWTH_PERCENT = 5;
/** The ingest suite's shapes: webhooks at 64 connections, batches of 1,000 events at 4. */
const WEBHOOK_CONNECTIONS = 64;
const BATCH_CONNECTIONS = 4;
/** The soak: a steady mix well below saturation, so that memory, not a queue, is what is measured. */
const SOAK_RATE = 60;
const SOAK_CONNECTIONS = 6;
const SOAK_BATCH_SIZE = 50;
/** After the first start and after a restart: long enough for start-up work (pg-boss, sweepers) to finish. */
const FIRST_START_SETTLE_MS = 5000;
const IDLE_SETTLE_MS = 10_000;
const POSTGRES_URL = process.env.ORCA_BENCH_DATABASE_URL;

interface Prepared {
  target: OrcaTarget;
  processLabel: string;
  server: ServerProcess;
  mix: Array<() => PreparedRequest>;
}

/** First start, restart, then the http and ingest loads, on one database; leaves the restarted server running. */
async function measureDatabase(context: SuiteContext, probe: string, target: OrcaTarget, key: string, rows: MemoryRow[]): Promise<Prepared> {
  const { progress, load } = context;
  const processLabel = target.label;
  progress(`${processLabel}: first start on an empty database`);
  const first = await measureStart(`${key}-first-start`, processLabel, 'first start (empty database: create + migrate), then 5 s idle', target.probePath, () => startProbedOrca(context, probe, target), FIRST_START_SETTLE_MS);
  rows.push(first.row);
  let seeded;
  try {
    seeded = await seed(first.server.baseUrl, target.adminKey);
  } finally {
    await stopServers([first.server]);
  }
  progress(`${processLabel}: restart, idle`);
  const restarted = await measureStart(`${key}-idle`, processLabel, 'restart, then idle 10 s', target.probePath, () => startProbedOrca(context, probe, target), IDLE_SETTLE_MS);
  rows.push(restarted.row);
  const server = restarted.server;
  const admin = { 'x-api-key': target.adminKey };
  const agentRead = (): PreparedRequest => ({ method: 'GET', path: `/api/v1/agents/${seeded.agentId}`, headers: admin });
  const signer = { ...seeded, adminKey: target.adminKey };
  try {
    progress(`${processLabel}: http load ${load.durationSeconds} s`);
    rows.push(
      await measureLoad(`${key}-http`, processLabel, `http load: GET /api/v1/agents/{id}, ${load.connections} connections, ${load.durationSeconds} s`, target.probePath, server, () =>
        drive(`${processLabel}, http load`, server.baseUrl, [agentRead], load.connections, load.durationSeconds),
      ),
    );
    progress(`${processLabel}: ingest webhooks ${load.durationSeconds} s`);
    rows.push(
      await measureLoad(`${key}-webhooks`, processLabel, `ingest load: signed webhooks, ${WEBHOOK_CONNECTIONS} connections, ${load.durationSeconds} s`, target.probePath, server, () =>
        drive(`${processLabel}, webhooks`, server.baseUrl, [webhookRequest(signer)], WEBHOOK_CONNECTIONS, load.durationSeconds),
      ),
    );
    progress(`${processLabel}: ingest batches ${load.durationSeconds} s`);
    rows.push(
      await measureLoad(`${key}-batches`, processLabel, `ingest load: /events batches of 1,000, ${BATCH_CONNECTIONS} connections, ${load.durationSeconds} s`, target.probePath, server, () =>
        drive(`${processLabel}, batches`, server.baseUrl, [batchRequest(signer)], BATCH_CONNECTIONS, load.durationSeconds),
      ),
    );
  } catch (error) {
    await stopServers([server]).catch(() => {});
    throw error;
  }
  return { target, processLabel, server, mix: [agentRead, webhookRequest(signer), batchRequest(signer, SOAK_BATCH_SIZE)] };
}

interface SoakResult {
  key: string;
  processLabel: string;
  startMB: number;
  endMB: number;
  growthPercent: number;
}

/** Warm-up, then the soak; every database's server is soaked at once, so that the soak takes its length only once. */
async function soak(context: SuiteContext, servers: Array<Prepared & { key: string }>): Promise<{ results: SoakResult[]; warmupSeconds: number; windowSeconds: number }> {
  const { soakSeconds } = context.load;
  const warmupSeconds = Math.min(60, Math.max(5, Math.round(soakSeconds / 10)));
  const windowSeconds = Math.max(5, Math.round(soakSeconds / 10));
  context.progress(`soak: warm-up ${warmupSeconds} s, then ${soakSeconds} s of mixed traffic on ${servers.length} servers`);
  await Promise.all(servers.map((item) => drive(`${item.processLabel}, soak warm-up`, item.server.baseUrl, item.mix, SOAK_CONNECTIONS, warmupSeconds, SOAK_RATE)));
  const from = Date.now();
  await Promise.all(servers.map((item) => drive(`${item.processLabel}, soak`, item.server.baseUrl, item.mix, SOAK_CONNECTIONS, soakSeconds, SOAK_RATE)));
  const to = Date.now();
  const results = servers.map((item) => {
    const samples = readSamples(item.target.probePath);
    const startMB = medianRss(samples, from, from + windowSeconds * 1000);
    const endMB = medianRss(samples, to - windowSeconds * 1000, to);
    return { key: item.key, processLabel: item.processLabel, startMB, endMB, growthPercent: Math.round(((endMB - startMB) / startMB) * 1000) / 10 };
  });
  return { results, warmupSeconds, windowSeconds };
}

function atMost(description: string, measurement: string, actual: number | undefined, threshold: number, unit: string, missing: string): TargetResult {
  return {
    description,
    measurement,
    actual: actual ?? 0,
    unit,
    comparator: '<=',
    threshold,
    pass: actual === undefined ? null : actual <= threshold,
    ...(actual === undefined ? { note: missing } : {}),
  };
}

function evaluateTargets(rows: MemoryRow[], soaks: SoakResult[]): TargetResult[] {
  const row = (id: string) => rows.find((candidate) => candidate.id === id);
  const steadyUnderLoad = (key: string) => {
    const loaded = ['http', 'webhooks', 'batches'].flatMap((phase) => row(`${key}-${phase}`) ?? []);
    return loaded.length > 0 ? Math.max(...loaded.map((candidate) => candidate.steadyMB)) : undefined;
  };
  const noPostgres = 'not measured: set ORCA_BENCH_DATABASE_URL to a PostgreSQL server';
  return [
    atMost('PGlite: RSS peak during the first start', 'pglite-first-start', row('pglite-first-start')?.peakMB, MAX_PGLITE_FIRST_START_MB, 'MB', ''),
    atMost('PGlite: RSS steady under load (highest of http, webhooks, batches)', 'pglite-load', steadyUnderLoad('pglite'), MAX_PGLITE_STEADY_MB, 'MB', ''),
    atMost('PostgreSQL: RSS steady under load (highest of http, webhooks, batches)', 'postgres-load', steadyUnderLoad('postgres'), MAX_POSTGRES_STEADY_MB, 'MB', noPostgres),
    ...['pglite', 'postgres'].map((key) => {
      const result = soaks.find((candidate) => candidate.key === key);
      return atMost(`${key === 'pglite' ? 'PGlite' : 'PostgreSQL'}: RSS growth over the soak`, `${key}-soak`, result?.growthPercent, MAX_SOAK_GROWTH_PERCENT, '%', noPostgres);
    }),
  ];
}

/** The ORCA processes to measure: each database with the recommended options, and without any with `--unbounded`. */
function orcaTargets(workDir: string, recommended: ReturnType<typeof readRecommendedNodeOptions>, postgresUrls: string[], unbounded: boolean): Array<{ key: string; target: OrcaTarget }> {
  const databases: Array<{ database: OptionsDatabase; name: string; databaseUrl?: string; bounded: boolean }> = [
    { database: 'pglite', name: 'PGlite', bounded: true },
    ...(unbounded ? [{ database: 'pglite' as const, name: 'PGlite', bounded: false }] : []),
    ...(postgresUrls[0] ? [{ database: 'postgres' as const, name: 'PostgreSQL', databaseUrl: postgresUrls[0], bounded: true }] : []),
    ...(unbounded && postgresUrls[1] ? [{ database: 'postgres' as const, name: 'PostgreSQL', databaseUrl: postgresUrls[1], bounded: false }] : []),
  ];
  return databases.map(({ database, name, databaseUrl, bounded }) => {
    const key = bounded ? database : `${database}-unbounded`;
    const target: OrcaTarget = {
      label: bounded ? `ORCA on ${name}` : `ORCA on ${name}, no Node options`,
      dataDir: join(workDir, `${key}-data`),
      adminKey: randomBytes(24).toString('base64url'),
      probePath: join(workDir, `${key}.memory`),
      setup: bounded ? recommendedSetup(recommended, database) : UNBOUNDED,
      ...(databaseUrl ? { databaseUrl } : {}),
    };
    return { key, target };
  });
}

export const memorySuite: Suite = {
  name: 'memory',
  description: 'resident memory of ORCA (PGlite and PostgreSQL, with the recommended Node options; --unbounded: also without) and bare Fastify: first start, idle, under load, soak',
  async run(context: SuiteContext): Promise<SuiteOutcome> {
    const { load, progress, workDir } = context;
    const loadBefore = loadavg()[0]!;
    failedRequests.length = 0;
    const probe = compileProbe(context);
    const rows: MemoryRow[] = [];
    const bareProbe = join(workDir, 'bare.memory');
    progress('starting bare Fastify');
    const bareStart = await measureStart('bare-start', 'bare Fastify', 'start, then idle 5 s', bareProbe, () => startProbedBare(context, probe, bareProbe), FIRST_START_SETTLE_MS);
    rows.push(bareStart.row);
    const bare = bareStart.server;
    const running: ServerProcess[] = [bare];
    const schemas = POSTGRES_URL ? [await createSchema(POSTGRES_URL), ...(load.unbounded ? [await createSchema(POSTGRES_URL)] : [])] : [];
    const targets = orcaTargets(workDir, readRecommendedNodeOptions(context.repoRoot), schemas.map((schema) => schema.url), load.unbounded);
    let soaked: Awaited<ReturnType<typeof soak>>;
    try {
      soaked = await withServers(running, async () => {
        rows.push(
          await measureLoad('bare-http', 'bare Fastify', `http load: GET /bare, ${load.connections} connections, ${load.durationSeconds} s`, bareProbe, bare, () =>
            drive('bare Fastify, http load', bare.baseUrl, [() => ({ method: 'GET', path: '/bare', headers: {} })], load.connections, load.durationSeconds),
          ),
        );
        const prepared: Array<Prepared & { key: string }> = [];
        for (const { key, target } of targets) {
          const item = await measureDatabase(context, probe, target, key, rows);
          running.push(item.server);
          prepared.push({ ...item, key });
        }
        return soak(context, prepared);
      });
    } finally {
      for (const schema of schemas) await schema.drop();
    }
    const loadAfter = loadavg()[0]!;
    const busy = Math.max(loadBefore, loadAfter) > cpus().length;
    const serverNodeVersion = execFileSync(serverNode(), ['--version'], { encoding: 'utf8' }).trim();
    return {
      title: 'Resident memory: first start, idle, under load and over a soak',
      summary:
        'Resident set (RSS) of ORCA on the embedded database (PGlite) and on PostgreSQL, and of a bare Fastify process, sampled every 100 ms ' +
        'in the same run, split into the V8 heap and the rest (native code, Buffers, WebAssembly memory — PGlite\'s database lives there).',
      settings: {
        'Node running the servers': serverNodeVersion,
        'load average (1 min) at the start and the end': `${loadBefore.toFixed(1)} / ${loadAfter.toFixed(1)} on ${cpus().length} cores`,
        'load phases': `${load.durationSeconds} s each; http at ${load.connections} connections`,
        soak: `${soaked.warmupSeconds} s warm-up, then ${load.soakSeconds} s of mixed traffic at ${SOAK_RATE} req/s over ${SOAK_CONNECTIONS} connections (agent read, signed webhook, /events batch of ${SOAK_BATCH_SIZE}, in turn); growth compares the median RSS of its first and last ${soaked.windowSeconds} s`,
        ...Object.fromEntries(targets.map(({ target }) => [`Node options, ${target.label}`, describeSetup(target.setup)])),
        ...Object.fromEntries(soaked.results.map((result) => [`soak, ${result.processLabel}`, `${result.startMB} MB → ${result.endMB} MB (${result.growthPercent >= 0 ? '+' : ''}${result.growthPercent} %)`])),
      },
      measurements: [],
      memory: rows,
      targets: evaluateTargets(rows, soaked.results),
      warnings: [
        ...(busy
          ? [`the machine was busy: load average ${loadBefore.toFixed(1)} at the start, ${loadAfter.toFixed(1)} at the end, on ${cpus().length} cores — memory figures hold, but the load phases sent fewer requests than on a quiet machine`]
          : []),
        ...failedRequests.map((failure) => `requests failed (under 1 % of the phase; more fails the run): ${failure}`),
      ],
      method: [
        'Servers are child processes of the harness: `node --import <probe> <entry>` — the probe (bench/memory-probe.ts) is loaded before the server and appends process.memoryUsage() every 100 ms to a file; ORCA itself is unchanged. ORCA runs as built (`node dist/main.js start`), LOG_LEVEL=info to a file.',
        'ORCA runs with the Node options recommended for its database (deploy/node-options.json — the values of the Dockerfile, compose.yaml and docs/OPERATIONS.md, Memory): the command-line flags before `--import`, the rest as NODE_OPTIONS; the settings above name each process\'s. The targets are judged on these processes. With `--unbounded` the same phases run also on ORCA without any Node option (V8\'s defaults), labelled so, for comparison; the bare Fastify baseline always runs without options.',
        'RSS peak: the kernel\'s high-water mark (VmHWM in /proc/<pid>/status), exact rather than sampled — from spawn for the start phases, reset (`/proc/<pid>/clear_refs` 5) at the start of each load phase. RSS steady: the median sample over the last 5 s of an idle phase or the second half of a load phase. V8 heap: heapTotal (what V8 holds, used or not); the rest is RSS minus that.',
        'First start: an empty ORCA_DATA_DIR (PGlite) or an empty schema (PostgreSQL, ORCA_BENCH_DATABASE_URL): the database is created and migrated. A source and an agent are then registered and the server stopped; "restart" starts it again on the same data.',
        `Loads are those of the http and ingest suites: GET /api/v1/agents/{id} at ${load.connections} connections; signed single-event webhooks at ${WEBHOOK_CONNECTIONS} connections; /events batches of 1,000 at ${BATCH_CONNECTIONS} connections — every request must answer 2xx.`,
        'The soak runs on every database\'s server at once (the bare server idles), after the load phases and a warm-up of the same mix: memory that keeps growing then is a leak or an unbounded cache, not start-up or warm-up.',
      ],
    };
  },
};
