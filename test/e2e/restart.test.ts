import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SETTINGS } from '../../src/platform/config/schema.js';
import { createSchema, serverUrl } from '../helpers/db.js';

/**
 * Data survives a process restart: `orca start` as a real child process (from source through tsx, since dist/
 * may be stale), SIGTERM, clean exit, start again on the same data, read back what was written.
 */

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const TSX_LOADER = pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href;
const MAIN = join(REPO, 'src/main.ts');
// Two process starts (TypeScript compiled on the fly, PGlite initdb in WASM) take over a minute on a loaded
// 2-core machine. These bound a hang; they measure nothing.
const PROCESS_TEST_TIMEOUT_MS = 300_000;
const SHUTDOWN_BOUND_MS = 10_000;

const children = new Set<ChildProcess>();
const tempDirs: string[] = [];
const cleanups: Array<() => Promise<void>> = [];

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
  for (const cleanup of cleanups) await cleanup();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** A port nobody listens on right now: the OS picks it, we release it, the child binds it. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface OrcaProcess {
  child: ChildProcess;
  port: number;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `orca start` with only the given settings (none inherited from the developer's shell), in a temp cwd. */
function startOrca(env: Record<string, string>, port: number): OrcaProcess {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const setting of SETTINGS) delete base[setting.env];
  delete base.ORCA_CONFIG_FILE;
  delete base.NODE_OPTIONS;
  const child = spawn(process.execPath, ['--import', TSX_LOADER, MAIN, 'start'], {
    cwd: tempDir('orca-cwd-'),
    env: { ...base, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, port, output: () => output, exited };
}

/** Polls /readyz (bounded) until 200; fails early, with the child's output, if the child exits. */
async function waitUntilReady(orca: OrcaProcess, timeoutMs = 150_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let exited = false;
  void orca.exited.then(() => (exited = true));
  while (performance.now() < deadline) {
    if (exited) throw new Error(`orca exited before becoming ready:\n${orca.output()}`);
    try {
      const response = await fetch(`http://127.0.0.1:${orca.port}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`orca was not ready within ${timeoutMs} ms:\n${orca.output()}`);
}

/** SIGTERM, then the exit code and how long the process took to exit (bounded: a hang fails, it does not stall). */
async function terminate(orca: OrcaProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; elapsedMs: number }> {
  const started = performance.now();
  orca.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    orca.exited,
    new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), SHUTDOWN_BOUND_MS + 5000))),
  ]).finally(() => clearTimeout(timer));
  if (outcome === 'hung') {
    orca.child.kill('SIGKILL');
    throw new Error(`orca did not exit after SIGTERM:\n${orca.output()}`);
  }
  return { ...outcome, elapsedMs: performance.now() - started };
}

async function expectCleanShutdown(orca: OrcaProcess): Promise<void> {
  const { code, signal, elapsedMs } = await terminate(orca);
  expect({ code, signal }, orca.output()).toEqual({ code: 0, signal: null });
  expect(elapsedMs).toBeLessThan(SHUTDOWN_BOUND_MS);
  expect(orca.output()).toContain('shutdown complete');
}

async function restartFlow(settings: Record<string, string>): Promise<void> {
  // A bootstrap key from API_KEYS (SPEC §2), the same on both starts: it is what an operator's deploy would pass.
  const secret = randomBytes(24).toString('hex');
  const env = { ...settings, API_KEYS: `e2e-restart:operator:${secret}` };
  const auth = { 'x-api-key': secret };
  const port = await freePort();
  const first = startOrca(env, port);
  await waitUntilReady(first);
  const created = await fetch(`http://127.0.0.1:${port}/api/v1/agents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    body: JSON.stringify({
      name: 'survives-restart',
      kind: 'mcp_server',
      source: 'mcp',
      external_id: 'restart-1',
      owner: 'platform-team',
      tags: ['restart', 'e2e'],
      tools: [{ name: 'search', description: 'finds things' }],
      metadata: { note: 'written before SIGTERM' },
    }),
  });
  expect(created.status).toBe(201);
  const agent = (await created.json()) as { id: string };
  await expectCleanShutdown(first);

  // Same data dir (and same DATABASE_URL when set); a fresh port because the old one may linger in TIME_WAIT.
  const second = startOrca(env, await freePort());
  await waitUntilReady(second);
  const read = await fetch(`http://127.0.0.1:${second.port}/api/v1/agents/${agent.id}`, { headers: auth });
  expect(read.status).toBe(200);
  expect(await read.json()).toEqual(agent);
  await expectCleanShutdown(second);
}

describe('restart keeps the data [pglite]', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it('an agent written before SIGTERM is read back, unchanged, after starting again on the same ORCA_DATA_DIR', async () => {
    await restartFlow({ ORCA_DATA_DIR: tempDir('orca-data-') });
  });
});

describe.skipIf(!serverUrl)(
  serverUrl ? 'restart keeps the data [postgres]' : 'restart keeps the data [postgres; skipped: ORCA_TEST_DATABASE_URL is unset]',
  { timeout: PROCESS_TEST_TIMEOUT_MS },
  () => {
    it('an agent written before SIGTERM is read back, unchanged, after starting again on the same DATABASE_URL', async () => {
      const schema = await createSchema(serverUrl as string);
      cleanups.push(schema.drop);
      await restartFlow({ DATABASE_URL: schema.url, ORCA_DATA_DIR: tempDir('orca-data-') });
    });
  },
);
