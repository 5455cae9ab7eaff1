import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findOnPath } from './prometheus.js';

/**
 * ORCA's container image without a container runtime (none can run on the CI machine): built by buildah from the
 * repository's Dockerfile, its filesystem mounted, and a process started from it the way a runtime starts a
 * container — the image's own ENTRYPOINT + CMD, ENV, USER and WORKDIR; chrooted into the image (its node binary,
 * libraries and files, not the host's); PID 1 of a new PID namespace, in a private mount namespace with /dev and
 * /proc. It shares the host's network, so its port is reached on 127.0.0.1.
 */

export interface ImageConfig {
  User: string;
  Env: string[];
  Entrypoint: string[] | null;
  Cmd: string[] | null;
  WorkingDir: string;
  Volumes?: Record<string, unknown> | null;
  ExposedPorts?: Record<string, unknown> | null;
  StopSignal?: string;
  Healthcheck?: { Test: string[]; Interval: number; Timeout: number; StartPeriod: number; Retries: number };
}

export interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** Why the image cannot be built and started here, or undefined when it can. */
export function containerToolsMissing(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return 'the local base image is made for Linux x64 only';
  if (process.getuid?.() !== 0) return 'buildah mounts the image and nsenter switches users: run as root';
  for (const tool of ['buildah', 'unshare', 'nsenter', 'npm']) {
    if (!findOnPath(tool)) return `${tool} is not on PATH (Debian: apt-get install buildah)`;
  }
  return undefined;
}

/** Runs a command to its end, stdout and stderr interleaved; a hang past timeoutMs kills it and rejects. */
export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number }): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not finish within ${options.timeoutMs} ms:\n${output}`));
    }, options.timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}

export async function buildah(args: string[], timeoutMs = 120_000): Promise<string> {
  const outcome = await run('buildah', args, { timeoutMs });
  if (outcome.code !== 0) throw new Error(`buildah ${args.join(' ')} exited with ${outcome.code}:\n${outcome.output}`);
  return outcome.output.trim();
}

export async function imageConfig(image: string): Promise<ImageConfig> {
  const inspected = JSON.parse(await buildah(['inspect', '--type', 'image', image])) as { Docker: { config: ImageConfig } };
  return inspected.Docker.config;
}

/** A working container of the image (buildah from) and its filesystem mounted on the host. */
export async function mountImage(image: string): Promise<{ container: string; root: string; remove(): Promise<void> }> {
  const container = (await buildah(['from', '--pull=never', image])).split('\n').pop()!;
  const root = (await buildah(['mount', container])).split('\n').pop()!;
  return {
    container,
    root,
    async remove() {
      await buildah(['umount', container]);
      await buildah(['rm', container]);
    },
  };
}

/** The image's USER as numbers, names resolved through the image's own /etc/passwd and /etc/group. */
export function imageUser(root: string, user: string): { uid: number; gid: number } {
  const [name = '', group] = user.split(':');
  const lookup = (file: string, key: string) => {
    if (/^\d+$/.test(key)) return Number(key);
    const line = readFileSync(join(root, 'etc', file), 'utf8').split('\n').find((entry) => entry.startsWith(`${key}:`));
    if (!line) throw new Error(`${key} is not in the image's /etc/${file}`);
    return Number(line.split(':')[2]);
  };
  const uid = lookup('passwd', name || '0');
  const gid = group ? lookup('group', group) : Number(readFileSync(join(root, 'etc/passwd'), 'utf8').split('\n').find((entry) => entry.split(':')[2] === String(uid))?.split(':')[3] ?? uid);
  return { uid, gid };
}

/** The image's environment, as KEY=VALUE entries, with overrides (as `docker run -e`). */
export function imageEnv(config: ImageConfig, overrides: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const entry of config.Env) env[entry.slice(0, entry.indexOf('='))] = entry.slice(entry.indexOf('=') + 1);
  return { ...env, ...overrides };
}

// Runs in the new namespaces as the host's shell (the image may have none), then becomes the image's process.
const ENTER = [
  'set -e',
  'root="$1"; wd="$2"; uid="$3"; gid="$4"; shift 4',
  'mount --rbind /dev "$root/dev"',
  'mount -t proc proc "$root/proc"',
  'exec /usr/bin/nsenter --root="$root" --wd="$root$wd" --setuid="$uid" --setgid="$gid" -- "$@"',
].join('\n');

