import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { processCpuSeconds } from './cpu.js';

/** Every child still running; killed when the harness exits early so that no server outlives a run. */
const running = new Set<ChildProcess>();

export function killRunningServers(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

export const HOST = '127.0.0.1';

/**
 * The Node executable that runs the servers under test: the harness's own, or ORCA_BENCH_NODE (e.g. another major
 * version, to compare); the report's Node line names it.
 */
export function serverNode(): string {
  return process.env.ORCA_BENCH_NODE ?? process.execPath;
}

/** Asks the kernel for a free port. Another process could take it before the child binds; start-up then fails loudly. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port assigned'))));
    });
  });
}

export interface ServerProcessOptions {
  name: string;
  /**
   * Arguments after the node executable (no Node flags: every server under test runs with the same, none — except
   * the `memory` suite's probe, `--import`, and the recommended flags it runs ORCA with, deploy/node-options.json).
   */
  args: string[];
  cwd: string;
  /** The child's entire environment: nothing leaks in from the shell that runs the benchmark. */
  env: Record<string, string>;
  port: number;
  /** A GET path that answers 200 once the server is ready. */
  readyPath: string;
  /** File receiving the child's stdout (its log); /dev/null to discard. */
  stdoutPath: string;
  startTimeoutMs?: number;
}

export interface ServerProcess {
  name: string;
  baseUrl: string;
  pid: number;
  /** Milliseconds from spawn until the ready path answered 200. */
  startupMs: number;
  cpuSeconds(): number | undefined;
  stop(): Promise<void>;
}

/** Starts a server as a child process and resolves once it answers; rejects with its stderr if it dies first. */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const stdout = openSync(options.stdoutPath, 'a');
  const started = Date.now();
  const child = spawn(serverNode(), options.args, { cwd: options.cwd, env: options.env, stdio: ['ignore', stdout, 'pipe'] });
  closeSync(stdout);
  running.add(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      running.delete(child);
      resolve();
    });
  });
  const describeExit = () => `${options.name} exited (code ${exit?.code ?? 'none'}, signal ${exit?.signal ?? 'none'})${stderr ? `:\n${stderr.trim()}` : ''}`;

  const baseUrl = `http://${HOST}:${options.port}`;
  const deadline = started + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (exit) throw new Error(`${describeExit()} before it was ready`);
    try {
      const response = await fetch(`${baseUrl}${options.readyPath}`);
      await response.arrayBuffer();
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.name} was not ready within ${options.startTimeoutMs ?? 60_000} ms${stderr ? `:\n${stderr.trim()}` : ''}`);
    }
    await delay(100);
  }
  const startupMs = Date.now() - started;
  const pid = child.pid!;

  return {
    name: options.name,
    baseUrl,
    pid,
    startupMs,
    cpuSeconds: () => processCpuSeconds(pid),
    async stop() {
      if (!exit) {
        child.kill('SIGTERM');
        const timedOut = await Promise.race([exited.then(() => false), delay(20_000).then(() => true)]);
        if (timedOut) {
          child.kill('SIGKILL');
          await exited;
          throw new Error(`${options.name} did not stop within 20 s of SIGTERM`);
        }
      }
      // A server that crashed or shut down uncleanly makes the numbers suspect: fail the run rather than report them.
      if (exit?.code !== 0) throw new Error(describeExit());
    },
  };
}

/** Stops every server (all of them, even when one fails to stop) and reports every failure at once. */
export async function stopServers(servers: ReadonlyArray<ServerProcess | undefined>): Promise<void> {
  const results = await Promise.allSettled(servers.map((server) => server?.stop()));
  const failures = results.flatMap((result) => (result.status === 'rejected' ? [(result.reason as Error).message] : []));
  if (failures.length > 0) throw new Error(failures.join('\n'));
}

/**
 * Runs `measure` with servers that must be stopped afterwards. A failure while measuring is the one reported;
 * a server that then also fails to stop does not hide it.
 */
export async function withServers<T>(servers: Array<ServerProcess | undefined>, measure: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await measure();
  } catch (error) {
    await stopServers(servers).catch(() => {});
    throw error;
  }
  await stopServers(servers);
  return result;
}
