import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SETTINGS } from '../../src/platform/config/schema.js';

/**
 * The `orca` CLI as a real child process, for the end-to-end tests. It runs from source through tsx rather than from
 * dist/, because dist/ may be stale and building is not part of running the tests.
 *
 * Every process, temp dir and extra cleanup made here is recorded so that one `afterAll(cleanupOrcaProcesses)` per
 * test file releases them even when a test fails half-way: a leftover server would keep its port and PGlite lock.
 */

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const TSX_LOADER = pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href;
const MAIN = join(REPO, 'src/main.ts');

// A process start compiles TypeScript on the fly and a fresh PGlite data dir runs initdb in WASM: over a minute on a
// loaded 2-core machine. This bounds a hang; it measures nothing.
const DEFAULT_PROCESS_TIMEOUT_MS = 150_000;

const children = new Set<ChildProcess>();
const tempDirs: string[] = [];
const cleanups: Array<() => Promise<void>> = [];

export interface ExitOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface OrcaProcess {
  child: ChildProcess;
  port: number;
  /** stdout alone: what an operator sees on the terminal, as opposed to the log lines mixed into output(). */
  stdout(): string;
  /** stdout and stderr interleaved as they arrived. */
  output(): string;
  /** Resolves when output() contains `text`; rejects if the process exits first or after timeoutMs. */
  waitForOutput(text: string, timeoutMs?: number): Promise<void>;
  /** Settles on 'exit', not 'close': a test timing shutdown must not include the pipes draining. */
  exited: Promise<ExitOutcome>;
}

export interface CommandOutcome extends ExitOutcome {
  stdout: string;
  stderr: string;
}

/** A temp dir removed by cleanupOrcaProcesses(). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/**
 * Registers work for cleanupOrcaProcesses(), which runs it after the processes are killed: a schema must not be
 * dropped while a server still holds connections to it.
 */
export function deferCleanup(cleanup: () => Promise<void>): void {
  cleanups.push(cleanup);
}

/** For afterAll: kills whatever is still running, then runs deferred cleanups, then removes the temp dirs. */
export async function cleanupOrcaProcesses(): Promise<void> {
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
  children.clear();
  for (const cleanup of cleanups.splice(0)) await cleanup();
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A port nobody listens on right now: the OS picks it, we release it, the child binds it. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * The child's environment: this process's minus every ORCA setting, so a developer's shell cannot change the outcome.
 * NODE_OPTIONS goes too, because the parent's (e.g. a debugger or a second loader) would apply to the child.
 * LOG_LEVEL is pinned because tests read log lines and must not follow a change of its default.
 */
function orcaEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const setting of SETTINGS) delete base[setting.env];
  delete base.ORCA_CONFIG_FILE;
  delete base.NODE_OPTIONS;
  return { ...base, LOG_LEVEL: 'info', ...env };
}

function spawnOrca(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, MAIN, ...args], {
    // A temp cwd, so that no orca.config.yaml in the checkout is read.
    cwd: tempDir('orca-cwd-'),
    env: orcaEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  return child;
}

/** Starts `orca start` on 127.0.0.1:`port` with only the given settings. Does not wait: see waitUntilReady(). */
export function startOrca(env: Record<string, string>, port: number): OrcaProcess {
  const child = spawnOrca(['start'], { HOST: '127.0.0.1', PORT: String(port), ...env });
  let stdout = '';
  let output = '';
  // Re-checked on every chunk and on exit, so waitForOutput() needs no polling interval.
  const watchers = new Set<() => void>();
  const notify = () => {
    for (const watcher of [...watchers]) watcher();
  };
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    output += chunk.toString('utf8');
    notify();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
    notify();
  });
  let hasExited = false;
  const exited = new Promise<ExitOutcome>((resolve) =>
    child.on('exit', (code, signal) => {
      hasExited = true;
      notify();
      resolve({ code, signal });
    }),
  );
  return {
    child,
    port,
    stdout: () => stdout,
    output: () => output,
    exited,
    waitForOutput(text, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          watchers.delete(check);
          reject(new Error(`"${text}" did not appear within ${timeoutMs} ms:\n${output}`));
        }, timeoutMs);
        const check = () => {
          if (output.includes(text)) {
            clearTimeout(timer);
            watchers.delete(check);
            resolve();
          } else if (hasExited) {
            clearTimeout(timer);
            watchers.delete(check);
            reject(new Error(`the process exited before "${text}" appeared:\n${output}`));
          }
        };
        watchers.add(check);
        check();
      });
    },
  };
}

/**
 * Polls /readyz until 200 (readiness includes the database, unlike the port merely accepting connections). Fails
 * early, with the child's output, if the child exits: a start-up error should not look like a timeout.
 */
export async function waitUntilReady(orca: OrcaProcess, timeoutMs = DEFAULT_PROCESS_TIMEOUT_MS): Promise<void> {
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

/** Waits for the process to exit; a hang fails the test, with the output, instead of stalling it until its timeout. */
export async function exitWithin(orca: OrcaProcess, timeoutMs: number): Promise<ExitOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    orca.exited,
    new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), timeoutMs))),
  ]).finally(() => clearTimeout(timer));
  if (outcome === 'hung') {
    orca.child.kill('SIGKILL');
    throw new Error(`orca did not exit within ${timeoutMs} ms:\n${orca.output()}`);
  }
  return outcome;
}

/** SIGTERM, as an orchestrator stops a server, then exitWithin(). Asserting on the outcome is the test's business. */
export function stopOrca(orca: OrcaProcess, timeoutMs: number): Promise<ExitOutcome> {
  orca.child.kill('SIGTERM');
  return exitWithin(orca, timeoutMs);
}

/**
 * Runs a one-shot `orca …args` to completion. Settles on 'close', not 'exit', so stdout and stderr are complete
 * when the test reads them. A command that does not finish in time is killed and reported with what it printed.
 */
export function runOrca(args: string[], env: Record<string, string> = {}, timeoutMs = DEFAULT_PROCESS_TIMEOUT_MS): Promise<CommandOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawnOrca(args, env);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`orca ${args.join(' ')} did not exit within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
