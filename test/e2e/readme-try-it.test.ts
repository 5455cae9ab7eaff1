import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupOrcaProcesses, freePort, startOrca, tempDir, waitUntilReady } from '../helpers/orca-process.js';

/**
 * A newcomer copies the README's "Try it" block into a second terminal while `npm start` runs. This runs that block
 * exactly as written (bash, from the folder that holds `.orca/`), so a command that cannot be pasted — a `<id>` to
 * fill in by hand, a CLI command that fails beside the running server — fails here first.
 */

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const FLOW_TIMEOUT_MS = 600_000;

afterAll(cleanupOrcaProcesses);

function tryItBlock(): string {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Try it'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('README.md has no ```sh block under "## Try it"');
  return block;
}

/** `npx orca` resolves the package's bin from ./node_modules/.bin: here, the checkout's CLI run from source. */
function installOrcaBin(folder: string): void {
  const bin = join(folder, 'node_modules', '.bin');
  mkdirSync(bin, { recursive: true });
  const loader = pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href;
  writeFileSync(join(bin, 'orca'), `#!/bin/sh\nexec "${process.execPath}" --import ${loader} "${join(REPO, 'src/main.ts')}" "$@"\n`);
  chmodSync(join(bin, 'orca'), 0o755);
}

function runBash(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', script], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('README "Try it" [pglite]', { timeout: FLOW_TIMEOUT_MS }, () => {
  it('runs as written beside a running server', async () => {
    const folder = tempDir('orca-readme-');
    installOrcaBin(folder);
    const port = await freePort();
    const server = startOrca({ ORCA_DATA_DIR: join(folder, '.orca') }, port);
    await waitUntilReady(server);

    const result = await runBash(tryItBlock(), folder, { PORT: String(port), npm_config_yes: 'false' });
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toContain('"status":"ready"');
    expect(result.stdout).toMatch(/"name":"support-triage"/);
    // The suspend and its history went to the agent the block created, whose id it captured.
    expect(result.stdout).toContain(`"to_status":"suspended"`);
    expect(result.stdout).toMatch(/created viewer key "dashboards"/);
    expect(result.stderr).not.toMatch(/error|in use by another ORCA process/i);
  });
});
