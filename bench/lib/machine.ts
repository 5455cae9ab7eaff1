import { execFileSync } from 'node:child_process';
import os from 'node:os';
import type { MachineInfo, RunInfo } from './types.js';

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    logicalCores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

/** The command as the operator typed it, so that the report says exactly how to reproduce it. */
export function invocation(argv: readonly string[]): string {
  const args = argv.length > 0 ? ` ${argv.join(' ')}` : '';
  if (process.env.npm_lifecycle_event === 'bench') return `npm run bench${args ? ` --${args}` : ''}`;
  return `tsx bench/run.ts${args}`;
}

/**
 * Commit of the code under test; uncommitted changes are flagged because they are part of what was measured. The
 * report's own files are not: a run that follows another (one suite again) finds them rewritten, not the code.
 */
function gitRevision(repoRoot: string): string | null {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', '.', ':!docs/benchmarks.md', ':!bench/results'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return dirty ? `${commit} (with uncommitted changes)` : commit;
  } catch {
    return null;
  }
}

/** The harness's Node, and the servers' when ORCA_BENCH_NODE runs them on another (bench/lib/server-process.ts). */
function nodeVersions(): string {
  const serverNode = process.env.ORCA_BENCH_NODE;
  if (!serverNode) return process.version;
  const version = execFileSync(serverNode, ['--version'], { encoding: 'utf8' }).trim();
  return `${version} (servers under test, ORCA_BENCH_NODE); harness ${process.version}`;
}

export function runInfo(repoRoot: string, argv: readonly string[], date: Date): RunInfo {
  return { date: date.toISOString(), command: invocation(argv), node: nodeVersions(), machine: machineInfo(), git: gitRevision(repoRoot) };
}
