// What every generated report says about the run that produced it: the machine and the commit.
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export function machine(): string {
  const cpus = os.cpus();
  const memoryGiB = Math.round((os.totalmem() / 1024 ** 3) * 10) / 10;
  return `${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} logical cores, ${memoryGiB} GiB RAM, ${os.type()} ${os.release()} ${os.arch()}`;
}

/** The commit under test; uncommitted changes are flagged because they are part of what was checked. */
export function gitRevision(repo: string): string {
  try {
    const git = (args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const commit = git(['rev-parse', 'HEAD']);
    const dirty = git(['status', '--porcelain', '--untracked-files=no']) !== '';
    return `${commit.slice(0, 12)}${dirty ? ' (with uncommitted changes)' : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}
