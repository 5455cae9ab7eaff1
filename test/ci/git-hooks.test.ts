import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const INSTALLER = fileURLToPath(new URL('../../scripts/install-git-hooks.mjs', import.meta.url));
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'orca-hooks-'));
  dirs.push(dir);
  return dir;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
}

function hooksPath(cwd: string): string {
  try {
    return git(cwd, 'config', '--get', 'core.hooksPath');
  } catch {
    return '';
  }
}

function install(cwd: string): string {
  return execFileSync(process.execPath, [INSTALLER], { cwd, encoding: 'utf8' });
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('npm install sets up the pre-commit hook (scripts/install-git-hooks.mjs)', () => {
  it('points core.hooksPath at .githooks in a git checkout, and says so once', () => {
    const repo = tempDir();
    git(repo, 'init', '-q');
    expect(install(repo)).toContain('core.hooksPath set to .githooks');
    expect(hooksPath(repo)).toBe('.githooks');
    expect(install(repo)).toBe('');
    expect(hooksPath(repo)).toBe('.githooks');
  });

  it('leaves another hook manager alone', () => {
    const repo = tempDir();
    git(repo, 'init', '-q');
    git(repo, 'config', 'core.hooksPath', '.husky');
    expect(install(repo)).toContain('core.hooksPath is .husky');
    expect(hooksPath(repo)).toBe('.husky');
  });

  it('does nothing outside a git checkout (an installed package)', () => {
    const dir = tempDir();
    expect(install(dir)).toBe('');
  });

  it('the hook runs lint-staged and the type check, and lint-staged lints staged sources with no warning allowed', async () => {
    const { readFile } = await import('node:fs/promises');
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const hook = await readFile(join(root, '.githooks/pre-commit'), 'utf8');
    expect(hook).toContain('npx --no-install lint-staged');
    expect(hook).toContain('npm run --silent typecheck');
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { 'lint-staged': Record<string, string>; scripts: Record<string, string> };
    expect(pkg['lint-staged']['*.{ts,mts,cts,js,mjs,cjs}']).toBe('eslint --max-warnings=0 --no-warn-ignored');
    expect(pkg.scripts.prepare).toMatch(/^node scripts\/install-git-hooks\.mjs && /);
  });
});
