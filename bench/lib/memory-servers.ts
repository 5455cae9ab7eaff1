import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { compileStandalone } from './compile.js';
import { peakRss, readSamples, resetPeakRss, summarise, type MemoryRow } from './memory.js';
import type { NodeSetup } from './node-options.js';
import { BENCH_RATE_LIMIT_MAX, SAMPLE_AGENT } from './orca.js';
import { freePort, HOST, startServerProcess, type ServerProcess } from './server-process.js';
import type { SuiteContext } from './types.js';

/** A server under the memory probe: its samples accumulate in `probePath` across restarts. */
export interface ProbedServer {
  label: string;
  probePath: string;
  server: ServerProcess;
}

export interface OrcaTarget {
  label: string;
  dataDir: string;
  databaseUrl?: string;
  adminKey: string;
  probePath: string;
  /** The Node flags and NODE_OPTIONS this ORCA runs with (deploy/node-options.json, or none). */
  setup: NodeSetup;
}

export type PreparedRequest = { method: 'GET' | 'POST'; path: string; headers: Record<string, string>; body?: string };

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function compileProbe(context: SuiteContext): string {
  return compileStandalone(join(context.repoRoot, 'bench', 'memory-probe.ts'), join(context.workDir, 'probe'), context.repoRoot);
}

/**
 * `node <command-line flags> --import <probe> dist/main.js start` with the target's NODE_OPTIONS, on its database;
 * the log goes to a file as in production.
 */
export async function startProbedOrca(context: SuiteContext, probe: string, target: OrcaTarget): Promise<ServerProcess> {
  const port = await freePort();
  return startServerProcess({
    name: target.label,
    args: [...target.setup.commandLine, '--import', probe, join(context.repoRoot, 'dist', 'main.js'), 'start'],
    cwd: context.workDir,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOST,
      PORT: String(port),
      ORCA_DATA_DIR: target.dataDir,
      LOG_LEVEL: 'info',
      API_KEYS: `bench-admin:admin:${target.adminKey}`,
      RATE_LIMIT_MAX: String(BENCH_RATE_LIMIT_MAX),
      ORCA_BENCH_MEMORY_PROBE: target.probePath,
      ...(target.setup.nodeOptions ? { NODE_OPTIONS: target.setup.nodeOptions } : {}),
      ...target.setup.environment,
      ...(target.databaseUrl ? { DATABASE_URL: target.databaseUrl } : {}),
    },
    port,
    readyPath: '/livez',
    stdoutPath: join(context.workDir, `${target.label.replace(/\W+/g, '-')}.log`),
    startTimeoutMs: 180_000,
  });
}

export async function startProbedBare(context: SuiteContext, probe: string, probePath: string): Promise<ServerProcess> {
  const script = compileStandalone(join(context.repoRoot, 'bench', 'bare-server.ts'), join(context.workDir, 'bare'), context.repoRoot);
  const port = await freePort();
  return startServerProcess({
    name: 'bare Fastify',
    args: ['--import', probe, script],
    cwd: context.workDir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOST, PORT: String(port), ORCA_BENCH_MEMORY_PROBE: probePath },
    port,
    readyPath: '/bare',
    stdoutPath: '/dev/null',
  });
}

/** Starts a server (spawn to ready, then `settleMs` idle) and summarises that span: peak since spawn, idle at its end. */
export async function measureStart(
  id: string,
  processLabel: string,
  phase: string,
  probePath: string,
  start: () => Promise<ServerProcess>,
  settleMs: number,
): Promise<{ server: ServerProcess; row: MemoryRow }> {
  const from = Date.now();
  const server = await start();
  await settle(settleMs);
  const to = Date.now();
  const row = summarise(readSamples(probePath), { id, process: processLabel, phase, from, to, steadyFrom: to - Math.min(5000, settleMs), kernelPeak: peakRss(server.pid) });
  return { server, row };
}

/**
 * Drives load (`drive` resolves to the 2xx count) and summarises it: the kernel's peak over the phase, the steady
 * state over its second half, and the requests answered per second — what a heap bound costs shows there.
 */
export async function measureLoad(id: string, processLabel: string, phase: string, probePath: string, server: ServerProcess, drive: () => Promise<number>): Promise<MemoryRow> {
  resetPeakRss(server.pid);
  const from = Date.now();
  const answered = await drive();
  const to = Date.now();
  const row = summarise(readSamples(probePath), { id, process: processLabel, phase, from, to, steadyFrom: from + (to - from) / 2, kernelPeak: peakRss(server.pid) });
  return { ...row, requestsPerSecond: Math.round(answered / ((to - from) / 1000)) };
}

/**
 * Requests that failed in a load phase (errors, timeouts, non-2xx), each phase described once; reported as warnings:
 * on a busy shared machine a few answers may be 503 (a pool or handler timeout), which changes no memory figure.
 */
export const failedRequests: string[] = [];
/** More failures than this share of a phase's requests fails the run: its memory figures would not mean much. */
const MAX_FAILED_SHARE = 0.01;

/**
 * Sends the requests (each connection cycles through `requests`) for `seconds`, at `rate` requests/s overall when
 * given, and returns the 2xx count.
 */
export async function drive(label: string, baseUrl: string, requests: Array<() => PreparedRequest>, connections: number, seconds: number, rate?: number): Promise<number> {
  let firstError: string | undefined;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(
      {
        url: baseUrl,
        connections,
        pipelining: 1,
        duration: seconds,
        // Generous: on a shared, busy machine a batch may wait its turn on PGlite's one connection for a while;
        // what is measured here is memory, not latency.
        timeout: 120,
        ...(rate ? { overallRate: rate } : {}),
        requests: requests.map((next) => ({ setupRequest: (request: autocannon.Request) => ({ ...request, ...next() }) })),
      },
      (error: Error | null, outcome: autocannon.Result) => (error ? reject(error) : resolve(outcome)),
    ).on('reqError', (error: Error) => {
      firstError ??= error.message;
    });
  });
  const failed = result.errors + result.timeouts + result.non2xx;
  if (failed > 0) {
    const summary = `${label}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx responses of ${result['2xx'] + failed} requests${firstError ? ` (first error: ${firstError})` : ''}`;
    if (failed > (result['2xx'] + failed) * MAX_FAILED_SHARE) throw new Error(summary);
    failedRequests.push(summary);
  }
  return result['2xx'];
}

/** A webhook source and one agent, created through the API; they persist across restarts of the same database. */
export async function seed(baseUrl: string, adminKey: string): Promise<{ sourceId: string; secret: string; agentId: string }> {
  const headers = { 'content-type': 'application/json', 'x-api-key': adminKey };
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  const source = await fetch(`${baseUrl}/api/v1/sources`, { method: 'POST', headers, body: JSON.stringify({ kind: 'generic', name: 'bench', secret }) });
  if (source.status !== 201) throw new Error(`POST /api/v1/sources answered ${source.status}: ${(await source.text()).slice(0, 300)}`);
  const agent = await fetch(`${baseUrl}/api/v1/agents`, { method: 'POST', headers, body: JSON.stringify(SAMPLE_AGENT) });
  if (agent.status !== 201) throw new Error(`POST /api/v1/agents answered ${agent.status}: ${(await agent.text()).slice(0, 300)}`);
  return { sourceId: ((await source.json()) as { id: string }).id, secret, agentId: ((await agent.json()) as { id: string }).id };
}
