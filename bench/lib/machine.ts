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

export function runInfo(repoRoot: string, argv: readonly string[], date: Date): RunInfo {
  return { date: date.toISOString(), command: invocation(argv), node: process.version, machine: machineInfo(), git: gitRevision(repoRoot) };
}
