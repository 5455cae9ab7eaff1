/**
 * `npx tsx bench/first-start-peak.ts [--node <path>] [--requests <n>] [--config '<node flags>']…`
 *
 * One ORCA at a time on PGlite, per set of Node flags: its RSS peak over the first start on an empty data directory
 * (the kernel's VmHWM from spawn to 5 s after ready: this is where Node compiles PGlite's WebAssembly), the peak of
 * a restart on the same data, and the time of `--requests` sequential /events batches of 100 (one connection: a
 * light load, so that it can run beside other work; it says whether a flag slows the database, not how fast ORCA
 * is). Used to choose the WebAssembly flags of the recommended Node options (deploy/node-options.json). Prints a
 * Markdown table; writes nothing.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { peakRss } from './lib/memory.js';
import { seed } from './lib/memory-servers.js';
import { BENCH_RATE_LIMIT_MAX } from './lib/orca.js';
import { freePort, HOST, startServerProcess, type ServerProcess } from './lib/server-process.js';
import { batchRequest } from './suites/ingest.js';

const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const SETTLE_MS = 5000;
const BATCH_SIZE = 100;
const MB = 1_000_000;

const { values } = parseArgs({
  options: {
    node: { type: 'string' },
    requests: { type: 'string', default: '100' },
    config: { type: 'string', multiple: true },
  },
});
if (values.node) process.env.ORCA_BENCH_NODE = values.node;
const node = values.node ?? process.execPath;
const requests = Number(values.requests);
const configs = values.config ?? [''];

async function start(flags: string[], dataDir: string, adminKey: string, workDir: string): Promise<ServerProcess> {
  const port = await freePort();
  return startServerProcess({
    name: `ORCA ${flags.join(' ')}`,
    args: [...flags, join(REPO_ROOT, 'dist', 'main.js'), 'start'],
    cwd: workDir,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOST,
      PORT: String(port),
      ORCA_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      API_KEYS: `bench-admin:admin:${adminKey}`,
      RATE_LIMIT_MAX: String(BENCH_RATE_LIMIT_MAX),
    },
    port,
    readyPath: '/livez',
    stdoutPath: '/dev/null',
    startTimeoutMs: 180_000,
  });
}

/** The process's resident set now (VmRSS), in bytes. */
function currentRss(pid: number): number {
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
}

/** Peak RSS (MB) from spawn to SETTLE_MS after ready, and the RSS at that moment. */
async function settledPeak(server: ServerProcess): Promise<{ peak: number; idle: number; startupMs: number }> {
  await new Promise((done) => setTimeout(done, SETTLE_MS));
  return { peak: Math.round((peakRss(server.pid) ?? 0) / MB), idle: Math.round(currentRss(server.pid) / MB), startupMs: server.startupMs };
}

console.log(`Node ${execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()}, ${requests} sequential /events batches of ${BATCH_SIZE}`);
console.log('');
console.log('| Node flags | first start: peak MB | idle MB | ready after s | restart: peak MB | batches: ms each (median) | RSS after MB |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const config of configs) {
  const flags = config.split(/\s+/).filter(Boolean);
  const workDir = mkdtempSync(join(tmpdir(), 'orca-first-start-'));
  const dataDir = join(workDir, 'data');
  const adminKey = randomBytes(24).toString('base64url');
  try {
    const first = await start(flags, dataDir, adminKey, workDir);
    const firstStart = await settledPeak(first);
    const seeded = await seed(first.baseUrl, adminKey);
    await first.stop();
    const again = await start(flags, dataDir, adminKey, workDir);
    const restart = await settledPeak(again);
    const next = batchRequest({ sourceId: seeded.sourceId, adminKey }, BATCH_SIZE);
    const times: number[] = [];
    for (let index = 0; index < requests; index += 1) {
      const request = next();
      const from = performance.now();
      const response = await fetch(`${again.baseUrl}${request.path}`, { method: request.method, headers: request.headers, body: request.body });
      await response.arrayBuffer();
      if (response.status >= 300) throw new Error(`POST ${request.path} answered ${response.status}`);
      times.push(performance.now() - from);
    }
    times.sort((a, b) => a - b);
    const rssAfter = currentRss(again.pid);
    await again.stop();
    const median = times[Math.floor(times.length / 2)] ?? 0;
    console.log(
      `| ${flags.length > 0 ? `\`${flags.join(' ')}\`` : '(none)'} | ${firstStart.peak} | ${firstStart.idle} | ${(firstStart.startupMs / 1000).toFixed(1)} | ${restart.peak} | ${median.toFixed(1)} | ${Math.round(rssAfter / MB)} |`,
    );
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