export interface ImageProcess {
  child: ChildProcess;
  output(): string;
  waitForOutput(text: string, timeoutMs: number): Promise<void>;
  exited: Promise<Outcome>;
  /** The host's pid of the image's process (PID 1 inside), once it has replaced the launcher. */
  hostPid(timeoutMs: number): Promise<number>;
  /** SIGKILL to PID 1, which ends its namespace, then to the launcher; resolves once the launcher has exited. */
  kill(): Promise<void>;
}

/** Starts the image's ENTRYPOINT + CMD as a container runtime would (see the top of this file). */
export function startFromImage(root: string, config: ImageConfig, env: NodeJS.ProcessEnv): ImageProcess {
  const { uid, gid } = imageUser(root, config.User);
  const argv = [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])];
  const child = spawn(
    'unshare',
    ['--pid', '--fork', '--mount', '--propagation', 'private', '/bin/sh', '-c', ENTER, 'enter', root, config.WorkingDir || '/', String(uid), String(gid), ...argv],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const watchers = new Set<() => void>();
  const notify = () => [...watchers].forEach((watcher) => watcher());
  child.stdout.on('data', (chunk: Buffer) => ((output += chunk.toString('utf8')), notify()));
  child.stderr.on('data', (chunk: Buffer) => ((output += chunk.toString('utf8')), notify()));
  let done = false;
  const exited = new Promise<Outcome>((resolve) =>
    child.on('exit', (code, signal) => {
      done = true;
      notify();
      resolve({ code, signal, output });
    }),
  );
  const until = <T>(check: () => T | undefined, timeoutMs: number, what: string) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => (watchers.delete(test), reject(new Error(`${what} did not happen within ${timeoutMs} ms:\n${output}`))), timeoutMs);
      const test = () => {
        const value = check();
        if (value !== undefined) return (clearTimeout(timer), watchers.delete(test), resolve(value));
        if (done) return (clearTimeout(timer), watchers.delete(test), reject(new Error(`the process exited before ${what}:\n${output}`)));
      };
      watchers.add(test);
      test();
    });
  return {
    child,
    output: () => output,
    exited,
    waitForOutput: async (text, timeoutMs) => {
      await until(() => (output.includes(text) ? true : undefined), timeoutMs, `"${text}"`);
    },
    async kill() {
      if (done) return;
      // unshare's --kill-child does not reach it: the parent-death signal is cleared when nsenter switches user.
      const pid = imageChildPid(child.pid!, argv[0]!);
      if (pid) process.kill(pid, 'SIGKILL');
      child.kill('SIGKILL');
      await exited;
    },
    async hostPid(timeoutMs) {
      // No event says when the launcher has exec'd the image's program: poll /proc (a few ms apart) for it.
      const poll = setInterval(notify, 20);
      try {
        return await until(() => imageChildPid(child.pid!, argv[0]!), timeoutMs, `the image's process (${argv[0]})`);
      } finally {
        clearInterval(poll);
      }
    },
  };
}

function imageChildPid(unsharePid: number, program: string): number | undefined {
  try {
    const pid = Number(readFileSync(`/proc/${unsharePid}/task/${unsharePid}/children`, 'utf8').trim().split(' ')[0]);
    if (!pid) return undefined;
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
    return command === program || command.endsWith(`/${program}`) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Fields of /proc/<pid>/status (Uid, Gid, Groups, NSpid, SigCgt, VmHWM…). */
export function procStatus(pid: number): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of readFileSync(`/proc/${pid}/status`, 'utf8').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 1).trim();
  }
  return fields;
}

/** Runs a command inside the running image process's namespaces, root and working dir, as its user (`docker exec`). */
export function execInImage(pid: number, user: { uid: number; gid: number }, argv: string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
  return run('nsenter', ['--target', String(pid), '--pid', '--mount', '--root', '--wd', `--setuid=${user.uid}`, `--setgid=${user.gid}`, '--', ...argv], { env, timeoutMs: 60_000 });
}
